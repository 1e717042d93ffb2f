/* loop.c — the rounds of continuous mode (loop.h): the phases in order,
 * the state saved after each, the spend accounted to the round, and the
 * stops: the round count, the deadline, the budget. */
#include "loop_int.h"

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "codicil/aggregate.h"
#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/json.h"

typedef int (*phase_fn)(loop_ctx *c);

static const struct phase {
	const char *name, *next;
	phase_fn run;
	const char *doing;
} phases[] = {
	{ "plan", "generate", loop_plan, "choosing principles" },
	{ "generate", "judge", loop_generate, "generating cases" },
	{ "judge", "theorize", loop_judge, "judging the new cases" },
	{ "theorize", "amend", loop_theorize, "refreshing theory hits" },
	{ "amend", "accept", loop_amend, "drafting amendments" },
	{ "accept", "report", loop_accept, "accepting what META.md permits" },
};

static const struct phase *find_phase(const char *name)
{
	for (size_t i = 0; name && i < sizeof phases / sizeof *phases; i++)
		if (!strcmp(phases[i].name, name))
			return &phases[i];
	return NULL;
}

/* ---- spend, accounted to the round and the loop ---- */

typedef struct meter {
	llm_spend spend;
	size_t cached;
} meter;

static void meter_read(llm_client *client, meter *m)
{
	llm_client_stats st;

	llm_client_spend_get(client, &m->spend);
	llm_client_stats_get(client, &st);
	m->cached = st.cached;
}

static void add_spend(cJSON *o, const meter *now, const meter *then)
{
	cJSON *sp = cd_json_child(o, "spent");

	cd_json_add_to(sp, "requests", (double)(now->spend.paid - then->spend.paid));
	cd_json_add_to(sp, "cached", (double)(now->cached - then->cached));
	cd_json_add_to(sp, "input_tokens", (double)(now->spend.input_tokens - then->spend.input_tokens));
	cd_json_add_to(sp, "output_tokens",
		       (double)(now->spend.output_tokens - then->spend.output_tokens));
	cd_json_add_to(sp, "usd", now->spend.usd - then->spend.usd);
}

static void account(loop_ctx *c, meter *last)
{
	meter now;

	meter_read(c->client, &now);
	add_spend(cJSON_GetObjectItemCaseSensitive(c->st, "plan"), &now, last);
	add_spend(c->st, &now, last);
	*last = now;
}

/* ---- the round's report ---- */

static double per(double n, double of)
{
	return of > 0 ? n / of : NAN;
}

/* {round, principles, requests, cached, input_tokens, output_tokens, usd,
 *  new_cases, supported, proposals, accepted, held, yield: {...},
 *  complete, stopped} */
static cJSON *round_report(loop_ctx *c, int complete, const char *stopped)
{
	cJSON *plan = cJSON_GetObjectItemCaseSensitive(c->st, "plan"), *r = cJSON_CreateObject();
	const cJSON *sp = cJSON_GetObjectItemCaseSensitive(plan, "spent");
	double tokens = cd_json_num(sp, "input_tokens", 0) + cd_json_num(sp, "output_tokens", 0);
	double usd = cd_json_num(sp, "usd", 0);
	double cases = (double)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(plan, "new_cases"));
	double props = (double)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(plan, "proposals"));
	static const char *const copied[] = { "principles", "new_cases", "supported", "proposals",
					       "accepted", "held", "amend_errors", NULL };
	const char *autonomy = cd_json_str(plan, "autonomy");
	cJSON *y;

	cJSON_AddNumberToObject(r, "round", cd_json_num(c->st, "round", 0));
	cJSON_AddNumberToObject(r, "requests", cd_json_num(sp, "requests", 0));
	cJSON_AddNumberToObject(r, "cached", cd_json_num(sp, "cached", 0));
	cJSON_AddNumberToObject(r, "input_tokens", cd_json_num(sp, "input_tokens", 0));
	cJSON_AddNumberToObject(r, "output_tokens", cd_json_num(sp, "output_tokens", 0));
	cd_json_add_rounded(r, "usd", usd > 0 ? usd : NAN, 4);
	for (size_t i = 0; copied[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(plan, copied[i]);
		cJSON_AddItemToObject(r, copied[i], v ? cJSON_Duplicate(v, 1)
						      : !strcmp(copied[i], "held") ? cJSON_CreateObject()
										   : cJSON_CreateArray());
	}
	cJSON_AddNumberToObject(r, "duplicates", cd_json_num(plan, "duplicates", 0));
	if (autonomy) /* why auto-meta accepted nothing */
		cJSON_AddStringToObject(r, "autonomy", autonomy);
	y = cJSON_AddObjectToObject(r, "yield");
	cd_json_add_rounded(y, "cases_per_mtok", per(cases * 1e6, tokens), 3);
	cd_json_add_rounded(y, "proposals_per_mtok", per(props * 1e6, tokens), 3);
	cd_json_add_rounded(y, "cases_per_usd", usd > 0 ? per(cases, usd) : NAN, 3);
	cd_json_add_rounded(y, "proposals_per_usd", usd > 0 ? per(props, usd) : NAN, 3);
	cJSON_AddBoolToObject(r, "complete", complete);
	if (stopped)
		cJSON_AddStringToObject(r, "stopped", stopped);
	else
		cJSON_AddNullToObject(r, "stopped");
	return r;
}

static void report(loop_ctx *c, int complete, const char *stopped)
{
	cJSON *r = round_report(c, complete, stopped);

	if (c->o->report && r)
		c->o->report(c->o->ud, r);
	if (complete && r)
		cJSON_AddItemToArray(loop_array(c->st, "rounds"), r);
	else
		cJSON_Delete(r);
}

/* ---- the state at the start ---- */

static cJSON *options_json(const loop_opts *o, const loop_ctx *c)
{
	cJSON *j = cJSON_CreateObject(), *ps = cJSON_AddArrayToObject(j, "principles");

	cJSON_AddNumberToObject(j, "rounds", (double)o->rounds);
	cJSON_AddNumberToObject(j, "until", (double)o->until);
	cJSON_AddStringToObject(j, "autonomy", o->autonomy == LOOP_AUTO_META ? "auto-meta" : "review");
	for (size_t i = 0; i < o->nprinciples; i++)
		cJSON_AddItemToArray(ps, cJSON_CreateString(o->principles[i]));
	cJSON_AddNumberToObject(j, "per_round", (double)c->per_round);
	cJSON_AddNumberToObject(j, "samples", (double)c->samples);
	cJSON_AddNumberToObject(j, "n", (double)c->n);
	return j;
}

static cJSON *fresh_state(const loop_opts *o, const loop_ctx *c)
{
	cJSON *st = cJSON_CreateObject();
	char run[CD_ID_SIZE];

	cd_id_new('r', run);
	cJSON_AddStringToObject(st, "run", run);
	cJSON_AddItemToObject(st, "options", options_json(o, c));
	cJSON_AddNumberToObject(st, "round", 1);
	cJSON_AddStringToObject(st, "phase", "plan");
	cJSON_AddArrayToObject(st, "rounds");
	return st;
}

/* The state to run: a new loop, or the interrupted one with --resume. */
static int begin(loop_ctx *c, const loop_opts *o)
{
	cJSON *old = loop_state_load(c->s);
	const char *phase = old ? cd_json_str(old, "phase") : NULL;
	int unfinished = phase && strcmp(phase, "done");

	if (!old && cd_err_msg()[0] && o->resume)
		return -1;
	if (old && unfinished && loop_state_alive(old)) {
		cd_err_set("a loop is running in this repository (pid %ld, round %ld); wait for it, "
			   "or stop it", cd_json_long(old, "pid", 0), cd_json_long(old, "round", 0));
		cJSON_Delete(old);
		return -1;
	}
	if (o->resume && !unfinished) {
		cd_err_set("no interrupted loop to resume: start one with 'codicil loop'");
		cJSON_Delete(old);
		return -1;
	}
	if (!o->resume && unfinished && !o->restart) {
		cd_err_set("the loop %s stopped in round %ld (%s); continue it with 'codicil loop "
			   "--resume', or start a new one with --restart", cd_json_str(old, "run"),
			   cd_json_long(old, "round", 0), phase);
		cJSON_Delete(old);
		return -1;
	}
	if (o->resume) {
		c->st = old;
	} else {
		cJSON_Delete(old);
		c->st = fresh_state(o, c);
	}
	return c->st && loop_set(c->st, "pid", cJSON_CreateNumber((double)getpid())) == 0 ? 0 : -1;
}

/* ---- the rounds ---- */

static long opt_long(const cJSON *st, const char *key, long given)
{
	return given ? given : cd_json_long(cJSON_GetObjectItemCaseSensitive(st, "options"), key, 0);
}

/* Why the loop stops before the next phase, or NULL. */
static const char *stop_reason(loop_ctx *c)
{
	time_t until = (time_t)opt_long(c->st, "until", (long)c->o->until);

	if (llm_client_stopped(c->client))
		return llm_client_stopped(c->client);
	if (until && time(NULL) >= until)
		return "time";
	return NULL;
}

static int settings(loop_ctx *c)
{
	agg_settings as;

	if (config_get_setting_double(c->cfg, "codicil.loopJudgeConfidence", &c->judge_confidence) < 0 ||
	    config_get_setting_long(c->cfg, "codicil.loopProposals", &c->max_proposals) < 0 ||
	    agg_settings_load(c->cfg, &as) < 0)
		return -1;
	c->confirm = as.confirm;
	return 0;
}

/* One phase, then the state saved; 1 when the round ended. */
static int step(loop_ctx *c, loop_result *out, meter *m)
{
	const struct phase *ph = find_phase(cd_json_str(c->st, "phase"));
	const char *autonomy = cd_json_str(cJSON_GetObjectItemCaseSensitive(c->st, "options"),
					   "autonomy");
	int review = !autonomy || strcmp(autonomy, "auto-meta");

	if (!ph) { /* "report": the round is over */
		report(c, 1, NULL);
		out->rounds++;
		cJSON_DeleteItemFromObjectCaseSensitive(c->st, "plan");
		loop_set(c->st, "round", cJSON_CreateNumber(cd_json_num(c->st, "round", 1) + 1));
		loop_set(c->st, "phase", cJSON_CreateString("plan"));
		return loop_state_save(c->s, c->st) < 0 ? -1 : 1;
	}
	if (c->o->progress && !(ph->run == loop_accept && review)) {
		char line[160];
		snprintf(line, sizeof line, "round %ld: %s", cd_json_long(c->st, "round", 0), ph->doing);
		c->o->progress(c->o->ud, line);
	}
	if (!(ph->run == loop_accept && review) && ph->run(c) < 0)
		return -1;
	account(c, m);
	if (llm_client_stopped(c->client)) /* the phase did not finish: do it again on --resume */
		return loop_state_save(c->s, c->st);
	loop_set(c->st, "phase", cJSON_CreateString(ph->next));
	if (loop_state_save(c->s, c->st) < 0)
		return -1;
	store_crash_point(ph->name); /* tests: killed once this phase is saved */
	return 0;
}

int loop_run(store *s, config *cfg, llm_client *client, const loop_opts *o, loop_result *out)
{
	loop_ctx c = { .s = s, .cfg = cfg, .client = client, .o = o,
		       .per_round = o->per_round ? o->per_round : 3,
		       .samples = o->samples ? o->samples : 1, .n = o->n ? o->n : 3 };
	long rounds;
	meter m;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (settings(&c) < 0 || begin(&c, o) < 0)
		return -1;
	c.per_round = opt_long(c.st, "per_round", o->per_round);
	c.samples = opt_long(c.st, "samples", o->samples);
	c.n = opt_long(c.st, "n", o->n);
	rounds = opt_long(c.st, "rounds", o->rounds);
	meter_read(client, &m);
	if (loop_state_save(s, c.st) < 0)
		rc = -1;
	while (rc == 0) {
		const char *why;
		if (!strcmp(cd_json_str(c.st, "phase"), "plan") && rounds &&
		    cJSON_GetArraySize(loop_array(c.st, "rounds")) >= rounds) {
			out->stopped = "rounds";
			break;
		}
		if ((why = stop_reason(&c))) {
			out->stopped = why;
			if (cJSON_GetObjectItemCaseSensitive(c.st, "plan"))
				report(&c, 0, why);
			break;
		}
		rc = step(&c, out, &m) < 0 ? -1 : 0;
	}
	if (out->stopped && !strcmp(out->stopped, "rounds"))
		loop_set(c.st, "phase", cJSON_CreateString("done"));
	loop_set(c.st, "pid", cJSON_CreateNumber(0));
	if (rc == 0 && out->stopped)
		loop_set(c.st, "stopped", cJSON_CreateString(out->stopped));
	if (loop_state_save(s, c.st) < 0)
		rc = -1;
	out->state = c.st;
	return rc;
}

void loop_result_clear(loop_result *r)
{
	cJSON_Delete(r->state);
	memset(r, 0, sizeof *r);
}
