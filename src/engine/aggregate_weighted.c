/* aggregate_weighted.c — the weighted consensus, beside the fitted one.
 *
 * Each rater's modelled agreement with a reliable rater is the mean, over
 * the cases they rated, of q p + (1 - q)(1 - p), where p = sigmoid(v_c) is
 * what a reliable rater (bias 0) would say and q = sigmoid(v_c + b_r) what
 * this rater would.  Their weight is its log-odds, log(a / (1 - a)), the
 * weight a vote of accuracy a earns in a weighted majority (0 when a is
 * 1/2 or less: a coin flip or worse says nothing).  A case's weighted
 * consensus is the share of weighted, confidence-scaled votes that call it
 * valid; 1/2 when no vote has weight. */
#include "aggregate_int.h"

#include <math.h>
#include <stdlib.h>

#define MAX_AGREEMENT 0.99 /* caps the weight at log(99) */

static void rater_weights(agg_build *b)
{
	agg_result *r = b->res;
	double *sum = calloc(r->nraters + 1, sizeof *sum);
	size_t *n = calloc(r->nraters + 1, sizeof *n);

	for (size_t i = 0; sum && n && i < b->nobs; i++) {
		const agg_obs *o = &b->obs[i];
		double v = r->cases[o->c].validity, p = agg_sigmoid(v);
		double q = agg_sigmoid(v + r->raters[o->r].bias);
		sum[o->r] += q * p + (1 - q) * (1 - p);
		n[o->r]++;
	}
	for (size_t k = 0; sum && n && k < r->nraters; k++) {
		double a = n[k] ? fmin(sum[k] / (double)n[k], MAX_AGREEMENT) : 0.5;
		r->raters[k].modelled_agreement = a;
		r->raters[k].weight = a > 0.5 ? log(a / (1 - a)) : 0;
	}
	free(sum);
	free(n);
}

int agg_weighted_build(agg_build *b, const agg_settings *s)
{
	agg_result *r = b->res;

	rater_weights(b);
	for (size_t lo = 0, hi; lo < b->nobs; lo = hi) {
		double valid = 0, all = 0;
		agg_case *ac = &r->cases[b->obs[lo].c];

		for (hi = lo; hi < b->nobs && b->obs[hi].c == b->obs[lo].c; hi++) {
			double w = r->raters[b->obs[hi].r].weight * b->obs[hi].weight;
			all += w;
			valid += b->obs[hi].valid ? w : 0;
		}
		ac->p_weighted = all > 0 ? valid / all : 0.5;
	}
	r->weighted = s->weighted;
	for (size_t c = 0; c < r->ncases; c++) {
		agg_case *ac = &r->cases[c];
		ac->p = s->weighted ? ac->p_weighted : ac->p_model;
		ac->suggested = ac->p >= s->confirm ? "confirmed"
			      : ac->p <= s->dismiss ? "dismissed" : "open";
	}
	return 0;
}
