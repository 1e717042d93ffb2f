/* bench_queue — does `codicil queue` save a reliable rater's time?
 *
 *   bench_queue [SEEDS [CASES]]     (defaults 20 and 300)
 *
 * A simulated library: CASES cases with a true validity v ~ N(0, 1.5^2),
 * four raters with known biases (-1, -0.5, 0.5, 1) who have each rated a
 * share of the cases (two ratings per case, drawn from sim_sigmoid(v + b)), and
 * one reliable rater (bias 0) who then rates, 10 cases at a time, the cases
 * the strategy puts first (queue_score, the model refitted with
 * agg_fit_run after every 10).  After every 10 ratings: the error of the
 * fitted consensus, mean |sim_sigmoid(v_hat) - sim_sigmoid(v)|, and the share of
 * cases on the wrong side of 0.5 (what confirm/dismiss gets wrong).  For
 * each strategy, how many of the reliable rater's ratings it needs to reach
 * the error random sampling reaches with half the cases rated, averaged
 * over the seeds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/simrand.h"
#include "codicil/aggregate.h"
#include "codicil/queue.h"

#define RATERS 5 /* 0 is the reliable one */
#define STEP 10


typedef struct sim {
	size_t n;
	double *v;          /* truth */
	agg_obs *obs;
	size_t nobs, cap;
	int *rated;         /* by the reliable rater */
} sim;

static void rate(sim *s, size_t c, size_t r)
{
	static const double bias[RATERS] = { 0, -1, -0.5, 0.5, 1 };

	if (s->nobs == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->obs = realloc(s->obs, s->cap * sizeof *s->obs);
	}
	s->obs[s->nobs++] = (agg_obs){ .c = c, .r = r, .weight = 1,
				       .valid = sim_uniform() < sim_sigmoid(s->v[c] + bias[r]) };
	if (r == 0)
		s->rated[c] = 1;
}

/* mean |sim_sigmoid(v_hat) - sim_sigmoid(v)| and the share on the wrong side */
static void errors(const sim *s, const agg_fit *f, double *err, double *wrong)
{
	*err = *wrong = 0;
	for (size_t c = 0; c < s->n; c++) {
		*err += fabs(sim_sigmoid(f->v[c]) - sim_sigmoid(s->v[c])) / (double)s->n;
		*wrong += ((f->v[c] > 0) != (s->v[c] > 0)) / (double)s->n;
	}
}

typedef struct pick {
	size_t c;
	double score;
} pick;

static int by_score(const void *a, const void *b)
{
	const pick *x = a, *y = b;
	return x->score < y->score ? 1 : x->score > y->score ? -1 : (x->c > y->c) - (x->c < y->c);
}

/* The reliable rater's next STEP cases by strategy st. */
static void choose(sim *s, const agg_fit *f, queue_strategy st, pick *p)
{
	size_t k = 0;

	for (size_t c = 0; c < s->n; c++)
		if (!s->rated[c])
			p[k++] = (pick){ c, queue_score(st, 1, sim_sigmoid(f->v[c]), sim_sigmoid(f->v[c]),
							f->v_se[c], 1, sim_uniform()) };
	qsort(p, k, sizeof *p, by_score);
	for (size_t i = 0; i < STEP && i < k; i++)
		rate(s, p[i].c, 0);
}

/* err[i], wrong[i]: after i * STEP ratings by the reliable rater. */
static void run(unsigned seed, size_t n, queue_strategy st, double *err, double *wrong)
{
	static const int anchored[RATERS] = { 1, 0, 0, 0, 0 };
	agg_opts o = { .anchored = anchored };
	sim s = { .n = n };
	pick *p = calloc(n, sizeof *p);
	agg_fit f;

	sim_seed(seed * 2654435761ULL + 1);
	s.v = calloc(n, sizeof *s.v);
	s.rated = calloc(n, sizeof *s.rated);
	for (size_t c = 0; c < n; c++)
		s.v[c] = 1.5 * sim_normal();
	for (size_t c = 0; c < n; c++) { /* two of the four others on each case */
		size_t a = 1 + (size_t)(sim_uniform() * 4), b = 1 + (a % 4);
		rate(&s, c, a);
		rate(&s, c, b);
	}
	sim_seed(seed * 40503ULL + 7); /* the same ratings before, whatever the strategy */
	for (size_t i = 0; i * STEP <= n; i++) {
		agg_fit_run(n, RATERS, s.obs, s.nobs, &o, &f);
		errors(&s, &f, &err[i], &wrong[i]);
		if (i * STEP < n)
			choose(&s, &f, st, p);
		agg_fit_clear(&f);
	}
	free(p);
	free(s.v);
	free(s.rated);
	free(s.obs);
}

/* Ratings the curve needs to come down to target (interpolated). */
static double needed(const double *curve, size_t steps, double target)
{
	if (curve[0] <= target)
		return 0;
	for (size_t i = 1; i < steps; i++)
		if (curve[i] <= target) { /* curve[i - 1] > target >= curve[i] */
			double f = (curve[i - 1] - target) / (curve[i - 1] - curve[i]);
			return ((double)(i - 1) + f) * STEP;
		}
	return (double)(steps - 1) * STEP;
}

int main(int argc, char **argv)
{
	unsigned seeds = argc > 1 ? (unsigned)atoi(argv[1]) : 20;
	size_t n = argc > 2 ? (size_t)atol(argv[2]) : 300, steps = n / STEP + 1;
	static const char *const label[] = { "disagreement", "uncertainty", "random" };
	double *err[3], *wrong[3], need[3][2] = { { 0 } };

	for (int st = 0; st < 3; st++) {
		err[st] = calloc(steps, sizeof *err[st]);
		wrong[st] = calloc(steps, sizeof *wrong[st]);
	}
	for (unsigned seed = 1; seed <= seeds; seed++) {
		double e[3][steps], w[3][steps];
		for (int st = 0; st < 3; st++)
			run(seed, n, (queue_strategy)st, e[st], w[st]);
		for (int st = 0; st < 3; st++) {
			need[st][0] += needed(e[st], steps, e[2][steps / 2]) / seeds;
			need[st][1] += needed(w[st], steps, w[2][steps / 2]) / seeds;
			for (size_t i = 0; i < steps; i++) {
				err[st][i] += e[st][i] / seeds;
				wrong[st][i] += w[st][i] / seeds;
			}
		}
	}
	printf("queue: %zu cases, 4 biased raters (2 ratings a case), then a reliable rater; "
	       "%u seeds\n", n, seeds);
	printf("  %-13s %-34s %s\n", "strategy", "consensus error at 0/25/50% rated",
	       "ratings to reach random's error at 50% (error / wrong side)");
	for (int st = 0; st < 3; st++)
		printf("  %-13s %.3f %.3f %.3f  wrong %.3f %.3f %.3f   %5.1f (%3.0f%%) / %5.1f "
		       "(%3.0f%%)\n", label[st], err[st][0], err[st][steps / 4], err[st][steps / 2],
		       wrong[st][0], wrong[st][steps / 4], wrong[st][steps / 2], need[st][0],
		       100 * need[st][0] / need[2][0], need[st][1], 100 * need[st][1] / need[2][1]);
	for (int st = 0; st < 3; st++) {
		free(err[st]);
		free(wrong[st]);
	}
	return 0;
}
