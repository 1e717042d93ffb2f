/* bench_flip — can aggregate's flip predictor tell which verdicts the
 * model's arguments will change?
 *
 *   bench_flip [CASES [SEEDS]]     (defaults 400 and 5)
 *
 * A simulated library: each case has a true validity v ~ N(0, 1.5^2), a
 * severity and a kind; six raters rate it (sim_sigmoid(v + b_r), biases from
 * -0.8 to 0.8), each first giving a quick verdict.  The known flip model:
 * the arguments change a verdict with probability
 *     sim_sigmoid(-2.2 + 2.5 * closeness + 1.2 * eager_r),
 * closeness = 1 - |2 sim_sigmoid(v) - 1| (hard cases flip), eager_r 1 for two
 * of the raters (they are easily persuaded), else 0.  Prints the
 * predictor's leave-one-out AUC (1: perfect, 0.5: chance) next to the AUC
 * of the known model itself (the best any predictor can do), and what
 * codicil.argueAbove = 0.3 would have spared and missed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../support/simrand.h"
#include "codicil/aggregate.h"
#include "codicil/id.h"
#include "codicil/logistic.h"


static const char *const raters[] = {
	"A <a@x.org>", "B <b@x.org>", "C <c@x.org>", "D <d@x.org>", "E <e@x.org>", "F <f@x.org>",
};

/* One case with six ratings; truth[] and known[] get each rating's flip
 * and its probability under the known model. */
static cJSON *make_case(size_t i, int *truth, double *known, size_t *k)
{
	static const double bias[] = { -0.8, -0.4, 0, 0.3, 0.5, 0.8 };
	double v = 1.5 * sim_normal(), close = 1 - fabs(2 * sim_sigmoid(v) - 1);
	cJSON *c = cJSON_CreateObject(), *rs = cJSON_AddArrayToObject(c, "ratings");
	char id[32];

	snprintf(id, sizeof id, "c-%018zu", i);
	cJSON_AddStringToObject(c, "id", id);
	cJSON_AddStringToObject(c, "kind", i % 3 ? "counterexample" : "tension");
	cJSON_AddNumberToObject(c, "severity", 1 + (double)(i % 5));
	cJSON_AddItemToObject(c, "principles", cJSON_CreateString("p"));
	for (size_t r = 0; r < 6; r++) {
		int verdict = sim_uniform() < sim_sigmoid(v + bias[r]);
		double pf = sim_sigmoid(-2.2 + 2.5 * close + 1.2 * (r >= 4));
		int flip = sim_uniform() < pf;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "rater", raters[r]);
		cJSON_AddStringToObject(o, "verdict", verdict ? "valid" : "invalid");
		cJSON_AddNumberToObject(o, "confidence", 1);
		cJSON_AddStringToObject(o, "quick_verdict", verdict != flip ? "valid" : "invalid");
		cJSON_AddItemToArray(rs, o);
		truth[*k] = flip;
		known[(*k)++] = pf;
	}
	return c;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 400;
	unsigned seeds = argc > 2 ? (unsigned)atoi(argv[2]) : 5;
	double auc = 0, best = 0, spared = 0, missed = 0;

	for (unsigned seed = 1; seed <= seeds; seed++) {
		case_library lib = { .cases = calloc(n, sizeof(cJSON *)), .n = n };
		int *truth = calloc(6 * n, sizeof *truth);
		double *known = calloc(6 * n, sizeof *known);
		agg_settings s = { .confirm = 0.8, .dismiss = 0.2, .vague_alpha = 0.45,
				   .argue_above = 0.3 };
		agg_result r;
		size_t k = 0;

		sim_seed(seed * 2654435761ULL);
		for (size_t i = 0; i < n; i++)
			lib.cases[i] = make_case(i, truth, known, &k);
		if (aggregate_library(&lib, &s, &r) < 0 || !r.flip.ratings) {
			fprintf(stderr, "bench_flip: no predictor\n");
			return 1;
		}
		auc += r.flip.auc / seeds;
		best += logit_auc(known, truth, k) / seeds;
		spared += (double)r.flip.spared / (double)r.flip.ratings / seeds;
		missed += (double)r.flip.missed / (double)r.flips / seeds;
		agg_result_clear(&r);
		case_library_clear(&lib);
		free(truth);
		free(known);
	}
	printf("flip predictor: %zu cases x 6 raters, %u seeds: AUC %.3f (leave-one-out); the "
	       "known model's own AUC %.3f\n", n, seeds, auc, best);
	printf("  codicil.argueAbove 0.3: arguments spared on %.0f%% of ratings, missing %.0f%% "
	       "of the changes of mind\n", 100 * spared, 100 * missed);
	return 0;
}
