/* case_validate.c — is a case record well-formed? */
#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "record.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static size_t check_id(const cJSON *c, cd_buf *err)
{
	const char *id = cd_json_str(c, "id");

	if (!id) {
		cd_buf_puts(err, "id: missing\n");
		return 1;
	}
	if (!cd_id_valid(id) || id[0] != 'c') {
		cd_buf_printf(err, "id: '%s' is not a case id (c- and 18 base32 digits)\n", id);
		return 1;
	}
	return 0;
}

static size_t check_enum(const cJSON *c, const char *key, int value, const char *valid,
			 cd_buf *err)
{
	const char *s = cd_json_str(c, key);

	if (value >= 0)
		return 0;
	if (s)
		cd_buf_printf(err, "%s: unknown value '%s' (use %s)\n", key, s, valid);
	else
		cd_buf_printf(err, "%s: missing (use %s)\n", key, valid);
	return 1;
}

static int id_known(const char *id, const char *const *ids, size_t nids)
{
	for (size_t i = 0; i < nids; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

static size_t check_one_principle(const cJSON *arr, const cJSON *pr, size_t i,
				  const char *const *ids, size_t nids, cd_buf *err)
{
	const cJSON *q;

	if (!cJSON_IsString(pr) || !*pr->valuestring) {
		cd_buf_printf(err, "principles[%zu]: must be a principle id\n", i);
		return 1;
	}
	if (ids && !id_known(pr->valuestring, ids, nids)) {
		cd_buf_printf(err, "principles[%zu]: no principle '%s' in the charter\n", i,
			      pr->valuestring);
		return 1;
	}
	for (q = arr->child; q != pr; q = q->next)
		if (cJSON_IsString(q) && strcmp(q->valuestring, pr->valuestring) == 0) {
			cd_buf_printf(err, "principles[%zu]: '%s' is listed twice\n", i,
				      pr->valuestring);
			return 1;
		}
	return 0;
}

static size_t check_principles(const cJSON *c, const char *const *ids, size_t nids,
			       cd_buf *err)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(c, "principles"), *pr;
	size_t n = 0, i = 0, count;

	if (!cJSON_IsArray(arr)) {
		cd_buf_puts(err, arr ? "principles: must be an array of principle ids\n"
				     : "principles: missing\n");
		return 1;
	}
	count = (size_t)cJSON_GetArraySize(arr);
	if (count == 0) {
		cd_buf_puts(err, "principles: at least one principle is needed\n");
		return 1;
	}
	if (case_get_kind(c) == CASE_TENSION && count < 2) {
		cd_buf_puts(err, "principles: a tension needs at least two principles\n");
		n++;
	}
	cJSON_ArrayForEach(pr, arr)
		n += check_one_principle(arr, pr, i++, ids, nids, err);
	return n;
}

static size_t check_severity(const cJSON *c, cd_buf *err)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(c, "severity");
	double v;

	if (!s) {
		cd_buf_puts(err, "severity: missing (an integer from 1 to 5)\n");
		return 1;
	}
	v = cJSON_IsNumber(s) ? s->valuedouble : NAN;
	if (!(v >= 1 && v <= 5 && v == floor(v))) {
		if (cJSON_IsNumber(s))
			cd_buf_printf(err, "severity: must be an integer from 1 to 5, got %g\n", v);
		else
			cd_buf_puts(err, "severity: must be an integer from 1 to 5\n");
		return 1;
	}
	return 0;
}

static size_t check_ratings(const cJSON *c, cd_buf *err)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(c, "ratings"), *r;
	char where[32];
	size_t n = 0, i = 0;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr)) {
		cd_buf_puts(err, "ratings: must be an array\n");
		return 1;
	}
	cJSON_ArrayForEach(r, arr) {
		snprintf(where, sizeof where, "ratings[%zu]", i++);
		n += rating_check(r, where, err);
	}
	return n;
}

/* resolved_by, proposal, theory, run: an id (or null) when present. */
static size_t check_link(const cJSON *c, const char *key, char prefix, cd_buf *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);

	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v) && cd_id_valid(v->valuestring) && v->valuestring[0] == prefix)
		return 0;
	cd_buf_printf(err, "%s: must be a %c- id or null\n", key, prefix);
	return 1;
}

static size_t check_status(const cJSON *c, cd_buf *err)
{
	const cJSON *by = cJSON_GetObjectItemCaseSensitive(c, "resolved_by");
	size_t n = check_enum(c, "status", case_get_status(c),
			      "open, confirmed, dismissed or resolved", err);

	n += check_link(c, "resolved_by", 'p', err);
	if (case_get_status(c) == CASE_RESOLVED && !cJSON_IsString(by)) {
		cd_buf_puts(err, "resolved_by: a resolved case names the proposal that resolved it\n");
		n++;
	}
	return n;
}

static size_t check_provenance(const cJSON *c, cd_buf *err)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "provenance");

	if (!p || cJSON_IsObject(p))
		return 0;
	cd_buf_puts(err, "provenance: must be an object\n");
	return 1;
}

int case_validate(const cJSON *c, const char *const *ids, size_t nids, cd_buf *err)
{
	size_t before = err->len, n = 0;
	const char *id = case_id(c);

	if (!cJSON_IsObject(c)) {
		cd_buf_puts(err, "case: must be a JSON object\n");
		cd_err_set("a case must be a JSON object");
		return -1;
	}
	n += check_id(c, err);
	n += check_enum(c, "kind", case_get_kind(c),
			"counterexample, tension, vagueness, probe, consequence or behaviour", err);
	n += check_principles(c, ids, nids, err);
	n += record_check_text(c, "", "scenario", CASE_SCENARIO_MIN, CASE_TEXT_MAX, 0, err);
	n += record_check_text(c, "", "literal_reading", 1, CASE_TEXT_MAX, 0, err);
	n += record_check_text(c, "", "expected", 1, CASE_TEXT_MAX, 0, err);
	n += record_check_text(c, "", "rationale", 1, CASE_TEXT_MAX, 0, err);
	n += check_severity(c, err);
	n += check_status(c, err);
	n += check_ratings(c, err);
	n += check_provenance(c, err);
	n += check_link(c, "proposal", 'p', err);
	n += check_link(c, "theory", 't', err);
	n += check_link(c, "run", 'r', err);
	return n ? record_first_problem(err, before, "case", id) : 0;
}
