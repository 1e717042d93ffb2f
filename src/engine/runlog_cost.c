/* runlog_cost.c — what the runs cost, summed by command, model, principle
 * or rater (runlog.h). */
#include "codicil/runlog.h"

#include "codicil/error.h"
#include "codicil/json.h"

#include <stdlib.h>
#include <string.h>

static const char *const sums[] = { "requests", "input", "output", "cached_input", "usd",
				    "unpriced" };

static void add_sums(cJSON *to, const cJSON *from)
{
	for (size_t i = 0; i < sizeof sums / sizeof *sums; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, sums[i]);
		if (cJSON_IsNumber(v))
			cd_json_add_to(to, sums[i], v->valuedouble);
	}
}

static cJSON *group(cJSON *groups, const char *key)
{
	cJSON *g = cJSON_GetObjectItemCaseSensitive(groups, key);

	if (!g && (g = cJSON_AddObjectToObject(groups, key)))
		cJSON_AddNumberToObject(g, "runs", 0);
	return g;
}

/* One record into the groups: the run's totals under its command or
 * rater, or its own breakdown by model or principle. */
static void add_record(cJSON *groups, const cJSON *rec, const char *by)
{
	const cJSON *part;
	const char *key;

	if (!strcmp(by, "model") || !strcmp(by, "principle")) {
		const char *field = by[0] == 'm' ? "by_model" : "by_principle";
		cJSON_ArrayForEach(part, cJSON_GetObjectItemCaseSensitive(rec, field)) {
			cJSON *g = group(groups, part->string);
			cd_json_add_to(g, "runs", 1);
			add_sums(g, part);
		}
		return;
	}
	key = cd_json_str(rec, by[0] == 'c' ? "command" : "rater");
	cJSON *g = group(groups, key ? key : "-");
	cd_json_add_to(g, "runs", 1);
	add_sums(g, cJSON_GetObjectItemCaseSensitive(rec, "tokens"));
}

static double weight(const cJSON *g)
{
	return cd_json_num(g, "usd", 0) * 1e12 + cd_json_num(g, "input", 0) +
	       cd_json_num(g, "output", 0);
}

static int heaviest_first(const void *a, const void *b)
{
	double x = weight(*(cJSON *const *)a), y = weight(*(cJSON *const *)b);

	if (x != y)
		return x < y ? 1 : -1;
	return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

/* The object of groups as a sorted array of {"key", sums...}. */
static cJSON *sorted(cJSON *groups)
{
	size_t n = (size_t)cJSON_GetArraySize(groups), i = 0;
	cJSON **items = calloc(n ? n : 1, sizeof *items), *g, *out = cJSON_CreateArray();

	if (!items || !out) {
		free(items);
		cJSON_Delete(out);
		return NULL;
	}
	cJSON_ArrayForEach(g, groups)
		items[i++] = g;
	qsort(items, n, sizeof *items, heaviest_first);
	for (i = 0; i < n; i++) {
		cJSON *row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "key", items[i]->string);
		for (cJSON *f = items[i]->child; f; f = f->next)
			cJSON_AddItemToObject(row, f->string, cJSON_Duplicate(f, 1));
		cJSON_AddItemToArray(out, row);
	}
	free(items);
	return out;
}

int runlog_cost(store *s, const char *by, const char *since, cJSON **groups, cJSON **total)
{
	cJSON *list, *rec, *by_key = cJSON_CreateObject();

	*groups = *total = NULL;
	if (strcmp(by, "command") && strcmp(by, "model") && strcmp(by, "principle") &&
	    strcmp(by, "rater")) {
		cJSON_Delete(by_key);
		cd_err_set("cannot group by '%.40s': use command, model, principle or rater", by);
		return -1;
	}
	if (runlog_list(s, &list) < 0) {
		cJSON_Delete(by_key);
		return -1;
	}
	*total = cJSON_CreateObject();
	cJSON_AddNumberToObject(*total, "runs", 0);
	cJSON_ArrayForEach(rec, list) {
		const char *started = cd_json_str(rec, "started");

		if (since && (!started || strncmp(started, since, strlen(since)) < 0))
			continue;
		add_record(by_key, rec, by);
		cd_json_add_to(*total, "runs", 1);
		add_sums(*total, cJSON_GetObjectItemCaseSensitive(rec, "tokens"));
	}
	cJSON_Delete(list);
	*groups = sorted(by_key);
	cJSON_Delete(by_key);
	return *groups ? 0 : -1;
}
