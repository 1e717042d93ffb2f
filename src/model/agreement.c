/* agreement.c — Krippendorff's alpha (nominal) and Cohen's kappa
 * (agreement.h). */
#include "codicil/agreement.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAT 16

static int by_unit(const void *a, const void *b)
{
	const agree_value *x = a, *y = b;
	return x->unit < y->unit ? -1 : x->unit > y->unit;
}

/* Add the ordered pairs of one unit's values to the coincidence matrix. */
static void add_unit(const agree_value *v, size_t m, int ncat, double o[MAX_CAT][MAX_CAT])
{
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			if (i != j && v[i].coder != v[j].coder && v[i].value >= 0 &&
			    v[i].value < ncat && v[j].value >= 0 && v[j].value < ncat)
				o[v[i].value][v[j].value] += 1.0 / (double)(m - 1);
}

double agree_alpha_nominal(const agree_value *values, size_t n, int ncat)
{
	double o[MAX_CAT][MAX_CAT] = { { 0 } }, nc[MAX_CAT] = { 0 }, total = 0, dobs = 0, dexp = 0;
	agree_value *v;

	if (ncat < 2 || ncat > MAX_CAT || n < 2 || !(v = malloc(n * sizeof *v)))
		return NAN;
	memcpy(v, values, n * sizeof *v);
	qsort(v, n, sizeof *v, by_unit);
	for (size_t lo = 0, hi; lo < n; lo = hi) {
		for (hi = lo; hi < n && v[hi].unit == v[lo].unit; hi++)
			;
		if (hi - lo >= 2)
			add_unit(v + lo, hi - lo, ncat, o);
	}
	free(v);
	for (int c = 0; c < ncat; c++)
		for (int k = 0; k < ncat; k++) {
			nc[c] += o[c][k];
			total += o[c][k];
			dobs += c != k ? o[c][k] : 0;
		}
	for (int c = 0; c < ncat; c++)
		for (int k = 0; k < ncat; k++)
			dexp += c != k ? nc[c] * nc[k] : 0;
	if (total < 2 || dexp == 0)
		return NAN;
	return 1 - (total - 1) * dobs / dexp;
}

double agree_kappa(const int *a, const int *b, size_t n, int ncat)
{
	double pa[MAX_CAT] = { 0 }, pb[MAX_CAT] = { 0 }, po = 0, pe = 0;

	if (n == 0 || ncat < 2 || ncat > MAX_CAT)
		return NAN;
	for (size_t i = 0; i < n; i++) {
		if (a[i] < 0 || a[i] >= ncat || b[i] < 0 || b[i] >= ncat)
			return NAN;
		pa[a[i]] += 1.0 / (double)n;
		pb[b[i]] += 1.0 / (double)n;
		po += a[i] == b[i] ? 1.0 / (double)n : 0;
	}
	for (int c = 0; c < ncat; c++)
		pe += pa[c] * pb[c];
	return pe >= 1 ? NAN : (po - pe) / (1 - pe);
}
