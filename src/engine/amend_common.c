/* amend_common.c — what the steps of the amendment workflow share:
 * synchronous questions, loading proposals, applying their edits, the
 * regression of a proposal, and the commits that record it. */
#include "amend_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/rate.h"
#include "codicil/sanitize.h"
#include "codicil/workflow.h"
#include "codicil/workspace.h"

void amend_outcome_clear(amend_outcome *o)
{
	cJSON_Delete(o->proposal);
	memset(o, 0, sizeof *o);
}

void amend__progress(const amend_env *e, amend_step step, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!e->progress)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	e->progress(e->progress_ud, step, line);
}

typedef struct waiter {
	amend_answer *out;
	int done;
	llm_status status;
	char *error;
} waiter;

static void on_answer(void *ud, const llm_call *call, llm_response *resp)
{
	waiter *w = ud;

	w->done = 1;
	w->status = resp->status;
	if (resp->status != LLM_OK || !resp->json) {
		cd_buf e = CD_BUF_INIT;
		cd_buf_puts(&e, resp->error ? resp->error : resp->status == LLM_OK
				? "the reply is not JSON" : llm_status_name(resp->status));
		if (call->transcript[0]) /* paid for: say where it is kept */
			cd_buf_printf(&e, " (the answer is kept in .git/codicil/transcripts/%s.json)",
				      call->transcript);
		w->error = cd_buf_detach(&e);
		if (w->status == LLM_OK)
			w->status = LLM_ERR_INVALID;
		return;
	}
	w->out->json = resp->json;
	resp->json = NULL;
	snprintf(w->out->transcript, sizeof w->out->transcript, "%s", call->transcript);
	memcpy(w->out->request_sha256, call->request_sha256, sizeof w->out->request_sha256);
	memcpy(w->out->response_sha256, call->response_sha256, sizeof w->out->response_sha256);
	w->out->input_tokens = resp->usage.input_tokens;
	w->out->output_tokens = resp->usage.output_tokens;
	w->out->latency_ms = resp->latency_ms;
	w->out->repairs = resp->repairs;
	resp->repairs = NULL;
	snprintf(w->out->endpoint_host, sizeof w->out->endpoint_host, "%s",
		 call->endpoint_host ? call->endpoint_host : "");
}

int amend__ask(llm_client *c, const prompt *pr, const prompt_var *vars, size_t nvars,
	       const char *schema_name, const cJSON *schema, const llm_check *check,
	       const char *what, const char *about, amend_answer *out)
{
	llm_message msg[2] = {
		{ "system", "You help people amend AI constitutions with care. Reply with JSON only." },
		{ "user", NULL },
	};
	llm_request req = { 0 };
	cd_buf user = CD_BUF_INIT;
	waiter w = { .out = out };
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (prompt_render(pr, vars, nvars, &user) < 0)
		return -1;
	msg[1].content = user.data;
	req.messages = msg;
	req.nmessages = 2;
	req.schema_name = schema_name;
	req.schema = schema;
	req.check = check;
	req.temperature = -1;
	req.about = about;
	if (llm_client_submit(c, &req, on_answer, &w, NULL) < 0 || workflow_run_client(c) < 0)
		goto out;
	if (!w.done) {
		cd_err_set("%s: the model gave no answer", what);
	} else if (w.status != LLM_OK) {
		char *line = cd_sanitize_dup(w.error ? w.error : "", CD_SAN_ONE_LINE);
		cd_err_set("%s: %s", what, line ? line : llm_status_name(w.status));
		free(line);
	} else {
		rc = 0;
	}
out:
	free(w.error);
	cd_buf_clear(&user);
	if (rc < 0)
		amend__answer_clear(out);
	return rc;
}

void amend__answer_clear(amend_answer *a)
{
	cJSON_Delete(a->json);
	free(a->repairs);
	memset(a, 0, sizeof *a);
}

int amend__note_repairs(cJSON *proposal, const char *step, const amend_answer *a)
{
	cJSON *prov = cJSON_GetObjectItemCaseSensitive(proposal, "provenance"), *list;

	if (!a->repairs || !*a->repairs)
		return 0;
	if (!(list = cJSON_GetObjectItemCaseSensitive(prov, "repairs")) &&
	    !(list = cJSON_AddArrayToObject(prov, "repairs")))
		goto oom;
	for (const char *p = a->repairs; *p;) {
		size_t n = strcspn(p, "\n");
		cd_buf line = CD_BUF_INIT;
		if (n) {
			cd_buf_printf(&line, "%s: %.*s", step, (int)n, p);
			if (!line.data || !cJSON_AddItemToArray(list, cJSON_CreateString(line.data))) {
				cd_buf_clear(&line);
				goto oom;
			}
		}
		cd_buf_clear(&line);
		p += n + (p[n] == '\n');
	}
	return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}

int amend__has_regression(const char *charter_path)
{
	return strcmp(charter_path, STORE_META) != 0;
}

int amend__ids(const charter *c, int leaves_only, const char ***ids, size_t *n)
{
	*n = 0;
	if (!(*ids = calloc(c->n + 1, sizeof **ids))) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->n; i++)
		if (!leaves_only || !charter_has_children(c, i))
			(*ids)[(*n)++] = c->p[i].id;
	return 0;
}

int amend_load(store *s, const char *id, cJSON **out)
{
	proposal_list l = { 0 };
	cd_buf dir = CD_BUF_INIT;
	cJSON *p;
	int rc = -1;

	*out = NULL;
	cd_buf_printf(&dir, "%s%s", store_workdir(s), PROPOSAL_DIR);
	if (proposal_list_load(dir.data, &l) == 0 && (p = proposal_list_find(&l, id))) {
		if ((*out = cJSON_Duplicate(p, 1)))
			rc = 0;
		else
			cd_err_set("out of memory");
	}
	proposal_list_clear(&l);
	cd_buf_clear(&dir);
	return rc;
}

int amend__load_pending(store *s, const char *id, cJSON **out)
{
	int st;

	if (amend_load(s, id, out) < 0)
		return -1;
	st = proposal_get_status(*out);
	if (st == PROPOSAL_PENDING)
		return 0;
	cd_err_set("proposal %s is %s, not pending; only a pending proposal can be changed",
		   proposal_id(*out), st < 0 ? "malformed" : proposal_status_name((proposal_status)st));
	cJSON_Delete(*out);
	*out = NULL;
	return -1;
}

int amend__apply_at(store *s, const cJSON *p, const char *rev, cd_buf *before, cd_buf *after)
{
	const char *path = proposal_charter(p);
	charter *c = NULL;
	charter_edit *e = NULL;
	size_t n = 0;
	int rc = -1;

	if (store_read(s, rev ? rev : "HEAD", path, before) < 0 ||
	    charter_parse(path, cd_buf_cstr(before), before->len, &c) < 0 ||
	    proposal_edits(p, &e, &n) < 0)
		goto out;
	if (charter_apply(c, e, n, after) < 0) {
		cd_err_prefix("the edits of proposal %s do not apply to %s at %.10s", proposal_id(p),
			      path, rev ? rev : "HEAD");
		goto out;
	}
	rc = 0;
out:
	free(e);
	charter_free(c);
	return rc;
}

int amend_texts(store *s, const cJSON *p, cd_buf *before, cd_buf *after)
{
	const char *base = cd_json_str(p, "base");

	if (!base) {
		cd_err_set("proposal %s has no base commit", proposal_id(p));
		return -1;
	}
	return amend__apply_at(s, p, base, before, after);
}

/* The work tree's cases that are not dismissed, then extra. */
static int regression_cases(store *s, case_library *lib, cJSON *const *extra, size_t nextra,
			    cJSON ***out, size_t *n)
{
	*n = 0;
	if (workspace_load_cases(s, lib) < 0)
		return -1;
	if (!(*out = calloc(lib->n + nextra + 1, sizeof **out))) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < lib->n; i++)
		if (case_get_status(lib->cases[i]) != CASE_DISMISSED)
			(*out)[(*n)++] = lib->cases[i];
	for (size_t i = 0; i < nextra; i++)
		(*out)[(*n)++] = extra[i];
	return 0;
}

static int store_regression(cJSON *p, regress_result *r)
{
	proposal_flip *flips = calloc(r->n + 1, sizeof *flips);
	proposal_regression reg = {
		.fixed = (int)r->fixed, .broken = (int)r->broken, .changed = (int)r->changed,
		.unchanged = (int)r->unchanged, .worse = (int)r->worse, .better = (int)r->better,
		.flips = flips,
	};
	int rc = -1;

	if (!flips) {
		cd_err_set("out of memory");
		return -1;
	}
	regress_sort(r);
	for (size_t i = 0; i < r->n; i++) {
		const regress_row *row = &r->rows[i];
		if (row->flip == FLIP_NONE || row->before.verdict == VERDICT_ERROR ||
		    row->after.verdict == VERDICT_ERROR)
			continue;
		flips[reg.nflips++] = (proposal_flip){
			.case_id = row->case_id, .before = verdict_name(row->before.verdict),
			.after = verdict_name(row->after.verdict), .direction = row->direction,
			.severity = row->severity, .principle = row->principle,
			.before_confidence = row->before.confidence,
			.after_confidence = row->after.confidence, .why = row->after.reasoning,
		};
	}
	if (proposal_set_regression(p, &reg) == 0) {
		cJSON *o = cJSON_GetObjectItemCaseSensitive(p, "regression");
		rc = 0;
		if (r->errors && !cJSON_AddNumberToObject(o, "errors", (double)r->errors))
			rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		const regress_row *row = &r->rows[i];
		if ((row->before.transcript[0] && proposal_add_transcript(p, row->before.transcript) < 0) ||
		    (row->after.transcript[0] && proposal_add_transcript(p, row->after.transcript) < 0))
			rc = -1;
	}
	free(flips);
	return rc;
}

int amend__regression(const amend_env *e, cJSON *p, const char *before, size_t blen,
		      const char *after, size_t alen, cJSON *const *extra, size_t nextra)
{
	case_library lib = { 0 };
	regress_result r = { 0 };
	judge_ctx j = { 0 };
	cJSON **cases = NULL;
	size_t n = 0;
	int rc = -1;

	if (!amend__has_regression(proposal_charter(p)))
		return 0;
	if (regression_cases(e->store, &lib, extra, nextra, &cases, &n) < 0 ||
	    judge_open(e->store, e->cfg, e->client, &j) < 0)
		goto out;
	amend__progress(e, AMEND_STEP_REGRESSION, "judging %zu case%s under the base and the "
			"amended text", n, n == 1 ? "" : "s");
	if (regress_run(&j, before, blen, after, alen, cases, n, &r) < 0 ||
	    store_regression(p, &r) < 0)
		goto out;
	rc = 0;
out:
	regress_result_clear(&r);
	judge_close(&j);
	free(cases);
	case_library_clear(&lib);
	return rc;
}

int amend__reviewer(store *s, cd_buf *out)
{
	return rate_rater(s, out); /* the same git identity as a rater's */
}

int amend__commit_record(store *s, cJSON *p, const char *verb, int with_cases,
			 const store_change *extra, size_t nextra, char commit[41])
{
	const cJSON *cases = cJSON_GetObjectItemCaseSensitive(p, "cases"), *it;
	size_t ncases = with_cases ? (size_t)cJSON_GetArraySize(cases) : 0, ntr = 0;
	store_trailer *tr = calloc(ncases + 2, sizeof *tr);
	store_change *ch = calloc(nextra + 1, sizeof *ch);
	const cJSON *rejection = cJSON_GetObjectItemCaseSensitive(p, "rejection");
	cd_buf text = CD_BUF_INIT, path = CD_BUF_INIT, subject = CD_BUF_INIT, msg = CD_BUF_INIT;
	int rc = -1;

	if (!tr || !ch) {
		cd_err_set("out of memory");
		goto out;
	}
	proposal_normalize(p);
	if (cd_json_print(p, &text) < 0)
		goto out;
	if (workspace_record_path(proposal_id(p), &path) < 0)
		goto out;
	if (nextra)
		memcpy(ch, extra, nextra * sizeof *ch);
	ch[nextra] = (store_change){ path.data, text.data, text.len };
	cd_buf_printf(&subject, "%s %s: %s", verb, proposal_id(p),
		      cd_json_str(p, "title") ? cd_json_str(p, "title") : "");
	cd_sanitize(subject.data, subject.len, CD_SAN_ONE_LINE, &msg);
	cd_buf_putc(&msg, '\n');
	/* a rejection's reason belongs in git, as an accept's note does */
	if (cd_json_str(rejection, "reason")) {
		cd_buf_puts(&msg, "\nReason: ");
		cd_sanitize(cd_json_str(rejection, "reason"), strlen(cd_json_str(rejection, "reason")),
			    0, &msg);
		cd_buf_putc(&msg, '\n');
	}
	tr[ntr++] = (store_trailer){ "Codicil-Proposal", (char *)proposal_id(p) };
	if (cd_json_str(rejection, "by"))
		tr[ntr++] = (store_trailer){ "Reviewed-by", (char *)cd_json_str(rejection, "by") };
	cJSON_ArrayForEach(it, cases)
		if (with_cases && cJSON_IsString(it) && ntr <= ncases + 1)
			tr[ntr++] = (store_trailer){ "Codicil-Case", it->valuestring };
	rc = store_commit(s, ch, nextra + 1, msg.data, tr, ntr, commit);
out:
	free(tr);
	free(ch);
	cd_buf_clear(&text);
	cd_buf_clear(&path);
	cd_buf_clear(&subject);
	cd_buf_clear(&msg);
	return rc;
}

int amend__note_usage(cJSON *proposal, const llm_spend *before, const llm_spend *after)
{
	cJSON *prov = cJSON_GetObjectItemCaseSensitive(proposal, "provenance"), *u;

	cJSON_DeleteItemFromObjectCaseSensitive(prov, "usage");
	if (!(u = cJSON_AddObjectToObject(prov, "usage")))
		goto oom;
	cJSON_AddNumberToObject(u, "requests", (double)(after->paid - before->paid));
	cJSON_AddNumberToObject(u, "input_tokens",
				(double)(after->input_tokens - before->input_tokens));
	cJSON_AddNumberToObject(u, "output_tokens",
				(double)(after->output_tokens - before->output_tokens));
	cJSON_AddNumberToObject(u, "cached_input_tokens",
				(double)(after->cached_input_tokens - before->cached_input_tokens));
	if (after->paid > before->paid && after->priced)
		cJSON_AddNumberToObject(u, "usd", after->usd - before->usd);
	return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}
