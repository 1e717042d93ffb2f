/* theory.c — failure theory records (theory.h). */
#include "codicil/theory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "record.h"

static const char *const theory_order[] = {
	"id", "statement", "cases", "predictions", "hits", "status", "retired", "provenance", NULL,
};
static const char *const hits_order[] = { "generated", "rated", "confirmed", NULL };

void theory_normalize(cJSON *t)
{
	record_reorder(t, theory_order);
	record_reorder(cJSON_GetObjectItemCaseSensitive(t, "hits"), hits_order);
}

/* The provenance object has the shape of a case's: let case_new make one
 * and take it over. */
static cJSON *provenance(const case_provenance *prov)
{
	const char *none[] = { "x" };
	case_fields f = { .principles = none, .nprinciples = 1, .scenario = "x",
			  .literal_reading = "x", .expected = "x", .rationale = "x", .severity = 1 };
	cJSON *c = case_new(CASE_COUNTEREXAMPLE, &f, prov), *p;

	if (!c)
		return NULL;
	p = cJSON_DetachItemFromObjectCaseSensitive(c, "provenance");
	cJSON_Delete(c);
	return p;
}

cJSON *theory_new(const char *statement, const char *const *cases, size_t ncases,
		  const char *const *predictions, size_t npredictions,
		  const case_provenance *prov)
{
	cJSON *t = cJSON_CreateObject(), *p = provenance(prov);
	char id[CD_ID_SIZE];
	int bad = !t || !p || !statement;

	cd_id_new('t', id);
	bad = bad || !cJSON_AddStringToObject(t, "id", id) ||
	      !cJSON_AddStringToObject(t, "statement", statement) ||
	      !cJSON_AddItemToObject(t, "cases", cJSON_CreateStringArray(cases, (int)ncases)) ||
	      !cJSON_AddItemToObject(t, "predictions",
				     cJSON_CreateStringArray(predictions, (int)npredictions)) ||
	      !cJSON_AddObjectToObject(t, "hits") || theory_set_hits(t, 0, 0, 0) < 0 ||
	      !cJSON_AddStringToObject(t, "status", "active") || !cJSON_AddNullToObject(t, "retired");
	if (bad || !cJSON_AddItemToObject(t, "provenance", p)) {
		cJSON_Delete(t);
		cJSON_Delete(bad ? p : NULL);
		return NULL;
	}
	return t;
}

const char *theory_id(const cJSON *t)
{
	return cd_json_str(t, "id");
}

int theory_is_active(const cJSON *t)
{
	const char *s = cd_json_str(t, "status");
	return s && !strcmp(s, "active");
}

static int set_key(cJSON *o, const char *key, cJSON *v)
{
	if (!v)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(o, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(o, key, v) ? 0 : -1;
	return cJSON_AddItemToObject(o, key, v) ? 0 : -1;
}

int theory_set_hits(cJSON *t, long generated, long rated, long confirmed)
{
	cJSON *h = cJSON_GetObjectItemCaseSensitive(t, "hits");

	if (!cJSON_IsObject(h) || set_key(h, "generated", cJSON_CreateNumber((double)generated)) < 0 ||
	    set_key(h, "rated", cJSON_CreateNumber((double)rated)) < 0 ||
	    set_key(h, "confirmed", cJSON_CreateNumber((double)confirmed)) < 0) {
		cd_err_set("out of memory");
		return -1;
	}
	record_reorder(h, hits_order);
	return 0;
}

int theory_retire(cJSON *t, const char *reason)
{
	cJSON *r = cJSON_CreateObject();
	char at[CASE_TIME_SIZE];

	case_time_now(at);
	if (!r || !cJSON_AddStringToObject(r, "reason", reason ? reason : "retired by hand") ||
	    !cJSON_AddStringToObject(r, "at", at) ||
	    set_key(t, "status", cJSON_CreateString("retired")) < 0) {
		cJSON_Delete(r);
		cd_err_set("out of memory");
		return -1;
	}
	if (set_key(t, "retired", r) < 0) {
		cd_err_set("out of memory");
		return -1;
	}
	theory_normalize(t);
	return 0;
}

double theory_hit_rate(const cJSON *t)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(t, "hits");
	double rated = cd_json_num(h, "rated", 0);

	return rated > 0 ? cd_json_num(h, "confirmed", 0) / rated : -1;
}

int theory_steer(const cJSON *t, cd_buf *out)
{
	const cJSON *p;

	cd_buf_printf(out, "Theory %s: %s\n", theory_id(t), cd_json_str(t, "statement"));
	cd_buf_puts(out, "It predicts failures in situations like these; explore them:\n");
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(t, "predictions"))
		if (cJSON_IsString(p))
			cd_buf_printf(out, "- %s\n", p->valuestring);
	return 0;
}

static size_t check_strings(const cJSON *t, const char *key, size_t min, int ids, cd_buf *err)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(t, key), *e;

	if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) < min) {
		cd_buf_printf(err, "%s: must be an array of at least %zu\n", key, min);
		return 1;
	}
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e) || !*e->valuestring ||
		    (ids && (!cd_id_valid(e->valuestring) || e->valuestring[0] != 'c'))) {
			cd_buf_printf(err, "%s: every item must be %s\n", key,
				      ids ? "a case id" : "a non-empty string");
			return 1;
		}
	}
	return 0;
}

static size_t check_hits(const cJSON *t, cd_buf *err)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(t, "hits");
	double g = cd_json_num(h, "generated", -1), r = cd_json_num(h, "rated", -1),
	       c = cd_json_num(h, "confirmed", -1);

	if (g >= 0 && r >= 0 && c >= 0 && c <= r && r <= g)
		return 0;
	cd_buf_puts(err, "hits: needs generated >= rated >= confirmed >= 0\n");
	return 1;
}

int theory_validate(const cJSON *t, cd_buf *err)
{
	size_t before = err->len, n = 0;
	const char *id = theory_id(t), *st = cd_json_str(t, "status");

	if (!cJSON_IsObject(t)) {
		cd_err_set("a theory must be a JSON object");
		return -1;
	}
	if (!id || !cd_id_valid(id) || id[0] != 't') {
		cd_buf_puts(err, "id: must be a theory id (t- and 18 base32 digits)\n");
		n++;
	}
	n += record_check_text(t, "", "statement", THEORY_STATEMENT_MIN, THEORY_STATEMENT_MAX, 0,
			       err);
	n += check_strings(t, "cases", 2, 1, err);
	n += check_strings(t, "predictions", 1, 0, err);
	n += check_hits(t, err);
	if (!st || (strcmp(st, "active") && strcmp(st, "retired"))) {
		cd_buf_puts(err, "status: must be active or retired\n");
		n++;
	}
	return n ? record_first_problem(err, before, "theory", id) : 0;
}

int theory_library_load(const char *dir, theory_library *out)
{
	return case_library_load(dir, out);
}

cJSON *theory_library_find(const theory_library *lib, const char *id)
{
	char full[64];
	cJSON *found = NULL;
	size_t len;

	snprintf(full, sizeof full, "%s%s", strncmp(id, "t-", 2) ? "t-" : "", id);
	len = strlen(full);
	for (size_t i = 0; i < lib->n; i++) {
		const char *tid = theory_id(lib->cases[i]);
		if (!tid || strncmp(tid, full, len))
			continue;
		if (!strcmp(tid, full))
			return lib->cases[i];
		if (found) {
			cd_err_set("theory id '%s' is ambiguous: %s, %s, ...", id, theory_id(found), tid);
			return NULL;
		}
		found = lib->cases[i];
	}
	if (!found)
		cd_err_set("no theory '%s' (list them with 'codicil theorize --list')", id);
	return found;
}
