/* schemas.c — the JSON schemas of structured replies (see schemas.h). */
#include "codicil/schemas.h"
#include "codicil/charter.h"
#include "codicil/error.h"

#include <stdlib.h>
#include <string.h>

/* Builders take ownership of their arguments and pass NULL through, so a
 * schema is assembled in one expression and checked once at the end. */

static cJSON *typed(const char *type)
{
	cJSON *s = cJSON_CreateObject();

	if (s && !cJSON_AddStringToObject(s, "type", type)) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

static cJSON *string(void)
{
	return typed("string");
}

static cJSON *nullable_string(void)
{
	const char *types[] = { "string", "null" };
	cJSON *s = cJSON_CreateObject();

	if (s && !cJSON_AddItemToObject(s, "type", cJSON_CreateStringArray(types, 2))) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

static cJSON *with_range(cJSON *s, const char *lo_key, double lo, const char *hi_key, double hi)
{
	if (s && ((lo_key && !cJSON_AddNumberToObject(s, lo_key, lo)) ||
		  (hi_key && !cJSON_AddNumberToObject(s, hi_key, hi)))) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

static cJSON *with_pattern(cJSON *s, const char *pattern)
{
	if (s && !cJSON_AddStringToObject(s, "pattern", pattern)) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

static cJSON *string_enum(const char *const *values, size_t n)
{
	cJSON *s = string(), *e = cJSON_CreateArray();
	int bad = !s || !e;

	for (size_t i = 0; !bad && i < n; i++) {
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= strcmp(values[i], values[j]) == 0;
		if (!dup)
			bad = !cJSON_AddItemToArray(e, cJSON_CreateString(values[i]));
	}
	if (bad || !cJSON_AddItemToObject(s, "enum", e)) {
		cJSON_Delete(s);
		cJSON_Delete(e);
		return NULL;
	}
	return s;
}

static cJSON *array_of(cJSON *items, int min, int max)
{
	cJSON *s = typed("array");

	if (!s || !items || !cJSON_AddItemToObject(s, "items", items)) {
		cJSON_Delete(s);
		cJSON_Delete(items);
		return NULL;
	}
	return with_range(s, min > 0 ? "minItems" : NULL, min, max > 0 ? "maxItems" : NULL, max);
}

/* A strict object: additionalProperties false, every property required. */
static cJSON *object(void)
{
	cJSON *s = typed("object");

	if (s && (!cJSON_AddObjectToObject(s, "properties") ||
		  !cJSON_AddArrayToObject(s, "required") ||
		  !cJSON_AddFalseToObject(s, "additionalProperties"))) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

static cJSON *prop(cJSON *obj, const char *name, cJSON *schema)
{
	if (!obj || !schema ||
	    !cJSON_AddItemToObject(cJSON_GetObjectItem(obj, "properties"), name, schema)) {
		cJSON_Delete(obj);
		cJSON_Delete(schema);
		return NULL;
	}
	if (!cJSON_AddItemToArray(cJSON_GetObjectItem(obj, "required"), cJSON_CreateString(name))) {
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

static cJSON *done(cJSON *s)
{
	if (!s)
		cd_err_set("out of memory");
	return s;
}

static int need_ids(size_t nids)
{
	if (nids)
		return 0;
	cd_err_set("the charter has no principles to refer to; add a principle first");
	return -1;
}

static cJSON *principle_list(const char *const *ids, size_t nids, int min)
{
	return array_of(string_enum(ids, nids), min, 0);
}

static cJSON *severity(void)
{
	return with_range(typed("integer"), "minimum", 1, "maximum", 5);
}

/* [{"principle": <enum>, key: string}] with at least min items. */
static cJSON *per_principle(const char *const *ids, size_t nids, const char *key, int min)
{
	cJSON *o = object();

	o = prop(o, "principle", string_enum(ids, nids));
	return array_of(prop(o, key, string()), min, 0);
}

static cJSON *readings(void)
{
	cJSON *o = object();

	o = prop(o, "reading", string());
	return array_of(prop(o, "action", string()), 2, 0);
}

/* What a kind adds to a case: a tension says what each principle
 * demands, vagueness names the term and its readings, a probe gives the
 * model's account per principle. */
static cJSON *kind_fields(cJSON *o, const char *const *ids, size_t nids, case_kind kind)
{
	switch (kind) {
	case CASE_TENSION:
		return prop(o, "demands", per_principle(ids, nids, "demands", 2));
	case CASE_VAGUENESS:
		return prop(prop(o, "term", string()), "readings", readings());
	case CASE_PROBE:
		return prop(o, "accounts", per_principle(ids, nids, "account", 1));
	default:
		return o;
	}
}

static cJSON *case_item(const char *const *ids, size_t nids, case_kind kind)
{
	const char *k = case_kind_name(kind);
	cJSON *o = object();

	o = prop(o, "kind", string_enum(&k, 1));
	o = prop(o, "principles", principle_list(ids, nids, kind == CASE_TENSION ? 2 : 1));
	o = kind_fields(o, ids, nids, kind);
	o = prop(o, "scenario", string());
	o = prop(o, "literal_reading", string());
	o = prop(o, "expected", string());
	o = prop(o, "rationale", string());
	return prop(o, "severity", severity());
}

cJSON *schema_generate(const char *const *ids, size_t nids, case_kind kind, int max_cases)
{
	if (need_ids(nids) < 0)
		return NULL;
	if ((unsigned)kind >= CASE_KIND_COUNT) {
		cd_err_set("internal error: bad case kind");
		return NULL;
	}
	return done(prop(object(), "cases", array_of(case_item(ids, nids, kind), 1, max_cases)));
}

cJSON *schema_judge(void)
{
	static const char *const verdicts[] = { "handled", "mishandled", "unclear" };
	cJSON *o = object();

	o = prop(o, "verdict", string_enum(verdicts, 3));
	o = prop(o, "confidence", with_range(typed("number"), "minimum", 0, "maximum", 1));
	return done(prop(o, "reasoning", string()));
}

cJSON *schema_audit_scenarios(const char *const *ids, size_t nids, int n)
{
	cJSON *item = object();

	if (need_ids(nids) < 0) {
		cJSON_Delete(item);
		return NULL;
	}
	item = prop(item, "principles", principle_list(ids, nids, 1));
	item = prop(item, "situation", string());
	item = done(prop(item, "opening", string()));
	return done(prop(object(), "scenarios", array_of(item, 1, n)));
}

cJSON *schema_audit_user(void)
{
	cJSON *o = object();

	o = prop(o, "message", string());
	return done(prop(o, "done", typed("boolean")));
}

cJSON *schema_audit_judge(const char *const *ids, size_t nids)
{
	static const char *const verdicts[] = { "complies", "violates", "unclear" };
	static const char *const diagnoses[] = { "model-wrong", "charter-wrong", "both", "neither" };
	cJSON *item = object(), *o = object();

	if (need_ids(nids) < 0) {
		cJSON_Delete(item);
		cJSON_Delete(o);
		return NULL;
	}
	item = prop(item, "principle", string_enum(ids, nids));
	item = prop(item, "verdict", string_enum(verdicts, 3));
	item = prop(item, "confidence", with_range(typed("number"), "minimum", 0, "maximum", 1));
	item = prop(item, "quote", string());
	item = done(prop(item, "reasoning", string()));
	o = prop(o, "verdicts", array_of(item, (int)nids, (int)nids));
	o = prop(o, "expected", string());
	o = prop(o, "severity", severity());
	o = prop(o, "diagnosis", string_enum(diagnoses, 4));
	return done(prop(o, "diagnosis_confidence",
			 with_range(typed("number"), "minimum", 0, "maximum", 1)));
}

cJSON *schema_judge_batch(const char *const *case_ids, size_t n)
{
	static const char *const verdicts[] = { "handled", "mishandled", "unclear" };
	cJSON *item = object(), *o = object();

	if (need_ids(n) < 0) {
		cJSON_Delete(item);
		cJSON_Delete(o);
		return NULL;
	}
	item = prop(item, "case", string_enum(case_ids, n));
	item = prop(item, "verdict", string_enum(verdicts, 3));
	item = prop(item, "confidence", with_range(typed("number"), "minimum", 0, "maximum", 1));
	item = done(prop(item, "reasoning", string()));
	return done(prop(o, "verdicts", array_of(item, (int)n, (int)n)));
}

cJSON *schema_amend(const char *const *ids, size_t nids)
{
	static const char *const ops[] = { "replace", "insert_after", "delete" };
	cJSON *edit = object(), *o = object();

	if (need_ids(nids) < 0) {
		cJSON_Delete(edit);
		cJSON_Delete(o);
		return NULL;
	}
	edit = prop(edit, "op", string_enum(ops, 3));
	edit = prop(edit, "id", string_enum(ids, nids));
	edit = prop(edit, "new_id", with_pattern(nullable_string(), CHARTER_ID_PATTERN));
	edit = prop(edit, "heading", nullable_string());
	edit = prop(edit, "body", nullable_string());
	o = prop(o, "title", string());
	o = prop(o, "rationale", string());
	o = prop(o, "edits", array_of(edit, 1, 0));
	o = prop(o, "pros", array_of(string(), 0, 0));
	return done(prop(o, "cons", array_of(string(), 0, 0)));
}

cJSON *schema_consequences(const char *const *ids, size_t nids, const char *const *new_ids,
			   size_t nnew, int max_items)
{
	static const char *const likelihoods[] = { "low", "medium", "high" };
	const char **all;
	cJSON *item, *o;

	if (need_ids(nids + nnew) < 0)
		return NULL;
	if (!(all = malloc((nids + nnew) * sizeof *all)))
		return done(NULL);
	memcpy(all, ids, nids * sizeof *all);
	if (nnew)
		memcpy(all + nids, new_ids, nnew * sizeof *all);
	item = object();
	item = prop(item, "scenario", string());
	item = prop(item, "effect", string());
	item = prop(item, "affected_principles", principle_list(all, nids + nnew, 1));
	free(all);
	item = prop(item, "likelihood", string_enum(likelihoods, 3));
	item = prop(item, "severity", severity());
	item = prop(item, "literal_reading", string());
	item = prop(item, "expected", string());
	item = prop(item, "rationale", string());
	o = prop(object(), "consequences", array_of(item, 1, max_items));
	return done(o);
}

cJSON *schema_metacheck(const char *const *rules, size_t nrules)
{
	static const char *const verdicts[] = { "pass", "fail", "unclear" };
	cJSON *v, *o;

	if (!nrules) {
		cd_err_set("META.md has no rules to check against");
		return NULL;
	}
	v = object();
	v = prop(v, "rule", string_enum(rules, nrules));
	v = prop(v, "verdict", string_enum(verdicts, 3));
	v = prop(v, "reason", string());
	o = prop(object(), "checks", array_of(v, (int)nrules, (int)nrules));
	return done(o);
}

cJSON *schema_argue(void)
{
	cJSON *o = object();

	o = prop(o, "arguments_valid", array_of(string(), 1, 5));
	return done(prop(o, "arguments_invalid", array_of(string(), 1, 5)));
}

cJSON *schema_theorize(const char *const *case_ids, size_t ncases, int max_theories)
{
	cJSON *t = object();

	if (ncases < 2) {
		cJSON_Delete(t);
		cd_err_set("a theory needs at least two cases to rest on; generate and rate more cases");
		return NULL;
	}
	t = prop(t, "statement", string());
	t = prop(t, "cases", array_of(string_enum(case_ids, ncases), 2, 0));
	t = prop(t, "predictions", array_of(string(), 1, 5));
	return done(prop(object(), "theories", array_of(t, 1, max_theories)));
}
