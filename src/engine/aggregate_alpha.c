/* aggregate_alpha.c — how far the raters agree, chance taken out:
 * Krippendorff's alpha over every rated case and over each principle's
 * (agreement.h); a principle whose alpha is below codicil.vagueAlpha is
 * flagged vague, for `codicil vagueness`. */
#include "aggregate_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/agreement.h"
#include "codicil/json.h"
#include "codicil/strmap.h"

/* alpha over the observations of the cases for which keep(case) is 1. */
static double alpha_of(const agg_build *b, const char *principle, size_t *cases,
		       size_t *ratings, agree_value *v)
{
	size_t n = 0, last = (size_t)-1;

	*cases = *ratings = 0;
	for (size_t i = 0; i < b->nobs; i++) {
		const agg_obs *o = &b->obs[i];
		if (principle && !case_has_principle(b->res->cases[o->c].c, principle))
			continue;
		v[n++] = (agree_value){ o->c, o->r, o->valid };
		*cases += o->c != last;
		last = o->c;
	}
	*ratings = n;
	return agree_alpha_nominal(v, n, 2);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const agg_principle *)a)->id, ((const agg_principle *)b)->id);
}

/* Every principle a rated case cites, once. */
static int list_principles(agg_result *r)
{
	struct strmap seen = { 0 };
	size_t cap = 0;
	int rc = 0;

	for (size_t c = 0; c < r->ncases && rc == 0; c++) {
		const cJSON *p;
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r->cases[c].c, "principles")) {
			agg_principle *grown;
			int added;
			if (!cJSON_IsString(p) || (added = strmap_put(&seen, p->valuestring, 0)) == 0)
				continue;
			grown = added < 0 ? NULL
				: cd_grow(r->principles, r->nprinciples, &cap, sizeof *grown, 16);
			if (!grown || !(grown[r->nprinciples].id = strdup(p->valuestring))) {
				if (grown)
					r->principles = grown;
				rc = -1;
				break;
			}
			r->principles = grown;
			r->nprinciples++;
		}
	}
	strmap_clear(&seen);
	if (rc == 0 && r->nprinciples)
		qsort(r->principles, r->nprinciples, sizeof *r->principles, by_id);
	return rc;
}

int agg_alpha_build(agg_build *b, const agg_settings *s)
{
	agg_result *r = b->res;
	agree_value *v = malloc((b->nobs + 1) * sizeof *v);
	size_t cases, ratings;

	if (!v || list_principles(r) < 0) {
		free(v);
		return -1;
	}
	r->alpha = alpha_of(b, NULL, &cases, &ratings, v);
	for (size_t i = 0; i < r->nprinciples; i++) {
		agg_principle *p = &r->principles[i];
		p->alpha = alpha_of(b, p->id, &p->cases, &p->ratings, v);
		p->vague = !isnan(p->alpha) && p->alpha < s->vague_alpha;
	}
	free(v);
	return 0;
}
