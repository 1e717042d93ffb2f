/* theorize.c — ask the model to explain the cases with failure theories,
 * keep the valid new ones, and commit them with the refreshed hits. */
#include "theorize_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codicil/error.h"
#include "codicil/generate.h"
#include "codicil/json.h"
#include "codicil/prompt.h"
#include "codicil/schemas.h"
#include "codicil/workflow.h"
#include "codicil/workspace.h"

#define SCENARIO_CHARS 400

typedef struct asked {
	theorize_state *st;
	theorize_result *r;
	prompt prompt;
	char head[41];
	const char **ids;       /* the cases shown (point into the library) */
	size_t nids;
	char *model;            /* provider/model of the reply */
	int behaviour;          /* theories of where the model fails (about: model) */
	int failed;
	char *error;
} asked;

/* The cases a theory may rest on: charter theories on every kind but
 * behaviour; model theories (behaviour) on behaviour cases only. */
static int fits(const asked *a, const cJSON *c)
{
	return (case_get_kind(c) == CASE_BEHAVIOUR) == a->behaviour;
}

/* Confirmed cases first, then open ones; newest first within each. */
static int pick_cases(asked *a, size_t max)
{
	const case_library *cl = &a->st->cases;

	a->ids = calloc(cl->n + 1, sizeof *a->ids);
	if (!a->ids) {
		cd_err_set("out of memory");
		return -1;
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = cl->n; i-- > 0 && a->nids < max;)
			if (fits(a, cl->cases[i]) &&
			    case_get_status(cl->cases[i]) == (pass ? CASE_OPEN : CASE_CONFIRMED))
				a->ids[a->nids++] = case_id(cl->cases[i]);
	if (a->nids < 2) {
		cd_err_set("theorize needs at least two open or confirmed %scases, and there %s %zu; "
			   "%s", a->behaviour ? "behaviour " : "", a->nids == 1 ? "is" : "are", a->nids,
			   a->behaviour ? "find some with 'codicil audit'"
					: "generate some with 'codicil generate'");
		return -1;
	}
	return 0;
}

static void case_block(const asked *a, cd_buf *out)
{
	for (size_t i = 0; i < a->nids; i++) {
		const cJSON *c = case_library_find(&a->st->cases, a->ids[i]), *p;
		const char *sc = cd_json_str(c, "scenario"), *why = cd_json_str(c, "rationale");

		cd_buf_printf(out, "- id: %s\n  kind: %s\n  status: %s\n  principles:", a->ids[i],
			      cd_json_str(c, "kind"), cd_json_str(c, "status"));
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
			if (cJSON_IsString(p))
				cd_buf_printf(out, " %s", p->valuestring);
		cd_buf_printf(out, "\n  scenario: %.*s\n  why it fails: %.*s\n", SCENARIO_CHARS,
			      sc ? sc : "", SCENARIO_CHARS, why ? why : "");
	}
}

static void theory_block(const theory_library *tl, cd_buf *out)
{
	size_t shown = 0;

	for (size_t i = 0; i < tl->n; i++) {
		const char *st = cd_json_str(tl->cases[i], "statement");
		if (!st)
			continue;
		cd_buf_printf(out, "- %s%s\n", st, theory_is_active(tl->cases[i]) ? "" : " (retired)");
		shown++;
	}
	if (!shown)
		cd_buf_puts(out, "(none yet)\n");
}

static int is_repeat(const asked *a, const char *statement)
{
	for (size_t i = 0; i < a->st->theories.n; i++) {
		const char *s = cd_json_str(a->st->theories.cases[i], "statement");
		if (s && !strcasecmp(s, statement))
			return 1;
	}
	for (size_t i = 0; i < a->r->nadded; i++)
		if (!strcasecmp(cd_json_str(a->r->added[i], "statement"), statement))
			return 1;
	return 0;
}

/* The strings of an array, deduplicated, pointing into it. */
static size_t strings(const cJSON *arr, const char **out, size_t max)
{
	const cJSON *e;
	size_t n = 0;

	cJSON_ArrayForEach(e, arr) {
		int dup = 0;
		if (!cJSON_IsString(e) || n == max)
			continue;
		for (size_t k = 0; k < n; k++)
			dup |= !strcmp(out[k], e->valuestring);
		if (!dup)
			out[n++] = e->valuestring;
	}
	return n;
}

static void keep(asked *a, const cJSON *item, const case_provenance *prov)
{
	const char *cases[256], *preds[8];
	size_t nc = strings(cJSON_GetObjectItemCaseSensitive(item, "cases"), cases, 256);
	size_t np = strings(cJSON_GetObjectItemCaseSensitive(item, "predictions"), preds, 8);
	const char *statement = cd_json_str(item, "statement");
	cd_buf err = CD_BUF_INIT;
	cJSON *t, **grown;

	for (size_t i = 0; i < nc; i++)
		if (!case_library_find(&a->st->cases, cases[i]) ||
		    strcmp(case_id(case_library_find(&a->st->cases, cases[i])), cases[i]))
			nc = 0; /* an id the model made up: drop the theory */
	if (!statement || is_repeat(a, statement) ||
	    !(t = theory_new(statement, cases, nc, preds, np, prov))) {
		a->r->dropped++;
		return;
	}
	if (a->behaviour)
		cJSON_AddStringToObject(t, "about", "model");
	if (theory_validate(t, &err) < 0 ||
	    !(grown = realloc(a->r->added, (a->r->nadded + 1) * sizeof *grown))) {
		a->r->dropped++;
		cJSON_Delete(t);
	} else {
		a->r->added = grown;
		a->r->added[a->r->nadded++] = t;
	}
	cd_buf_clear(&err);
}

static void on_reply(void *ud, const llm_call *call, llm_response *resp)
{
	asked *a = ud;
	const cJSON *item;
	case_provenance prov = { 0 };
	cd_buf model = CD_BUF_INIT;

	if (resp->status != LLM_OK) {
		a->failed = 1;
		a->error = strdup(resp->error ? resp->error : llm_status_name(resp->status));
		return;
	}
	gen_provenance(call, resp, &a->prompt, a->head, &prov);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(resp->json, "theories"))
		keep(a, item, &prov);
	cd_buf_printf(&model, "%s/%s", call->provider, call->model);
	a->model = cd_buf_detach(&model);
}

static int ask(asked *a, store *s, config *cfg, llm_client *client, const theorize_opts *o)
{
	cd_buf user = CD_BUF_INIT, cases = CD_BUF_INIT, theories = CD_BUF_INIT, text = CD_BUF_INIT;
	llm_message msg[2] = { { "system", "You find patterns in where AI constitutions fail. "
					   "Reply with JSON only." },
			       { "user", NULL } };
	llm_request req = { 0 };
	char n[16];
	cJSON *schema = NULL;
	int rc = -1;
	long max_cases = (long)o->max_cases;

	if (!max_cases && config_get_setting_long(cfg, "codicil.theorizeMaxCases", &max_cases) < 0)
		return -1;
	if (store_resolve(s, "HEAD", a->head) < 0 ||
	    store_read(s, "HEAD", workspace_charter_path(cfg), &text) < 0 ||
	    prompt_load(store_workdir(s), o->behaviour ? "theorize_behaviour" : "theorize",
			&a->prompt) < 0 ||
	    pick_cases(a, max_cases > 1 ? (size_t)max_cases : 2) < 0)
		goto out;
	snprintf(n, sizeof n, "%d", o->max_theories > 0 ? o->max_theories : 5);
	case_block(a, &cases);
	theory_block(&a->st->theories, &theories);
	{
		const prompt_var vars[] = {
			{ "charter", cd_buf_cstr(&text) }, { "cases", cd_buf_cstr(&cases) },
			{ "theories", cd_buf_cstr(&theories) }, { "n", n },
		};
		if (prompt_render(&a->prompt, vars, 4, &user) < 0)
			goto out;
	}
	if (!(schema = schema_theorize(a->ids, a->nids, o->max_theories > 0 ? o->max_theories : 5)))
		goto out;
	msg[1].content = user.data;
	req.messages = msg;
	req.nmessages = 2;
	req.schema_name = "theories";
	req.schema = schema;
	req.temperature = -1;
	if (llm_client_submit(client, &req, on_reply, a, NULL) < 0 || workflow_run_client(client) < 0)
		goto out;
	if (a->failed) {
		cd_err_set("theorize: the model failed: %s", a->error);
		goto out;
	}
	if (a->r->nadded == 0 && a->r->dropped > 0) {
		cd_err_set("theorize: the model proposed %zu theor%s, none valid and new (each needs "
			   "a statement, two real case ids and a prediction)", a->r->dropped,
			   a->r->dropped == 1 ? "y" : "ies");
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(schema);
	cd_buf_clear(&user);
	cd_buf_clear(&cases);
	cd_buf_clear(&theories);
	cd_buf_clear(&text);
	return rc;
}

typedef struct commit_set {
	store_change *ch;
	cd_buf *text;
	size_t n;
} commit_set;

static int stage(commit_set *cs, cJSON *t)
{
	cd_buf path = CD_BUF_INIT;

	theory_normalize(t);
	memset(&cs->text[cs->n], 0, sizeof cs->text[cs->n]);
	if (workspace_record_path(theory_id(t), &path) < 0 ||
	    cd_json_print(t, &cs->text[cs->n]) < 0 || !(cs->ch[cs->n].path = cd_buf_detach(&path))) {
		cd_buf_clear(&path);
		return -1;
	}
	cs->ch[cs->n].data = cs->text[cs->n].data;
	cs->ch[cs->n].len = cs->text[cs->n].len;
	cs->n++;
	return 0;
}

static void message(const asked *a, const theorize_state *st, cd_buf *msg)
{
	const theorize_result *r = a->r;

	if (r->nadded)
		cd_buf_printf(msg, "Add %zu failure theor%s\n\n", r->nadded, r->nadded == 1 ? "y" : "ies");
	else if (r->nretired)
		cd_buf_printf(msg, "Retire %zu theor%s below the hit rate\n\n", r->nretired,
			      r->nretired == 1 ? "y" : "ies");
	else
		cd_buf_puts(msg, "Update theory hits\n\n");
	for (size_t i = 0; i < r->nadded; i++)
		cd_buf_printf(msg, "- %s: %s\n", theory_id(r->added[i]),
			      cd_json_str(r->added[i], "statement"));
	for (size_t i = 0; i < st->theories.n; i++) {
		const cJSON *t = st->theories.cases[i];
		const cJSON *why = cJSON_GetObjectItemCaseSensitive(t, "retired");
		if (st->changed[i] == THEORY_RETIRED && cd_json_str(why, "reason"))
			cd_buf_printf(msg, "Retired %s: %s\n", theory_id(t), cd_json_str(why, "reason"));
	}
	if (r->updated)
		cd_buf_printf(msg, "Hits refreshed for %zu theor%s.\n", r->updated,
			      r->updated == 1 ? "y" : "ies");
}

static int commit(store *s, asked *a, theorize_state *st)
{
	size_t cap = a->r->nadded + st->theories.n + 1, nt = 0;
	commit_set cs = { calloc(cap, sizeof *cs.ch), calloc(cap, sizeof *cs.text), 0 };
	store_trailer *tr = calloc(a->r->nadded + 3, sizeof *tr);
	cd_buf msg = CD_BUF_INIT, prompt_tr = CD_BUF_INIT;
	int rc = -1;

	if (!cs.ch || !cs.text || !tr)
		goto oom;
	for (size_t i = 0; i < a->r->nadded; i++)
		if (stage(&cs, a->r->added[i]) < 0)
			goto oom;
	for (size_t i = 0; i < st->theories.n; i++)
		if (st->changed[i] && stage(&cs, st->theories.cases[i]) < 0)
			goto oom;
	if (cs.n == 0) {
		rc = 0;
		goto out;
	}
	message(a, st, &msg);
	if (a->model) {
		cd_buf_printf(&prompt_tr, "%s sha256:%s", a->prompt.name, a->prompt.sha256);
		tr[nt++] = (store_trailer){ "Codicil-Model", a->model };
		tr[nt++] = (store_trailer){ "Codicil-Prompt", prompt_tr.data };
	}
	for (size_t i = 0; i < a->r->nadded; i++)
		tr[nt++] = (store_trailer){ "Codicil-Theory", (char *)theory_id(a->r->added[i]) };
	rc = store_commit(s, cs.ch, cs.n, msg.data, tr, nt, a->r->commit);
	goto out;
oom:
	cd_err_set("out of memory");
out:
	for (size_t i = 0; i < cs.n; i++) {
		free((char *)cs.ch[i].path);
		cd_buf_clear(&cs.text[i]);
	}
	free(cs.ch);
	free(cs.text);
	free(tr);
	cd_buf_clear(&msg);
	cd_buf_clear(&prompt_tr);
	return rc;
}

static int note_retired(theorize_result *r, const theorize_state *st)
{
	for (size_t i = 0; i < st->theories.n; i++) {
		char **g;

		if (st->changed[i] == THEORY_HITS_CHANGED)
			r->updated++;
		if (st->changed[i] != THEORY_RETIRED)
			continue;
		g = realloc(r->retired, (r->nretired + 1) * sizeof *g);
		if (!g) {
			cd_err_set("out of memory");
			return -1;
		}
		r->retired = g;
		if (!(g[r->nretired] = strdup(theory_id(st->theories.cases[i])))) {
			cd_err_set("out of memory");
			return -1;
		}
		r->nretired++;
	}
	return 0;
}

/* Theories the model proposed that a theory committed while it was asked
 * already states: dropped. */
static void drop_repeats(asked *a)
{
	size_t kept = 0;

	for (size_t i = 0; i < a->r->nadded; i++) {
		const char *statement = cd_json_str(a->r->added[i], "statement");
		int repeat = 0;
		for (size_t k = 0; k < a->st->theories.n; k++) {
			const char *s = cd_json_str(a->st->theories.cases[k], "statement");
			repeat |= s && statement && !strcasecmp(s, statement);
		}
		if (repeat) {
			cJSON_Delete(a->r->added[i]);
			a->r->dropped++;
		} else {
			a->r->added[kept++] = a->r->added[i];
		}
	}
	a->r->nadded = kept;
}

/* Under the lock: hits and retirements worked out from the library as it is
 * now (a rating may have come in while the model was asked), then one
 * commit. */
static int commit_locked(store *s, config *cfg, asked *a)
{
	theorize_state st;
	int rc = -1;

	if (theorize_load(s, cfg, &st) == 0 && note_retired(a->r, &st) == 0) {
		a->st = &st;
		drop_repeats(a);
		rc = commit(s, a, &st);
		a->st = NULL;
	}
	theorize_unload(&st);
	return rc;
}

/* 1 when the repository has a theory; *rc -1 when they cannot be read. */
static int any_theory(store *s, int *rc)
{
	theory_library tl;
	int any;

	if (workspace_load_theories(s, &tl) < 0) {
		*rc = -1;
		return 0;
	}
	any = tl.n > 0;
	theory_library_clear(&tl);
	return any;
}

int theorize_run(store *s, config *cfg, llm_client *client, const theorize_opts *o,
		 theorize_result *r)
{
	theorize_state st;
	asked a = { .st = &st, .r = r, .behaviour = o->behaviour };
	int rc = 0;

	memset(r, 0, sizeof *r);
	/* The model is asked without the repository lock, which would keep
	 * every other command (a rating in the TUI) waiting for its answer */
	if (o->ask) {
		rc = theorize_load(s, cfg, &st);
		if (rc == 0)
			rc = ask(&a, s, cfg, client, o);
		theorize_unload(&st);
		a.nids = 0; /* they pointed into the library just freed */
	}
	if (rc == 0 && !o->ask && !any_theory(s, &rc))
		goto out; /* nothing to refresh: the library is not read */
	if (rc == 0 && store_lock(s) == 0) {
		rc = commit_locked(s, cfg, &a);
		store_unlock(s);
	} else {
		rc = -1;
	}
out:
	if (a.prompt.name)
		prompt_clear(&a.prompt);
	free(a.ids);
	free(a.model);
	free(a.error);
	return rc;
}

void theorize_result_clear(theorize_result *r)
{
	for (size_t i = 0; i < r->nadded; i++)
		cJSON_Delete(r->added[i]);
	for (size_t i = 0; i < r->nretired; i++)
		free(r->retired[i]);
	free(r->added);
	free(r->retired);
	memset(r, 0, sizeof *r);
}
