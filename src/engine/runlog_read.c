/* runlog_read.c — reading the records of runs: the list, what they teach
 * the estimator, and their sums by command, model, principle or rater
 * (runlog.h). */
#include "codicil/runlog.h"

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_MAX_BYTES (4u << 20)
#define HISTORY_RUNS 100

static int by_started_desc(const void *a, const void *b)
{
	const char *x = cd_json_str(*(cJSON *const *)a, "started");
	const char *y = cd_json_str(*(cJSON *const *)b, "started");
	int c = strcmp(y ? y : "", x ? x : "");

	return c ? c : strcmp(cd_json_str(*(cJSON *const *)b, "run"),
			      cd_json_str(*(cJSON *const *)a, "run"));
}

static cJSON *read_record(const char *dir, const char *name)
{
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	cJSON *rec = NULL;

	text.max = RECORD_MAX_BYTES;
	if (cd_path_join(&path, dir, name) == 0 && cd_file_read(path.data, &text) == 0)
		rec = cJSON_ParseWithLength(text.data, text.len);
	cd_err_clear();
	if (rec && (!cJSON_IsObject(rec) || !cd_json_str(rec, "run") ||
		    !cd_json_str(rec, "started"))) {
		cJSON_Delete(rec);
		rec = NULL;
	}
	cd_buf_clear(&path);
	cd_buf_clear(&text);
	return rec;
}

/* A record left "running" by a process that is gone. */
static void mark_killed(cJSON *rec)
{
	const char *state = cd_json_str(rec, "state");
	cJSON *pid = cJSON_GetObjectItemCaseSensitive(rec, "pid");

	if (!state || strcmp(state, "running") || !cJSON_IsNumber(pid) || pid->valuedouble < 1)
		return;
	if (kill((pid_t)pid->valuedouble, 0) < 0 && errno == ESRCH)
		cJSON_ReplaceItemInObject(rec, "state", cJSON_CreateString("killed"));
}

int runlog_list(store *s, cJSON **out)
{
	cd_buf dir = CD_BUF_INIT;
	cJSON **recs = NULL, *list;
	char **names = NULL;
	size_t n = 0, count = 0;

	*out = NULL;
	if (store_local_path(s, "ledger", &dir) < 0)
		return -1;
	if (cd_dir_names(dir.data, ".json", &names, &count) < 0)
		cd_err_clear(); /* an unreadable ledger lists no runs */
	if (count && !(recs = calloc(count, sizeof *recs)))
		count = 0;
	for (size_t i = 0; i < count; i++) {
		cJSON *rec = read_record(dir.data, names[i]);
		if (rec) {
			mark_killed(rec);
			recs[n++] = rec;
		}
	}
	cd_names_free(names, count);
	cd_buf_clear(&dir);
	if (n)
		qsort(recs, n, sizeof *recs, by_started_desc);
	list = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(list, recs[i]);
	free(recs);
	*out = list;
	return list ? 0 : -1;
}

int runlog_history_load(store *s, runlog_history *hist)
{
	cJSON *list, *rec;
	int seen = 0;

	memset(hist, 0, sizeof *hist);
	if (runlog_list(s, &list) < 0)
		return -1;
	hist->kinds = cJSON_CreateObject();
	cJSON_ArrayForEach(rec, list) {
		const cJSON *kind;

		if (seen++ >= HISTORY_RUNS)
			break;
		cJSON_ArrayForEach(kind, cJSON_GetObjectItemCaseSensitive(rec, "by_kind")) {
			cJSON *k = cJSON_GetObjectItemCaseSensitive(hist->kinds, kind->string);

			if (!k)
				k = cJSON_AddObjectToObject(hist->kinds, kind->string);
			cd_json_add_to(k, "requests", cd_json_num(kind, "requests", 0));
			cd_json_add_to(k, "output", cd_json_num(kind, "output", 0));
			cd_json_add_to(k, "input", cd_json_num(kind, "input", 0));
			hist->bytes += cd_json_num(kind, "bytes", 0);
			hist->input_tokens += cd_json_num(kind, "input", 0);
		}
	}
	cJSON_Delete(list);
	return hist->kinds ? 0 : -1;
}

static double mean_output(void *ud, const char *kind)
{
	const runlog_history *hist = ud;
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(hist->kinds, kind);
	double n = cd_json_num(k, "requests", 0);

	return n > 0 ? cd_json_num(k, "output", 0) / n : 0;
}

static double mean_input(void *ud, const char *kind)
{
	const runlog_history *hist = ud;
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(hist->kinds, kind);
	double n = cd_json_num(k, "requests", 0);

	return n > 0 ? cd_json_num(k, "input", 0) / n : 0;
}

void runlog_history_apply(runlog_history *hist, llm_client *client)
{
	llm_estimator e = { .mean_output = mean_output, .mean_input = mean_input, .ud = hist };

	if (hist->input_tokens > 0)
		e.bytes_per_token = hist->bytes / hist->input_tokens;
	llm_client_set_estimator(client, &e);
}

void runlog_history_clear(runlog_history *hist)
{
	cJSON_Delete(hist->kinds);
	memset(hist, 0, sizeof *hist);
}
