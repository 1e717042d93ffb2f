/* aggregate_out.c — dimension scores, the JSON report, and applying the
 * suggested statuses. */
#include "aggregate_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/workspace.h"
#include "codicil/json.h"

static int has_name(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The dimension names: the configured ones, else every name found in the
 * ratings, sorted. */
static int dim_names(const agg_build *b, const agg_settings *s, char ***out, size_t *n)
{
	size_t cap = s->ndims + 8;
	char **names = calloc(cap, sizeof *names);

	*n = 0;
	if (!names)
		return -1;
	for (size_t i = 0; i < s->ndims; i++)
		if (!has_name(names, *n, s->dims[i]) && !(names[(*n)++] = strdup(s->dims[i])))
			goto oom;
	for (size_t i = 0; s->ndims == 0 && i < b->nobs; i++) {
		const cJSON *d;
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(b->rating[i], "dimensions")) {
			if (!d->string || has_name(names, *n, d->string))
				continue;
			if (*n == cap) {
				char **g = realloc(names, 2 * cap * sizeof *g);
				if (!g)
					goto oom;
				names = g;
				cap *= 2;
			}
			if (!(names[(*n)++] = strdup(d->string)))
				goto oom;
		}
	}
	if (s->ndims == 0)
		qsort(names, *n, sizeof *names, by_name);
	*out = names;
	return 0;
oom:
	for (size_t i = 0; i < *n; i++)
		free(names[i]);
	free(names);
	return -1;
}

static int fit_dim(agg_build *b, agg_dim *d, const int *anchored)
{
	agg_result *r = b->res;
	agg_score *sc = calloc(b->nobs + 1, sizeof *sc);
	double *m = calloc(r->ncases + 1, sizeof *m), *raw = calloc(r->ncases + 1, sizeof *raw);
	size_t *cnt = calloc(r->ncases + 1, sizeof *cnt), n = 0;
	int rc = -1;

	d->offset = calloc(r->nraters + 1, sizeof *d->offset);
	d->scored = calloc(r->nraters + 1, sizeof *d->scored);
	d->cases = calloc(r->ncases + 1, sizeof *d->cases);
	if (!sc || !m || !raw || !cnt || !d->offset || !d->scored || !d->cases)
		goto out;
	for (size_t i = 0; i < b->nobs; i++) {
		const cJSON *dims = cJSON_GetObjectItemCaseSensitive(b->rating[i], "dimensions");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(dims, d->name);
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
			continue;
		sc[n++] = (agg_score){ .c = b->obs[i].c, .r = b->obs[i].r, .s = v->valuedouble };
		raw[b->obs[i].c] += v->valuedouble;
		cnt[b->obs[i].c]++;
		d->scored[b->obs[i].r]++;
	}
	if (agg_dim_fit(r->ncases, r->nraters, sc, n, anchored, m, d->offset) < 0) {
		rc = -2;
		goto out;
	}
	for (size_t c = 0; c < r->ncases; c++)
		if (cnt[c])
			d->cases[d->ncases++] = (agg_dim_case){ .id = case_id(r->cases[c].c), .mean = m[c],
								.raw_mean = raw[c] / (double)cnt[c],
								.n = cnt[c] };
	rc = 0;
out:
	free(sc);
	free(m);
	free(raw);
	free(cnt);
	return rc;
}

int agg_dims_build(agg_build *b, const agg_settings *s)
{
	agg_result *r = b->res;
	int *anchored = calloc(r->nraters + 1, sizeof *anchored), rc = 0;
	char **names = NULL;
	size_t n = 0;

	if (!anchored || dim_names(b, s, &names, &n) < 0) {
		free(anchored);
		return -1;
	}
	for (size_t i = 0; i < r->nraters; i++)
		anchored[i] = r->raters[i].reliable;
	r->dims = calloc(n + 1, sizeof *r->dims);
	if (!r->dims)
		rc = -1;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			r->dims[r->ndims].name = names[i];
			rc = fit_dim(b, &r->dims[r->ndims++], anchored);
		} else {
			free(names[i]);
		}
	}
	free(names);
	free(anchored);
	return rc;
}

static cJSON *raters_json(const agg_result *r)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < r->nraters; i++) {
		const agg_rater *ra = &r->raters[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "rater", ra->rater);
		cd_json_add_rounded(o, "bias", ra->bias, 4);
		cd_json_add_rounded(o, "bias_stderr", ra->bias_se, 4);
		cJSON_AddNumberToObject(o, "ratings", (double)ra->ratings);
		cJSON_AddBoolToObject(o, "reliable", ra->reliable);
		cd_json_add_rounded(o, "agreement_with_reliable", ra->agreement, 4);
		cJSON_AddNumberToObject(o, "shared_with_reliable", (double)ra->shared);
		cd_json_add_rounded(o, "modelled_agreement", ra->modelled_agreement, 4);
		cd_json_add_rounded(o, "weight", ra->weight, 4);
		cJSON_AddNumberToObject(o, "considered", (double)ra->considered);
		cJSON_AddNumberToObject(o, "flips", (double)ra->flips);
		cd_json_add_rounded(o, "flip_rate",
				ra->considered ? (double)ra->flips / (double)ra->considered : NAN, 4);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *cases_json(const agg_result *r)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < r->ncases; i++) {
		const agg_case *c = &r->cases[i];
		cJSON *o = cJSON_CreateObject();
		const char *st = cd_json_str(c->c, "status");
		cJSON_AddStringToObject(o, "id", case_id(c->c));
		cd_json_add_rounded(o, "validity", c->validity, 4);
		cd_json_add_rounded(o, "stderr", c->se, 4);
		cd_json_add_rounded(o, "consensus", c->p, 4);
		cd_json_add_rounded(o, "consensus_model", c->p_model, 4);
		cd_json_add_rounded(o, "consensus_weighted", c->p_weighted, 4);
		cJSON_AddNumberToObject(o, "ratings", (double)c->ratings);
		cJSON_AddStringToObject(o, "status", st ? st : "");
		cJSON_AddStringToObject(o, "suggested_status", c->suggested);
		if (aggregate_change(c))
			cJSON_AddStringToObject(o, "apply_status", aggregate_change(c));
		else
			cJSON_AddNullToObject(o, "apply_status");
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *dim_json(const agg_result *r, const agg_dim *d)
{
	cJSON *o = cJSON_CreateObject(), *raters, *cases;

	cJSON_AddStringToObject(o, "name", d->name);
	raters = cJSON_AddArrayToObject(o, "raters");
	for (size_t i = 0; i < r->nraters; i++) {
		cJSON *x;
		if (!d->scored[i])
			continue;
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "rater", r->raters[i].rater);
		cd_json_add_rounded(x, "offset", d->offset[i], 4);
		cJSON_AddNumberToObject(x, "scores", (double)d->scored[i]);
		cJSON_AddItemToArray(raters, x);
	}
	cases = cJSON_AddArrayToObject(o, "cases");
	for (size_t i = 0; i < d->ncases; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "id", d->cases[i].id);
		cd_json_add_rounded(x, "mean", d->cases[i].mean, 4);
		cd_json_add_rounded(x, "raw_mean", d->cases[i].raw_mean, 4);
		cJSON_AddNumberToObject(x, "scores", (double)d->cases[i].n);
		cJSON_AddItemToArray(cases, x);
	}
	return o;
}

static cJSON *agreement_json(const agg_result *r)
{
	cJSON *o = cJSON_CreateObject(), *ps = cJSON_AddArrayToObject(o, "principles");

	cd_json_add_rounded(o, "alpha", r->alpha, 4);
	for (size_t i = 0; i < r->nprinciples; i++) {
		const agg_principle *p = &r->principles[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "id", p->id);
		cd_json_add_rounded(j, "alpha", p->alpha, 4);
		cJSON_AddNumberToObject(j, "cases", (double)p->cases);
		cJSON_AddNumberToObject(j, "ratings", (double)p->ratings);
		cJSON_AddBoolToObject(j, "vague", p->vague);
		cJSON_AddItemToArray(ps, j);
	}
	return o;
}

static void predictor_json(cJSON *ct, const agg_result *r)
{
	cJSON *p;

	if (!r->flip.ratings) {
		cJSON_AddNullToObject(ct, "predictor");
		return;
	}
	p = cJSON_AddObjectToObject(ct, "predictor");
	cJSON_AddNumberToObject(p, "ratings", (double)r->flip.ratings);
	cd_json_add_rounded(p, "auc", r->flip.auc, 4);
	cJSON_AddNumberToObject(p, "spared", (double)r->flip.spared);
	cJSON_AddNumberToObject(p, "missed", (double)r->flip.missed);
}

cJSON *agg_result_to_json(const agg_result *r)
{
	cJSON *o = cJSON_CreateObject(), *dims;

	cJSON_AddItemToObject(o, "raters", raters_json(r));
	cJSON_AddItemToObject(o, "cases", cases_json(r));
	dims = cJSON_AddArrayToObject(o, "dimensions");
	for (size_t d = 0; d < r->ndims; d++)
		cJSON_AddItemToArray(dims, dim_json(r, &r->dims[d]));
	cJSON_AddNumberToObject(o, "ratings", (double)r->nratings);
	cJSON_AddBoolToObject(o, "converged", r->converged);
	cJSON_AddStringToObject(o, "consensus", r->weighted ? "weighted" : "model");
	cJSON_AddItemToObject(o, "agreement", agreement_json(r));
	{
		cJSON *ct = cJSON_AddObjectToObject(o, "contemplation");
		cJSON_AddNumberToObject(ct, "considered", (double)r->considered);
		cJSON_AddNumberToObject(ct, "flips", (double)r->flips);
		cd_json_add_rounded(ct, "flip_rate",
				r->considered ? (double)r->flips / (double)r->considered : NAN, 4);
		predictor_json(ct, r);
	}
	return o;
}

/* ---- --apply ---- */

typedef struct changes {
	store_change *ch;
	cd_buf *text;
	size_t n;
	size_t confirmed, dismissed;
	cd_buf body;
} changes;

static int stage(store *s, changes *x, const agg_case *ac, case_status to)
{
	cJSON *copy = cJSON_Duplicate(ac->c, 1);
	cd_buf path = CD_BUF_INIT;
	int rc = -1;

	if (!copy || case_set_status(copy, to, NULL) < 0 ||
	    workspace_record_at(s, NULL, case_id(ac->c), &path) < 0)
		goto out;
	memset(&x->text[x->n], 0, sizeof x->text[x->n]);
	if (cd_json_print(copy, &x->text[x->n]) < 0 || !(x->ch[x->n].path = cd_buf_detach(&path)))
		goto out;
	x->ch[x->n].data = x->text[x->n].data;
	x->ch[x->n].len = x->text[x->n].len;
	x->n++;
	cd_buf_printf(&x->body, "%s: %s -> %s (consensus %.2f from %zu rating%s)\n", case_id(ac->c),
		      cd_json_str(ac->c, "status"), case_status_name(to), ac->p, ac->ratings,
		      ac->ratings == 1 ? "" : "s");
	*(to == CASE_CONFIRMED ? &x->confirmed : &x->dismissed) += 1;
	rc = 0;
out:
	cJSON_Delete(copy);
	cd_buf_clear(&path);
	return rc;
}

static int commit_changes(store *s, changes *x, char commit_id[41])
{
	cd_buf msg = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&msg, "Aggregate ratings: %zu confirmed, %zu dismissed\n\n%s", x->confirmed,
		      x->dismissed, cd_buf_cstr(&x->body));
	rc = store_commit(s, x->ch, x->n, msg.data, NULL, 0, commit_id);
	cd_buf_clear(&msg);
	return rc;
}

const char *aggregate_change(const agg_case *c)
{
	int st = case_get_status(c->c);

	if (st < 0 || st == CASE_RESOLVED || !strcmp(c->suggested, "open"))
		return NULL;
	if (!strcmp(c->suggested, "confirmed"))
		return st == CASE_CONFIRMED ? NULL : "confirmed";
	return st == CASE_DISMISSED ? NULL : "dismissed";
}

static int apply_locked(store *s, const agg_result *r, size_t *changed, char commit_id[41])
{
	changes x = { 0 };
	int rc = -1;

	*changed = 0;
	commit_id[0] = '\0';
	x.ch = calloc(r->ncases + 1, sizeof *x.ch);
	x.text = calloc(r->ncases + 1, sizeof *x.text);
	if (!x.ch || !x.text) {
		cd_err_set("out of memory");
		goto out;
	}
	for (size_t i = 0; i < r->ncases; i++) {
		const agg_case *ac = &r->cases[i];
		const char *to = aggregate_change(ac);

		if (to && stage(s, &x, ac, !strcmp(to, "confirmed") ? CASE_CONFIRMED
								   : CASE_DISMISSED) < 0) {
			cd_err_set("out of memory");
			goto out;
		}
	}
	rc = x.n ? commit_changes(s, &x, commit_id) : 0;
	if (rc == 0)
		*changed = x.n;
out:
	for (size_t i = 0; x.ch && i < x.n; i++) {
		free((char *)x.ch[i].path);
		cd_buf_clear(&x.text[i]);
	}
	free(x.ch);
	free(x.text);
	cd_buf_clear(&x.body);
	return rc;
}

int aggregate_apply(store *s, const agg_result *r, size_t *changed, char commit_id[41])
{
	int rc;

	if (store_lock(s) < 0)
		return -1;
	rc = apply_locked(s, r, changed, commit_id);
	store_unlock(s);
	return rc;
}
