/* loop_phases.c — the phases of a round (loop.h), each the engine's
 * ordinary function for the job: batch_run, judge_cases, theorize_run,
 * amend_propose, amend_accept_auto.  What a phase learns goes into the
 * round's plan in the state, which loop.c saves after every phase. */
#include "loop_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/aggregate.h"
#include "codicil/amend.h"
#include "codicil/autonomy.h"
#include "codicil/batch.h"
#include "codicil/error.h"
#include "codicil/judge.h"
#include "codicil/json.h"
#include "codicil/proposal.h"
#include "codicil/theorize.h"
#include "codicil/workspace.h"

static cJSON *plan_of(loop_ctx *c)
{
	return cJSON_GetObjectItemCaseSensitive(c->st, "plan");
}

cJSON *loop_array(cJSON *st, const char *key)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(st, key);

	return cJSON_IsArray(a) ? a : cJSON_AddArrayToObject(st, key);
}

int loop_has(const cJSON *arr, const char *s)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && !strcmp(it->valuestring, s))
			return 1;
	return 0;
}

static void push(cJSON *arr, const char *s)
{
	if (arr && !loop_has(arr, s))
		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

/* ---- generate ---- */

typedef struct units {
	gen_unit *u;
	const char ***targets;
	cd_buf *steer;
	size_t n;
} units;

static void units_clear(units *us)
{
	for (size_t i = 0; i < us->n; i++) {
		free(us->targets[i]);
		cd_buf_clear(&us->steer[i]);
	}
	free(us->u);
	free(us->targets);
	free(us->steer);
}

/* theory t's steering text into out; 0, or -1 when it is gone or retired. */
static int steering(store *s, const char *id, cd_buf *out)
{
	cJSON *t = workspace_active_theory(s, id);
	int rc = t ? theory_steer(t, out) : -1;

	cd_err_clear();
	cJSON_Delete(t);
	return rc;
}

/* The plan's units as gen_units; a principle the charter no longer has, or
 * a theory retired since, leaves its unit out. */
static int build_units(loop_ctx *c, gen_ctx *g, const cJSON *plan, units *us)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(plan, "units"), *it;
	size_t n = (size_t)cJSON_GetArraySize(arr);

	us->u = calloc(n + 1, sizeof *us->u);
	us->targets = calloc(n + 1, sizeof *us->targets);
	us->steer = calloc(n + 1, sizeof *us->steer);
	if (!us->u || !us->targets || !us->steer) {
		cd_err_set("out of memory");
		return -1;
	}
	cJSON_ArrayForEach(it, arr) {
		const cJSON *ps = cJSON_GetObjectItemCaseSensitive(it, "principles"), *p;
		const char *theory = cd_json_str(it, "theory");
		gen_unit *u = &us->u[us->n];
		size_t np = 0;

		us->steer[us->n] = (cd_buf)CD_BUF_INIT;
		if (!(us->targets[us->n] = calloc((size_t)cJSON_GetArraySize(ps) + 1, sizeof(char *))))
			return -1;
		cJSON_ArrayForEach(p, ps)
			if (cJSON_IsString(p) && charter_find(g->charter, p->valuestring))
				us->targets[us->n][np++] = p->valuestring;
		if (!np || (theory && steering(c->s, theory, &us->steer[us->n]) < 0)) {
			free(us->targets[us->n]);
			cd_buf_clear(&us->steer[us->n]);
			continue;
		}
		*u = (gen_unit){ .principles = us->targets[us->n], .nprinciples = np,
				 .n = (int)c->n, .kind = CASE_COUNTEREXAMPLE,
				 .sample = (unsigned)cd_json_long(it, "sample", 0), .theory = theory,
				 .steer = theory ? us->steer[us->n].data : NULL };
		gen_unit_key(u);
		us->n++;
	}
	return 0;
}

int loop_generate(loop_ctx *c)
{
	cJSON *plan = plan_of(c), *fresh = loop_array(plan, "new_cases");
	const char *journal = cd_json_str(plan, "journal");
	gen_ctx g = { 0 };
	units us = { 0 };
	batch_opts bo = { 0 };
	batch_result r = { 0 };
	int rc = -1;

	if (gen_open(c->s, c->cfg, c->client, &g) < 0 || gen_use_prompt(&g, "generate") < 0 ||
	    build_units(c, &g, plan, &us) < 0)
		goto out;
	bo.units = us.u;
	bo.nunits = us.n;
	bo.journal_path = journal;
	bo.run = cd_json_str(c->st, "run");
	bo.select = access(journal, F_OK) == 0 ? BATCH_RESUME : BATCH_NEW;
	bo.commit = 1;
	rc = batch_run(&g, &bo, &r);
	for (size_t i = 0; i < r.ncases; i++)
		push(fresh, r.case_ids[i]);
	cd_json_add_to(plan, "duplicates", (double)r.duplicates);
	cd_json_add_to(plan, "failed_requests", (double)r.failed);
	if (rc == 0 && r.remaining && !llm_client_stopped(c->client)) {
		cd_err_set("%zu generation request%s of round %ld failed (journal %s)", r.remaining,
			   r.remaining == 1 ? "" : "s", cd_json_long(c->st, "round", 0), journal);
		rc = -1;
	}
out:
	batch_result_clear(&r);
	units_clear(&us);
	gen_close(&g);
	return rc;
}

/* ---- judge ---- */

static int read_cases(store *s, const cJSON *ids, cJSON ***out, size_t *n)
{
	const cJSON *it;

	*n = 0;
	if (!(*out = calloc((size_t)cJSON_GetArraySize(ids) + 1, sizeof **out)))
		return -1;
	cJSON_ArrayForEach(it, ids) {
		cJSON *c = cJSON_IsString(it) ? workspace_case_read(s, it->valuestring) : NULL;
		if (c)
			(*out)[(*n)++] = c;
		cd_err_clear(); /* a case removed since is no longer this round's */
	}
	return 0;
}

int loop_judge(loop_ctx *c)
{
	cJSON *plan = plan_of(c), *supported = loop_array(plan, "supported");
	cJSON **cases = NULL;
	judgment *js = NULL;
	judge_ctx jc = { 0 };
	cd_buf text = CD_BUF_INIT;
	size_t n = 0;
	int rc = -1;

	if (read_cases(c->s, cJSON_GetObjectItemCaseSensitive(plan, "new_cases"), &cases, &n) < 0)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (!(js = calloc(n, sizeof *js)) || judge_open(c->s, c->cfg, c->client, &jc) < 0 ||
	    store_read(c->s, "HEAD", workspace_charter_path(c->cfg), &text) < 0 ||
	    judge_cases(&jc, text.data, text.len, cases, n, js) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (js[i].verdict == VERDICT_ERROR)
			cd_json_add_to(plan, "judge_errors", 1);
		else if (js[i].verdict == VERDICT_MISHANDLED &&
			 js[i].confidence >= c->judge_confidence)
			push(supported, case_id(cases[i]));
		judgment_clear(&js[i]);
	}
	rc = 0;
out:
	judge_close(&jc);
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(cases[i]);
	free(cases);
	free(js);
	cd_buf_clear(&text);
	return rc;
}

/* ---- theorize --update ---- */

int loop_theorize(loop_ctx *c)
{
	theorize_opts to = { .ask = 0 };
	theorize_result tr;
	int rc = theorize_run(c->s, c->cfg, NULL, &to, &tr);

	if (rc == 0)
		cd_json_add_to(plan_of(c), "theories_retired", (double)tr.nretired);
	theorize_result_clear(&tr);
	return rc;
}

/* ---- amend ---- */

/* Every case a proposal holds, pending or accepted. */
static int proposed_cases(store *s, cJSON *out)
{
	proposal_list pl = { 0 };
	cd_buf dir = CD_BUF_INIT;
	int rc = -1;

	if (cd_buf_printf(&dir, "%s%s", store_workdir(s), PROPOSAL_DIR) == 0 &&
	    proposal_list_load(dir.data, &pl) == 0) {
		for (size_t i = 0; i < pl.n; i++) {
			const char *st = cd_json_str(pl.items[i], "status");
			const cJSON *id;
			if (!st || !strcmp(st, "rejected"))
				continue;
			cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(pl.items[i], "cases"))
				if (cJSON_IsString(id))
					push(out, id->valuestring);
		}
		rc = 0;
	}
	proposal_list_clear(&pl);
	cd_buf_clear(&dir);
	return rc;
}

static int cites(const cJSON *c, const char *id)
{
	return loop_has(cJSON_GetObjectItemCaseSensitive(c, "principles"), id);
}

/* Confirmed, or the raters' consensus reaches aggregateConfirm, or the
 * judge supports it this round; and open to an amendment. */
static int ready(loop_ctx *c, const cJSON *cs, const agg_result *agg, const cJSON *supported)
{
	const agg_case *ac = agg_result_find(agg, case_id(cs));
	case_status st = case_get_status(cs);
	case_kind k = case_get_kind(cs);

	if (st == CASE_RESOLVED || st == CASE_DISMISSED ||
	    (k != CASE_COUNTEREXAMPLE && k != CASE_TENSION))
		return 0;
	return st == CASE_CONFIRMED || (ac && ac->p >= c->confirm) ||
	       loop_has(supported, case_id(cs));
}

#define GROUP_MAX 4

/* Up to GROUP_MAX ready cases citing principle pid that no proposal holds
 * and no earlier group took, into ids. */
static void group_for(loop_ctx *c, const char *pid, const case_library *lib,
		      const agg_result *agg, cJSON *taken, const char **ids, size_t *n)
{
	const cJSON *supported = cJSON_GetObjectItemCaseSensitive(plan_of(c), "supported");

	*n = 0;
	for (size_t i = 0; i < lib->n && *n < GROUP_MAX; i++) {
		const cJSON *cs = lib->cases[i];
		if (!cites(cs, pid) || loop_has(taken, case_id(cs)) || !ready(c, cs, agg, supported))
			continue;
		ids[(*n)++] = case_id(cs);
		push(taken, case_id(cs));
	}
}

static int propose(loop_ctx *c, const char **ids, size_t n)
{
	amend_env e = { .store = c->s, .cfg = c->cfg, .client = c->client };
	amend_opts ao = { .cases = ids, .ncases = n };
	amend_outcome out = { 0 };
	cJSON *plan = plan_of(c);
	int rc = amend_propose(&e, &ao, &out);

	if (rc == 0) {
		push(loop_array(plan, "proposals"), proposal_id(out.proposal));
		rc = loop_state_save(c->s, c->st); /* before anything else can go wrong */
	} else if (!llm_client_stopped(c->client)) {
		/* one amendment that failed is reported, and the round goes on */
		push(loop_array(plan, "amend_errors"), cd_err_msg());
		rc = 0;
	}
	amend_outcome_clear(&out);
	return rc;
}

int loop_amend(loop_ctx *c)
{
	cJSON *plan = plan_of(c), *taken = cJSON_CreateArray();
	const cJSON *pid;
	case_library lib = { 0 };
	agg_settings as;
	agg_result agg = { 0 };
	const char *ids[GROUP_MAX];
	size_t n;
	int rc = -1;

	if (!taken || proposed_cases(c->s, taken) < 0 || agg_settings_load(c->cfg, &as) < 0 ||
	    workspace_load_cases(c->s, &lib) < 0 || aggregate_library(&lib, &as, &agg) < 0)
		goto out;
	rc = 0;
	cJSON_ArrayForEach(pid, cJSON_GetObjectItemCaseSensitive(plan, "principles")) {
		if (cJSON_GetArraySize(loop_array(plan, "proposals")) >= c->max_proposals ||
		    llm_client_stopped(c->client))
			break;
		group_for(c, pid->valuestring, &lib, &agg, taken, ids, &n);
		if (n && (rc = propose(c, ids, n)) < 0)
			break;
	}
out:
	cJSON_Delete(taken);
	agg_result_clear(&agg);
	case_library_clear(&lib);
	return rc;
}

/* ---- accept, under auto-meta ---- */

int loop_accept(loop_ctx *c)
{
	cJSON *plan = plan_of(c), *accepted = loop_array(plan, "accepted");
	cJSON *held = cd_json_child(plan, "held");
	const cJSON *id;
	cd_buf rule = CD_BUF_INIT, why = CD_BUF_INIT;
	int permitted = autonomy_meta_rule(c->s, "HEAD", &rule), rc = 0;

	if (permitted <= 0) {
		cd_buf_clear(&rule);
		if (permitted == 0)
			loop_set(plan, "autonomy", cJSON_CreateString(
				"not permitted: META.md has no rule with autonomy=auto-meta"));
		return permitted;
	}
	cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(plan, "proposals")) {
		amend_outcome out = { 0 };
		cJSON *p = NULL;
		if (loop_has(accepted, id->valuestring) ||
		    cJSON_GetObjectItemCaseSensitive(held, id->valuestring))
			continue;
		cd_buf_reset(&why);
		if (amend_load(c->s, id->valuestring, &p) == 0 &&
		    cd_json_str(cJSON_GetObjectItemCaseSensitive(p, "decision"), "autonomy"))
			push(accepted, id->valuestring); /* accepted before a kill */
		else if (p && autonomy_passes(p, &why) &&
			 amend_accept_auto(c->s, id->valuestring, &out) == 0)
			push(accepted, id->valuestring);
		else
			cJSON_AddStringToObject(held, id->valuestring, why.len ? why.data : cd_err_msg());
		cJSON_Delete(p);
		amend_outcome_clear(&out);
		if ((rc = loop_state_save(c->s, c->st)) < 0)
			break;
	}
	cd_buf_clear(&rule);
	cd_buf_clear(&why);
	return rc;
}
