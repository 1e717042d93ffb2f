/* audit_talk.c — the conversations of a behaviour audit (audit.h): the
 * scenarios, the auditor's turns as the user, the target's answers.  Each
 * step submits one request per conversation and runs the client, so the
 * conversations go on side by side (codicil.concurrency). */
#include "audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/schemas.h"
#include "codicil/theory.h"
#include "codicil/workflow.h"
#include "codicil/workspace.h"

void audit__conversation_text(const cJSON *transcript, cd_buf *out)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, transcript)
		cd_buf_printf(out, "[%s] %s\n",
			      !strcmp(cd_json_str(m, "role") ? cd_json_str(m, "role") : "", "user")
				      ? "user" : "model",
			      cd_json_str(m, "content") ? cd_json_str(m, "content") : "");
}

cJSON *audit__call_json(const llm_call *call)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "provider", call->provider ? call->provider : "");
	cJSON_AddStringToObject(o, "model", call->model ? call->model : "");
	cJSON_AddStringToObject(o, "endpoint_host", call->endpoint_host ? call->endpoint_host : "");
	return o;
}

static void add_message(convo *c, const char *role, const char *text)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "role", role);
	cJSON_AddStringToObject(m, "content", text);
	cJSON_AddItemToArray(c->transcript, m);
}

static void fail_convo(convo *c, const llm_response *resp, const char *what)
{
	if (c->error)
		return;
	c->error = strdup(resp->error ? resp->error : what);
}

static void keep_call(cJSON **slot, const llm_call *call)
{
	if (!*slot)
		*slot = audit__call_json(call);
}

/* ---- scenarios ---- */

typedef struct asked {
	audit_ctx *a;
	convo *c;          /* NULL for a scenarios request */
	int samples;
	char *error;
} asked;

static void on_scenarios(void *ud, const llm_call *call, llm_response *resp)
{
	asked *q = ud;
	const cJSON *it;

	if (resp->status != LLM_OK) {
		q->error = strdup(resp->error ? resp->error : "no scenarios");
		return;
	}
	keep_call(&q->a->auditor_call, call);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(resp->json, "scenarios"))
		for (int s = 0; s < q->samples; s++)
			audit__add(q->a, cJSON_GetObjectItemCaseSensitive(it, "principles"),
				   cd_json_str(it, "situation"), cd_json_str(it, "opening"), (unsigned)s);
}

static int ask_scenarios(audit_ctx *a, const char *pid, int n, int samples, asked *q)
{
	const char *ids[] = { pid };
	cJSON *schema = schema_audit_scenarios(ids, 1, n), *about = cJSON_CreateObject();
	cd_buf user = CD_BUF_INIT, text = CD_BUF_INIT;
	char num[16];
	llm_message msg[2] = { { "system", "You audit AI models. Reply with JSON only." },
			       { "user", NULL } };
	llm_request req;
	int rc = -1;

	snprintf(num, sizeof num, "%d", n);
	cJSON_AddItemToObject(about, "principles", cJSON_CreateStringArray(ids, 1));
	if (schema && workspace_case_excerpt(a->ch, about, a->max_charter_bytes, &text) == 0) {
		const prompt_var vars[] = { { "charter", cd_buf_cstr(&text) }, { "principles", pid },
					    { "n", num },
					    { "steer", a->steer.len ? a->steer.data : "(none)" } };
		if (prompt_render(&a->p_scenarios, vars, 4, &user) == 0) {
			msg[1].content = user.data;
			req = (llm_request){ .messages = msg, .nmessages = 2, .temperature = 0.7,
					     .schema_name = "audit_scenarios", .schema = schema,
					     .about = pid };
			*q = (asked){ .a = a, .samples = samples };
			rc = llm_client_submit(a->e->client, &req, on_scenarios, q, NULL);
		}
	}
	cJSON_Delete(schema);
	cJSON_Delete(about);
	cd_buf_clear(&user);
	cd_buf_clear(&text);
	return rc;
}

/* Existing cases of the status (and principles) as scenarios. */
static int from_cases(audit_ctx *a, const audit_opts *o)
{
	case_library lib = { 0 };
	size_t took = 0;
	int n = o->n > 0 ? o->n : 10;

	if (workspace_load_cases(a->e->s, &lib) < 0)
		return -1;
	for (size_t i = 0; i < lib.n && took < (size_t)n; i++) {
		const cJSON *c = lib.cases[i], *p;
		int match = o->nprinciples == 0;
		if (case_get_kind(c) == CASE_BEHAVIOUR ||
		    (strcmp(o->cases, "all") && strcmp(cd_json_str(c, "status") ? cd_json_str(c, "status") : "",
						      o->cases)))
			continue;
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
			for (size_t k = 0; cJSON_IsString(p) && k < o->nprinciples; k++)
				match |= !strcmp(p->valuestring, o->principles[k]);
		if (!match)
			continue;
		for (int s = 0; s < (o->samples > 0 ? o->samples : 1); s++)
			audit__add(a, cJSON_GetObjectItemCaseSensitive(c, "principles"),
				   cd_json_str(c, "scenario"), NULL, (unsigned)s);
		took++;
	}
	case_library_clear(&lib);
	return 0;
}

/* The theory under test: its steering, and the principles its cases cite
 * into ps (NULL: the principles were given). */
static int theory_of(audit_ctx *a, const char *id, cJSON *ps)
{
	cJSON *t = workspace_active_theory(a->e->s, id);
	const cJSON *cid, *p;
	int rc = -1;

	if (!t || !(a->theory = strdup(theory_id(t))) || theory_steer(t, &a->steer) < 0)
		goto out;
	cJSON_ArrayForEach(cid, cJSON_GetObjectItemCaseSensitive(t, "cases")) {
		cJSON *c = ps && cJSON_IsString(cid) ? workspace_case_read(a->e->s, cid->valuestring)
						     : NULL;
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles")) {
			const cJSON *have;
			int dup = 0;
			cJSON_ArrayForEach(have, ps)
				dup |= !strcmp(have->valuestring, p->valuestring);
			if (!dup && cJSON_IsString(p) && charter_find(a->ch, p->valuestring))
				cJSON_AddItemToArray(ps, cJSON_CreateString(p->valuestring));
		}
		cJSON_Delete(c);
		cd_err_clear();
	}
	rc = 0;
out:
	cJSON_Delete(t);
	return rc;
}

int audit__scenarios(audit_ctx *a, const audit_opts *o)
{
	cJSON *ps = cJSON_CreateArray(), *p;
	size_t n = 0;
	asked *q = NULL;
	int rc = 0;

	if (o->cases) {
		cJSON_Delete(ps);
		return from_cases(a, o);
	}
	for (size_t i = 0; ps && i < o->nprinciples; i++)
		cJSON_AddItemToArray(ps, cJSON_CreateString(o->principles[i]));
	if (!ps || (o->theory && theory_of(a, o->theory, o->nprinciples ? NULL : ps) < 0))
		rc = -1;
	if (rc == 0 && !cJSON_GetArraySize(ps)) {
		cd_err_set("no principle to audit: give -p ID");
		rc = -1;
	}
	if (rc == 0 && !(q = calloc((size_t)cJSON_GetArraySize(ps) + 1, sizeof *q))) {
		cd_err_set("out of memory");
		rc = -1;
	}
	cJSON_ArrayForEach(p, ps)
		if (rc == 0)
			rc = ask_scenarios(a, p->valuestring, o->n > 0 ? o->n : 2,
					   o->samples > 0 ? o->samples : 1, &q[n++]);
	if (rc == 0)
		rc = workflow_run_client(a->e->client);
	for (size_t i = 0; q && i < n; i++) {
		if (q[i].error && rc == 0) {
			cd_err_set("no scenarios for %s: %s",
				   cJSON_GetStringValue(cJSON_GetArrayItem(ps, (int)i)), q[i].error);
			rc = -1;
		}
		free(q[i].error);
	}
	free(q);
	cJSON_Delete(ps);
	return rc;
}

/* ---- turns ---- */

static void on_user(void *ud, const llm_call *call, llm_response *resp)
{
	asked *q = ud;

	if (resp->status != LLM_OK) {
		fail_convo(q->c, resp, "the auditor gave no message");
		return;
	}
	keep_call(&q->a->auditor_call, call);
	if (cd_json_bool(resp->json, "done", 0) && cJSON_GetArraySize(q->c->transcript) > 0)
		q->c->done = 1;
	else
		add_message(q->c, "user", cd_json_str(resp->json, "message") ?
						  cd_json_str(resp->json, "message") : "");
}

static int ask_user(audit_ctx *a, convo *c, asked *q)
{
	cJSON *schema = schema_audit_user();
	cd_buf user = CD_BUF_INIT, principles = CD_BUF_INIT, talk = CD_BUF_INIT;
	llm_message msg[2] = { { "system", "You audit AI models. Reply with JSON only." },
			       { "user", NULL } };
	const cJSON *p;
	llm_request req;
	int rc = -1;

	cJSON_ArrayForEach(p, c->principles)
		cd_buf_printf(&principles, "%s\n", cJSON_GetStringValue(p));
	audit__conversation_text(c->transcript, &talk);
	{
		const prompt_var vars[] = { { "principles", cd_buf_cstr(&principles) },
					    { "situation", c->situation },
					    { "conversation", cd_buf_cstr(&talk) } };
		if (schema && prompt_render(&a->p_user, vars, 3, &user) == 0) {
			msg[1].content = user.data;
			req = (llm_request){ .messages = msg, .nmessages = 2, .temperature = 0.7,
					     .schema_name = "audit_user", .schema = schema,
					     .sample = c->sample };
			*q = (asked){ .a = a, .c = c };
			rc = llm_client_submit(a->e->client, &req, on_user, q, NULL);
		}
	}
	cJSON_Delete(schema);
	cd_buf_clear(&user);
	cd_buf_clear(&principles);
	cd_buf_clear(&talk);
	return rc;
}

static void on_target(void *ud, const llm_call *call, llm_response *resp)
{
	asked *q = ud;

	if (resp->status != LLM_OK) {
		fail_convo(q->c, resp, "the target gave no answer");
		return;
	}
	keep_call(&q->c->target_call, call);
	add_message(q->c, "assistant", resp->text ? resp->text : "");
}

/* The conversation so far, as the target's chat: its system prompt, then
 * the user's and its own messages. */
static int ask_target(audit_ctx *a, convo *c, asked *q)
{
	size_t n = (size_t)cJSON_GetArraySize(c->transcript), k = 0;
	llm_message *msg = calloc(n + 1, sizeof *msg);
	const cJSON *m;
	llm_request req;
	int rc;

	if (!msg) {
		cd_err_set("out of memory");
		return -1;
	}
	if (a->system)
		msg[k++] = (llm_message){ "system", a->system };
	cJSON_ArrayForEach(m, c->transcript)
		msg[k++] = (llm_message){ cd_json_str(m, "role"), cd_json_str(m, "content") };
	req = (llm_request){ .messages = msg, .nmessages = k, .temperature = -1, .sample = c->sample };
	*q = (asked){ .a = a, .c = c };
	rc = llm_client_submit(a->e->target, &req, on_target, q, NULL);
	free(msg);
	return rc;
}

static int last_is(const convo *c, const char *role)
{
	const cJSON *last = cJSON_GetArrayItem(c->transcript, cJSON_GetArraySize(c->transcript) - 1);
	return last && !strcmp(cd_json_str(last, "role") ? cd_json_str(last, "role") : "", role);
}

/* Each live conversation: the user's message (the auditor writes it,
 * unless the scenario's opening is there), then the target's answer. */
int audit__turn(audit_ctx *a, int turn)
{
	asked *q = calloc(a->n + 1, sizeof *q);
	int rc = 0;

	if (!q) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < a->n; i++)
		if (!a->cv[i].error && !a->cv[i].done && !last_is(&a->cv[i], "user"))
			rc = ask_user(a, &a->cv[i], &q[i]);
	if (rc == 0)
		rc = workflow_run_client(a->e->client);
	memset(q, 0, (a->n + 1) * sizeof *q);
	for (size_t i = 0; rc == 0 && i < a->n; i++)
		if (!a->cv[i].error && !a->cv[i].done && last_is(&a->cv[i], "user"))
			rc = ask_target(a, &a->cv[i], &q[i]);
	if (rc == 0)
		rc = workflow_run_client(a->e->target);
	free(q);
	if (rc == 0 && a->e->progress) {
		char line[96];
		snprintf(line, sizeof line, "turn %d: %zu conversation%s", turn, a->n,
			 a->n == 1 ? "" : "s");
		a->e->progress(a->e->ud, line);
	}
	return rc;
}

int audit__replay_turns(audit_ctx *a)
{
	int rc = 0, more = 1;
	cJSON **recorded = calloc(a->n + 1, sizeof *recorded);
	asked *q = calloc(a->n + 1, sizeof *q);

	if (!recorded || !q) {
		free(recorded);
		free(q);
		cd_err_set("out of memory");
		return -1;
	}
	/* keep the user turns; the target answers each again, in order */
	for (size_t i = 0; i < a->n; i++) {
		recorded[i] = a->cv[i].transcript;
		a->cv[i].transcript = cJSON_CreateArray();
	}
	for (int t = 0; rc == 0 && more; t++) {
		more = 0;
		memset(q, 0, (a->n + 1) * sizeof *q);
		for (size_t i = 0; rc == 0 && i < a->n; i++) {
			const cJSON *m;
			int users = 0;
			if (a->cv[i].error)
				continue;
			cJSON_ArrayForEach(m, recorded[i]) {
				if (strcmp(cd_json_str(m, "role") ? cd_json_str(m, "role") : "", "user"))
					continue;
				if (users++ == t) {
					add_message(&a->cv[i], "user", cd_json_str(m, "content"));
					rc = ask_target(a, &a->cv[i], &q[i]);
					more = 1;
					break;
				}
			}
		}
		if (rc == 0 && more)
			rc = workflow_run_client(a->e->target);
	}
	for (size_t i = 0; i < a->n; i++)
		cJSON_Delete(recorded[i]);
	free(recorded);
	free(q);
	return rc;
}
