/* queue.h — which cases a rater should rate next (`codicil queue`).
 *
 * From the fitted rater model (aggregate.h: P(r calls c valid) =
 * sigmoid(v_c + b_r); a case nobody rated has v_c = 0 with the prior's
 * standard error, 2), over the open and confirmed cases the rater has not
 * rated:
 *   disagreement  a reliable rater (codicil.reliableRater) first gets the
 *                 cases where the model expects them to disagree most with
 *                 the current consensus: p_c (1 - q) + (1 - p_c) q, with
 *                 p_c = sigmoid(v_c) and q = sigmoid(v_c + b_r); any other
 *                 rater gets the cases that tell most about their bias:
 *                 the Fisher information q (1 - q), halved where no
 *                 reliable rater has rated the case (nothing anchors it)
 *   uncertainty   the largest standard error of v_c
 *   random        a shuffle fixed by the seed
 */
#ifndef CODICIL_QUEUE_H
#define CODICIL_QUEUE_H

#include <stddef.h>

#include "codicil/aggregate.h"

typedef enum queue_strategy { QUEUE_DISAGREEMENT, QUEUE_UNCERTAINTY, QUEUE_RANDOM } queue_strategy;

int queue_strategy_parse(const char *s, queue_strategy *out);

typedef struct queue_item {
	const cJSON *c;          /* the case (belongs to the library) */
	double score;
	double consensus, se;    /* sigmoid(v_c) and the standard error of v_c */
	double q;                /* P(this rater says valid), from their bias */
} queue_item;

typedef struct queue_result {
	queue_item *items;       /* best first, at most n */
	size_t n;
	const char *basis;       /* "disagreement", "calibration", "uncertainty", "random" */
	int reliable;            /* the rater is a reliable one */
	double bias;             /* the rater's fitted bias (0: reliable or new) */
} queue_result;

/* The score of one case (higher: sooner), as queue_build computes it:
 * consensus = sigmoid(v_c), q = sigmoid(v_c + b_r), se of v_c, anchored:
 * a reliable rater has rated it, shuffle: the random strategy's key. */
double queue_score(queue_strategy st, int reliable, double consensus, double q, double se,
		   int anchored, double shuffle);

/* The next n cases for rater ("Name <email>" or the email) by strategy. */
int queue_build(const case_library *lib, const agg_settings *s, const char *rater,
		queue_strategy st, size_t n, unsigned seed, queue_result *out);
void queue_result_clear(queue_result *r);

#endif
