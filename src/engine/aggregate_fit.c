/* aggregate_fit.c — P(valid) = sigmoid(v_c + b_r) by penalised maximum
 * likelihood, and the additive model of dimension scores (aggregate.h).
 *
 * Newton's method on the concave log posterior.  The negative Hessian is
 *     [ D  B ]    D: diagonal over cases, A: diagonal over raters,
 *     [ B' A ]    B: cases x raters coupling,
 * so a step eliminates the cases (Schur complement S = A - B' D^-1 B) and
 * solves only a raters x raters system. */
#include "codicil/aggregate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

#define STEP_TOL 1e-9
#define MAX_HALVINGS 40

typedef struct problem {
	size_t nc, nr, nfree, nobs;
	const agg_obs *obs;
	size_t *by_case;      /* observation indices grouped by case */
	size_t *case_start;   /* nc + 1 offsets into by_case */
	long *free_ix;        /* rater -> index among free raters, -1 for an anchor */
	double case_prec, rater_prec;
	/* work space */
	double *h, *gv, *D, *gb, *S, *rhs, *u;
} problem;

double agg_sigmoid(double x)
{
	/* the two forms keep exp() from overflowing either way */
	return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
}

/* log sigmoid(x), without overflow */
static double log_sigmoid(double x)
{
	return x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x));
}

static double objective(const problem *p, const double *v, const double *b)
{
	double f = 0;

	for (size_t i = 0; i < p->nobs; i++) {
		const agg_obs *o = &p->obs[i];
		double x = v[o->c] + b[o->r];
		f += o->weight * (o->valid ? log_sigmoid(x) : log_sigmoid(-x));
	}
	for (size_t c = 0; c < p->nc; c++)
		f -= 0.5 * p->case_prec * v[c] * v[c];
	for (size_t r = 0; r < p->nr; r++)
		f -= 0.5 * p->rater_prec * b[r] * b[r];
	return f;
}

/* Cholesky factorisation in place (lower triangle); -1 if not positive
 * definite. */
static int cholesky(double *a, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		double d = a[j * n + j];
		for (size_t k = 0; k < j; k++)
			d -= a[j * n + k] * a[j * n + k];
		if (!(d > 0))
			return -1;
		a[j * n + j] = sqrt(d);
		for (size_t i = j + 1; i < n; i++) {
			double s = a[i * n + j];
			for (size_t k = 0; k < j; k++)
				s -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = s / a[j * n + j];
		}
	}
	return 0;
}

static void chol_solve(const double *l, size_t n, double *x)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < i; k++)
			x[i] -= l[i * n + k] * x[k];
		x[i] /= l[i * n + i];
	}
	for (size_t i = n; i-- > 0;) {
		for (size_t k = i + 1; k < n; k++)
			x[i] -= l[k * n + i] * x[k];
		x[i] /= l[i * n + i];
	}
}

/* Gradient, D, and the Schur complement S with its right-hand side. */
static void assemble(problem *p, const double *v, const double *b)
{
	size_t nf = p->nfree;

	memset(p->gb, 0, nf * sizeof *p->gb);
	memset(p->S, 0, nf * nf * sizeof *p->S);
	for (size_t r = 0; r < p->nr; r++)
		if (p->free_ix[r] >= 0) {
			p->gb[p->free_ix[r]] = -p->rater_prec * b[r];
			p->S[(size_t)p->free_ix[r] * (nf + 1)] = p->rater_prec;
		}
	for (size_t c = 0; c < p->nc; c++) {
		p->gv[c] = -p->case_prec * v[c];
		p->D[c] = p->case_prec;
	}
	for (size_t i = 0; i < p->nobs; i++) {
		const agg_obs *o = &p->obs[i];
		double q = agg_sigmoid(v[o->c] + b[o->r]);
		double resid = o->weight * ((o->valid ? 1.0 : 0.0) - q);
		long f = p->free_ix[o->r];

		p->h[i] = o->weight * q * (1 - q);
		p->gv[o->c] += resid;
		p->D[o->c] += p->h[i];
		if (f >= 0) {
			p->gb[f] += resid;
			p->S[(size_t)f * (nf + 1)] += p->h[i];
		}
	}
	memcpy(p->rhs, p->gb, nf * sizeof *p->rhs);
	for (size_t c = 0; c < p->nc; c++) {
		size_t lo = p->case_start[c], hi = p->case_start[c + 1];
		for (size_t a = lo; a < hi; a++) {
			size_t i = p->by_case[a];
			long fi = p->free_ix[p->obs[i].r];
			if (fi < 0)
				continue;
			p->rhs[fi] -= p->h[i] * p->gv[c] / p->D[c];
			for (size_t z = lo; z < hi; z++) {
				size_t j = p->by_case[z];
				long fj = p->free_ix[p->obs[j].r];
				if (fj >= 0)
					p->S[(size_t)fi * nf + (size_t)fj] -= p->h[i] * p->h[j] / p->D[c];
			}
		}
	}
}

/* The Newton direction (dv, db over all raters; anchors 0). */
static int direction(problem *p, double *dv, double *db)
{
	if (p->nfree && cholesky(p->S, p->nfree) < 0) {
		cd_err_set("aggregate: the rating model is degenerate (no positive definite Hessian)");
		return -1;
	}
	if (p->nfree)
		chol_solve(p->S, p->nfree, p->rhs);
	for (size_t r = 0; r < p->nr; r++)
		db[r] = p->free_ix[r] >= 0 ? p->rhs[p->free_ix[r]] : 0;
	for (size_t c = 0; c < p->nc; c++) {
		double s = p->gv[c];
		for (size_t a = p->case_start[c]; a < p->case_start[c + 1]; a++) {
			size_t i = p->by_case[a];
			s -= p->h[i] * db[p->obs[i].r];
		}
		dv[c] = s / p->D[c];
	}
	return 0;
}

/* Take the largest step 2^-k along (dv, db) that does not lower the
 * objective; returns the size of the step taken. */
static double line_step(const problem *p, double *v, double *b, const double *dv,
			const double *db, double *tv, double *tb)
{
	double f0 = objective(p, v, b), t = 1, max = 0;

	for (int k = 0; k < MAX_HALVINGS; k++, t /= 2) {
		for (size_t c = 0; c < p->nc; c++)
			tv[c] = v[c] + t * dv[c];
		for (size_t r = 0; r < p->nr; r++)
			tb[r] = b[r] + t * db[r];
		if (objective(p, tv, tb) >= f0 - 1e-12 * fabs(f0))
			break;
	}
	for (size_t c = 0; c < p->nc; c++) {
		max = fmax(max, fabs(tv[c] - v[c]));
		v[c] = tv[c];
	}
	for (size_t r = 0; r < p->nr; r++) {
		max = fmax(max, fabs(tb[r] - b[r]));
		b[r] = tb[r];
	}
	return max;
}

/* Standard errors: the inverse Hessian's diagonal via the factored S. */
static void std_errors(problem *p, agg_fit *f)
{
	size_t nf = p->nfree;
	double *sinv = calloc(nf * nf + 1, sizeof *sinv);

	if (!sinv)
		return;
	for (size_t k = 0; k < nf; k++) {
		double *col = sinv + k * nf;
		col[k] = 1;
		chol_solve(p->S, nf, col);
	}
	for (size_t r = 0; r < p->nr; r++) {
		long fr = p->free_ix[r];
		f->b_se[r] = fr >= 0 ? sqrt(sinv[(size_t)fr * (nf + 1)]) : 0;
	}
	for (size_t c = 0; c < p->nc; c++) {
		double q = 0;
		memset(p->u, 0, nf * sizeof *p->u);
		for (size_t a = p->case_start[c]; a < p->case_start[c + 1]; a++) {
			size_t i = p->by_case[a];
			if (p->free_ix[p->obs[i].r] >= 0)
				p->u[p->free_ix[p->obs[i].r]] += p->h[i];
		}
		for (size_t i = 0; i < nf; i++)
			for (size_t j = 0; j < nf; j++)
				q += p->u[i] * sinv[i * nf + j] * p->u[j];
		f->v_se[c] = sqrt(1 / p->D[c] + q / (p->D[c] * p->D[c]));
	}
	free(sinv);
}

static int setup(problem *p, size_t nc, size_t nr, const agg_obs *obs, size_t nobs,
		 const agg_opts *o)
{
	double csd = o && o->case_prior_sd > 0 ? o->case_prior_sd : 2;
	double rsd = o && o->rater_prior_sd > 0 ? o->rater_prior_sd : 1;
	size_t *fill;

	memset(p, 0, sizeof *p);
	p->nc = nc;
	p->nr = nr;
	p->obs = obs;
	p->nobs = nobs;
	p->case_prec = 1 / (csd * csd);
	p->rater_prec = 1 / (rsd * rsd);
	p->free_ix = calloc(nr + 1, sizeof *p->free_ix);
	p->by_case = calloc(nobs + 1, sizeof *p->by_case);
	p->case_start = calloc(nc + 2, sizeof *p->case_start);
	fill = calloc(nc + 1, sizeof *fill);
	p->h = calloc(nobs + 1, sizeof *p->h);
	p->gv = calloc(nc + 1, sizeof *p->gv);
	p->D = calloc(nc + 1, sizeof *p->D);
	if (!p->free_ix || !p->by_case || !p->case_start || !fill || !p->h || !p->gv || !p->D) {
		free(fill);
		return -1;
	}
	for (size_t r = 0; r < nr; r++)
		p->free_ix[r] = o && o->anchored && o->anchored[r] ? -1 : (long)p->nfree++;
	for (size_t i = 0; i < nobs; i++)
		p->case_start[obs[i].c + 1]++;
	for (size_t c = 0; c < nc; c++)
		p->case_start[c + 1] += p->case_start[c];
	for (size_t i = 0; i < nobs; i++)
		p->by_case[p->case_start[obs[i].c] + fill[obs[i].c]++] = i;
	free(fill);
	p->gb = calloc(p->nfree + 1, sizeof *p->gb);
	p->rhs = calloc(p->nfree + 1, sizeof *p->rhs);
	p->u = calloc(p->nfree + 1, sizeof *p->u);
	p->S = calloc(p->nfree * p->nfree + 1, sizeof *p->S);
	return p->gb && p->rhs && p->u && p->S ? 0 : -1;
}

static void teardown(problem *p)
{
	free(p->free_ix);
	free(p->by_case);
	free(p->case_start);
	free(p->h);
	free(p->gv);
	free(p->D);
	free(p->gb);
	free(p->rhs);
	free(p->u);
	free(p->S);
}

static int check_input(size_t nc, size_t nr, const agg_obs *obs, size_t nobs)
{
	for (size_t i = 0; i < nobs; i++)
		if (obs[i].c >= nc || obs[i].r >= nr || !(obs[i].weight >= 0)) {
			cd_err_set("aggregate: rating %zu refers to no case or rater, or has a negative weight",
				   i);
			return -1;
		}
	return 0;
}

int agg_fit_run(size_t nc, size_t nr, const agg_obs *obs, size_t nobs, const agg_opts *o,
		agg_fit *f)
{
	int max_iter = o && o->max_iter > 0 ? o->max_iter : 200, rc = -1;
	double *dv = NULL, *db = NULL, *tv = NULL, *tb = NULL;
	problem p;

	memset(f, 0, sizeof *f);
	if (check_input(nc, nr, obs, nobs) < 0)
		return -1;
	f->v = calloc(nc + 1, sizeof *f->v);
	f->v_se = calloc(nc + 1, sizeof *f->v_se);
	f->b = calloc(nr + 1, sizeof *f->b);
	f->b_se = calloc(nr + 1, sizeof *f->b_se);
	dv = calloc(nc + 1, sizeof *dv);
	tv = calloc(nc + 1, sizeof *tv);
	db = calloc(nr + 1, sizeof *db);
	tb = calloc(nr + 1, sizeof *tb);
	if (setup(&p, nc, nr, obs, nobs, o) < 0 || !f->v || !f->v_se || !f->b || !f->b_se ||
	    !dv || !tv || !db || !tb) {
		cd_err_set("out of memory");
		goto out;
	}
	while (f->iterations < max_iter) {
		f->iterations++;
		assemble(&p, f->v, f->b);
		if (direction(&p, dv, db) < 0)
			goto out;
		if (line_step(&p, f->v, f->b, dv, db, tv, tb) < STEP_TOL) {
			f->converged = 1;
			break;
		}
	}
	assemble(&p, f->v, f->b);
	if (p.nfree && cholesky(p.S, p.nfree) < 0) {
		cd_err_set("aggregate: the rating model is degenerate (no positive definite Hessian)");
		goto out;
	}
	std_errors(&p, f);
	rc = 0;
out:
	teardown(&p);
	free(dv);
	free(db);
	free(tv);
	free(tb);
	if (rc < 0)
		agg_fit_clear(f);
	return rc;
}

void agg_fit_clear(agg_fit *f)
{
	free(f->v);
	free(f->v_se);
	free(f->b);
	free(f->b_se);
	memset(f, 0, sizeof *f);
}

/* ---- dimensions: s = m_c + o_r, ridge on o_r, by alternating means ---- */

#define DIM_RIDGE 1.0
#define DIM_TOL 1e-10
#define DIM_MAX_ITER 1000

int agg_dim_fit(size_t nc, size_t nr, const agg_score *sc, size_t n, const int *anchored,
		double *m, double *offset)
{
	double *sum_c = calloc(nc + 1, sizeof *sum_c), *sum_r = calloc(nr + 1, sizeof *sum_r);
	size_t *cnt_c = calloc(nc + 1, sizeof *cnt_c), *cnt_r = calloc(nr + 1, sizeof *cnt_r);
	int rc = -1;

	if (!sum_c || !sum_r || !cnt_c || !cnt_r) {
		cd_err_set("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		cnt_c[sc[i].c]++;
		cnt_r[sc[i].r]++;
	}
	for (size_t r = 0; r < nr; r++)
		offset[r] = 0;
	for (int it = 0; it < DIM_MAX_ITER; it++) {
		double change = 0;

		memset(sum_c, 0, nc * sizeof *sum_c);
		memset(sum_r, 0, nr * sizeof *sum_r);
		for (size_t i = 0; i < n; i++)
			sum_c[sc[i].c] += sc[i].s - offset[sc[i].r];
		for (size_t c = 0; c < nc; c++)
			m[c] = cnt_c[c] ? sum_c[c] / (double)cnt_c[c] : NAN;
		for (size_t i = 0; i < n; i++)
			sum_r[sc[i].r] += sc[i].s - m[sc[i].c];
		for (size_t r = 0; r < nr; r++) {
			double o = anchored && anchored[r] ? 0 : sum_r[r] / ((double)cnt_r[r] + DIM_RIDGE);
			change = fmax(change, fabs(o - offset[r]));
			offset[r] = o;
		}
		if (change < DIM_TOL)
			break;
	}
	for (size_t r = 0; r < nr; r++)
		if (!cnt_r[r])
			offset[r] = NAN;
	rc = 0;
out:
	free(sum_c);
	free(sum_r);
	free(cnt_c);
	free(cnt_r);
	return rc;
}
