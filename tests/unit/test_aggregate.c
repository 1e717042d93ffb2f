/* test_aggregate.c — the multi-rater model recovers what generated the
 * ratings: rater biases and case validities from synthetic ratings with
 * known parameters (6 raters, 40-80 cases), also with a sixth of the
 * ratings missing; anchors, weights, standard errors, dimension offsets,
 * and the library-level result with its JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/aggregate.h"
#include "codicil/json.h"

/* The synthetic design: 6 raters with biases evenly spread over [-3, 3],
 * case validities uniform on [-6, 6], one binary rating per rater and
 * case.  With 5 or 6 binary ratings per case, a single draw's rank
 * correlation for the cases scatters around 0.91-0.94 (the information
 * in the ratings, not the fit, is the limit), so each setting is
 * replicated 20 times with fixed seeds: the mean must reach 0.9 and no
 * replication may fall below 0.8. */
#define NR 6
#define REPLICATIONS 20
static const double true_bias[NR] = { -3, -1.8, -0.6, 0.6, 1.8, 3 };

/* ---- a deterministic generator and rank statistics ---- */

static uint64_t rng_state;

static double uniform(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static void ranks(const double *x, size_t n, double *out)
{
	for (size_t i = 0; i < n; i++) {
		size_t less = 0, equal = 0;
		for (size_t j = 0; j < n; j++) {
			less += x[j] < x[i];
			equal += x[j] == x[i];
		}
		out[i] = (double)less + ((double)equal + 1) / 2;
	}
}

static double spearman(const double *a, const double *b, size_t n)
{
	double *ra = calloc(n, sizeof *ra), *rb = calloc(n, sizeof *rb);
	double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

	ranks(a, n, ra);
	ranks(b, n, rb);
	for (size_t i = 0; i < n; i++) {
		ma += ra[i] / (double)n;
		mb += rb[i] / (double)n;
	}
	for (size_t i = 0; i < n; i++) {
		sab += (ra[i] - ma) * (rb[i] - mb);
		saa += (ra[i] - ma) * (ra[i] - ma);
		sbb += (rb[i] - mb) * (rb[i] - mb);
	}
	free(ra);
	free(rb);
	return sab / sqrt(saa * sbb);
}

static double sigmoid(double x)
{
	return 1 / (1 + exp(-x));
}

/* Every rater rates every case, except that with drop_sixth a sixth of
 * the ratings (chosen at random) is missing. */
static size_t synth(uint64_t seed, size_t nc, double *v, int drop_sixth, agg_obs *obs)
{
	size_t n = 0;

	rng_state = seed;
	for (size_t c = 0; c < nc; c++)
		v[c] = -6 + 12 * uniform();
	for (size_t c = 0; c < nc; c++)
		for (size_t r = 0; r < NR; r++) {
			int valid = uniform() < sigmoid(v[c] + true_bias[r]);
			if (drop_sixth && uniform() < 1.0 / 6)
				continue;
			obs[n++] = (agg_obs){ .c = c, .r = r, .valid = valid, .weight = 1 };
		}
	return n;
}

typedef struct recovery {
	double sum_b, sum_v, min_b, min_v;
} recovery;

static void fit_one(uint64_t seed, size_t nc, int drop, recovery *rec)
{
	agg_obs *obs = calloc(nc * NR, sizeof *obs);
	double *v = calloc(nc, sizeof *v);
	agg_fit f;
	size_t n = synth(seed, nc, v, drop, obs);
	double rho_b, rho_v;

	assert_int_equal(agg_fit_run(nc, NR, obs, n, NULL, &f), 0);
	assert_true(f.converged);
	rho_b = spearman(f.b, true_bias, NR);
	rho_v = spearman(f.v, v, nc);
	rec->sum_b += rho_b;
	rec->sum_v += rho_v;
	rec->min_b = fmin(rec->min_b, rho_b);
	rec->min_v = fmin(rec->min_v, rho_v);
	agg_fit_clear(&f);
	free(obs);
	free(v);
}

static void check_recovery(size_t nc, int drop)
{
	recovery rec = { 0, 0, 1, 1 };

	for (uint64_t k = 1; k <= REPLICATIONS; k++)
		fit_one(k * 0x9e3779b97f4a7c15ULL + nc, nc, drop, &rec);
	print_message("%zu cases%s: Spearman bias mean %.3f (min %.3f), validity mean %.3f (min %.3f)\n",
		      nc, drop ? ", a sixth missing" : "", rec.sum_b / REPLICATIONS, rec.min_b,
		      rec.sum_v / REPLICATIONS, rec.min_v);
	assert_true(rec.sum_b / REPLICATIONS >= 0.9);
	assert_true(rec.sum_v / REPLICATIONS >= 0.9);
	assert_true(rec.min_b >= 0.8);
	assert_true(rec.min_v >= 0.8);
}

static void test_recovers_biases_and_validities(void **state)
{
	(void)state;
	check_recovery(40, 0);
	check_recovery(60, 0);
	check_recovery(80, 0);
}

static void test_stable_with_a_sixth_missing(void **state)
{
	size_t nc = 60;
	agg_obs *all = calloc(nc * NR, sizeof *all), *some = calloc(nc * NR, sizeof *some);
	double *v = calloc(nc, sizeof *v);
	agg_fit full, part;
	size_t nall, nsome;

	(void)state;
	check_recovery(40, 1);
	check_recovery(60, 1);
	check_recovery(80, 1);
	/* the same ratings, then the same with a sixth removed: the answers move little */
	nall = synth(77, nc, v, 0, all);
	nsome = 0;
	rng_state = 1234567;
	for (size_t i = 0; i < nall; i++)
		if (uniform() >= 1.0 / 6)
			some[nsome++] = all[i];
	assert_true(nsome < nall * 7 / 8 + 1 && nsome > nall * 3 / 4);
	assert_int_equal(agg_fit_run(nc, NR, all, nall, NULL, &full), 0);
	assert_int_equal(agg_fit_run(nc, NR, some, nsome, NULL, &part), 0);
	assert_true(spearman(full.v, part.v, nc) >= 0.9);
	assert_true(spearman(full.b, part.b, NR) >= 0.9);
	for (size_t r = 0; r < NR; r++)
		assert_true(fabs(full.b[r] - part.b[r]) < 0.6);
	agg_fit_clear(&full);
	agg_fit_clear(&part);
	free(all);
	free(some);
	free(v);
}

static void test_anchor_fixes_reliable_bias(void **state)
{
	size_t nc = 60;
	agg_obs *obs = calloc(nc * NR, sizeof *obs);
	double *v = calloc(nc, sizeof *v);
	int anchored[NR] = { 0, 0, 1, 0, 0, 0 };
	agg_opts o = { .anchored = anchored };
	agg_fit f;
	size_t n = synth(99, nc, v, 0, obs);

	(void)state;
	assert_int_equal(agg_fit_run(nc, NR, obs, n, &o, &f), 0);
	assert_true(f.b[2] == 0 && f.b_se[2] == 0);
	/* the others are measured against rater 2: lenient ones above, strict below */
	assert_true(f.b[0] < 0 && f.b[1] < 0 && f.b[4] > 0 && f.b[5] > 0);
	assert_true(spearman(f.b, true_bias, NR) >= 0.9);
	for (size_t r = 0; r < NR; r++)
		if (r != 2)
			assert_true(f.b_se[r] > 0 && isfinite(f.b_se[r]));
	agg_fit_clear(&f);
	free(obs);
	free(v);
}

/* Standard errors: more ratings, less uncertainty; and they match the
 * curvature of a single case with known rater biases. */
static void test_standard_errors(void **state)
{
	agg_obs obs[8];
	int anchored[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	agg_opts o = { .anchored = anchored };
	agg_fit f;
	size_t n = 0;

	(void)state;
	/* case 0: 6 valid ratings; case 1: 2 valid ratings */
	for (size_t r = 0; r < 6; r++)
		obs[n++] = (agg_obs){ .c = 0, .r = r, .valid = 1, .weight = 1 };
	for (size_t r = 0; r < 2; r++)
		obs[n++] = (agg_obs){ .c = 1, .r = r, .valid = 1, .weight = 1 };
	assert_int_equal(agg_fit_run(2, 8, obs, n, &o, &f), 0);
	assert_true(f.v[0] > f.v[1] && f.v[1] > 0);
	assert_true(f.v_se[0] < f.v_se[1]);
	/* all raters anchored: se is 1/sqrt(k p(1-p) + 1/4) exactly */
	{
		double p = sigmoid(f.v[0]);
		assert_true(fabs(f.v_se[0] - 1 / sqrt(6 * p * (1 - p) + 0.25)) < 1e-6);
		/* the optimum: 6 (1 - p) = v / 4 */
		assert_true(fabs(6 * (1 - p) - f.v[0] / 4) < 1e-6);
	}
	agg_fit_clear(&f);
}

static void test_weights(void **state)
{
	agg_obs with_zero[3] = {
		{ .c = 0, .r = 0, .valid = 1, .weight = 1 },
		{ .c = 0, .r = 1, .valid = 0, .weight = 0 },
		{ .c = 0, .r = 2, .valid = 1, .weight = 1 },
	};
	agg_obs without[2] = { with_zero[0], with_zero[2] };
	agg_obs half[2] = { { .c = 0, .r = 0, .valid = 1, .weight = 0.5 },
			    { .c = 0, .r = 1, .valid = 1, .weight = 0.5 } };
	agg_fit a, b, h;

	(void)state;
	assert_int_equal(agg_fit_run(1, 3, with_zero, 3, NULL, &a), 0);
	assert_int_equal(agg_fit_run(1, 3, without, 2, NULL, &b), 0);
	assert_true(fabs(a.v[0] - b.v[0]) < 1e-9); /* weight 0 counts as no rating */
	assert_int_equal(agg_fit_run(1, 2, half, 2, NULL, &h), 0);
	assert_true(h.v[0] > 0 && h.v[0] < b.v[0]); /* unsure ratings move it less */
	agg_fit_clear(&a);
	agg_fit_clear(&b);
	agg_fit_clear(&h);
}

static void test_bad_input(void **state)
{
	agg_obs bad = { .c = 3, .r = 0, .valid = 1, .weight = 1 };
	agg_fit f;

	(void)state;
	assert_int_equal(agg_fit_run(1, 1, &bad, 1, NULL, &f), -1);
	/* no ratings at all: everything at the prior mean */
	assert_int_equal(agg_fit_run(2, 2, NULL, 0, NULL, &f), 0);
	assert_true(f.v[0] == 0 && f.b[1] == 0 && fabs(f.v_se[0] - 2) < 1e-9);
	agg_fit_clear(&f);
}

/* Noise-free scores: offsets are recovered exactly against the anchor. */
static void test_dimension_offsets(void **state)
{
	const double off[3] = { 0, 1.5, -1 }, mean[4] = { 1, 2, 3, 4.5 };
	agg_score sc[12];
	int anchored[3] = { 1, 0, 0 };
	double m[4], o[4];
	size_t n = 0;

	(void)state;
	for (size_t c = 0; c < 4; c++)
		for (size_t r = 0; r < 3; r++)
			sc[n++] = (agg_score){ .c = c, .r = r, .s = mean[c] + off[r] };
	/* unanchored (rater 3 scored nothing): the ridge centres the offsets
	 * and shrinks them a little; their order and rough spacing hold */
	assert_int_equal(agg_dim_fit(4, 4, sc, n, NULL, m, o), 0);
	assert_true(isnan(o[3]));
	assert_true(fabs(o[0] + o[1] + o[2]) < 1e-6);
	assert_true(o[1] > o[0] && o[0] > o[2]);
	assert_true(fabs((o[1] - o[0]) - 1.5) < 0.4 && fabs((o[2] - o[0]) + 1) < 0.4);
	/* anchored on rater 0 */
	assert_int_equal(agg_dim_fit(4, 3, sc, n, anchored, m, o), 0);
	assert_true(o[0] == 0 && fabs(o[1] - 1.5) < 0.4 && fabs(o[2] + 1) < 0.4);
	for (size_t c = 0; c < 4; c++)
		assert_true(fabs(m[c] - mean[c]) < 0.3);
}

/* ---- over a case library ---- */

static cJSON *make_case(const char *scenario)
{
	const char *ps[] = { "honesty" };
	case_fields f = { .principles = ps, .nprinciples = 1, .scenario = scenario,
			  .literal_reading = "l", .expected = "e", .rationale = "r", .severity = 3 };
	return case_new(CASE_COUNTEREXAMPLE, &f, NULL);
}

static void rate(cJSON *c, const char *who, const char *verdict, double conf, double sev)
{
	rating_dimension d[] = { { "severity", sev } };
	rating r = { .rater = who, .verdict = verdict, .confidence = conf, .dims = d,
		     .ndims = sev > 0 ? 1 : 0 };
	assert_int_equal(case_rate(c, &r), 0);
}

/* The flip predictor: measured once there are enough considered ratings;
 * with argueAbove at 1 it would spare every argument and miss every flip,
 * at 0 none. */
static void test_flip_predictor(void **state)
{
	case_library lib = { .n = 20 };
	agg_settings s = { .confirm = 0.8, .dismiss = 0.2, .vague_alpha = 0.45, .argue_above = 1 };
	agg_result r;

	(void)state;
	lib.cases = calloc(lib.n, sizeof *lib.cases);
	for (size_t i = 0; i < lib.n; i++) {
		const char *v = i % 2 ? "valid" : "invalid", *other = i % 2 ? "invalid" : "valid";
		rating a = { .rater = "Ann <ann@example.org>", .verdict = v, .confidence = 1,
			     .quick_verdict = i % 3 ? v : other };
		rating b = { .rater = "Ben <ben@example.org>", .verdict = v, .confidence = 1,
			     .quick_verdict = i % 5 ? v : other };
		lib.cases[i] = make_case("A scenario long enough to be a case.");
		assert_int_equal(case_rate(lib.cases[i], &a), 0);
		assert_int_equal(case_rate(lib.cases[i], &b), 0);
	}
	assert_int_equal(aggregate_library(&lib, &s, &r), 0);
	assert_int_equal(r.considered, 40);
	assert_int_equal(r.flips, 7 + 4);
	assert_int_equal(r.flip.ratings, 40);
	assert_true(r.flip.auc >= 0 && r.flip.auc <= 1);
	assert_int_equal(r.flip.spared, 40);
	assert_int_equal(r.flip.missed, r.flips);
	agg_result_clear(&r);
	s.argue_above = 0;
	assert_int_equal(aggregate_library(&lib, &s, &r), 0);
	assert_int_equal(r.flip.spared, 0);
	assert_int_equal(r.flip.missed, 0);
	agg_result_clear(&r);
	s.argue_above = -1; /* unset: nothing spared is counted */
	lib.n = 4;          /* eight considered ratings: too few to learn from */
	assert_int_equal(aggregate_library(&lib, &s, &r), 0);
	assert_int_equal(r.flip.ratings, 0);
	assert_true(isnan(r.flip.auc));
	agg_result_clear(&r);
	lib.n = 20;
	case_library_clear(&lib);
}

static void test_library(void **state)
{
	case_library lib = { 0 };
	const char *reliable[] = { "ada@example.org" };
	agg_settings s = { .confirm = 0.8, .dismiss = 0.2, .reliable = reliable, .nreliable = 1 };
	agg_result r;
	cJSON *j, *raters, *cases, *dims;

	(void)state;
	lib.n = 4;
	lib.cases = calloc(4, sizeof *lib.cases);
	for (size_t i = 0; i < 4; i++)
		lib.cases[i] = make_case("A scenario long enough to be a case.");
	/* case 0: everyone says valid; case 1: everyone says invalid;
	 * case 2: split; case 3: unrated */
	rate(lib.cases[0], "Ada <ADA@example.org>", "valid", 1, 4);
	rate(lib.cases[0], "Bob <bob@example.org>", "valid", 1, 5);
	rate(lib.cases[0], "Cy <cy@example.org>", "valid", 1, 0);
	rate(lib.cases[1], "Ada <ada@example.org>", "invalid", 1, 2);
	rate(lib.cases[1], "Bob <bob@example.org>", "invalid", 1, 3);
	rate(lib.cases[1], "Cy <cy@example.org>", "invalid", 0.9, 0);
	rate(lib.cases[2], "Ada <ada@example.org>", "valid", 1, 0);
	rate(lib.cases[2], "Bob <bob@example.org>", "invalid", 1, 0);
	assert_int_equal(aggregate_library(&lib, &s, &r), 0);
	assert_int_equal(r.nraters, 3);
	assert_int_equal(r.ncases, 3);
	assert_int_equal(r.nratings, 8);
	assert_string_equal(r.raters[0].rater, "Ada <ADA@example.org>");
	assert_true(r.raters[0].reliable && r.raters[0].bias == 0);
	assert_string_equal(r.cases[0].suggested, "confirmed");
	assert_string_equal(r.cases[1].suggested, "dismissed");
	assert_string_equal(r.cases[2].suggested, "open");
	/* Bob agrees with Ada on 2 of 3 shared cases */
	assert_int_equal(r.raters[1].shared, 3);
	assert_true(fabs(r.raters[1].agreement - 2.0 / 3) < 1e-9);
	assert_true(agg_result_find(&r, case_id(lib.cases[3])) == NULL);
	j = agg_result_to_json(&r);
	raters = cJSON_GetObjectItem(j, "raters");
	cases = cJSON_GetObjectItem(j, "cases");
	dims = cJSON_GetObjectItem(j, "dimensions");
	assert_int_equal(cJSON_GetArraySize(raters), 3);
	assert_non_null(cJSON_GetObjectItem(cJSON_GetArrayItem(raters, 0), "bias"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(raters, 0),
						     "agreement_with_reliable")));
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(cases, 0), "suggested_status"),
			    "confirmed");
	assert_non_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cases, 0), "stderr"));
	/* the one dimension seen, severity: Bob scores one point above Ada */
	assert_int_equal(cJSON_GetArraySize(dims), 1);
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(dims, 0), "name"), "severity");
	assert_true(r.dims[0].offset[1] > 0.3 && r.dims[0].offset[0] == 0);
	assert_true(isnan(r.dims[0].offset[2]));
	assert_int_equal(r.dims[0].ncases, 2);
	cJSON_Delete(j);
	agg_result_clear(&r);
	case_library_clear(&lib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recovers_biases_and_validities),
		cmocka_unit_test(test_stable_with_a_sixth_missing),
		cmocka_unit_test(test_anchor_fixes_reliable_bias),
		cmocka_unit_test(test_standard_errors),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_dimension_offsets),
		cmocka_unit_test(test_library),
		cmocka_unit_test(test_flip_predictor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
