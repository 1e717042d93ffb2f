/* proposal_validate.c — every problem of a proposal record, one line each,
 * naming the field. */
#include "codicil/utf8.h"
#include "codicil/proposal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "proposal_int.h"

typedef struct checker {
	cd_buf *err;
	size_t problems;
	char first[512];
	const char *const *ids;
	size_t nids;
} checker;

__attribute__((format(printf, 2, 3)))
static void problem(checker *ck, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (!ck->problems++)
		snprintf(ck->first, sizeof ck->first, "%s", line);
	if (ck->err)
		cd_buf_printf(ck->err, "%s\n", line);
}

/* A string of min..max characters; NULL/absent allowed when optional. */
static const char *text(checker *ck, const cJSON *o, const char *where, const char *key,
			size_t min, size_t max, int optional)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t n;

	if (!v || cJSON_IsNull(v)) {
		if (!optional)
			problem(ck, "%s%s: missing", where, key);
		return NULL;
	}
	if (!cJSON_IsString(v)) {
		problem(ck, "%s%s: must be a string", where, key);
		return NULL;
	}
	n = cd_utf8_chars(v->valuestring);
	if (n < min)
		problem(ck, "%s%s: must not be empty", where, key);
	else if (n > max)
		problem(ck, "%s%s: must be at most %zu characters long, is %zu", where, key, max, n);
	return v->valuestring;
}

static int is_int_in(const cJSON *v, double lo, double hi)
{
	return cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi &&
	       floor(v->valuedouble) == v->valuedouble;
}

static int one_of(const char *s, const char *const *names)
{
	for (; s && *names; names++)
		if (strcmp(s, *names) == 0)
			return 1;
	return 0;
}

static int known_id(const checker *ck, const char *id)
{
	for (size_t i = 0; i < ck->nids; i++)
		if (strcmp(ck->ids[i], id) == 0)
			return 1;
	return 0;
}

static const cJSON *array(checker *ck, const cJSON *o, const char *key, size_t min)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsArray(v)) {
		problem(ck, "%s: must be an array", key);
		return NULL;
	}
	if ((size_t)cJSON_GetArraySize(v) < min)
		problem(ck, "%s: must have at least %zu entr%s", key, min, min == 1 ? "y" : "ies");
	return v;
}

static void check_case_ref(checker *ck, const cJSON *v, const char *field)
{
	if (!cJSON_IsString(v) || !cd_id_valid(v->valuestring) || v->valuestring[0] != 'c')
		problem(ck, "%s: must be a case id (c-...)", field);
}

static void check_cases(checker *ck, const cJSON *p)
{
	const cJSON *arr = array(ck, p, "cases", 1), *it, *jt;
	size_t i = 0;
	char field[64];

	cJSON_ArrayForEach(it, arr) {
		snprintf(field, sizeof field, "cases[%zu]", i++);
		check_case_ref(ck, it, field);
		for (jt = it->next; cJSON_IsString(it) && jt; jt = jt->next)
			if (cJSON_IsString(jt) && strcmp(it->valuestring, jt->valuestring) == 0)
				problem(ck, "%s: %s is listed twice", field, it->valuestring);
	}
}

static void check_principle_id(checker *ck, const char *id, const char *where, int must_exist)
{
	if (!charter_id_valid(id))
		problem(ck, "%s: '%s' is not a valid principle id (use A-Za-z0-9_.-)", where, id);
	else if (ck->ids && must_exist && !known_id(ck, id))
		problem(ck, "%s: the charter has no principle '%s'", where, id);
	else if (ck->ids && !must_exist && known_id(ck, id))
		problem(ck, "%s: the charter already has a principle '%s'", where, id);
}

static void check_edit(checker *ck, const cJSON *e, size_t i)
{
	char where[64], field[80];
	const char *op, *id, *new_id, *heading, *body;
	const cJSON *level = cJSON_GetObjectItemCaseSensitive(e, "level");
	int kind;

	snprintf(where, sizeof where, "edits[%zu].", i);
	if (!cJSON_IsObject(e)) {
		problem(ck, "edits[%zu]: must be an object", i);
		return;
	}
	op = cd_json_str(e, "op");
	kind = proposal__op_parse(op);
	if (kind < 0) {
		problem(ck, "%sop: must be replace, insert_after or delete", where);
		return;
	}
	if ((id = text(ck, e, where, "id", 1, 200, 0))) {
		snprintf(field, sizeof field, "%sid", where);
		check_principle_id(ck, id, field, 1);
	}
	heading = text(ck, e, where, "heading", 1, PROPOSAL_TITLE_MAX, 1);
	body = text(ck, e, where, "body", 1, PROPOSAL_RATIONALE_MAX, 1);
	if (heading && strpbrk(heading, "\r\n"))
		problem(ck, "%sheading: must be one line", where);
	if (kind == CHARTER_EDIT_REPLACE && !heading && !body)
		problem(ck, "%sbody: a replace needs a new body or heading", where);
	if (kind == CHARTER_EDIT_INSERT_AFTER) {
		if ((new_id = text(ck, e, where, "new_id", 1, 200, 0))) {
			snprintf(field, sizeof field, "%snew_id", where);
			check_principle_id(ck, new_id, field, 0);
		}
		if (!heading)
			problem(ck, "%sheading: an insert needs a heading", where);
		if (!body)
			problem(ck, "%sbody: an insert needs a body", where);
	}
	if (level && !cJSON_IsNull(level) && !is_int_in(level, 0, 6))
		problem(ck, "%slevel: must be an integer from 1 to 6 (0: the target's level)", where);
}

static void check_edits(checker *ck, const cJSON *p)
{
	const cJSON *arr = array(ck, p, "edits", 1), *it;
	size_t i = 0;

	cJSON_ArrayForEach(it, arr)
		check_edit(ck, it, i++);
}

static void check_strings(checker *ck, const cJSON *p, const char *key)
{
	const cJSON *arr = array(ck, p, key, 0), *it;
	size_t i = 0;

	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || !*it->valuestring)
			problem(ck, "%s[%zu]: must be a non-empty string", key, i);
		i++;
	}
}

static void check_consequence(checker *ck, const cJSON *c, size_t i)
{
	static const char *const likelihoods[] = { "low", "medium", "high", NULL };
	const cJSON *aff = cJSON_GetObjectItemCaseSensitive(c, "affected_principles"), *it;
	const cJSON *cs = cJSON_GetObjectItemCaseSensitive(c, "case");
	char where[64], field[96];

	snprintf(where, sizeof where, "consequences[%zu].", i);
	if (!cJSON_IsObject(c)) {
		problem(ck, "consequences[%zu]: must be an object", i);
		return;
	}
	text(ck, c, where, "scenario", 1, 4000, 0);
	text(ck, c, where, "effect", 1, 4000, 0);
	if (!one_of(cd_json_str(c, "likelihood"), likelihoods))
		problem(ck, "%slikelihood: must be low, medium or high", where);
	if (!is_int_in(cJSON_GetObjectItemCaseSensitive(c, "severity"), 1, 5))
		problem(ck, "%sseverity: must be an integer from 1 to 5", where);
	if (!cJSON_IsArray(aff))
		problem(ck, "%saffected_principles: must be an array", where);
	cJSON_ArrayForEach(it, aff) {
		if (!cJSON_IsString(it))
			problem(ck, "%saffected_principles: must hold principle ids", where);
		else if (ck->ids && !known_id(ck, it->valuestring))
			problem(ck, "%saffected_principles: the charter has no principle '%s'",
				where, it->valuestring);
	}
	snprintf(field, sizeof field, "%scase", where);
	if (cs && !cJSON_IsNull(cs))
		check_case_ref(ck, cs, field);
}

static void check_meta(checker *ck, const cJSON *m, size_t i)
{
	static const char *const verdicts[] = { "pass", "fail", "unclear", NULL };
	char where[64];

	snprintf(where, sizeof where, "meta_check[%zu].", i);
	if (!cJSON_IsObject(m)) {
		problem(ck, "meta_check[%zu]: must be an object", i);
		return;
	}
	text(ck, m, where, "rule", 1, 4000, 0);
	text(ck, m, where, "reason", 1, 4000, 0);
	if (!one_of(cd_json_str(m, "verdict"), verdicts))
		problem(ck, "%sverdict: must be pass, fail or unclear", where);
}

static void check_list(checker *ck, const cJSON *p, const char *key,
		       void (*each)(checker *, const cJSON *, size_t))
{
	const cJSON *arr = array(ck, p, key, 0), *it;
	size_t i = 0;

	cJSON_ArrayForEach(it, arr)
		each(ck, it, i++);
}

static void check_regression(checker *ck, const cJSON *p)
{
	static const char *const counts[] = { "fixed", "broken", "changed", "unchanged", NULL };
	static const char *const verdicts[] = { "handled", "mishandled", "unclear", NULL };
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(p, "regression"), *flips, *it;
	size_t i = 0;
	char field[64];

	if (!r || cJSON_IsNull(r))
		return;
	if (!cJSON_IsObject(r)) {
		problem(ck, "regression: must be an object or null");
		return;
	}
	for (const char *const *k = counts; *k; k++)
		if (!is_int_in(cJSON_GetObjectItemCaseSensitive(r, *k), 0, 1e9))
			problem(ck, "regression.%s: must be a non-negative integer", *k);
	flips = cJSON_GetObjectItemCaseSensitive(r, "flips");
	if (flips && !cJSON_IsArray(flips))
		problem(ck, "regression.flips: must be an array");
	cJSON_ArrayForEach(it, flips) {
		snprintf(field, sizeof field, "regression.flips[%zu].case", i);
		check_case_ref(ck, cJSON_GetObjectItemCaseSensitive(it, "case"), field);
		if (!one_of(cd_json_str(it, "before"), verdicts) ||
		    !one_of(cd_json_str(it, "after"), verdicts))
			problem(ck, "regression.flips[%zu]: before and after must be handled, "
				"mishandled or unclear", i);
		i++;
	}
}

static void check_transcripts(checker *ck, const cJSON *p)
{
	const cJSON *arr = array(ck, p, "transcripts", 0), *it;
	size_t i = 0;

	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || !proposal__is_hex(it->valuestring, 64))
			problem(ck, "transcripts[%zu]: must be a sha256 (64 lowercase hex digits)", i);
		i++;
	}
}

static void check_provenance(checker *ck, const cJSON *p)
{
	const cJSON *prov = cJSON_GetObjectItemCaseSensitive(p, "provenance"), *prompts, *it;
	size_t i = 0;

	if (!cJSON_IsObject(prov)) {
		problem(ck, "provenance: must be an object");
		return;
	}
	text(ck, prov, "provenance.", "provider", 1, 200, 1);
	text(ck, prov, "provenance.", "model", 1, 200, 1);
	text(ck, prov, "provenance.", "endpoint_host", 1, 255, 1);
	text(ck, prov, "provenance.", "created", 1, 64, 0);
	prompts = cJSON_GetObjectItemCaseSensitive(prov, "prompts");
	if (prompts && !cJSON_IsArray(prompts))
		problem(ck, "provenance.prompts: must be an array");
	cJSON_ArrayForEach(it, prompts) {
		const char *name = cd_json_str(it, "name");
		if (!name || !*name || strpbrk(name, " \t\r\n"))
			problem(ck, "provenance.prompts[%zu].name: must be one word", i);
		if (!proposal__is_hex(cd_json_str(it, "sha256"), 64))
			problem(ck, "provenance.prompts[%zu].sha256: must be 64 lowercase hex "
				"digits", i);
		i++;
	}
}

/* decision must be set exactly when accepted, rejection when rejected. */
static void check_outcome(checker *ck, const cJSON *p, int status)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(p, "decision");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(p, "rejection");
	int has_d = d && !cJSON_IsNull(d), has_r = r && !cJSON_IsNull(r);

	if (has_d != (status == PROPOSAL_ACCEPTED))
		problem(ck, "decision: must be %s", has_d ? "null unless the status is accepted"
							  : "set when the status is accepted");
	if (has_r != (status == PROPOSAL_REJECTED))
		problem(ck, "rejection: must be %s", has_r ? "null unless the status is rejected"
							   : "set when the status is rejected");
	if (has_d) {
		text(ck, d, "decision.", "by", 1, 400, 0);
		text(ck, d, "decision.", "at", 1, 64, 0);
		text(ck, d, "decision.", "note", 1, 4000, 1);
	}
	if (has_r) {
		text(ck, r, "rejection.", "by", 1, 400, 0);
		text(ck, r, "rejection.", "at", 1, 64, 0);
		text(ck, r, "rejection.", "reason", 1, 4000, 0);
	}
}

static void check_header(checker *ck, const cJSON *p, int *status)
{
	const char *id = cd_json_str(p, "id"), *path, *base, *title;

	if (!id || !cd_id_valid(id) || id[0] != 'p')
		problem(ck, "id: must be a proposal id (p-...)");
	*status = proposal_get_status(p);
	if (*status < 0)
		problem(ck, "status: must be pending, accepted or rejected");
	path = text(ck, p, "", "charter", 1, 400, 1);
	if (path && (path[0] == '/' || strstr(path, "..")))
		problem(ck, "charter: must be a path inside the repository");
	base = text(ck, p, "", "base", 1, 40, 0);
	if (base && !proposal__is_hex(base, 40))
		problem(ck, "base: must be a full commit id (40 hex digits)");
	title = text(ck, p, "", "title", 1, PROPOSAL_TITLE_MAX, 0);
	if (title && strpbrk(title, "\r\n"))
		problem(ck, "title: must be one line");
	text(ck, p, "", "rationale", 1, PROPOSAL_RATIONALE_MAX, 0);
}

int proposal_validate(const cJSON *p, const char *const *ids, size_t nids, cd_buf *err)
{
	checker ck = { .err = err, .ids = ids, .nids = nids };
	int status = -1;

	if (!cJSON_IsObject(p)) {
		cd_err_set("a proposal must be a JSON object");
		if (err)
			cd_buf_puts(err, "not a JSON object\n");
		return -1;
	}
	check_header(&ck, p, &status);
	check_cases(&ck, p);
	check_edits(&ck, p);
	check_strings(&ck, p, "pros");
	check_strings(&ck, p, "cons");
	check_list(&ck, p, "consequences", check_consequence);
	check_list(&ck, p, "meta_check", check_meta);
	check_regression(&ck, p);
	check_transcripts(&ck, p);
	check_provenance(&ck, p);
	check_outcome(&ck, p, status);
	if (!ck.problems)
		return 0;
	cd_err_set("proposal %s: %s%s", proposal_id(p) ? proposal_id(p) : "(no id)", ck.first,
		   ck.problems > 1 ? " (and more problems)" : "");
	return -1;
}
