/* aggregate.c — from the ratings in a case library to the fit and back:
 * who the raters are, which of them are anchors, how often each agrees
 * with the reliable ones, and what status each case's consensus suggests. */
#include "aggregate_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codicil/error.h"
#include "codicil/json.h"

static int read_fraction(config *cfg, const char *key, double def, double *out)
{
	const char *s = config_get(cfg, key);
	char *end;

	*out = def;
	if (!s || !*s)
		return 0;
	*out = strtod(s, &end);
	if (*end || !(*out > 0 && *out < 1)) {
		cd_err_set("%s: '%s' is not a number between 0 and 1 (from %s)", key, s,
			   config_source(cfg, key));
		return -1;
	}
	return 0;
}

int agg_settings_load(config *cfg, agg_settings *s)
{
	const char *v;

	memset(s, 0, sizeof *s);
	if (read_fraction(cfg, "codicil.aggregateConfirm", 0.8, &s->confirm) < 0 ||
	    read_fraction(cfg, "codicil.aggregateDismiss", 1 - s->confirm, &s->dismiss) < 0)
		return -1;
	if (s->dismiss >= s->confirm) {
		cd_err_set("codicil.aggregateDismiss (%g) must be below codicil.aggregateConfirm (%g)",
			   s->dismiss, s->confirm);
		return -1;
	}
	if ((v = config_get(cfg, "codicil.consensus")) && strcmp(v, "model")) {
		if (strcmp(v, "weighted")) {
			cd_err_set("codicil.consensus: '%s' is neither model nor weighted (from %s)", v,
				   config_source(cfg, "codicil.consensus"));
			return -1;
		}
		s->weighted = 1;
	}
	s->argue_above = -1;
	if (config_get(cfg, "codicil.argueAbove") &&
	    config_get_setting_double(cfg, "codicil.argueAbove", &s->argue_above) < 0)
		return -1;
	if (config_get_setting_double(cfg, "codicil.vagueAlpha", &s->vague_alpha) < 0 ||
	    config_get_all(cfg, "codicil.reliableRater", &s->reliable, &s->nreliable) < 0 ||
	    config_get_all(cfg, "codicil.dimension", &s->dims, &s->ndims) < 0)
		return -1;
	return 0;
}

/* A reliableRater value names a rater by "Name <email>" or by the email
 * (or the whole string) alone. */
int agg_rater_matches(const char *pattern, const char *rater)
{
	const char *lt = strrchr(rater, '<'), *gt = lt ? strchr(lt, '>') : NULL;

	if (rating_same_rater(pattern, rater))
		return 1;
	return lt && gt && !strchr(pattern, '<') && strlen(pattern) == (size_t)(gt - lt - 1) &&
	       !strncasecmp(pattern, lt + 1, (size_t)(gt - lt - 1));
}

static int is_reliable(const agg_settings *s, const char *rater)
{
	for (size_t i = 0; i < s->nreliable; i++)
		if (agg_rater_matches(s->reliable[i], rater))
			return 1;
	return 0;
}

static long rater_index(agg_build *b, const agg_settings *s, const char *rater)
{
	agg_rater *grown;

	for (size_t i = 0; i < b->res->nraters; i++)
		if (rating_same_rater(b->res->raters[i].rater, rater))
			return (long)i;
	grown = realloc(b->res->raters, (b->res->nraters + 1) * sizeof *grown);
	if (!grown)
		return -1;
	b->res->raters = grown;
	memset(&grown[b->res->nraters], 0, sizeof *grown);
	if (!(grown[b->res->nraters].rater = strdup(rater)))
		return -1;
	grown[b->res->nraters].reliable = is_reliable(s, rater);
	grown[b->res->nraters].agreement = NAN;
	return (long)b->res->nraters++;
}

static int usable(const cJSON *r)
{
	const char *v = cd_json_str(r, "verdict"), *who = cd_json_str(r, "rater");
	double conf = cd_json_num(r, "confidence", -1);

	return who && v && (!strcmp(v, "valid") || !strcmp(v, "invalid")) && conf >= 0 && conf <= 1;
}

static int push_obs(agg_build *b, size_t c, size_t r, const cJSON *rt)
{
	if (b->nobs == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		agg_obs *o = realloc(b->obs, cap * sizeof *o);
		const cJSON **rr = realloc(b->rating, cap * sizeof *rr);
		if (o)
			b->obs = o;
		if (rr)
			b->rating = rr;
		if (!o || !rr)
			return -1;
		b->cap = cap;
	}
	b->obs[b->nobs] = (agg_obs){ .c = c, .r = r, .weight = cd_json_num(rt, "confidence", 1),
				     .valid = !strcmp(cd_json_str(rt, "verdict"), "valid") };
	b->rating[b->nobs++] = rt;
	return 0;
}

/* A rating given after the arguments (it has a quick verdict): did the
 * reading change the verdict? */
static void count_flip(agg_result *r, agg_rater *ra, const cJSON *rt)
{
	const char *quick = cd_json_str(rt, "quick_verdict");

	if (!quick)
		return;
	ra->considered++;
	r->considered++;
	if (strcmp(quick, cd_json_str(rt, "verdict"))) {
		ra->flips++;
		r->flips++;
	}
}

/* The rated cases and their usable ratings as observations. */
static int collect(agg_build *b, const case_library *lib, const agg_settings *s)
{
	agg_result *r = b->res;

	r->cases = calloc(lib->n + 1, sizeof *r->cases);
	if (!r->cases)
		return -1;
	for (size_t i = 0; i < lib->n; i++) {
		const cJSON *rt;
		size_t before = b->nobs;

		cJSON_ArrayForEach(rt, cJSON_GetObjectItemCaseSensitive(lib->cases[i], "ratings")) {
			long ri;
			if (!usable(rt))
				continue;
			if ((ri = rater_index(b, s, cd_json_str(rt, "rater"))) < 0 ||
			    push_obs(b, r->ncases, (size_t)ri, rt) < 0)
				return -1;
			r->raters[ri].ratings++;
			count_flip(r, &r->raters[ri], rt);
		}
		if (b->nobs > before) {
			r->cases[r->ncases].c = lib->cases[i];
			r->cases[r->ncases++].ratings = b->nobs - before;
		}
	}
	r->nratings = b->nobs;
	return 0;
}

/* For each rater, the share of (case, reliable other rater) pairs on which
 * both gave the same verdict.  collect() pushes a case's observations
 * together, so pairs are looked for within each run of one case. */
static void agreement(agg_build *b)
{
	agg_result *r = b->res;
	size_t *agree = calloc(r->nraters + 1, sizeof *agree);

	if (!agree)
		return;
	for (size_t lo = 0, hi; lo < b->nobs; lo = hi) {
		for (hi = lo; hi < b->nobs && b->obs[hi].c == b->obs[lo].c; hi++)
			;
		for (size_t i = lo; i < hi; i++)
			for (size_t j = lo; j < hi; j++) {
				const agg_obs *x = &b->obs[i], *y = &b->obs[j];
				if (x->r == y->r || !r->raters[y->r].reliable)
					continue;
				r->raters[x->r].shared++;
				agree[x->r] += x->valid == y->valid;
			}
	}
	for (size_t k = 0; k < r->nraters; k++)
		r->raters[k].agreement =
			r->raters[k].shared ? (double)agree[k] / (double)r->raters[k].shared : NAN;
	free(agree);
}

static int fit(agg_build *b, const agg_settings *s)
{
	agg_result *r = b->res;
	int *anchored = calloc(r->nraters + 1, sizeof *anchored);
	agg_opts o = { 0 };
	agg_fit f;

	if (!anchored)
		return -1;
	for (size_t i = 0; i < r->nraters; i++)
		anchored[i] = r->raters[i].reliable;
	o.anchored = anchored;
	if (agg_fit_run(r->ncases, r->nraters, b->obs, b->nobs, &o, &f) < 0) {
		free(anchored);
		return -2;
	}
	for (size_t i = 0; i < r->nraters; i++) {
		r->raters[i].bias = f.b[i];
		r->raters[i].bias_se = f.b_se[i];
	}
	for (size_t c = 0; c < r->ncases; c++) {
		agg_case *ac = &r->cases[c];
		ac->validity = f.v[c];
		ac->se = f.v_se[c];
		ac->p = ac->p_model = agg_sigmoid(f.v[c]);
	}
	r->converged = f.converged;
	agg_fit_clear(&f);
	free(anchored);
	return 0;
}

int aggregate_library(const case_library *lib, const agg_settings *s, agg_result *out)
{
	agg_build b = { .res = out };
	int rc;

	memset(out, 0, sizeof *out);
	rc = collect(&b, lib, s);
	if (rc == 0)
		agreement(&b);
	if (rc == 0)
		rc = fit(&b, s);
	if (rc == 0)
		rc = agg_weighted_build(&b, s);
	if (rc == 0)
		rc = agg_dims_build(&b, s);
	if (rc == 0)
		rc = agg_alpha_build(&b, s);
	if (rc == 0)
		rc = agg_flip_build(&b, s);
	if (rc == -1)
		cd_err_set("out of memory");
	free(b.obs);
	free(b.rating);
	if (rc < 0)
		agg_result_clear(out);
	return rc < 0 ? -1 : 0;
}

void agg_result_clear(agg_result *r)
{
	for (size_t i = 0; i < r->nraters; i++)
		free(r->raters[i].rater);
	for (size_t d = 0; d < r->ndims; d++) {
		free(r->dims[d].name);
		free(r->dims[d].offset);
		free(r->dims[d].scored);
		free(r->dims[d].cases);
	}
	for (size_t i = 0; i < r->nprinciples; i++)
		free(r->principles[i].id);
	free(r->raters);
	free(r->cases);
	free(r->dims);
	free(r->principles);
	memset(r, 0, sizeof *r);
}

const agg_case *agg_result_find(const agg_result *r, const char *id)
{
	for (size_t i = 0; id && i < r->ncases; i++)
		if (case_id(r->cases[i].c) && !strcmp(case_id(r->cases[i].c), id))
			return &r->cases[i];
	return NULL;
}
