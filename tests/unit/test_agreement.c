/* test_agreement — Krippendorff's alpha and Cohen's kappa against values
 * worked out by hand, and Krippendorff's own example with missing data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "codicil/agreement.h"

/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the
 * nominal example: 4 observers, 12 units, values 1-5, 0 = missing.
 * Published: alpha = 0.743. */
static void test_alpha_krippendorffs_example(void **state)
{
	static const int table[4][12] = {
		{ 1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0 },
		{ 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3 },
		{ 0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0 },
		{ 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0 },
	};
	agree_value v[48];
	size_t n = 0;

	(void)state;
	for (size_t c = 0; c < 4; c++)
		for (size_t u = 0; u < 12; u++)
			if (table[c][u])
				v[n++] = (agree_value){ u, c, table[c][u] - 1 };
	assert_true(fabs(agree_alpha_nominal(v, n, 5) - 0.743) < 0.0005);
}

/* Two raters, four cases, one disagreement; worked by hand:
 * o = [[4,1],[1,2]], n0 = 5, n1 = 3, n = 8: alpha = 1 - 7 * 2 / 30. */
static void test_alpha_by_hand_with_a_missing_rating(void **state)
{
	const agree_value v[] = {
		{ 0, 0, 1 }, { 0, 1, 1 }, { 1, 0, 1 }, { 1, 1, 0 },
		{ 2, 0, 0 }, { 2, 1, 0 }, { 3, 0, 0 }, { 3, 1, 0 },
		{ 4, 0, 1 }, /* rated once: no pair, no evidence either way */
	};

	(void)state;
	assert_true(fabs(agree_alpha_nominal(v, 9, 2) - (1 - 14.0 / 30)) < 1e-12);
	assert_true(fabs(agree_alpha_nominal(v, 8, 2) - (1 - 14.0 / 30)) < 1e-12);
}

static void test_alpha_undefined_and_perfect(void **state)
{
	const agree_value same[] = { { 0, 0, 1 }, { 0, 1, 1 }, { 1, 0, 1 }, { 1, 1, 1 } };
	const agree_value agree[] = { { 0, 0, 1 }, { 0, 1, 1 }, { 1, 0, 0 }, { 1, 1, 0 } };
	const agree_value alone[] = { { 0, 0, 1 }, { 1, 0, 0 } };

	(void)state;
	assert_true(isnan(agree_alpha_nominal(same, 4, 2)));  /* no variation */
	assert_true(isnan(agree_alpha_nominal(alone, 2, 2))); /* nothing pairable */
	assert_true(fabs(agree_alpha_nominal(agree, 4, 2) - 1) < 1e-12);
}

/* p_o = 3/4, p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2: kappa = 1/2. */
static void test_kappa_by_hand(void **state)
{
	const int a[] = { 1, 1, 0, 0 }, b[] = { 1, 0, 0, 0 };
	const int c[] = { 1, 0, 1, 0 }, d[] = { 0, 1, 0, 1 };

	(void)state;
	assert_true(fabs(agree_kappa(a, b, 4, 2) - 0.5) < 1e-12);
	assert_true(fabs(agree_kappa(a, a, 4, 2) - 1) < 1e-12);
	assert_true(fabs(agree_kappa(c, d, 4, 2) + 1) < 1e-12); /* always opposite */
	assert_true(isnan(agree_kappa(b, b, 0, 2)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alpha_krippendorffs_example),
		cmocka_unit_test(test_alpha_by_hand_with_a_missing_rating),
		cmocka_unit_test(test_alpha_undefined_and_perfect),
		cmocka_unit_test(test_kappa_by_hand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
