/* aggregate.h — many raters, one consensus (the "explicit modelling" of
 * raters: each has a leniency, each case a hidden validity).
 *
 * Model: P(rater r calls case c valid) = sigmoid(v_c + b_r), v_c the case's
 * validity and b_r the rater's bias (leniency: > 0 calls more cases valid).
 * Fitted by regularised maximum likelihood: priors v_c ~ N(0, 2^2) and
 * b_r ~ N(0, 1), Newton's method (the case block of the Hessian is
 * diagonal, so each step solves only a raters x raters system) with step
 * halving, to a step below 1e-9.  A rating counts with weight equal to its
 * confidence (confidence 0: no evidence).  Raters named reliable
 * (codicil.reliableRater) are anchors: their b_r is fixed at 0, so the
 * others' biases are measured against them.  Standard errors come from
 * the diagonal of the inverse Hessian at the optimum.
 *
 * The weighted consensus (codicil.consensus = weighted; the default is the
 * fit's sigmoid(v_c)): each rater's vote counts with the log-odds of their
 * modelled agreement with a reliable rater (aggregate_weighted.c), times
 * the rating's confidence.  The fit pools evidence and corrects biases,
 * and suits a team whose raters rate overlapping cases; the weighted vote
 * needs no overlap beyond what sets the weights, cannot move a case
 * further than its voters, and suits few ratings per case from raters of
 * very different reliability.
 *
 * Dimensions (codicil.dimension, e.g. severity, realism): scores are
 * modelled as s = m_c + o_r + noise, with a ridge prior (weight 1) on the
 * rater offsets o_r and reliable raters' o_r fixed at 0, fitted by
 * alternating least squares.  m_c is the case's mean adjusted for who
 * scored it.
 */
#ifndef CODICIL_AGGREGATE_H
#define CODICIL_AGGREGATE_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/case.h"
#include "codicil/config.h"
#include "codicil/store.h"

/* ---- the fit itself, on plain arrays ---- */

typedef struct agg_obs {
	size_t c, r;       /* case and rater index */
	int valid;         /* 1: the rater called the case valid */
	double weight;     /* > 0; 0 is skipped */
} agg_obs;

typedef struct agg_opts {
	double case_prior_sd;   /* 0: 2 */
	double rater_prior_sd;  /* 0: 1 */
	const int *anchored;    /* nraters flags, or NULL: b_r fixed at 0 */
	int max_iter;           /* 0: 200 */
} agg_opts;

typedef struct agg_fit {
	double *v, *v_se;       /* per case */
	double *b, *b_se;       /* per rater (se 0 for an anchor) */
	int iterations, converged;
} agg_fit;

/* 1 / (1 + e^-x), without overflow for any x. */
double agg_sigmoid(double x);

int agg_fit_run(size_t ncases, size_t nraters, const agg_obs *obs, size_t nobs,
		const agg_opts *o, agg_fit *out);
void agg_fit_clear(agg_fit *f);

/* Scores on one dimension: s[i] by rater r[i] on case c[i]. */
typedef struct agg_score {
	size_t c, r;
	double s;
} agg_score;

/* m (ncases) and offset (nraters; NAN for a rater with no score). */
int agg_dim_fit(size_t ncases, size_t nraters, const agg_score *sc, size_t n,
		const int *anchored, double *m, double *offset);

/* ---- over a case library ---- */

typedef struct agg_settings {
	double confirm;         /* sigmoid(v) >= confirm: confirmed (codicil.aggregateConfirm, 0.8) */
	double dismiss;         /* sigmoid(v) <= dismiss: dismissed (codicil.aggregateDismiss, 0.2) */
	const char **reliable;  /* codicil.reliableRater values */
	size_t nreliable;
	const char **dims;      /* codicil.dimension; none: every name found in ratings */
	size_t ndims;
	double vague_alpha;     /* codicil.vagueAlpha (0.45): below it a principle is vague */
	double argue_above;     /* codicil.argueAbove, or -1 when unset */
	int weighted;           /* codicil.consensus = weighted (aggregate_weighted.c) */
} agg_settings;

/* Read the settings; the strings live as long as cfg. */
int agg_settings_load(config *cfg, agg_settings *out);

typedef struct agg_rater {
	char *rater;            /* as first written */
	double bias, bias_se;
	size_t ratings;
	int reliable;
	double agreement;       /* with the reliable raters on shared cases; NAN: none shared */
	size_t shared;
	size_t considered;      /* ratings given after reading the arguments (a quick verdict first) */
	size_t flips;           /* of those, the verdict changed from the quick one */
	double modelled_agreement; /* expected agreement with a reliable rater, from the fit */
	double weight;          /* its log-odds, at least 0: the rater's vote in the weighted consensus */
} agg_rater;

typedef struct agg_case {
	cJSON *c;               /* the case (belongs to the library) */
	double validity, se;    /* v_c and its standard error */
	double p;               /* the consensus in use that the case is valid */
	double p_model;         /* sigmoid(v_c) (the default) */
	double p_weighted;      /* the raters' weighted vote */
	const char *suggested;  /* "confirmed", "dismissed" or "open" */
	size_t ratings;
} agg_case;

typedef struct agg_dim_case {
	const char *id;
	double mean, raw_mean;
	size_t n;
} agg_dim_case;

typedef struct agg_dim {
	char *name;
	double *offset;         /* per rater of agg_result; NAN: no score on this dimension */
	size_t *scored;         /* per rater: how many scores */
	agg_dim_case *cases;    /* cases with at least one score, library order */
	size_t ncases;
} agg_dim;

/* How far raters agree on the cases of one principle: Krippendorff's
 * alpha (nominal, valid/invalid; agreement.h), NAN when undefined. */
typedef struct agg_principle {
	char *id;
	double alpha;
	size_t cases, ratings;  /* rated cases citing it, and their ratings */
	int vague;              /* alpha < codicil.vagueAlpha */
} agg_principle;

typedef struct agg_result {
	agg_rater *raters;      /* in order of first appearance */
	size_t nraters;
	agg_case *cases;        /* rated cases, library order */
	size_t ncases;
	agg_dim *dims;
	size_t ndims;
	size_t nratings;
	int converged;
	int weighted;           /* p and the suggestions are the weighted consensus */
	double alpha;           /* over every rated case; NAN when undefined */
	size_t considered, flips; /* over every rater (see agg_rater) */
	struct {                /* the flip predictor (aggregate_flip.c) */
		size_t ratings;     /* it was measured on; 0: too few to learn from */
		double auc;         /* leave-one-out; NAN: not measured */
		size_t spared;      /* with codicil.argueAbove: arguments not shown */
		size_t missed;      /* and, of those, verdicts that would have changed */
		int fitted;         /* beta holds the fit on every such rating */
		double beta[5];     /* 1, severity, unsure, counterexample, rater's rate */
	} flip;
	agg_principle *principles; /* every principle a rated case cites, by id */
	size_t nprinciples;
} agg_result;

/* Fit every rating of the library's cases.  Cases without ratings are left
 * out; so is a rating whose verdict is neither valid nor invalid. */
int aggregate_library(const case_library *lib, const agg_settings *s, agg_result *out);
void agg_result_clear(agg_result *r);

/* {"raters": [{rater, bias, bias_stderr, ratings, reliable,
 *   agreement_with_reliable}], "cases": [{id, validity, stderr, consensus,
 *   ratings, status, suggested_status}], "dimensions": [{name, raters:
 *   [{rater, offset, scores}], cases: [{id, mean, raw_mean, scores}]}],
 *   "ratings": N, "converged": bool, "consensus": "model"|"weighted",
 *   "agreement": {"alpha": x|null,
 *   "principles": [{id, alpha, cases, ratings, vague}]},
 *   "contemplation": {"considered": N, "flips": N, "flip_rate": x|null,
 *   "predictor": null | {ratings, auc, spared, missed}}};
 *   each rater also has considered, flips, flip_rate, modelled_agreement
 *   and weight; each case consensus_model and consensus_weighted. */
cJSON *agg_result_to_json(const agg_result *r);

/* P(reading the arguments changes rater's verdict on case c), from the
 * flip predictor (aggregate_flip.c) fitted on the library's considered
 * ratings; c need not be rated yet.  NAN when there was too little to
 * learn from (fewer than 10 considered ratings, none flipped or all). */
double agg_flip_p(const agg_result *r, const cJSON *c, const char *rater);

/* The agg_case of case id, or NULL. */
const agg_case *agg_result_find(const agg_result *r, const char *id);

/* Set each suggested status that is confirmed or dismissed and differs
 * from the case's status (resolved cases are never touched) and commit the
 * changed cases in one commit ("Aggregate ratings: 3 confirmed, 1
 * dismissed"), under the repository lock.  *changed gets the count; no
 * commit when it is 0 (commit_id "" then). */
int aggregate_apply(store *s, const agg_result *r, size_t *changed, char commit_id[41]);
/* The status aggregate_apply would give the case ("confirmed" or
 * "dismissed"), or NULL when it leaves the case as it is (a resolved case,
 * an "open" suggestion, or the status it has): what a listing shows as a
 * change, so that the listing and --apply agree. */
const char *aggregate_change(const agg_case *c);

#endif
