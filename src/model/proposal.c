/* proposal.c — proposal records: building, key order, accessors, setters
 * and the conversion of their edits into charter_edits. */
#include "codicil/proposal.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "proposal_int.h"

static const char *const status_names[PROPOSAL_STATUS_COUNT] = {
	"pending", "accepted", "rejected",
};

static const char *const top_order[] = {
	"id", "status", "charter", "base", "title", "rationale", "cases", "edits", "pros",
	"cons", "consequences", "meta_check", "regression", "transcripts", "provenance",
	"decision", "rejection", NULL,
};
static const char *const edit_order[] = {
	"op", "id", "new_id", "level", "heading", "body", NULL,
};
static const char *const consequence_order[] = {
	"scenario", "effect", "affected_principles", "likelihood", "severity", "case", NULL,
};
static const char *const meta_order[] = { "rule", "verdict", "reason", NULL };
static const char *const regression_order[] = {
	"fixed", "broken", "worse", "better", "changed", "unchanged", "errors", "flips", NULL,
};
static const char *const flip_order[] = {
	"case", "before", "after", "direction", "severity", "principle", "confidence", "why", NULL,
};
static const char *const provenance_order[] = {
	"provider", "model", "endpoint_host", "prompts", "created", "codicil_version", "usage",
	"repairs", NULL,
};
static const char *const prompt_order[] = { "name", "sha256", NULL };
static const char *const decision_order[] = { "by", "at", "note", "override", "autonomy",
					      "ratified", "reverted", NULL };
static const char *const rejection_order[] = { "by", "at", "reason", NULL };

const char *proposal_status_name(proposal_status s)
{
	return (unsigned)s < PROPOSAL_STATUS_COUNT ? status_names[s] : NULL;
}

int proposal_status_parse(const char *s, proposal_status *out)
{
	for (int i = 0; i < PROPOSAL_STATUS_COUNT; i++) {
		if (s && strcmp(s, status_names[i]) == 0) {
			*out = (proposal_status)i;
			return 0;
		}
	}
	cd_err_set("unknown proposal status '%s' (use pending, accepted or rejected)", s ? s : "");
	return -1;
}

/* --- helpers shared by the proposal files --- */

int proposal__is_hex(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return 0;
	return 1;
}

static const char *const op_names[] = { "replace", "insert_after", "delete" };

const char *proposal__op_name(int kind)
{
	switch (kind) {
	case CHARTER_EDIT_REPLACE: return op_names[0];
	case CHARTER_EDIT_INSERT_AFTER: return op_names[1];
	case CHARTER_EDIT_DELETE: return op_names[2];
	}
	return NULL;
}

int proposal__op_parse(const char *s)
{
	static const int kinds[] = {
		CHARTER_EDIT_REPLACE, CHARTER_EDIT_INSERT_AFTER, CHARTER_EDIT_DELETE,
	};

	for (size_t i = 0; s && i < 3; i++)
		if (strcmp(s, op_names[i]) == 0)
			return kinds[i];
	return -1;
}

/* --- key order --- */

static void reorder_each(cJSON *arr, const char *const *order)
{
	cJSON *it;

	cJSON_ArrayForEach(it, arr)
		record_reorder(it, order);
}

void proposal_normalize(cJSON *p)
{
	cJSON *reg, *prov;

	if (!cJSON_IsObject(p))
		return;
	record_reorder(p, top_order);
	reorder_each(cJSON_GetObjectItemCaseSensitive(p, "edits"), edit_order);
	reorder_each(cJSON_GetObjectItemCaseSensitive(p, "consequences"), consequence_order);
	reorder_each(cJSON_GetObjectItemCaseSensitive(p, "meta_check"), meta_order);
	reg = cJSON_GetObjectItemCaseSensitive(p, "regression");
	record_reorder(reg, regression_order);
	reorder_each(cJSON_GetObjectItemCaseSensitive(reg, "flips"), flip_order);
	prov = cJSON_GetObjectItemCaseSensitive(p, "provenance");
	record_reorder(prov, provenance_order);
	reorder_each(cJSON_GetObjectItemCaseSensitive(prov, "prompts"), prompt_order);
	record_reorder(cJSON_GetObjectItemCaseSensitive(p, "decision"), decision_order);
	record_reorder(cJSON_GetObjectItemCaseSensitive(p, "rejection"), rejection_order);
}

/* --- building --- */

static cJSON *string_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *string_array(const char *const *v, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
	return arr;
}

static cJSON *edit_json(const charter_edit *e)
{
	cJSON *o = cJSON_CreateObject();
	const char *op = proposal__op_name(e->kind);

	cJSON_AddStringToObject(o, "op", op ? op : "unknown");
	cJSON_AddItemToObject(o, "id", string_or_null(e->id));
	if (e->kind == CHARTER_EDIT_INSERT_AFTER) {
		cJSON_AddItemToObject(o, "new_id", string_or_null(e->new_id));
		if (e->level)
			cJSON_AddNumberToObject(o, "level", e->level);
	}
	if (e->kind != CHARTER_EDIT_DELETE) {
		if (e->heading)
			cJSON_AddStringToObject(o, "heading", e->heading);
		if (e->body)
			cJSON_AddStringToObject(o, "body", e->body);
	}
	return o;
}

static cJSON *provenance_json(const proposal_provenance *prov)
{
	cJSON *o = cJSON_CreateObject(), *prompts = cJSON_CreateArray();
	char now[CASE_TIME_SIZE];

	case_time_now(now);
	cJSON_AddItemToObject(o, "provider", string_or_null(prov ? prov->provider : NULL));
	cJSON_AddItemToObject(o, "model", string_or_null(prov ? prov->model : NULL));
	cJSON_AddItemToObject(o, "endpoint_host",
			      string_or_null(prov ? prov->endpoint_host : NULL));
	for (size_t i = 0; prov && i < prov->nprompts; i++) {
		cJSON *pr = cJSON_CreateObject();
		cJSON_AddItemToObject(pr, "name", string_or_null(prov->prompts[i].name));
		cJSON_AddItemToObject(pr, "sha256", string_or_null(prov->prompts[i].sha256));
		cJSON_AddItemToArray(prompts, pr);
	}
	cJSON_AddItemToObject(o, "prompts", prompts);
	cJSON_AddStringToObject(o, "created", prov && prov->created ? prov->created : now);
	cJSON_AddStringToObject(o, "codicil_version", CODICIL_VERSION);
	return o;
}

cJSON *proposal_build(const proposal_fields *f, const proposal_provenance *prov)
{
	cJSON *p = cJSON_CreateObject(), *edits = cJSON_CreateArray();
	char id[CD_ID_SIZE];

	cd_id_new('p', id);
	cJSON_AddStringToObject(p, "id", id);
	cJSON_AddStringToObject(p, "status", status_names[PROPOSAL_PENDING]);
	cJSON_AddStringToObject(p, "charter", f->charter ? f->charter : STORE_CHARTER);
	cJSON_AddItemToObject(p, "base", string_or_null(f->base));
	cJSON_AddItemToObject(p, "title", string_or_null(f->title));
	cJSON_AddItemToObject(p, "rationale", string_or_null(f->rationale));
	cJSON_AddItemToObject(p, "cases", string_array(f->cases, f->ncases));
	for (size_t i = 0; i < f->nedits; i++)
		cJSON_AddItemToArray(edits, edit_json(&f->edits[i]));
	cJSON_AddItemToObject(p, "edits", edits);
	cJSON_AddItemToObject(p, "pros", string_array(f->pros, f->npros));
	cJSON_AddItemToObject(p, "cons", string_array(f->cons, f->ncons));
	cJSON_AddItemToObject(p, "consequences", cJSON_CreateArray());
	cJSON_AddItemToObject(p, "meta_check", cJSON_CreateArray());
	cJSON_AddNullToObject(p, "regression");
	cJSON_AddItemToObject(p, "transcripts", cJSON_CreateArray());
	cJSON_AddItemToObject(p, "provenance", provenance_json(prov));
	cJSON_AddNullToObject(p, "decision");
	cJSON_AddNullToObject(p, "rejection");
	if (!cJSON_GetObjectItemCaseSensitive(p, "rejection")) { /* an allocation failed */
		cJSON_Delete(p);
		return NULL;
	}
	return p;
}

/* --- accessors --- */

const char *proposal_id(const cJSON *p)
{
	return cd_json_str(p, "id");
}

int proposal_get_status(const cJSON *p)
{
	const char *s = cd_json_str(p, "status");

	for (int i = 0; s && i < PROPOSAL_STATUS_COUNT; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

const char *proposal_charter(const cJSON *p)
{
	const char *c = cd_json_str(p, "charter");
	return c && *c ? c : STORE_CHARTER;
}

static int edit_from_json(const cJSON *o, size_t i, charter_edit *e)
{
	const char *op = cd_json_str(o, "op");
	int kind = proposal__op_parse(op);

	if (!cJSON_IsObject(o)) {
		cd_err_set("edits[%zu]: must be an object", i);
		return -1;
	}
	if (kind < 0) {
		cd_err_set("edits[%zu].op: must be replace, insert_after or delete", i);
		return -1;
	}
	memset(e, 0, sizeof *e);
	e->kind = (charter_edit_kind)kind;
	e->id = cd_json_str(o, "id");
	e->new_id = cd_json_str(o, "new_id");
	e->level = cd_json_int(o, "level", 0);
	e->heading = cd_json_str(o, "heading");
	e->body = cd_json_str(o, "body");
	if (!e->id) {
		cd_err_set("edits[%zu].id: missing", i);
		return -1;
	}
	return 0;
}

int proposal_edits(const cJSON *p, charter_edit **out, size_t *n)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, "edits");
	size_t count = (size_t)cJSON_GetArraySize(arr), i = 0;
	const cJSON *it;

	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(arr) || count == 0) {
		cd_err_set("edits: the proposal has no edits");
		return -1;
	}
	if (!(*out = calloc(count, sizeof **out))) {
		cd_err_set("out of memory");
		return -1;
	}
	cJSON_ArrayForEach(it, arr) {
		if (edit_from_json(it, i, &(*out)[i]) < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
		i++;
	}
	*n = count;
	return 0;
}

/* --- setters --- */

static int replace_key(cJSON *p, const char *key, cJSON *value)
{
	if (!value) {
		cd_err_set("out of memory");
		return -1;
	}
	if (cJSON_GetObjectItemCaseSensitive(p, key))
		cJSON_ReplaceItemInObjectCaseSensitive(p, key, value);
	else
		cJSON_AddItemToObject(p, key, value);
	proposal_normalize(p);
	return 0;
}

int proposal_set_regression(cJSON *p, const proposal_regression *r)
{
	cJSON *o = cJSON_CreateObject(), *flips = cJSON_CreateArray();

	cJSON_AddNumberToObject(o, "fixed", r->fixed);
	cJSON_AddNumberToObject(o, "broken", r->broken);
	cJSON_AddNumberToObject(o, "worse", r->worse);
	cJSON_AddNumberToObject(o, "better", r->better);
	cJSON_AddNumberToObject(o, "changed", r->changed);
	cJSON_AddNumberToObject(o, "unchanged", r->unchanged);
	for (size_t i = 0; i < r->nflips; i++) {
		const proposal_flip *fl = &r->flips[i];
		cJSON *f = cJSON_CreateObject(), *conf;
		cJSON_AddItemToObject(f, "case", string_or_null(fl->case_id));
		cJSON_AddItemToObject(f, "before", string_or_null(fl->before));
		cJSON_AddItemToObject(f, "after", string_or_null(fl->after));
		cJSON_AddStringToObject(f, "direction", fl->direction < 0 ? "worse" :
					fl->direction > 0 ? "better" : "same");
		cJSON_AddNumberToObject(f, "severity", fl->severity);
		cJSON_AddItemToObject(f, "principle", string_or_null(fl->principle));
		conf = cJSON_AddArrayToObject(f, "confidence");
		cJSON_AddItemToArray(conf, cJSON_CreateNumber(fl->before_confidence));
		cJSON_AddItemToArray(conf, cJSON_CreateNumber(fl->after_confidence));
		cJSON_AddItemToObject(f, "why", string_or_null(fl->why));
		cJSON_AddItemToArray(flips, f);
	}
	cJSON_AddItemToObject(o, "flips", flips);
	return replace_key(p, "regression", o);
}

int proposal_add_transcript(cJSON *p, const char *sha256)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, "transcripts"), *it;

	if (!proposal__is_hex(sha256, 64)) {
		cd_err_set("transcript name '%s' is not a sha256 (64 lowercase hex digits)",
			   sha256 ? sha256 : "");
		return -1;
	}
	if (!cJSON_IsArray(arr)) {
		if (replace_key(p, "transcripts", cJSON_CreateArray()) < 0)
			return -1;
		arr = cJSON_GetObjectItemCaseSensitive(p, "transcripts");
	}
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, sha256) == 0)
			return 0;
	cJSON_AddItemToArray(arr, cJSON_CreateString(sha256));
	return 0;
}

static int decide(cJSON *p, proposal_status st, const char *key, const char *by,
		  const char *text_key, const char *text)
{
	cJSON *o = cJSON_CreateObject();
	char now[CASE_TIME_SIZE];

	if (!by || !*by) {
		cJSON_Delete(o);
		cd_err_set("no reviewer identity; set git config user.name and user.email");
		return -1;
	}
	case_time_now(now);
	cJSON_AddStringToObject(o, "by", by);
	cJSON_AddStringToObject(o, "at", now);
	cJSON_AddItemToObject(o, text_key, string_or_null(text));
	if (replace_key(p, key, o) < 0)
		return -1;
	return replace_key(p, "status", cJSON_CreateString(status_names[st]));
}

int proposal_accept(cJSON *p, const char *by, const char *note)
{
	return decide(p, PROPOSAL_ACCEPTED, "decision", by, "note", note);
}

int proposal_reject(cJSON *p, const char *by, const char *reason)
{
	if (!reason || !*reason) {
		cd_err_set("a rejection needs a reason (--reason TEXT)");
		return -1;
	}
	return decide(p, PROPOSAL_REJECTED, "rejection", by, "reason", reason);
}
