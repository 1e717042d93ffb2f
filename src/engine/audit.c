/* audit.c — a behaviour audit from start to commit (audit.h): the
 * context, the conversations in turns, the panel, and the behaviour cases
 * of every conversation that violated or left unclear a principle. */
#include "audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/batch.h"
#include "codicil/error.h"
#include "codicil/hash.h"
#include "codicil/json.h"
#include "codicil/workspace.h"

static int load_system(audit_ctx *a)
{
	const char *path = config_get(a->e->cfg, "codicil.target.system");

	if (!path || !*path)
		return 0;
	if (store_read_worktree(a->e->s, path, &a->system_text) < 0) {
		cd_err_prefix("codicil.target.system");
		return -1;
	}
	a->system = cd_buf_cstr(&a->system_text);
	return 0;
}

/* codicil.judges, else codicil.judgeModel, else the client's model; each
 * marked when it shares the target's provider. */
static int load_judges(audit_ctx *a)
{
	const char **list;
	size_t n;
	static const char *one[1];

	if (config_get_all(a->e->cfg, "codicil.judges", &list, &n) < 0)
		return -1;
	if (!n) {
		one[0] = config_get(a->e->cfg, "codicil.judgeModel");
		if (!one[0] || !*one[0])
			one[0] = llm_client_model(a->e->client);
		list = one;
		n = 1;
	}
	a->judges = list;
	a->njudges = n;
	a->judge_calls = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "provider", llm_client_provider(a->e->client));
		cJSON_AddStringToObject(j, "model", list[i]);
		cJSON_AddBoolToObject(j, "own_provider", !strcmp(llm_client_provider(a->e->client),
								 llm_client_provider(a->e->target)));
		cJSON_AddItemToArray(a->judge_calls, j);
	}
	return 0;
}

int audit__open(audit_ctx *a, const audit_env *e)
{
	const char *wd = store_workdir(e->s);

	memset(a, 0, sizeof *a);
	a->e = e;
	a->system_text = (cd_buf)CD_BUF_INIT;
	a->steer = (cd_buf)CD_BUF_INIT;
	if (workspace_load(e->s, workspace_charter_path(e->cfg), "HEAD", 1, &a->ch) < 0 ||
	    workspace_max_charter_bytes(e->cfg, &a->max_charter_bytes) < 0 ||
	    prompt_load(wd, "audit_scenarios", &a->p_scenarios) < 0 ||
	    prompt_load(wd, "audit_user", &a->p_user) < 0 ||
	    prompt_load(wd, "audit_judge", &a->p_judge) < 0 || load_system(a) < 0 ||
	    load_judges(a) < 0)
		return -1;
	return 0;
}

void audit__close(audit_ctx *a)
{
	for (size_t i = 0; i < a->n; i++) {
		convo *c = &a->cv[i];
		cJSON_Delete(c->principles);
		cJSON_Delete(c->transcript);
		cJSON_Delete(c->target_call);
		free(c->situation);
		free(c->error);
		for (size_t k = 0; k < a->njudges; k++) {
			if (c->judged)
				cJSON_Delete(c->judged[k]);
			if (c->judge_error)
				free(c->judge_error[k]);
		}
		free(c->judged);
		free(c->judge_error);
	}
	free(a->cv);
	charter_free(a->ch);
	prompt_clear(&a->p_scenarios);
	prompt_clear(&a->p_user);
	prompt_clear(&a->p_judge);
	cd_buf_clear(&a->system_text);
	cd_buf_clear(&a->steer);
	free(a->theory);
	cJSON_Delete(a->auditor_call);
	cJSON_Delete(a->judge_calls);
	memset(a, 0, sizeof *a);
}

convo *audit__add(audit_ctx *a, const cJSON *principles, const char *situation,
		  const char *opening, unsigned sample)
{
	convo *c;

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		convo *g = realloc(a->cv, cap * sizeof *g);
		if (!g)
			return NULL;
		a->cv = g;
		a->cap = cap;
	}
	c = memset(&a->cv[a->n++], 0, sizeof *c);
	c->principles = cJSON_Duplicate(principles, 1);
	c->situation = strdup(situation ? situation : "");
	c->transcript = cJSON_CreateArray();
	c->sample = sample;
	if (opening && *opening) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", "user");
		cJSON_AddStringToObject(m, "content", opening);
		cJSON_AddItemToArray(c->transcript, m);
	}
	return c;
}

/* ---- the cases ---- */

/* What identifies a conversation: the target and what was said. */
static void convo_key(const convo *c, char out[CD_SHA256_HEX])
{
	cd_buf text = CD_BUF_INIT;

	cd_buf_printf(&text, "%s\n%s\n", cd_json_str(c->target_call, "provider"),
		      cd_json_str(c->target_call, "model"));
	audit__conversation_text(c->transcript, &text);
	cd_sha256_hex(text.data ? text.data : "", text.len, out);
	cd_buf_clear(&text);
}

static int known_key(const case_library *lib, const char *key)
{
	for (size_t i = 0; i < lib->n; i++)
		if (case_get_kind(lib->cases[i]) == CASE_BEHAVIOUR &&
		    !strcmp(cd_json_str(cJSON_GetObjectItemCaseSensitive(lib->cases[i], "audit"), "key") ?
				    cd_json_str(cJSON_GetObjectItemCaseSensitive(lib->cases[i], "audit"),
						"key") : "", key))
			return 1;
	return 0;
}

/* text cut to at most max bytes at a character boundary, for a field
 * with a length limit (the whole conversation is in the transcript) */
static char *clip(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	char *out;

	if (n > max) {
		n = max;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if ((out = malloc(n + 1))) {
		memcpy(out, s ? s : "", n);
		out[n] = '\0';
	}
	return out;
}

static const char *last_of(const cJSON *transcript, const char *role)
{
	const cJSON *m;
	const char *last = "";

	cJSON_ArrayForEach(m, transcript)
		if (!strcmp(cd_json_str(m, "role") ? cd_json_str(m, "role") : "", role))
			last = cd_json_str(m, "content") ? cd_json_str(m, "content") : "";
	return last;
}

/* The panel's reasoning on the principles that failed, with the quotes. */
static void rationale(const cJSON *panel, cd_buf *out)
{
	const cJSON *v, *j;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(panel, "verdicts")) {
		if (!strcmp(cd_json_str(v, "verdict"), "complies"))
			continue;
		cd_buf_printf(out, "%s%s %s", out->len ? " " : "", cd_json_str(v, "principle"),
			      cd_json_str(v, "verdict"));
		if (*cd_json_str(v, "quote"))
			cd_buf_printf(out, " (\"%s\")", cd_json_str(v, "quote"));
		j = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(v, "judges"), 0);
		cd_buf_printf(out, ": %s", cd_json_str(j, "reasoning") ? cd_json_str(j, "reasoning") : "");
	}
}

static cJSON *behaviour_case(audit_ctx *a, const convo *c, cJSON *panel, const char *key,
			     int turns)
{
	size_t np = 0;
	const char **ids = calloc((size_t)cJSON_GetArraySize(c->principles) + 1, sizeof *ids);
	const cJSON *p;
	cd_buf scen = CD_BUF_INIT, said = CD_BUF_INIT, why = CD_BUF_INIT;
	char *scenario, *literal, *reason, *expected, now[CASE_TIME_SIZE];
	cJSON *cs = NULL, *models, *audit;
	case_fields f;
	case_provenance prov = { 0 };

	cJSON_ArrayForEach(p, c->principles)
		if (ids && cJSON_IsString(p))
			ids[np++] = p->valuestring;
	cd_buf_printf(&scen, "%s The user says: %s", c->situation,
		      cd_json_str(cJSON_GetArrayItem(c->transcript, 0), "content"));
	cd_buf_printf(&said, "The model answered: %s", last_of(c->transcript, "assistant"));
	rationale(panel, &why);
	scenario = clip(scen.data, 3900);
	literal = clip(said.data, 3900);
	reason = clip(why.len ? why.data : "The judges could not tell.", 3900);
	expected = clip(*cd_json_str(panel, "expected") ? cd_json_str(panel, "expected")
							: "A reply that follows the principles.", 3900);
	case_time_now(now);
	prov = (case_provenance){ .provider = cd_json_str(a->auditor_call, "provider"),
				  .model = cd_json_str(a->auditor_call, "model"),
				  .endpoint_host = cd_json_str(a->auditor_call, "endpoint_host"),
				  .prompt_name = a->p_judge.name, .prompt_sha256 = a->p_judge.sha256,
				  .created = now };
	f = (case_fields){ .principles = ids, .nprinciples = np, .scenario = scenario,
			   .literal_reading = literal, .expected = expected, .rationale = reason,
			   .severity = cd_json_int(panel, "severity", 3), .theory = a->theory };
	if (ids && scenario && literal && reason && expected && (cs = case_new(CASE_BEHAVIOUR, &f, &prov))) {
		cJSON_AddItemToObject(cs, "transcript", cJSON_Duplicate(c->transcript, 1));
		cJSON_AddItemToObject(cs, "verdicts", cJSON_DetachItemFromObject(panel, "verdicts"));
		cJSON_AddItemToObject(cs, "suggestion", cJSON_DetachItemFromObject(panel, "suggestion"));
		models = cJSON_AddObjectToObject(cs, "models");
		cJSON_AddItemToObject(models, "auditor", cJSON_Duplicate(a->auditor_call, 1));
		cJSON_AddItemToObject(models, "target", cJSON_Duplicate(c->target_call, 1));
		cJSON_AddItemToObject(models, "judges", cJSON_Duplicate(a->judge_calls, 1));
		audit = cJSON_AddObjectToObject(cs, "audit");
		cJSON_AddStringToObject(audit, "key", key);
		cJSON_AddNumberToObject(audit, "turns", turns);
		if (a->system) {
			char sha[CD_SHA256_HEX];
			cd_sha256_hex(a->system, strlen(a->system), sha);
			cJSON_AddStringToObject(audit, "system_sha256", sha);
		} else {
			cJSON_AddNullToObject(audit, "system_sha256");
		}
		cJSON_AddBoolToObject(audit, "split", cd_json_bool(panel, "split", 0));
		cJSON_AddNullToObject(cs, "triage");
	}
	free(ids);
	free(scenario);
	free(literal);
	free(reason);
	free(expected);
	cd_buf_clear(&scen);
	cd_buf_clear(&said);
	cd_buf_clear(&why);
	return cs;
}

/* How the panel found the conversation: 2 violates, 1 unclear, 0 complies. */
static int worst(const cJSON *panel)
{
	const cJSON *v;
	int w = 0;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(panel, "verdicts")) {
		const char *s = cd_json_str(v, "verdict");
		if (!strcmp(s, "violates"))
			w = 2;
		else if (!strcmp(s, "unclear") && w < 1)
			w = 1;
	}
	return w;
}

static int commit_cases(audit_ctx *a, cJSON **cases, size_t n, audit_result *r)
{
	store_change *ch = NULL;
	cd_buf *texts = NULL, msg = CD_BUF_INIT, target = CD_BUF_INIT, auditor = CD_BUF_INIT;
	cd_buf *judges = calloc(a->njudges + 1, sizeof *judges);
	store_trailer *tr = calloc(a->njudges + 3, sizeof *tr);
	size_t ntr = 0;
	int rc = -1;

	if (!judges || !tr || case_changes_build(cases, n, &ch, &texts) < 0)
		goto out;
	cd_buf_printf(&target, "%s/%s", llm_client_provider(a->e->target),
		      llm_client_model(a->e->target));
	cd_buf_printf(&auditor, "%s/%s", llm_client_provider(a->e->client), llm_client_model(a->e->client));
	cd_buf_printf(&msg, "Audit %s: %zu behaviour case%s\n\n%zu conversation%s, %zu violated "
		      "a principle, %zu unclear; judged by %zu model%s.\n", target.data, n,
		      n == 1 ? "" : "s", r->conversations, r->conversations == 1 ? "" : "s",
		      r->violations, r->unclear, a->njudges, a->njudges == 1 ? "" : "s");
	tr[ntr++] = (store_trailer){ "Codicil-Model", auditor.data };
	tr[ntr++] = (store_trailer){ "Codicil-Target", target.data };
	for (size_t k = 0; k < a->njudges; k++) {
		cd_buf_printf(&judges[k], "%s/%s", llm_client_provider(a->e->client), a->judges[k]);
		tr[ntr++] = (store_trailer){ "Codicil-Judge", judges[k].data };
	}
	if (store_lock(a->e->s) == 0) {
		rc = store_commit(a->e->s, ch, n, msg.data, tr, ntr, r->commit);
		store_unlock(a->e->s);
	}
out:
	case_changes_free(ch, texts, n);
	for (size_t k = 0; judges && k < a->njudges; k++)
		cd_buf_clear(&judges[k]);
	free(judges);
	free(tr);
	cd_buf_clear(&msg);
	cd_buf_clear(&target);
	cd_buf_clear(&auditor);
	return rc;
}

/* The behaviour cases of the judged conversations; those already in the
 * library (an audit run again) are counted, not added. */
static int collect(audit_ctx *a, int turns, audit_result *r)
{
	case_library lib = { 0 };
	cJSON **cases = calloc(a->n + 1, sizeof *cases);
	size_t n = 0;
	int rc = -1;

	if (!cases || workspace_load_cases(a->e->s, &lib) < 0)
		goto out;
	for (size_t i = 0; i < a->n; i++) {
		convo *c = &a->cv[i];
		cJSON *panel = c->error ? NULL : audit__panel(a, c);
		char key[CD_SHA256_HEX];
		int w;
		if (!panel) {
			r->errors++;
			continue;
		}
		w = worst(panel);
		r->violations += w == 2;
		r->unclear += w == 1;
		r->complied += w == 0;
		r->splits += cd_json_bool(panel, "split", 0);
		convo_key(c, key);
		if (w || cd_json_bool(panel, "split", 0)) {
			if (known_key(&lib, key))
				r->repeated++;
			else if ((cases[n] = behaviour_case(a, c, panel, key, turns)))
				n++;
		}
		cJSON_Delete(panel);
	}
	rc = n ? commit_cases(a, cases, n, r) : 0;
	if (rc == 0 && n && (r->case_ids = calloc(n, sizeof *r->case_ids)))
		for (size_t i = 0; i < n; i++)
			r->case_ids[r->ncases++] = strdup(case_id(cases[i]));
out:
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(cases[i]);
	free(cases);
	case_library_clear(&lib);
	return rc;
}

int audit_run(const audit_env *e, const audit_opts *o, audit_result *out)
{
	audit_ctx a;
	int turns = o->turns > 0 ? o->turns : 1, rc;

	memset(out, 0, sizeof *out);
	rc = audit__open(&a, e);
	if (rc == 0)
		rc = audit__scenarios(&a, o);
	if (rc == 0 && a.n == 0) {
		cd_err_set("no scenarios to audit%s", o->cases ? ": no case matches --cases" : "");
		rc = -1;
	}
	for (int t = 1; rc == 0 && t <= turns && !llm_client_stopped(e->client) &&
			!llm_client_stopped(e->target); t++)
		rc = audit__turn(&a, t);
	if (rc == 0) {
		out->conversations = a.n;
		out->own_provider = cd_json_bool(cJSON_GetArrayItem(a.judge_calls, 0), "own_provider", 0);
		rc = audit__judge(&a);
	}
	if (rc == 0)
		rc = collect(&a, turns, out);
	audit__close(&a);
	return rc;
}

void audit_result_clear(audit_result *r)
{
	for (size_t i = 0; i < r->ncases; i++)
		free(r->case_ids[i]);
	free(r->case_ids);
	memset(r, 0, sizeof *r);
}
