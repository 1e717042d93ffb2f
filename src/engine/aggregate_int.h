/* aggregate_int.h — between aggregate.c and aggregate_out.c. */
#ifndef CODICIL_AGGREGATE_INT_H
#define CODICIL_AGGREGATE_INT_H

#include "codicil/aggregate.h"

/* The observations of a library, while a result is being built. */
typedef struct agg_build {
	agg_result *res;
	agg_obs *obs;            /* grouped by case, in res->cases order */
	const cJSON **rating;    /* the rating object behind each observation */
	size_t nobs, cap;
} agg_build;

/* Fit every dimension (the configured ones, else every name found). */
int agg_dims_build(agg_build *b, const agg_settings *s);

/* Krippendorff's alpha overall and per principle (aggregate_alpha.c). */
int agg_alpha_build(agg_build *b, const agg_settings *s);

/* The raters' weights and the weighted consensus (aggregate_weighted.c),
 * after the fit; sets each case's p and suggestion from the consensus in
 * use. */
int agg_weighted_build(agg_build *b, const agg_settings *s);

/* The flip predictor (aggregate_flip.c), after the fit. */
int agg_flip_build(agg_build *b, const agg_settings *s);

/* 1 when a codicil.reliableRater value names rater. */
int agg_rater_matches(const char *pattern, const char *rater);

#endif
