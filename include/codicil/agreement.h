/* agreement.h — how far raters agree, corrected for chance.
 *
 * Krippendorff's alpha for nominal data: alpha = 1 - D_o / D_e, from the
 * coincidence matrix o of pairable values (a unit with m >= 2 values adds
 * 1/(m - 1) to o[c][k] for each ordered pair of its values from different
 * coders; units with fewer than two values do not count, so missing
 * ratings are allowed).  With n_c = sum_k o[c][k] and n = sum_c n_c:
 *     D_o = sum_{c != k} o[c][k]
 *     D_e = sum_{c != k} n_c n_k / (n - 1)
 * Cohen's kappa for two raters over the same items:
 *     kappa = (p_o - p_e) / (1 - p_e),  p_e = sum_c p_a(c) p_b(c).
 * Both are NAN when undefined (fewer than two pairable values, or no
 * variation at all, where agreement by chance is certain).
 */
#ifndef CODICIL_AGREEMENT_H
#define CODICIL_AGREEMENT_H

#include <stddef.h>

typedef struct agree_value {
	size_t unit;    /* the case */
	size_t coder;   /* the rater */
	int value;      /* the category, 0 .. ncat-1 */
} agree_value;

/* values need not be sorted; a coder's second value on a unit counts as
 * another value (callers pass one per coder and unit). */
double agree_alpha_nominal(const agree_value *values, size_t n, int ncat);
/* a[i] and b[i]: the two raters' categories for item i (0 .. ncat-1). */
double agree_kappa(const int *a, const int *b, size_t n, int ncat);

#endif
