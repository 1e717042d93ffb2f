/* test_logistic — the flip predictor's pieces: a logistic fit that finds
 * coefficients it was given, and the AUC of worked examples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "codicil/logistic.h"

/* The classic example: positives at 0.35 and 0.8, negatives at 0.1 and
 * 0.4: three of the four pairs are ranked right. */
static void test_auc_by_hand(void **state)
{
	const double s[] = { 0.1, 0.4, 0.35, 0.8 }, tie[] = { 0.5, 0.5 };
	const int y[] = { 0, 0, 1, 1 }, ty[] = { 0, 1 }, one[] = { 1, 1 };

	(void)state;
	assert_true(fabs(logit_auc(s, y, 4) - 0.75) < 1e-12);
	assert_true(fabs(logit_auc(tie, ty, 2) - 0.5) < 1e-12); /* a tie counts half */
	assert_true(isnan(logit_auc(tie, one, 2)));
}

/* Intercept only: three of four are 1, so beta = logit(3/4) = ln 3. */
static void test_fit_intercept(void **state)
{
	const double x[] = { 1, 1, 1, 1 };
	const int y[] = { 1, 1, 1, 0 };
	double beta[1];

	(void)state;
	assert_int_equal(logit_fit(x, y, 4, 1, 1, beta), 0);
	assert_true(fabs(beta[0] - log(3)) < 1e-6);
}

/* 4,000 draws from P(y) = sigmoid(-1 + 2 x): the fit finds them again. */
static void test_fit_recovers_coefficients(void **state)
{
	enum { N = 4000 };
	double *x = malloc(2 * N * sizeof *x), beta[2], p[N];
	int *y = malloc(N * sizeof *y);
	unsigned long long r = 7;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		double xi = (double)(r >> 11) / 9007199254740992.0 * 4 - 2;
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		double u = (double)(r >> 11) / 9007199254740992.0;
		x[2 * i] = 1;
		x[2 * i + 1] = xi;
		y[i] = u < 1 / (1 + exp(-(-1 + 2 * xi)));
	}
	assert_int_equal(logit_fit(x, y, N, 2, 0.01, beta), 0);
	assert_true(fabs(beta[0] + 1) < 0.2 && fabs(beta[1] - 2) < 0.2);
	for (size_t i = 0; i < N; i++)
		p[i] = logit_predict(beta, x + 2 * i, 2);
	assert_true(logit_auc(p, y, N) > 0.8);
	free(x);
	free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auc_by_hand),
		cmocka_unit_test(test_fit_intercept),
		cmocka_unit_test(test_fit_recovers_coefficients),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
