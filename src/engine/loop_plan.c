/* loop_plan.c — what a round asks for (loop.h): the principles least
 * tested, the generation requests, and the live theory that steers one. */
#include "loop_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/case_counts.h"
#include "codicil/case_index.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/theory.h"
#include "codicil/workspace.h"

typedef struct candidate {
	const char *id;
	size_t order;        /* in the charter */
	size_t cases, open;
	double theory;       /* the best hit rate of a live theory whose cases cite it */
} candidate;

/* Fewest cases first; then the larger share of open cases; then the
 * better live theory about it; then the charter's order. */
static int by_need(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	double sx = x->cases ? (double)x->open / (double)x->cases : 0;
	double sy = y->cases ? (double)y->open / (double)y->cases : 0;

	if (x->cases != y->cases)
		return x->cases < y->cases ? -1 : 1;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (x->theory != y->theory)
		return x->theory > y->theory ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Each candidate cited by a case of a live theory gets that theory's hit
 * rate (the best, when several). */
static int theory_rates(loop_ctx *c, candidate *cand, size_t n)
{
	theory_library tl;
	const cJSON *id, *p;

	if (workspace_load_theories(c->s, &tl) < 0)
		return -1;
	for (size_t t = 0; t < tl.n; t++) {
		double rate = theory_hit_rate(tl.cases[t]);
		if (!theory_is_active(tl.cases[t]) || !(rate > 0))
			continue;
		cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(tl.cases[t], "cases")) {
			cJSON *cs = cJSON_IsString(id) ? workspace_case_read(c->s, id->valuestring) : NULL;
			cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(cs, "principles"))
				for (size_t i = 0; cJSON_IsString(p) && i < n; i++)
					if (!strcmp(cand[i].id, p->valuestring) && rate > cand[i].theory)
						cand[i].theory = rate;
			cJSON_Delete(cs);
			cd_err_clear(); /* a case gone since: it says nothing */
		}
	}
	theory_library_clear(&tl);
	return 0;
}

static int wanted(const loop_opts *o, const char *id)
{
	for (size_t i = 0; i < o->nprinciples; i++)
		if (!strcmp(o->principles[i], id))
			return 1;
	return o->nprinciples == 0;
}

static long open_cases(case_index *ix, const char *id)
{
	case_query q = { .f.principle = id, .f.status = "open" };
	return case_index_count(ix, &q);
}

static cJSON *unit_json(const char *target, long sample, const char *theory)
{
	cJSON *u = cJSON_CreateObject(), *ps = cJSON_AddArrayToObject(u, "principles");

	cJSON_AddItemToArray(ps, cJSON_CreateString(target));
	cJSON_AddNumberToObject(u, "sample", (double)sample);
	if (theory)
		cJSON_AddStringToObject(u, "theory", theory);
	return u;
}

/* The chosen principles, most in need first, with their case counts. */
static int choose(loop_ctx *c, const charter *ch, candidate **out, size_t *n)
{
	case_counts cc = { 0 };
	case_index *ix = NULL;
	candidate *cand = calloc(ch->n + 1, sizeof *cand);
	int rc = -1;

	*n = 0;
	if (!cand || case_counts_load(c->s, ch, &cc) < 0 || case_index_open(c->s, &ix, NULL) < 0)
		goto out;
	for (size_t i = 0; i < ch->n; i++) {
		long open;
		if (!wanted(c->o, ch->p[i].id) || (!c->o->nprinciples && charter_has_children(ch, i)))
			continue; /* a section is tested through its principles */
		if ((open = open_cases(ix, ch->p[i].id)) < 0)
			goto out;
		cand[(*n)++] = (candidate){ ch->p[i].id, i, cc.per_principle[i], (size_t)open, 0 };
	}
	if (theory_rates(c, cand, *n) < 0)
		goto out;
	qsort(cand, *n, sizeof *cand, by_need);
	rc = 0;
out:
	case_index_close(ix);
	case_counts_clear(&cc);
	if (rc < 0) {
		free(cand);
		cand = NULL;
	}
	*out = cand;
	return rc;
}

/* How many cases were generated under theory t. */
static long generated(const cJSON *t)
{
	return cd_json_long(cJSON_GetObjectItemCaseSensitive(t, "hits"), "generated", 0);
}

/* The active theory with the best hit rate (then the fewest cases
 * generated under it), or NULL. */
static const cJSON *best_theory(const theory_library *tl)
{
	const cJSON *best = NULL;

	for (size_t i = 0; i < tl->n; i++) {
		const cJSON *t = tl->cases[i];
		if (!theory_is_active(t))
			continue;
		if (!best || theory_hit_rate(t) > theory_hit_rate(best) ||
		    (theory_hit_rate(t) == theory_hit_rate(best) &&
		     generated(t) < generated(best)))
			best = t;
	}
	return best;
}


/* One unit steered by the best live theory, on the first principle its
 * supporting cases cite (else the round's first). */
static int theory_unit(loop_ctx *c, const char *fallback, cJSON *units)
{
	theory_library tl;
	const cJSON *t, *id;
	const char *target = fallback;
	cJSON *first = NULL;

	if (workspace_load_theories(c->s, &tl) < 0)
		return -1;
	if ((t = best_theory(&tl))) {
		id = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(t, "cases"), 0);
		if (cJSON_IsString(id) && (first = workspace_case_read(c->s, id->valuestring))) {
			const cJSON *p = cJSON_GetArrayItem(
				cJSON_GetObjectItemCaseSensitive(first, "principles"), 0);
			if (cJSON_IsString(p) && wanted(c->o, p->valuestring))
				target = p->valuestring;
		}
		cd_err_clear();
		cJSON_AddItemToArray(units, unit_json(target, generated(t), theory_id(t)));
	}
	cJSON_Delete(first);
	theory_library_clear(&tl);
	return 0;
}

int loop_plan(loop_ctx *c)
{
	charter *ch = NULL;
	candidate *cand = NULL;
	size_t n = 0, take;
	cJSON *plan = cJSON_CreateObject(), *ps, *units;
	cd_buf journal = CD_BUF_INIT, name = CD_BUF_INIT;
	int rc = -1;

	if (!plan || workspace_load(c->s, workspace_charter_path(c->cfg), "HEAD", 0, &ch) < 0 ||
	    choose(c, ch, &cand, &n) < 0)
		goto out;
	if (n == 0) {
		cd_err_set("no principle to work on (check -p)");
		goto out;
	}
	ps = cJSON_AddArrayToObject(plan, "principles");
	units = cJSON_AddArrayToObject(plan, "units");
	take = n < (size_t)c->per_round ? n : (size_t)c->per_round;
	for (size_t i = 0; i < take; i++) {
		cJSON_AddItemToArray(ps, cJSON_CreateString(cand[i].id));
		/* samples numbered from the principle's case count: a later round
		 * asks something new, not what the cache already answered */
		for (long k = 0; k < c->samples; k++)
			cJSON_AddItemToArray(units, unit_json(cand[i].id, (long)cand[i].cases + k, NULL));
	}
	if (theory_unit(c, cand[0].id, units) < 0)
		goto out;
	cd_buf_printf(&name, "runs/%s-round%ld.jsonl", cd_json_str(c->st, "run"),
		      cd_json_long(c->st, "round", 1));
	if (store_local_path(c->s, name.data, &journal) < 0)
		goto out;
	cJSON_AddStringToObject(plan, "journal", journal.data);
	rc = loop_set(c->st, "plan", plan);
	plan = NULL;
out:
	cJSON_Delete(plan);
	free(cand);
	charter_free(ch);
	cd_buf_clear(&journal);
	cd_buf_clear(&name);
	return rc;
}
