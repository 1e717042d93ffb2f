/* aggregate_flip.c — contemplation where it pays: a logistic model of
 * whether reading the model's arguments changes a rater's verdict, from
 * the ratings that recorded a quick verdict first.  Features: the case's
 * severity, how unsure the consensus is about it (1 - |2 sigmoid(v) - 1|),
 * whether it is a counterexample, and the rater's flip rate on their other
 * ratings (smoothed).  Its AUC is measured leaving each rating out of the
 * fit that scores it, so it is not flattered by what it has seen; with
 * codicil.argueAbove set, the arguments that threshold would have spared
 * and the changes of mind it would have missed. */
#include "aggregate_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/json.h"
#include "codicil/logistic.h"

#define K 5           /* 1, severity, unsure, counterexample, rater's rate */
#define MIN_RATINGS 10

/* The features of case c with consensus p, for a rater with flips in
 * considered other ratings (one flip in four as prior). */
static void fill(double *x, const cJSON *c, double p, double flips, double considered)
{
	x[0] = 1;
	x[1] = (cd_json_int(c, "severity", 3) - 3) / 2.0;
	x[2] = 1 - fabs(2 * p - 1);
	x[3] = case_get_kind(c) == CASE_COUNTEREXAMPLE;
	x[4] = (flips + 1) / (considered + 4);
}

/* The features of observation i (a considered rating); y: it flipped. */
static void features(const agg_build *b, size_t i, double *x, int *y)
{
	const agg_result *r = b->res;
	const agg_obs *o = &b->obs[i];
	const cJSON *rt = b->rating[i];
	const agg_rater *ra = &r->raters[o->r];

	*y = strcmp(cd_json_str(rt, "quick_verdict"), cd_json_str(rt, "verdict")) != 0;
	/* the rater's other considered ratings: leave this one out */
	fill(x, r->cases[o->c].c, agg_sigmoid(r->cases[o->c].validity), (double)ra->flips - *y,
	     (double)ra->considered - 1);
}

/* Leave-one-out scores: each rating scored by a fit without it. */
static int loo_scores(const double *x, const int *y, size_t n, double *score)
{
	double *xs = malloc(n * K * sizeof *xs), beta[K];
	int *ys = malloc(n * sizeof *ys);
	int rc = 0;

	if (!xs || !ys)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		size_t m = 0;
		for (size_t j = 0; j < n; j++)
			if (j != i) {
				memcpy(xs + m * K, x + j * K, K * sizeof *xs);
				ys[m++] = y[j];
			}
		if (logit_fit(xs, ys, m, K, 1.0, beta) < 0)
			rc = -1;
		else
			score[i] = logit_predict(beta, x + i * K, K);
	}
	free(xs);
	free(ys);
	return rc;
}

static void savings(agg_result *r, const double *score, const int *y, size_t n, double t)
{
	size_t spared = 0, missed = 0;

	for (size_t i = 0; i < n; i++)
		if (score[i] <= t) {
			spared++;
			missed += y[i] != 0;
		}
	r->flip.spared = spared;
	r->flip.missed = missed;
}

int agg_flip_build(agg_build *b, const agg_settings *s)
{
	agg_result *r = b->res;
	size_t n = 0;
	double *x, *score;
	int *y, rc = 0;

	r->flip.auc = NAN;
	if (r->considered < MIN_RATINGS || !r->flips || r->flips == r->considered)
		return 0; /* nothing to learn from yet */
	x = malloc(r->considered * K * sizeof *x);
	y = malloc(r->considered * sizeof *y);
	score = malloc(r->considered * sizeof *score);
	if (!x || !y || !score)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < b->nobs; i++)
		if (cd_json_str(b->rating[i], "quick_verdict")) {
			features(b, i, x + n * K, &y[n]);
			n++;
		}
	if (rc == 0 && loo_scores(x, y, n, score) == 0) {
		r->flip.ratings = n;
		r->flip.auc = logit_auc(score, y, n);
		r->flip.fitted = logit_fit(x, y, n, K, 1.0, r->flip.beta) == 0;
		if (s->argue_above >= 0)
			savings(r, score, y, n, s->argue_above);
	}
	free(x);
	free(y);
	free(score);
	return rc;
}

double agg_flip_p(const agg_result *r, const cJSON *c, const char *rater)
{
	const agg_case *ac = agg_result_find(r, case_id(c));
	double x[K], flips = 0, considered = 0;

	if (!r->flip.fitted)
		return NAN;
	for (size_t i = 0; i < r->nraters; i++)
		if (rating_same_rater(r->raters[i].rater, rater)) {
			flips = (double)r->raters[i].flips;
			considered = (double)r->raters[i].considered;
		}
	/* a case nobody has rated yet: the consensus knows nothing (p = 1/2) */
	fill(x, c, ac ? ac->p : 0.5, flips, considered);
	return logit_predict(r->flip.beta, x, K);
}
