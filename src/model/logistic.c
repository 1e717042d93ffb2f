/* logistic.c — logistic regression by Newton's method, and the AUC
 * (logistic.h). */
#include "codicil/logistic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double logit_predict(const double *beta, const double *x, size_t k)
{
	double z = 0;

	for (size_t j = 0; j < k; j++)
		z += beta[j] * x[j];
	return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

/* Solve a x = b (k x k, Gaussian elimination with partial pivoting); a and
 * b are overwritten.  -1 when a is singular. */
static int solve(double a[LOGIT_MAX_FEATURES][LOGIT_MAX_FEATURES], double *b, size_t k)
{
	for (size_t c = 0; c < k; c++) {
		size_t p = c;
		for (size_t r = c + 1; r < k; r++)
			if (fabs(a[r][c]) > fabs(a[p][c]))
				p = r;
		if (fabs(a[p][c]) < 1e-12)
			return -1;
		if (p != c) {
			double t;
			for (size_t j = 0; j < k; j++) {
				t = a[c][j], a[c][j] = a[p][j], a[p][j] = t;
			}
			t = b[c], b[c] = b[p], b[p] = t;
		}
		for (size_t r = c + 1; r < k; r++) {
			double f = a[r][c] / a[c][c];
			for (size_t j = c; j < k; j++)
				a[r][j] -= f * a[c][j];
			b[r] -= f * b[c];
		}
	}
	for (size_t c = k; c-- > 0;) {
		for (size_t j = c + 1; j < k; j++)
			b[c] -= a[c][j] * b[j];
		b[c] /= a[c][c];
	}
	return 0;
}

int logit_fit(const double *x, const int *y, size_t n, size_t k, double lambda, double *beta)
{
	if (k == 0 || k > LOGIT_MAX_FEATURES)
		return -1;
	memset(beta, 0, k * sizeof *beta);
	for (int iter = 0; iter < 100; iter++) {
		double h[LOGIT_MAX_FEATURES][LOGIT_MAX_FEATURES] = { { 0 } }, g[LOGIT_MAX_FEATURES];
		double step = 0;

		for (size_t j = 0; j < k; j++) { /* the penalty: not on the intercept */
			g[j] = j ? -lambda * beta[j] : 0;
			h[j][j] = j ? lambda : 1e-9;
		}
		for (size_t i = 0; i < n; i++) {
			const double *xi = x + i * k;
			double p = logit_predict(beta, xi, k), w = p * (1 - p);
			for (size_t a = 0; a < k; a++) {
				g[a] += (y[i] - p) * xi[a];
				for (size_t b = 0; b < k; b++)
					h[a][b] += w * xi[a] * xi[b];
			}
		}
		if (solve(h, g, k) < 0)
			return -1;
		for (size_t j = 0; j < k; j++) {
			beta[j] += g[j];
			step = fmax(step, fabs(g[j]));
		}
		if (step < 1e-9)
			return 0;
	}
	return -1;
}

typedef struct scored {
	double s;
	int y;
} scored;

static int by_s(const void *a, const void *b)
{
	double x = ((const scored *)a)->s, y = ((const scored *)b)->s;
	return x < y ? -1 : x > y;
}

/* Mann-Whitney: the share of (positive, negative) pairs ranked right. */
double logit_auc(const double *score, const int *y, size_t n)
{
	scored *v = malloc((n + 1) * sizeof *v);
	double pos = 0, neg = 0, right = 0;

	if (!v)
		return NAN;
	for (size_t i = 0; i < n; i++)
		v[i] = (scored){ score[i], y[i] != 0 };
	qsort(v, n, sizeof *v, by_s);
	for (size_t lo = 0, hi; lo < n; lo = hi) {
		double p = 0, q = 0;
		for (hi = lo; hi < n && v[hi].s == v[lo].s; hi++)
			v[hi].y ? p++ : q++;
		right += p * neg + 0.5 * p * q; /* positives above every negative below, ties half */
		pos += p;
		neg += q;
	}
	free(v);
	return pos && neg ? right / (pos * neg) : NAN;
}
