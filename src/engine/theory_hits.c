/* theory_hits.c — how well each theory predicts: hits, automatic and
 * manual retirement, and listing with fresh counts (theorize.h). */
#include "theorize_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/workspace.h"
#include "codicil/error.h"
#include "codicil/json.h"

int theory_policy_load(config *cfg, theory_policy *p)
{
	const char *s = config_get(cfg, "codicil.theoryRetireBelow");
	char *end;

	p->retire_below = 0.2;
	if (config_get_setting_long(cfg, "codicil.theoryMinRated", &p->min_rated) < 0)
		return -1;
	if (s && *s) {
		p->retire_below = strtod(s, &end);
		if (*end || p->retire_below < 0 || p->retire_below > 1) {
			cd_err_set("codicil.theoryRetireBelow: '%s' is not a number from 0 to 1", s);
			return -1;
		}
	}
	if (p->min_rated < 1)
		p->min_rated = 1;
	return 0;
}

/* rated: a human verdict exists; confirmed: the status says so, or the
 * consensus does while the case is open. */
static void count_case(const cJSON *c, const agg_result *agg, long *rated, long *confirmed)
{
	const agg_case *ac = agg ? agg_result_find(agg, case_id(c)) : NULL;
	int st = case_get_status(c);

	if (st == CASE_OPEN && !ac)
		return;
	(*rated)++;
	if (st == CASE_CONFIRMED || st == CASE_RESOLVED ||
	    (st == CASE_OPEN && ac && !strcmp(ac->suggested, "confirmed")))
		(*confirmed)++;
}

static int hits_equal(const cJSON *t, long g, long r, long c)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(t, "hits");

	return cd_json_num(h, "generated", -1) == (double)g && cd_json_num(h, "rated", -1) == (double)r &&
	       cd_json_num(h, "confirmed", -1) == (double)c;
}

int theory_refresh_hits(theory_library *tl, const case_library *cl, const agg_result *agg,
			const theory_policy *p, int *changed, size_t *retired)
{
	*retired = 0;
	for (size_t i = 0; i < tl->n; i++) {
		cJSON *t = tl->cases[i];
		long g = 0, r = 0, c = 0;

		changed[i] = 0;
		for (size_t k = 0; k < cl->n; k++) {
			const char *th = cd_json_str(cl->cases[k], "theory");
			if (!th || !theory_id(t) || strcmp(th, theory_id(t)))
				continue;
			g++;
			count_case(cl->cases[k], agg, &r, &c);
		}
		if (!hits_equal(t, g, r, c)) {
			if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(t, "hits")))
				cJSON_AddObjectToObject(t, "hits");
			if (theory_set_hits(t, g, r, c) < 0)
				return -1;
			changed[i] = THEORY_HITS_CHANGED;
		}
		if (theory_is_active(t) && r >= p->min_rated && (double)c / (double)r < p->retire_below) {
			char why[160];
			snprintf(why, sizeof why,
				 "hit rate %ld/%ld (%.0f%%) below %.0f%% after %ld rated cases", c, r,
				 100.0 * (double)c / (double)r, 100 * p->retire_below, r);
			if (theory_retire(t, why) < 0)
				return -1;
			changed[i] = THEORY_RETIRED;
			(*retired)++;
		}
	}
	return 0;
}

int theorize_load(store *s, config *cfg, theorize_state *st)
{
	agg_settings as;
	int rc = -1;

	memset(st, 0, sizeof *st);
	if (workspace_load_cases(s, &st->cases) < 0)
		goto out;
	if (workspace_load_theories(s, &st->theories) < 0 || agg_settings_load(cfg, &as) < 0 ||
	    theory_policy_load(cfg, &st->policy) < 0 ||
	    aggregate_library(&st->cases, &as, &st->agg) < 0)
		goto out;
	st->changed = calloc(st->theories.n + 1, sizeof *st->changed);
	if (!st->changed) {
		cd_err_set("out of memory");
		goto out;
	}
	rc = theory_refresh_hits(&st->theories, &st->cases, &st->agg, &st->policy, st->changed,
				 &st->nretired);
out:
	return rc;
}

void theorize_unload(theorize_state *st)
{
	case_library_clear(&st->cases);
	theory_library_clear(&st->theories);
	agg_result_clear(&st->agg);
	free(st->changed);
	memset(st, 0, sizeof *st);
}

int theorize_list(store *s, config *cfg, theory_library *out)
{
	theorize_state st;
	int rc = theorize_load(s, cfg, &st);

	if (rc == 0) {
		*out = st.theories;
		memset(&st.theories, 0, sizeof st.theories);
	}
	theorize_unload(&st);
	return rc;
}

static int retire_locked(store *s, const char *id, const char *reason, char **full_id,
			 char commit[41])
{
	theory_library tl;
	cd_buf text = CD_BUF_INIT, msg = CD_BUF_INIT, path = CD_BUF_INIT;
	store_change ch;
	cJSON *t;
	int rc = -1;

	if (workspace_load_theories(s, &tl) < 0)
		return -1;
	if (!(t = theory_library_find(&tl, id)))
		goto out;
	if (!theory_is_active(t)) {
		cd_err_set("theory %s is already retired", theory_id(t));
		goto out;
	}
	if (theory_retire(t, reason) < 0 || cd_json_print(t, &text) < 0)
		goto out;
	workspace_record_path(theory_id(t), &path);
	cd_buf_printf(&msg, "Retire theory %s\n\n%s\n\nReason: %s\n", theory_id(t),
		      cd_json_str(t, "statement"), reason ? reason : "retired by hand");
	ch = (store_change){ .path = path.data, .data = text.data, .len = text.len };
	{
		store_trailer tr[] = { { "Codicil-Theory", (char *)theory_id(t) } };
		rc = store_commit(s, &ch, 1, msg.data, tr, 1, commit);
	}
	if (rc == 0 && full_id)
		*full_id = strdup(theory_id(t));
out:
	theory_library_clear(&tl);
	cd_buf_clear(&text);
	cd_buf_clear(&msg);
	cd_buf_clear(&path);
	return rc;
}

int theorize_retire(store *s, const char *id, const char *reason, char **full_id,
		    char commit[41])
{
	int rc;

	if (store_lock(s) < 0)
		return -1;
	rc = retire_locked(s, id, reason, full_id, commit);
	store_unlock(s);
	return rc;
}
