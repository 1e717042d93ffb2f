/* queue.c — the next cases for a rater (queue.h). */
#include "codicil/queue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate_int.h"
#include "codicil/error.h"
#include "codicil/hash.h"
#include "codicil/json.h"

#define PRIOR_SD 2.0 /* of v_c, as the fit assumes */

static const char *const names[] = { "disagreement", "uncertainty", "random" };

int queue_strategy_parse(const char *s, queue_strategy *out)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(s, names[i])) {
			*out = (queue_strategy)i;
			return 0;
		}
	cd_err_set("unknown strategy '%s' (use disagreement, uncertainty or random)", s);
	return -1;
}

/* Who has rated c: rater (by agg_rater_matches) and any reliable one. */
static void who_rated(const cJSON *c, const agg_settings *s, const char *rater, int *by_rater,
		      int *by_reliable)
{
	const cJSON *rt;

	*by_rater = *by_reliable = 0;
	cJSON_ArrayForEach(rt, cJSON_GetObjectItemCaseSensitive(c, "ratings")) {
		const char *who = cd_json_str(rt, "rater");
		if (!who)
			continue;
		*by_rater |= agg_rater_matches(rater, who);
		for (size_t i = 0; i < s->nreliable; i++)
			*by_reliable |= agg_rater_matches(s->reliable[i], who);
	}
}

static int wanted(const cJSON *c)
{
	const char *st = cd_json_str(c, "status");
	return st && (!strcmp(st, "open") || !strcmp(st, "confirmed"));
}

/* A number in [0, 1) fixed by the seed and the case id. */
static double shuffle_key(unsigned seed, const char *id)
{
	char in[96], hex[CD_SHA256_HEX];

	snprintf(in, sizeof in, "%u %s", seed, id ? id : "");
	cd_sha256_hex(in, strlen(in), hex);
	hex[13] = '\0'; /* 52 bits */
	return (double)strtoull(hex, NULL, 16) / (double)(1ULL << 52);
}

double queue_score(queue_strategy st, int reliable, double consensus, double q, double se,
		   int anchored, double shuffle)
{
	switch (st) {
	case QUEUE_UNCERTAINTY:
		return se;
	case QUEUE_RANDOM:
		return shuffle;
	case QUEUE_DISAGREEMENT:
		if (reliable)
			return consensus * (1 - q) + (1 - consensus) * q;
		return q * (1 - q) * (anchored ? 1 : 0.5);
	}
	return 0;
}

static int by_score(const void *a, const void *b)
{
	const queue_item *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(case_id(x->c) ? case_id(x->c) : "", case_id(y->c) ? case_id(y->c) : "");
}

/* The rater's place in the fit: reliable, and their bias. */
static void rater_of(const agg_result *fit, const agg_settings *s, const char *rater,
		     queue_result *out)
{
	for (size_t i = 0; i < s->nreliable; i++)
		out->reliable |= agg_rater_matches(s->reliable[i], rater);
	for (size_t i = 0; i < fit->nraters; i++)
		if (agg_rater_matches(rater, fit->raters[i].rater)) {
			out->bias = fit->raters[i].reliable ? 0 : fit->raters[i].bias;
			out->reliable |= fit->raters[i].reliable;
		}
}

int queue_build(const case_library *lib, const agg_settings *s, const char *rater,
		queue_strategy st, size_t n, unsigned seed, queue_result *out)
{
	agg_result fit;
	queue_item *items;
	size_t k = 0;

	memset(out, 0, sizeof *out);
	if (aggregate_library(lib, s, &fit) < 0)
		return -1;
	if (!(items = calloc(lib->n + 1, sizeof *items))) {
		agg_result_clear(&fit);
		cd_err_set("out of memory");
		return -1;
	}
	rater_of(&fit, s, rater, out);
	out->basis = st == QUEUE_DISAGREEMENT && !out->reliable ? "calibration" : names[st];
	for (size_t i = 0, j = 0; i < lib->n; i++) {
		/* the fit's cases are the rated ones, in library order */
		const agg_case *ac = j < fit.ncases && fit.cases[j].c == lib->cases[i] ? &fit.cases[j++]
										: NULL;
		int mine, anchored;
		double v = ac ? ac->validity : 0;

		who_rated(lib->cases[i], s, rater, &mine, &anchored);
		if (mine || !wanted(lib->cases[i]))
			continue;
		items[k] = (queue_item){ .c = lib->cases[i], .consensus = agg_sigmoid(v),
					 .se = ac ? ac->se : PRIOR_SD, .q = agg_sigmoid(v + out->bias) };
		items[k].score = queue_score(st, out->reliable, items[k].consensus, items[k].q,
					     items[k].se, anchored,
					     st == QUEUE_RANDOM ? shuffle_key(seed, case_id(lib->cases[i]))
								: 0);
		k++;
	}
	qsort(items, k, sizeof *items, by_score);
	out->items = items;
	out->n = k < n ? k : n;
	agg_result_clear(&fit);
	return 0;
}

void queue_result_clear(queue_result *r)
{
	free(r->items);
	memset(r, 0, sizeof *r);
}
