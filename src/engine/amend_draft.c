/* amend_draft.c — what a draft starts from (the charter at HEAD, META.md,
 * the cases, the templates) and the first question: the amendment itself,
 * as structured edits that must apply to the charter. */
#include "amend_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/schemas.h"
#include "codicil/workspace.h"

static int path_inside(const char *path)
{
	if (!*path || path[0] == '/' || strstr(path, "..") || path[strlen(path) - 1] == '/') {
		cd_err_set("--charter %s: give a file path inside the repository", path);
		return -1;
	}
	return 0;
}

/* META.md at HEAD, when there is one, and its rule ids. */
static int load_meta(amend_draft *d)
{
	cd_buf text = CD_BUF_INIT;

	if (store_read(d->env->store, "HEAD", STORE_META, &text) < 0) {
		cd_err_clear();
		cd_buf_clear(&text);
		return 0;
	}
	d->meta_text = cd_buf_detach(&text);
	if (charter_parse(STORE_META, d->meta_text, strlen(d->meta_text), &d->meta) < 0)
		return -1;
	return amend__ids(d->meta, 1, &d->rules, &d->nrules);
}

static int add_case(amend_draft *d, const char *id)
{
	cJSON *c = case_library_find(&d->lib, id);
	const char *by;

	if (!c)
		return -1;
	for (size_t i = 0; i < d->ncases; i++)
		if (d->cases[i] == c)
			return 0;
	if (case_get_status(c) == CASE_RESOLVED) {
		by = cd_json_str(c, "resolved_by");
		cd_err_set("case %s is already resolved%s%s; leave it out", case_id(c),
			   by ? " by " : "", by ? by : "");
		return -1;
	}
	d->cases[d->ncases++] = c;
	return 0;
}

static int load_cases(amend_draft *d, const amend_opts *o)
{
	int rc;

	if (!o->ncases) {
		cd_err_set("name at least one case for the amendment to resolve");
		return -1;
	}
	rc = workspace_load_cases(d->env->store, &d->lib);
	if (rc < 0 || !(d->cases = calloc(o->ncases, sizeof *d->cases))) {
		if (rc == 0)
			cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < o->ncases; i++)
		if (add_case(d, o->cases[i]) < 0)
			return -1;
	return 0;
}

static int load_prompts(amend_draft *d)
{
	const char *wd = store_workdir(d->env->store);

	if (prompt_load(wd, "amend", &d->pr_amend) < 0 ||
	    prompt_load(wd, "consequences", &d->pr_consequences) < 0)
		return -1;
	if (d->nrules && prompt_load(wd, "metacheck", &d->pr_metacheck) < 0)
		return -1;
	if (amend__has_regression(d->charter_path) && prompt_load(wd, "judge", &d->pr_judge) < 0)
		return -1;
	return 0;
}

int amend__draft_open(amend_draft *d, const amend_env *e, const amend_opts *o)
{
	memset(d, 0, sizeof *d);
	d->env = e;
	d->charter_path = o->charter ? o->charter : workspace_charter_path(e->cfg);
	if (path_inside(d->charter_path) < 0 || store_resolve(e->store, "HEAD", d->base) < 0 ||
	    workspace_max_charter_bytes(e->cfg, &d->max_charter_bytes) < 0 ||
	    workspace_load(e->store, d->charter_path, "HEAD", 1, &d->charter) < 0 ||
	    amend__ids(d->charter, 0, &d->ids, &d->nids) < 0 || load_meta(d) < 0 ||
	    load_cases(d, o) < 0 || load_prompts(d) < 0)
		return -1;
	for (size_t i = 0; i < d->ncases; i++)
		case_about_add(&d->about, d->cases[i]);
	return 0;
}

static void free_prompt(prompt *p)
{
	if (p->name)
		prompt_clear(p);
}

void amend__draft_close(amend_draft *d)
{
	cd_buf_clear(&d->about);
	charter_free(d->charter);
	charter_free(d->meta);
	free(d->ids);
	free(d->rules);
	free(d->meta_text);
	free(d->cases);
	case_library_clear(&d->lib);
	free_prompt(&d->pr_amend);
	free_prompt(&d->pr_consequences);
	free_prompt(&d->pr_metacheck);
	free_prompt(&d->pr_judge);
	cJSON_Delete(d->proposal);
	cd_buf_clear(&d->amended);
	free(d->allowed);
	for (size_t i = 0; i < d->nconsequences; i++)
		cJSON_Delete(d->consequences[i]);
	free(d->consequences);
	memset(d, 0, sizeof *d);
}

static void add_ids(const cJSON *arr, const char *key, const char **ids, size_t *n, size_t max)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		const char *id = key ? cd_json_str(it, key) : cJSON_GetStringValue(it);
		if (id && *n < max)
			ids[(*n)++] = id;
	}
}

int amend__excerpt(const amend_draft *d, int of_edits, cd_buf *out)
{
	const cJSON *edits = cJSON_GetObjectItemCaseSensitive(d->proposal, "edits");
	size_t max = of_edits ? (size_t)cJSON_GetArraySize(edits) : 0, n = 0;
	const char **ids;
	int rc;

	for (size_t i = 0; !of_edits && i < d->ncases; i++)
		max += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d->cases[i],
										    "principles"));
	if (!(ids = calloc(max + 1, sizeof *ids))) {
		cd_err_set("out of memory");
		return -1;
	}
	if (of_edits)
		add_ids(edits, "id", ids, &n, max);
	for (size_t i = 0; !of_edits && i < d->ncases; i++)
		add_ids(cJSON_GetObjectItemCaseSensitive(d->cases[i], "principles"), NULL, ids, &n, max);
	rc = charter_excerpt(d->charter, ids, n, d->max_charter_bytes, out);
	free(ids);
	return rc;
}

static void put_field(cd_buf *out, const char *label, const char *value)
{
	if (value)
		cd_buf_printf(out, "%s: %s\n", label, value);
}

/* The cases by their content, numbered: an id means nothing to the model,
 * and without one the request is the same for the same cases (the cache
 * and a recorded cassette answer it). */
static int cases_block(const amend_draft *d, cd_buf *out)
{
	for (size_t i = 0; i < d->ncases; i++) {
		const cJSON *c = d->cases[i], *p;
		int k = 0;

		cd_buf_printf(out, "%scase %zu (%s, severity %d)\nprinciples: ", i ? "\n" : "",
			      i + 1, cd_json_str(c, "kind") ? cd_json_str(c, "kind") : "case",
			      cd_json_int(c, "severity", 0));
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
			if (cJSON_IsString(p))
				cd_buf_printf(out, "%s%s", k++ ? ", " : "", p->valuestring);
		cd_buf_putc(out, '\n');
		put_field(out, "scenario", cd_json_str(c, "scenario"));
		put_field(out, "literal reading", cd_json_str(c, "literal_reading"));
		put_field(out, "expected", cd_json_str(c, "expected"));
		put_field(out, "rationale", cd_json_str(c, "rationale"));
	}
	return 0;
}

int amend__proposal_block(const cJSON *p, cd_buf *out)
{
	const cJSON *it;

	put_field(out, "title", cd_json_str(p, "title"));
	put_field(out, "rationale", cd_json_str(p, "rationale"));
	/* how many, not their ids: see cases_block */
	cd_buf_printf(out, "cases: %d\nedits:\n",
		      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "cases")));
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "edits")) {
		const char *op = cd_json_str(it, "op");
		cd_buf_printf(out, "- %s principle %s", op ? op : "?",
			      cd_json_str(it, "id") ? cd_json_str(it, "id") : "?");
		if (cd_json_str(it, "new_id"))
			cd_buf_printf(out, ", new principle id %s", cd_json_str(it, "new_id"));
		cd_buf_putc(out, '\n');
		put_field(out, "  heading", cd_json_str(it, "heading"));
		if (cd_json_str(it, "body"))
			cd_buf_printf(out, "  body:\n%s\n", cd_json_str(it, "body"));
	}
	return 0;
}

/* Model text to one line: a title is a commit subject. */
static char *one_line(const char *s)
{
	char *t = strdup(s ? s : ""), *w = t;
	int space = 1;

	if (!t)
		return NULL;
	for (const char *r = t; *r; r++) {
		int ws = strchr(" \t\r\n", *r) != NULL;
		if (ws && space)
			continue;
		*w++ = ws ? ' ' : *r;
		space = ws;
	}
	while (w > t && w[-1] == ' ')
		w--;
	*w = '\0';
	return t;
}

static int parse_op(const char *op, charter_edit_kind *out)
{
	static const struct { const char *name; charter_edit_kind kind; } ops[] = {
		{ "replace", CHARTER_EDIT_REPLACE }, { "insert_after", CHARTER_EDIT_INSERT_AFTER },
		{ "delete", CHARTER_EDIT_DELETE },
	};

	for (size_t i = 0; op && i < 3; i++)
		if (!strcmp(op, ops[i].name)) {
			*out = ops[i].kind;
			return 0;
		}
	cd_err_set("the model's amendment has an edit with op '%s' (replace, insert_after or "
		   "delete)", op ? op : "");
	return -1;
}

/* The reply's edits as charter_edits pointing into the reply. */
static int reply_edits(const cJSON *reply, charter_edit **out, size_t *n)
{
	const cJSON *edits = cJSON_GetObjectItemCaseSensitive(reply, "edits"), *it;

	*n = 0;
	if (!(*out = calloc((size_t)cJSON_GetArraySize(edits) + 1, sizeof **out))) {
		cd_err_set("out of memory");
		return -1;
	}
	cJSON_ArrayForEach(it, edits) {
		charter_edit *e = &(*out)[(*n)++];
		if (parse_op(cd_json_str(it, "op"), &e->kind) < 0)
			return -1;
		e->id = cd_json_str(it, "id");
		if (e->kind == CHARTER_EDIT_DELETE)
			continue;
		e->heading = cd_json_str(it, "heading");
		e->body = cd_json_str(it, "body");
		if (e->kind == CHARTER_EDIT_INSERT_AFTER)
			e->new_id = cd_json_str(it, "new_id");
	}
	return 0;
}

static size_t string_list(const cJSON *arr, const char ***out)
{
	const cJSON *it;
	size_t n = 0;

	*out = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **out);
	cJSON_ArrayForEach(it, arr)
		if (*out && cJSON_IsString(it) && *it->valuestring)
			(*out)[n++] = it->valuestring;
	return n;
}

static int build_proposal(amend_draft *d, const cJSON *reply, const charter_edit *edits,
			  size_t nedits, const char *host)
{
	proposal_prompt prompts[AMEND_MAX_PROMPTS];
	const prompt *used[] = { &d->pr_amend, &d->pr_consequences, &d->pr_metacheck, &d->pr_judge };
	const char **cases = calloc(d->ncases + 1, sizeof *cases), **pros = NULL, **cons = NULL;
	char *title = one_line(cd_json_str(reply, "title"));
	proposal_fields f = { .charter = d->charter_path, .base = d->base, .title = title,
			      .rationale = cd_json_str(reply, "rationale"), .cases = cases,
			      .ncases = d->ncases, .edits = edits, .nedits = nedits };
	proposal_provenance prov = { .provider = llm_client_provider(d->env->client),
				     .model = llm_client_model(d->env->client),
				     .endpoint_host = *host ? host : NULL, .prompts = prompts };

	for (size_t i = 0; i < AMEND_MAX_PROMPTS; i++)
		if (used[i]->name)
			prompts[prov.nprompts++] = (proposal_prompt){ used[i]->name, used[i]->sha256 };
	for (size_t i = 0; cases && i < d->ncases; i++)
		cases[i] = case_id(d->cases[i]);
	f.npros = string_list(cJSON_GetObjectItemCaseSensitive(reply, "pros"), &pros);
	f.ncons = string_list(cJSON_GetObjectItemCaseSensitive(reply, "cons"), &cons);
	f.pros = pros;
	f.cons = cons;
	if (cases && title && pros && cons)
		d->proposal = proposal_build(&f, &prov);
	free(cases);
	free(pros);
	free(cons);
	free(title);
	if (!d->proposal) {
		cd_err_set("out of memory");
		return -1;
	}
	return 0;
}

/* The charter's ids and the ones the edits introduce. */
static int allowed_ids(amend_draft *d, const charter_edit *edits, size_t n)
{
	if (!(d->allowed = calloc(d->nids + n + 1, sizeof *d->allowed))) {
		cd_err_set("out of memory");
		return -1;
	}
	memcpy(d->allowed, d->ids, d->nids * sizeof *d->allowed);
	d->nallowed = d->nids;
	for (size_t i = 0; i < n; i++)
		if (edits[i].kind == CHARTER_EDIT_INSERT_AFTER && edits[i].new_id)
			d->allowed[d->nallowed++] = edits[i].new_id;
	return 0;
}

/* The proposal is valid against the charter at base and its edits apply:
 * the amended text in amended.  Problems go to err (may be NULL), one a
 * line. */
static int proposal_applies(amend_draft *d, const cJSON *p, cd_buf *amended, cd_buf *err)
{
	charter_edit *e = NULL;
	size_t n = 0;
	int rc = -1;

	if (proposal_validate(p, d->ids, d->nids, err) < 0) {
		cd_err_prefix("the model's amendment is not valid");
		goto out;
	}
	if (proposal_edits(p, &e, &n) < 0)
		goto out;
	if (charter_apply(d->charter, e, n, amended) < 0) {
		cd_err_prefix("the model's amendment does not apply to %s", d->charter_path);
		if (err)
			cd_buf_printf(err, "%s\n", cd_err_msg());
		goto out;
	}
	rc = 0;
out:
	free(e);
	return rc;
}

static int check_and_apply(amend_draft *d)
{
	charter_edit *e = NULL;
	size_t n = 0;
	int rc = -1;

	if (proposal_applies(d, d->proposal, &d->amended, NULL) == 0 &&
	    proposal_edits(d->proposal, &e, &n) == 0)
		rc = allowed_ids(d, e, n);
	free(e);
	return rc;
}

/* ---- the check of an amendment reply (llm_check) ---- */

struct new_ids {
	const amend_draft *d;
	const cJSON *edits;
	const cJSON *upto;   /* new ids of the edits before this one count */
};

static int id_taken(void *ud, const char *id)
{
	const struct new_ids *t = ud;
	const cJSON *e;

	if (charter_find(t->d->charter, id))
		return 1;
	cJSON_ArrayForEach(e, t->edits) {
		if (e == t->upto)
			break;
		if (cd_json_str(e, "new_id") && !strcmp(cd_json_str(e, "new_id"), id))
			return 1;
	}
	return 0;
}

/* An insert_after whose new_id is a sentence, missing or taken: a unique
 * id made from the new heading, as fmt makes them. */
static void mend_new_id(const amend_draft *d, const cJSON *edits, cJSON *e, int i, cd_buf *notes)
{
	const char *op = cd_json_str(e, "op"), *id = cd_json_str(e, "new_id");
	const char *heading = cd_json_str(e, "heading");
	struct new_ids t = { d, edits, e };
	char *slug, *made;

	if (!op || strcmp(op, "insert_after") || (id && charter_id_valid(id) && !id_taken(&t, id)))
		return;
	slug = charter_slug(heading ? heading : id ? id : "");
	made = slug ? charter_make_id(slug, "new-principle", id_taken, &t) : NULL;
	if (made) {
		cd_buf_printf(notes, "$.edits[%d].new_id: '%.60s' is not a usable id; made '%s' from "
			      "the %s\n", i, id ? id : "", made, heading ? "heading" : "text");
		cJSON_ReplaceItemInObjectCaseSensitive(e, "new_id", cJSON_CreateString(made));
	}
	free(slug);
	free(made);
}

static int same_edit(const cJSON *a, const cJSON *b)
{
	static const char *const keys[] = { "op", "id", "new_id", "heading", "body" };

	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
		if (!cJSON_Compare(cJSON_GetObjectItemCaseSensitive(a, keys[k]),
				   cJSON_GetObjectItemCaseSensitive(b, keys[k]), 1))
			return 0;
	return 1;
}

static void amend_repair(void *ud, cJSON *reply, cd_buf *notes)
{
	cJSON *edits = cJSON_GetObjectItemCaseSensitive(reply, "edits"), *e, *next;
	int i = 0;

	for (e = edits ? edits->child : NULL; e; e = next, i++) {
		int repeated = 0;

		next = e->next;
		for (const cJSON *q = edits->child; q != e; q = q->next)
			repeated |= same_edit(q, e);
		if (repeated) {
			cd_buf_printf(notes, "$.edits[%d]: dropped, the same edit as an earlier one\n", i);
			cJSON_Delete(cJSON_DetachItemViaPointer(edits, e));
			continue;
		}
		if (cJSON_IsObject(e))
			mend_new_id(ud, edits, e, i, notes);
	}
}

/* Valid as a proposal, and its edits apply to the charter. */
static int amend_validate(void *ud, const cJSON *reply, cd_buf *errors)
{
	amend_draft *d = ud;
	cJSON *kept = d->proposal;
	charter_edit *edits = NULL;
	size_t nedits = 0;
	cd_buf amended = CD_BUF_INIT;
	int rc = -1;

	d->proposal = NULL;
	if (reply_edits(reply, &edits, &nedits) < 0 ||
	    build_proposal(d, reply, edits, nedits, "") < 0)
		cd_buf_printf(errors, "%s\n", cd_err_msg());
	else
		rc = proposal_applies(d, d->proposal, &amended, errors);
	cJSON_Delete(d->proposal);
	d->proposal = kept;
	free(edits);
	cd_buf_clear(&amended);
	return rc;
}

int amend__ask_amendment(amend_draft *d, const char *steer)
{
	cd_buf cases = CD_BUF_INIT, text = CD_BUF_INIT;
	cJSON *schema = schema_amend(d->ids, d->nids);
	charter_edit *edits = NULL;
	size_t nedits = 0;
	amend_answer a = { 0 };
	llm_check check = { amend_repair, amend_validate, d };
	int rc = -1;

	cases_block(d, &cases);
	if (amend__excerpt(d, 0, &text) < 0)
		goto out;
	{
		const prompt_var vars[] = {
			{ "charter", cd_buf_cstr(&text) },
			{ "meta", d->meta_text ? d->meta_text : "(there is no meta-constitution)" },
			{ "cases", cases.data },
			{ "steering", steer ? steer : "" },
		};
		if (!schema || amend__ask(d->env->client, &d->pr_amend, vars, 4, "amend", schema,
					  &check, "drafting the amendment", d->about.data, &a) < 0)
			goto out;
	}
	if (reply_edits(a.json, &edits, &nedits) < 0 ||
	    build_proposal(d, a.json, edits, nedits, a.endpoint_host) < 0)
		goto out;
	if ((a.transcript[0] && proposal_add_transcript(d->proposal, a.transcript) < 0) ||
	    amend__note_repairs(d->proposal, "amend", &a) < 0)
		goto out;
	rc = check_and_apply(d);
out:
	free(edits);
	amend__answer_clear(&a);
	cJSON_Delete(schema);
	cd_buf_clear(&cases);
	cd_buf_clear(&text);
	return rc;
}
