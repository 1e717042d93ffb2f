/* generate_kinds.c — the fields that tensions, vagueness cases and probes
 * add to a case, copied from the reply and checked. */
#include "generate_int.h"

#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"

#define TERM_MAX 500

static int text_ok(const char *s, size_t max)
{
	return s && *s && strlen(s) <= 4 * max; /* bytes: a loose bound on code points */
}

static int involves_target(const gen_unit *u, const cJSON *c)
{
	if (u->nprinciples == 0)
		return 1;
	for (size_t i = 0; i < u->nprinciples; i++)
		if (case_has_principle(c, u->principles[i]))
			return 1;
	return 0;
}

/* [{principle, <key>}]: one entry per principle of the case, nothing else. */
static int per_principle(const cJSON *item, const char *list, const char *key, size_t min,
			 cJSON *c)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(item, list), *e, *p;
	cJSON *out;
	size_t n = 0;

	if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) < min) {
		cd_err_set("case %s: %s: needs at least %zu entries", case_id(c), list, min);
		return -1;
	}
	cJSON_ArrayForEach(e, arr) {
		const char *pr = cd_json_str(e, "principle");
		if (!pr || !case_has_principle(c, pr) || !text_ok(cd_json_str(e, key), CASE_TEXT_MAX)) {
			cd_err_set("case %s: %s[%zu]: needs a principle of the case and its %s",
				   case_id(c), list, n, key);
			return -1;
		}
		n++;
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles")) {
		int found = 0;
		cJSON_ArrayForEach(e, arr)
			found |= !strcmp(cd_json_str(e, "principle"), p->valuestring);
		if (!found) {
			cd_err_set("case %s: %s: nothing for principle '%s'", case_id(c), list,
				   p->valuestring);
			return -1;
		}
	}
	out = cJSON_AddArrayToObject(c, list);
	cJSON_ArrayForEach(e, arr) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "principle", cd_json_str(e, "principle"));
		cJSON_AddStringToObject(o, key, cd_json_str(e, key));
		cJSON_AddItemToArray(out, o);
	}
	return 0;
}

static int vagueness(const cJSON *item, cJSON *c)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(item, "readings"), *e;
	const char *term = cd_json_str(item, "term"), *first = NULL;
	int differ = 0;
	cJSON *out;

	if (!text_ok(term, TERM_MAX)) {
		cd_err_set("case %s: term: the vague word or clause is missing", case_id(c));
		return -1;
	}
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 2) {
		cd_err_set("case %s: readings: needs at least two readings", case_id(c));
		return -1;
	}
	cJSON_ArrayForEach(e, arr) {
		const char *action = cd_json_str(e, "action");
		if (!text_ok(cd_json_str(e, "reading"), CASE_TEXT_MAX) ||
		    !text_ok(action, CASE_TEXT_MAX)) {
			cd_err_set("case %s: readings: each needs a reading and an action", case_id(c));
			return -1;
		}
		differ |= first && strcmp(first, action);
		first = first ? first : action;
	}
	if (!differ) {
		cd_err_set("case %s: readings: the readings lead to the same action", case_id(c));
		return -1;
	}
	cJSON_AddStringToObject(c, "term", term);
	out = cJSON_AddArrayToObject(c, "readings");
	cJSON_ArrayForEach(e, arr) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "reading", cd_json_str(e, "reading"));
		cJSON_AddStringToObject(o, "action", cd_json_str(e, "action"));
		cJSON_AddItemToArray(out, o);
	}
	return 0;
}

int gen_kind_fields(const gen_unit *u, const cJSON *item, cJSON *c)
{
	switch (u->kind) {
	case CASE_TENSION:
	case CASE_VAGUENESS:
	case CASE_PROBE:
		break;
	default:
		return 0;
	}
	if (!involves_target(u, c)) {
		cd_err_set("case %s: principles: involves none of the target principles", case_id(c));
		return -1;
	}
	if (u->kind == CASE_TENSION)
		return per_principle(item, "demands", "demands", 2, c);
	if (u->kind == CASE_VAGUENESS)
		return vagueness(item, c);
	return per_principle(item, "accounts", "account", 1, c);
}
