/* amend.c — drafting a proposal from start to commit, and carrying a
 * pending one to a newer charter (rebase). */
#include "amend_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/workspace.h"
#include "codicil/json.h"

static int consequence_count(const amend_env *e, const amend_opts *o, int *n)
{
	long v = AMEND_DEFAULT_CONSEQUENCES;

	if (o->consequences > 0) {
		*n = o->consequences;
		return 0;
	}
	if (config_get_setting_long(e->cfg, "codicil.consequences", &v) < 0)
		return -1;
	*n = (int)v;
	return 0;
}

/* The consequence cases as file changes; the texts go to texts[]. */
static int case_changes(const amend_draft *d, store_change *ch, cd_buf *texts, cd_buf *paths)
{
	for (size_t i = 0; i < d->nconsequences; i++) {
		case_normalize(d->consequences[i]);
		if (cd_json_print(d->consequences[i], &texts[i]) < 0 ||
		    workspace_record_path(case_id(d->consequences[i]), &paths[i]) < 0)
			return -1;
		ch[i] = (store_change){ paths[i].data, texts[i].data, texts[i].len };
	}
	return 0;
}

static int commit_draft(amend_draft *d, char commit[41])
{
	size_t n = d->nconsequences;
	store_change *ch = calloc(n + 1, sizeof *ch);
	cd_buf *texts = calloc(n + 1, sizeof *texts);
	cd_buf *paths = calloc(n + 1, sizeof *paths);
	int rc = -1;

	if (!ch || !texts || !paths)
		cd_err_set("out of memory");
	else if (case_changes(d, ch, texts, paths) == 0)
		rc = amend__commit_record(d->env->store, d->proposal, "Propose", 1, ch, n, commit);
	for (size_t i = 0; texts && paths && i < n; i++) {
		cd_buf_clear(&texts[i]);
		cd_buf_clear(&paths[i]);
	}
	free(ch);
	free(texts);
	free(paths);
	return rc;
}

static int draft(amend_draft *d, const amend_env *e, const amend_opts *o)
{
	llm_spend before, after;
	int n;

	llm_client_spend_get(e->client, &before);
	if (consequence_count(e, o, &n) < 0 || amend__draft_open(d, e, o) < 0)
		return -1;
	amend__progress(e, AMEND_STEP_DRAFT, "asking %s for an amendment of %s that resolves "
			"%zu case%s", llm_client_model(e->client), d->charter_path, d->ncases,
			d->ncases == 1 ? "" : "s");
	if (amend__ask_amendment(d, o->steer) < 0)
		return -1;
	amend__progress(e, AMEND_STEP_CONSEQUENCES, "predicting the consequences of %s",
			proposal_id(d->proposal));
	if (amend__ask_consequences(d, n) < 0)
		return -1;
	if (d->nrules)
		amend__progress(e, AMEND_STEP_METACHECK, "checking %s against the %zu rules of %s",
				proposal_id(d->proposal), d->nrules, STORE_META);
	if (amend__ask_metacheck(d) < 0 ||
	    amend__regression(e, d->proposal, d->charter->text, d->charter->len,
			      cd_buf_cstr(&d->amended), d->amended.len, d->consequences,
			      d->nconsequences) < 0)
		return -1;
	llm_client_spend_get(e->client, &after);
	if (amend__note_usage(d->proposal, &before, &after) < 0 ||
	    proposal_validate(d->proposal, NULL, 0, NULL) < 0)
		return -1;
	amend__progress(e, AMEND_STEP_COMMIT, "committing %s", proposal_id(d->proposal));
	return 0;
}

int amend_propose(const amend_env *e, const amend_opts *o, amend_outcome *out)
{
	amend_draft d = { 0 };
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!e->client) {
		cd_err_set("internal error: amend_propose needs a client");
		return -1;
	}
	/* the lock only for the commit: drafting waits minutes for the model,
	 * and raters (or a loop's other work) must not be locked out meanwhile;
	 * the proposal's base is the HEAD it was drafted on, and accept finds
	 * it stale if the charter moved since */
	if (draft(&d, e, o) == 0 && store_lock(e->store) == 0) {
		if (commit_draft(&d, out->commit) == 0) {
			out->proposal = d.proposal;
			d.proposal = NULL;
			rc = 0;
		}
		store_unlock(e->store);
	}
	amend__draft_close(&d);
	return rc;
}

static int set_base(cJSON *p, const char *head)
{
	cJSON *v = cJSON_CreateString(head);

	if (!v || !cJSON_ReplaceItemInObjectCaseSensitive(p, "base", v)) {
		cJSON_Delete(v);
		cd_err_set("out of memory");
		return -1;
	}
	return 0;
}

/* The charter at the base is the one at HEAD. */
static int same_charter(store *s, const cJSON *p)
{
	const char *base = cd_json_str(p, "base");
	char a[41], b[41];
	int same = base && store_blob_id(s, base, proposal_charter(p), a) == 0 &&
		   store_blob_id(s, "HEAD", proposal_charter(p), b) == 0 && !strcmp(a, b);

	cd_err_clear();
	return same;
}

static int rebase(const amend_env *e, const char *id, amend_outcome *out)
{
	cd_buf before = CD_BUF_INIT, after = CD_BUF_INIT;
	char head[41];
	int rc = -1;

	if (amend__load_pending(e->store, id, &out->proposal) < 0 ||
	    store_resolve(e->store, "HEAD", head) < 0)
		goto out;
	if (same_charter(e->store, out->proposal)) {
		rc = 0; /* nothing to carry over */
		goto out;
	}
	if (amend__apply_at(e->store, out->proposal, NULL, &before, &after) < 0) {
		char *why = strdup(cd_err_msg());
		cd_err_set("%s; it cannot be rebased: draft a new amendment with 'codicil amend'",
			   why ? why : "the edits do not apply");
		free(why);
		goto out;
	}
	if (set_base(out->proposal, head) < 0 ||
	    amend__regression(e, out->proposal, before.data, before.len, after.data, after.len,
			      NULL, 0) < 0)
		goto out;
	amend__progress(e, AMEND_STEP_COMMIT, "committing %s", proposal_id(out->proposal));
	rc = amend__commit_record(e->store, out->proposal, "Rebase", 0, NULL, 0, out->commit);
out:
	cd_buf_clear(&before);
	cd_buf_clear(&after);
	return rc;
}

int amend_rebase(const amend_env *e, const char *id, amend_outcome *out)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (!e->client) {
		cd_err_set("internal error: amend_rebase needs a client");
		return -1;
	}
	if (store_lock(e->store) < 0)
		return -1;
	rc = rebase(e, id, out);
	store_unlock(e->store);
	if (rc < 0)
		amend_outcome_clear(out);
	return rc;
}
