/* generate_check.c — the check of a reply of cases (llm.h, llm_check):
 * mend what a model gets wrong in the way real models do, then say whether
 * anything usable is left.  A reply is usable when at least one of its
 * cases is valid; gen_collect() drops and counts the others.
 *
 * Mended, per case (each change one line of notes):
 *   - text fields: whitespace around them;
 *   - principles: ids the charter does not have are dropped; a case that
 *     involves none of the principles it was asked about gets the first;
 *   - demands (tensions) and accounts (probes): an entry that names a
 *     principle the case does not list adds it when the charter has it and
 *     is dropped when it does not; a second entry for a principle is
 *     dropped; a principle without an entry is dropped from the case when
 *     it was not a target and enough remain.
 * Repeated ids, numbers out of range and the like are mended by the schema
 * (llm_schema_repair) before this runs. */
#include "generate_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"

static const char *const text_keys[] = {
	"scenario", "literal_reading", "expected", "rationale", "term",
};

static void note(cd_buf *notes, int i, const char *fmt, const char *a, const char *b)
{
	cd_buf_printf(notes, "$.cases[%d].", i);
	cd_buf_printf(notes, fmt, a ? a : "", b ? b : "");
	cd_buf_putc(notes, '\n');
}

static int known(const gen_ctx *g, const char *id)
{
	return id && charter_find(g->charter, id) != NULL;
}

static int is_target(const gen_unit *u, const char *id)
{
	for (size_t i = 0; i < u->nprinciples; i++)
		if (!strcmp(u->principles[i], id))
			return 1;
	return 0;
}

static int trimmed_copy(cJSON *s)
{
	const char *v = cJSON_GetStringValue(s), *a, *b;
	char *t;

	if (!v)
		return 0;
	for (a = v; *a && strchr(" \t\r\n", *a); a++)
		;
	for (b = v + strlen(v); b > a && strchr(" \t\r\n", b[-1]); b--)
		;
	if (a == v && !*b)
		return 0;
	if (!(t = strndup(a, (size_t)(b - a))))
		return 0;
	cJSON_SetValuestring(s, t);
	free(t);
	return 1;
}

static void trim_texts(cJSON *item, int i, cd_buf *notes)
{
	for (size_t k = 0; k < sizeof text_keys / sizeof *text_keys; k++)
		if (trimmed_copy(cJSON_GetObjectItemCaseSensitive(item, text_keys[k])))
			note(notes, i, "%s: trimmed the whitespace around it%s", text_keys[k], NULL);
}

static void mend_principles(const gen_ctx *g, const gen_unit *u, cJSON *item, int i,
			    cd_buf *notes)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(item, "principles"), *p, *next;
	int involved = u->nprinciples == 0;

	if (!cJSON_IsArray(arr))
		return;
	for (p = arr->child; p; p = next) {
		next = p->next;
		if (cJSON_IsString(p) && !known(g, p->valuestring)) {
			note(notes, i, "principles: dropped '%s', which the charter does not have%s",
			     p->valuestring, NULL);
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, p));
		} else if (cJSON_IsString(p)) {
			involved |= is_target(u, p->valuestring);
		}
	}
	if (!involved) {
		cJSON_InsertItemInArray(arr, 0, cJSON_CreateString(u->principles[0]));
		note(notes, i, "principles: added '%s', the principle the case was asked about%s",
		     u->principles[0], NULL);
	}
}

/* demands / accounts: one entry per principle of the case, each naming
 * one of them. */
static void mend_entries(const gen_ctx *g, const gen_unit *u, cJSON *item, int i,
			 const char *list, size_t min, cd_buf *notes)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(item, list), *e, *next, *p;
	cJSON *ps = cJSON_GetObjectItemCaseSensitive(item, "principles");

	if (!cJSON_IsArray(arr) || !cJSON_IsArray(ps))
		return;
	for (e = arr->child; e; e = next) {
		const char *pr = cd_json_str(e, "principle");
		int seen = 0;

		next = e->next;
		for (const cJSON *q = arr->child; q != e; q = q->next)
			seen |= pr && cd_json_str(q, "principle") && !strcmp(pr, cd_json_str(q, "principle"));
		if (!pr || seen || !known(g, pr)) {
			note(notes, i, "%s: dropped an entry for '%s'", list, pr ? pr : "(none)");
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, e));
		} else if (!case_has_principle(item, pr)) {
			cJSON_AddItemToArray(ps, cJSON_CreateString(pr));
			note(notes, i, "principles: added '%s', which its %s names", pr, list);
		}
	}
	for (p = ps->child; p; p = next) {
		int covered = 0;

		next = p->next;
		cJSON_ArrayForEach(e, arr)
			covered |= cJSON_IsString(p) && cd_json_str(e, "principle") &&
				   !strcmp(cd_json_str(e, "principle"), p->valuestring);
		if (covered || !cJSON_IsString(p) || is_target(u, p->valuestring) ||
		    (size_t)cJSON_GetArraySize(ps) <= min)
			continue;
		note(notes, i, "principles: dropped '%s', for which the %s say nothing",
		     p->valuestring, list);
		cJSON_Delete(cJSON_DetachItemViaPointer(ps, p));
	}
}

static void gen_repair(void *ud, cJSON *reply, cd_buf *notes)
{
	gen_unit *u = ud;
	cJSON *item;
	int i = 0;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(reply, "cases")) {
		if (!cJSON_IsObject(item)) {
			i++;
			continue;
		}
		trim_texts(item, i, notes);
		mend_principles(u->gen, u, item, i, notes);
		if (u->kind == CASE_TENSION)
			mend_entries(u->gen, u, item, i, "demands", 2, notes);
		else if (u->kind == CASE_PROBE)
			mend_entries(u->gen, u, item, i, "accounts", 1, notes);
		i++;
	}
}

static int gen_validate(void *ud, const cJSON *reply, cd_buf *errors)
{
	gen_unit *u = ud;
	const cJSON *item;
	size_t valid = 0;
	int i = 0;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(reply, "cases")) {
		if (gen_item_problem(u->gen, u, item) == 0)
			valid++;
		else
			cd_buf_printf(errors, "$.cases[%d]: %s\n", i, cd_err_msg());
		i++;
	}
	if (valid)
		return 0;
	if (!i)
		cd_buf_puts(errors, "$.cases: no case at all\n");
	return -1;
}

void gen_unit_check(gen_ctx *g, gen_unit *u)
{
	u->gen = g;
	u->check = (llm_check){ gen_repair, gen_validate, u };
}
