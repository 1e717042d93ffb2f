/* client_meter.c — what calls cost: the budget that holds a call back or
 * stops the run, the spend of every paid answer, and a dry run's
 * estimate (client.h). */
#include "client_int.h"

#include "codicil/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_TOKENS 4096
#define DEFAULT_BYTES_PER_TOKEN 4.0

void llm_client_set_meter(llm_client *c, llm_meter_fn fn, void *ud)
{
	c->meter = fn;
	c->meter_ud = ud;
}

void llm_client_set_estimator(llm_client *c, const llm_estimator *e)
{
	memset(&c->est_from, 0, sizeof c->est_from);
	if (e)
		c->est_from = *e;
}

void llm_client_spend_get(const llm_client *c, llm_spend *out)
{
	*out = c->spent;
}

void llm_client_share_budget(llm_client *a, llm_client *b)
{
	if (a->budget_peer)
		a->budget_peer->budget_peer = NULL;
	if (b->budget_peer)
		b->budget_peer->budget_peer = NULL;
	a->budget_peer = b;
	b->budget_peer = a;
}

/* What counts against the budget: this client's and its peer's. */
static long tokens_held(const llm_client *c)
{
	const llm_client *p = c->budget_peer;
	long t = c->spent.input_tokens + c->spent.output_tokens + c->reserved_tokens;

	return p ? t + p->spent.input_tokens + p->spent.output_tokens + p->reserved_tokens : t;
}

static double usd_held(const llm_client *c, int with_reserved)
{
	const llm_client *p = c->budget_peer;
	double usd = c->spent.usd + (with_reserved ? c->reserved_usd : 0);

	return p ? usd + p->spent.usd + (with_reserved ? p->reserved_usd : 0) : usd;
}

const llm_budget *llm_client_budget(const llm_client *c)
{
	return &c->set.budget;
}

void llm_client_estimate_get(const llm_client *c, llm_estimate *out)
{
	*out = c->est;
}

static int max_output(const llm_request *req)
{
	return req->max_tokens > 0 ? req->max_tokens : DEFAULT_MAX_TOKENS;
}

static long input_estimate(const llm_client *c, size_t body_len)
{
	double bpt = c->est_from.bytes_per_token > 0.5 ? c->est_from.bytes_per_token
						       : DEFAULT_BYTES_PER_TOKEN;
	return (long)((double)body_len / bpt) + 1;
}

static long output_expected(const llm_client *c, const llm_request *req)
{
	double mean = 0;

	if (c->est_from.mean_output && req->schema_name)
		mean = c->est_from.mean_output(c->est_from.ud, req->schema_name);
	if (mean <= 0 || mean > max_output(req))
		return max_output(req);
	return (long)(mean + 0.5);
}

/* The price of the request's model; unknown prices cost 0. */
static llm_price price_of(const llm_client *c, const llm_request *req)
{
	llm_price p;

	llm_settings_price(&c->set, req->model, &p);
	return p;
}

int client_check_budget(llm_client *c)
{
	llm_price p;

	if (c->set.budget.usd <= 0 || !c->set.http)
		return 0;
	llm_settings_price(&c->set, c->set.model, &p);
	if (!p.known) {
		cd_err_set("a budget in dollars needs the price of %s: set "
			   "codicil.price.%s.input and codicil.price.%s.output (dollars per "
			   "million tokens), or give the budget in tokens", c->set.model, c->set.model,
			   c->set.model);
		return -1;
	}
	return 0;
}

/* Sending stops, but what is in flight was admitted and finishes. */
static void stop_for_budget(llm_client *c, long need_tokens, double need_usd)
{
	char cap[64], spent[32], need[32], why[256];

	llm_budget_describe(&c->set.budget, cap, sizeof cap);
	if (c->set.budget.usd > 0) {
		snprintf(spent, sizeof spent, "$%.4f", usd_held(c, 0));
		snprintf(need, sizeof need, "$%.4f", need_usd);
	} else {
		llm_format_count(tokens_held(c) - c->reserved_tokens -
					 (c->budget_peer ? c->budget_peer->reserved_tokens : 0),
				 spent, sizeof spent);
		llm_format_count(need_tokens, need, sizeof need);
	}
	snprintf(why, sizeof why, "the budget of %s is spent (%s used; the next request "
		 "could take %s)", cap, spent, need);
	client_stop_sending(c, why);
}

enum cm_verdict client_budget_admit(llm_client *c, struct cjob *j, size_t body_len)
{
	const llm_request *req = cjob_asked(j);
	long need = input_estimate(c, body_len) + max_output(req);
	double need_usd = 0;
	int over = 0;

	if (c->set.budget.tokens <= 0 && c->set.budget.usd <= 0)
		return CM_SEND;
	if (c->set.budget.tokens > 0)
		over = tokens_held(c) + need > c->set.budget.tokens;
	if (c->set.budget.usd > 0) {
		llm_price p = price_of(c, req);
		llm_usage u = { .input_tokens = input_estimate(c, body_len),
				.output_tokens = max_output(req) };
		need_usd = llm_price_cost(&p, &u);
		over = over || usd_held(c, 1) + need_usd > c->set.budget.usd;
	}
	if (!over) {
		j->reserved_tokens = need;
		j->reserved_usd = need_usd;
		c->reserved_tokens += need;
		c->reserved_usd += need_usd;
		return CM_SEND;
	}
	if (c->inflight.n) /* (only its own: a peer's answers would not wake it) */
		return CM_WAIT; /* what is in flight may cost less than it holds */
	stop_for_budget(c, need, need_usd);
	return CM_STOP;
}

void client_budget_settle(llm_client *c, struct cjob *j)
{
	const llm_usage *u = &j->resp.usage;
	llm_price p;

	c->reserved_tokens -= j->reserved_tokens;
	c->reserved_usd -= j->reserved_usd;
	j->reserved_tokens = 0;
	j->reserved_usd = 0;
	if (!u->input_tokens && !u->output_tokens)
		return;
	p = price_of(c, cjob_asked(j));
	c->spent.input_tokens += u->input_tokens;
	c->spent.output_tokens += u->output_tokens;
	c->spent.cached_input_tokens += u->cached_input_tokens;
	c->spent.usd += llm_price_cost_of(&p, &j->resp);
	c->spent.priced = (c->spent.paid == 0 || c->spent.priced) && p.known;
	c->spent.paid++;
}

void client_estimate_add(llm_client *c, const struct cjob *j, size_t body_len)
{
	const llm_request *req = cjob_asked(j);
	llm_price p = price_of(c, req);
	llm_usage expect = { .input_tokens = input_estimate(c, body_len),
			     .output_tokens = output_expected(c, req) };
	llm_usage most = { .input_tokens = expect.input_tokens,
			   .output_tokens = max_output(req) };

	double share = c->o.provider_batch ? p.batch_factor : 1;

	c->est.priced = (c->est.requests == 0 || c->est.priced) && p.known;
	c->est.requests++;
	c->est.input_tokens += expect.input_tokens;
	c->est.output_tokens += expect.output_tokens;
	c->est.output_max += most.output_tokens;
	c->est.usd += llm_price_cost(&p, &expect) * share;
	c->est.usd_max += llm_price_cost(&p, &most) * share;
}

void llm_client_estimate_project(llm_client *c, const char *schema_name, size_t n,
				 long input_guess)
{
	llm_request req = { .model = c->set.model, .schema_name = schema_name };
	double in = c->est_from.mean_input ? c->est_from.mean_input(c->est_from.ud, schema_name) : 0;
	llm_price p = price_of(c, &req);
	llm_usage each = { .input_tokens = in > 0 ? (long)(in + 0.5) : input_guess,
			   .output_tokens = output_expected(c, &req) };
	llm_usage most = { .input_tokens = each.input_tokens, .output_tokens = max_output(&req) };

	if (!n)
		return;
	c->est.priced = (c->est.requests == 0 || c->est.priced) && p.known;
	c->est.requests += n;
	c->est.input_tokens += each.input_tokens * (long)n;
	c->est.output_tokens += each.output_tokens * (long)n;
	c->est.output_max += most.output_tokens * (long)n;
	c->est.usd += llm_price_cost(&p, &each) * (double)n;
	c->est.usd_max += llm_price_cost(&p, &most) * (double)n;
}
