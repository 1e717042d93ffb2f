/* accept.c — recording the decision on a pending proposal: accepted (one
 * commit with the charter change, the proposal, its resolved cases and the
 * transcripts behind it) or rejected (the proposal with the reason). */
#include "amend_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/autonomy.h"
#include "codicil/error.h"
#include "codicil/workspace.h"
#include "codicil/file.h"
#include "codicil/hash.h"
#include "codicil/json.h"

/* Files to commit, with the memory behind them. */
typedef struct changes {
	store_change *v;
	size_t n, cap;
	char **owned;
	size_t nowned;
} changes;

static int keep(changes *c, char *s)
{
	char **o = realloc(c->owned, (c->nowned + 1) * sizeof *o);

	if (!o || !s) {
		free(s);
		cd_err_set("out of memory");
		return -1;
	}
	c->owned = o;
	c->owned[c->nowned++] = s;
	return 0;
}

/* Add path with data's text; both are taken over (freed with the list)
 * and data is left empty. */
static int add(changes *c, char *path, cd_buf *data)
{
	size_t len = data->len; /* read before the detach */
	char *text = cd_buf_detach(data);

	if (keep(c, path) < 0) {
		free(text);
		return -1;
	}
	if (keep(c, text) < 0)
		return -1;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 16;
		store_change *v = realloc(c->v, ncap * sizeof *v);
		if (!v) {
			cd_err_set("out of memory");
			return -1;
		}
		c->v = v;
		c->cap = ncap;
	}
	c->v[c->n++] = (store_change){ path, text, len };
	return 0;
}

static void changes_free(changes *c)
{
	for (size_t i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static char *dup_printf(const char *prefix, const char *id, const char *suffix)
{
	cd_buf b = CD_BUF_INIT;

	cd_buf_printf(&b, "%s%s%s", prefix, id, suffix);
	return cd_buf_detach(&b);
}

/* Each case of the proposal, as at HEAD, resolved by it. */
static int add_cases(store *s, const cJSON *p, changes *ch)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "cases")) {
		cd_buf text = CD_BUF_INIT, where = CD_BUF_INIT;
		char *path = workspace_record_at(s, "HEAD", cJSON_GetStringValue(it), &where) == 0 ?
				     cd_buf_detach(&where) : NULL;
		cJSON *c = NULL;
		int rc = -1;

		if (!path)
			cd_err_prefix("proposal %s lists a case", proposal_id(p));
		else if (store_read(s, "HEAD", path, &text) < 0)
			cd_err_set("case %s of proposal %s is not in the repository at HEAD; restore "
				   "it or reject the proposal", it->valuestring, proposal_id(p));
		else if ((c = cd_json_parse(text.data, text.len, path)) &&
			 case_set_status(c, CASE_RESOLVED, proposal_id(p)) == 0) {
			cd_buf_reset(&text);
			case_normalize(c);
			rc = cd_json_print(c, &text);
		}
		cJSON_Delete(c);
		if (rc == 0)
			rc = add(ch, path, &text);
		else
			free(path);
		cd_buf_clear(&text);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* transcripts/<ab>/<sha>.json from .git/codicil/transcripts/<sha>.json,
 * unless HEAD has it already.  Its content must hash to its name. */
static int add_transcript(store *s, const cJSON *p, const char *sha, changes *ch)
{
	char *name = dup_printf(PROPOSAL_TRANSCRIPT_DIR "/", sha, ".json"), *path = NULL;
	char got[CD_SHA256_HEX];
	cd_buf local = CD_BUF_INIT, text = CD_BUF_INIT, where = CD_BUF_INIT;
	int rc = -1;

	if (!name || store_local_path(s, name, &local) < 0 ||
	    workspace_transcript_at(s, "HEAD", sha, &where) < 0)
		goto out;
	path = cd_buf_detach(&where);
	if (!cd_file_exists(local.data)) {
		char blob[41];
		if (store_blob_id(s, "HEAD", path, blob) == 0) {
			rc = 0;
			goto out;
		}
		cd_err_set("the transcript %s of proposal %s is missing from %s; accept it in the "
			   "clone that drafted it", sha, proposal_id(p), local.data);
		goto out;
	}
	if (cd_file_read(local.data, &text) < 0)
		goto out;
	cd_sha256_hex(cd_buf_cstr(&text), text.len, got);
	if (strcmp(got, sha)) {
		cd_err_set("%s does not match its name (it was changed); it cannot be recorded",
			   local.data);
		goto out;
	}
	rc = add(ch, path, &text);
	path = NULL;
out:
	free(name);
	free(path);
	cd_buf_clear(&where);
	cd_buf_clear(&local);
	cd_buf_clear(&text);
	return rc;
}

static int add_transcripts(store *s, const cJSON *p, changes *ch)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "transcripts"))
		if (add_transcript(s, p, cJSON_GetStringValue(it) ? it->valuestring : "", ch) < 0)
			return -1;
	return 0;
}

static int charter_changed_since(store *s, const char *path, const char *base)
{
	char a[41], b[41];

	if (store_blob_id(s, base, path, a) < 0 || store_blob_id(s, "HEAD", path, b) < 0) {
		cd_err_clear();
		return 1;
	}
	return strcmp(a, b) != 0;
}

/* The bytes an edit depends on: a replaced principle's heading and own
 * body, a deleted principle's whole span; an insert only needs its
 * target to exist. */
static int region(const charter *c, const charter_edit *e, const char **text, size_t *len)
{
	const principle *p = charter_find(c, e->id);

	if (!p)
		return -1;
	*text = c->text + p->start;
	*len = (e->kind == CHARTER_EDIT_DELETE ? p->end
		: e->kind == CHARTER_EDIT_REPLACE ? p->body_end : p->start) - p->start;
	return 0;
}

/* The first principle an edit touches whose text differs between the
 * charters a and b ("" when none). */
static const char *first_touched_change(const charter *a, const charter *b,
					const charter_edit *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *ta, *tb;
		size_t la, lb;

		if (region(a, &e[i], &ta, &la) < 0)
			continue;
		if (region(b, &e[i], &tb, &lb) < 0 || la != lb || memcmp(ta, tb, la))
			return e[i].id;
	}
	return "";
}

/* Into changed: a principle the edits touch that changed between the base
 * and HEAD, or "". */
static int touched_since(store *s, const cJSON *p, const char *base, char *changed, size_t size)
{
	const char *path = proposal_charter(p);
	cd_buf at_base = CD_BUF_INIT, at_head = CD_BUF_INIT;
	charter *a = NULL, *b = NULL;
	charter_edit *e = NULL;
	size_t n = 0;
	int rc = -1;

	if (store_read(s, base, path, &at_base) == 0 && store_read(s, "HEAD", path, &at_head) == 0 &&
	    charter_parse(path, cd_buf_cstr(&at_base), at_base.len, &a) == 0 &&
	    charter_parse(path, cd_buf_cstr(&at_head), at_head.len, &b) == 0 &&
	    proposal_edits(p, &e, &n) == 0) {
		snprintf(changed, size, "%s", first_touched_change(a, b, e, n));
		rc = 0;
	}
	free(e);
	charter_free(a);
	charter_free(b);
	cd_buf_clear(&at_base);
	cd_buf_clear(&at_head);
	return rc;
}

static int refuse_stale(const cJSON *p, const char *why, int *stale)
{
	*stale = 1;
	cd_err_set("%s has changed since proposal %s was drafted (at %.10s): %s; run 'codicil "
		   "amend --rebase %s'", proposal_charter(p), proposal_id(p), cd_json_str(p, "base"),
		   why, proposal_id(p));
	return -1;
}

/* The charter at HEAD with the edits applied.  When the charter changed
 * since the base, the principles the edits touch must not have: else
 * accepting would silently undo that change.  Both are stale. */
static int amended_charter(store *s, const cJSON *p, changes *ch, int *stale)
{
	const char *base = cd_json_str(p, "base"), *path = proposal_charter(p);
	cd_buf before = CD_BUF_INIT, after = CD_BUF_INIT, why = CD_BUF_INIT;
	int moved = base && charter_changed_since(s, path, base), rc = -1;
	char changed[256] = "";

	if (moved && touched_since(s, p, base, changed, sizeof changed) < 0)
		goto out;
	if (*changed) {
		cd_buf_printf(&why, "principle %s, which its edits change, is different now", changed);
		refuse_stale(p, why.data, stale);
	} else if (amend__apply_at(s, p, NULL, &before, &after) == 0) {
		rc = add(ch, strdup(path), &after);
	} else if (moved) {
		cd_buf_printf(&why, "its edits no longer apply (%s)", cd_err_msg());
		refuse_stale(p, why.data, stale);
	}
out:
	cd_buf_clear(&before);
	cd_buf_clear(&after);
	cd_buf_clear(&why);
	return rc;
}

static int check_charter(const cJSON *p, const char *charter_path)
{
	if (!charter_path || !strcmp(charter_path, proposal_charter(p)))
		return 0;
	cd_err_set("proposal %s amends %s, not %s", proposal_id(p), proposal_charter(p),
		   charter_path);
	return -1;
}

/* Refused unless forced; forced, the objections go into the decision. */
static int gate(cJSON *p, int force)
{
	cd_buf why = CD_BUF_INIT;
	int rc = 0;

	if (!proposal_objections(p, &why))
		goto out;
	if (!force) {
		cd_err_set("proposal %s %s; read 'codicil review %s', then accept with --force to "
			   "override (recorded in the commit)", proposal_id(p), why.data,
			   proposal_id(p));
		rc = -1;
	} else if (!cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(p, "decision"),
					    "override", why.data)) {
		cd_err_set("out of memory");
		rc = -1;
	}
out:
	cd_buf_clear(&why);
	return rc;
}

/* Under automatic amendment: the conditions hold, and are recorded. */
static int autonomous(store *s, cJSON *p, const char *autonomy)
{
	cd_buf why = CD_BUF_INIT, rule = CD_BUF_INIT;
	int rc = -1, permitted;

	if (!autonomy)
		return 0;
	if ((permitted = autonomy_meta_rule(s, "HEAD", &rule)) < 0)
		goto out;
	if (!permitted)
		cd_err_set("META.md has no rule that permits automatic amendment (a rule with "
			   "autonomy=%s in its attribute block)", AUTONOMY_AUTO_META);
	else if (!autonomy_passes(p, &why))
		cd_err_set("proposal %s may not be accepted automatically: %s", proposal_id(p), why.data);
	else if (cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(p, "decision"), "autonomy",
					 autonomy))
		rc = 0;
out:
	cd_buf_clear(&why);
	cd_buf_clear(&rule);
	return rc;
}

static int accept(store *s, const char *id, const char *charter_path, const char *note,
		  int force, const char *autonomy, amend_outcome *out)
{
	cd_buf by = CD_BUF_INIT, msg = CD_BUF_INIT, text = CD_BUF_INIT, path = CD_BUF_INIT;
	store_trailer *tr = NULL;
	size_t ntr = 0;
	changes ch = { 0 };
	cJSON *p;
	int rc = -1;

	if (amend__load_pending(s, id, &out->proposal) < 0)
		goto out;
	p = out->proposal;
	if (check_charter(p, charter_path) < 0 || amend__reviewer(s, &by) < 0 ||
	    amended_charter(s, p, &ch, &out->stale) < 0 || add_cases(s, p, &ch) < 0 ||
	    add_transcripts(s, p, &ch) < 0 || proposal_accept(p, by.data, note) < 0 ||
	    gate(p, force) < 0 || autonomous(s, p, autonomy) < 0 || proposal_validate(p, NULL, 0, NULL) < 0 ||
	    proposal_commit_message(p, by.data, &msg, &tr, &ntr) < 0)
		goto out;
	proposal_normalize(p);
	if (cd_json_print(p, &text) < 0 || workspace_record_path(proposal_id(p), &path) < 0)
		goto out;
	if (add(&ch, cd_buf_detach(&path), &text) < 0)
		goto out;
	rc = store_commit(s, ch.v, ch.n, msg.data, tr, ntr, out->commit);
out:
	store_trailers_free(tr, ntr);
	changes_free(&ch);
	cd_buf_clear(&by);
	cd_buf_clear(&msg);
	cd_buf_clear(&text);
	cd_buf_clear(&path);
	return rc;
}

static int accept_locked(store *s, const char *id, const char *charter_path, const char *note,
			 int force, const char *autonomy, amend_outcome *out)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (store_lock(s) < 0)
		return -1;
	rc = accept(s, id, charter_path, note && *note ? note : NULL, force, autonomy, out);
	store_unlock(s);
	if (rc < 0) {
		cJSON_Delete(out->proposal);
		out->proposal = NULL;
	}
	return rc;
}

int amend_accept(store *s, const char *id, const char *charter_path, const char *note,
		 int force, amend_outcome *out)
{
	return accept_locked(s, id, charter_path, note, force, NULL, out);
}

int amend_accept_auto(store *s, const char *id, amend_outcome *out)
{
	return accept_locked(s, id, NULL, "accepted by codicil loop under auto-meta: every rule "
			     "of META.md passes and no case gets worse", 0, AUTONOMY_AUTO_META, out);
}

int amend_reject(store *s, const char *id, const char *reason, amend_outcome *out)
{
	cd_buf by = CD_BUF_INIT;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!reason || !*reason) {
		cd_err_set("say why the proposal is rejected (--reason TEXT)");
		return -1;
	}
	if (store_lock(s) < 0)
		return -1;
	if (amend__load_pending(s, id, &out->proposal) == 0 && amend__reviewer(s, &by) == 0 &&
	    proposal_reject(out->proposal, by.data, reason) == 0 &&
	    proposal_validate(out->proposal, NULL, 0, NULL) == 0)
		rc = amend__commit_record(s, out->proposal, "Reject", 0, NULL, 0, out->commit);
	store_unlock(s);
	cd_buf_clear(&by);
	if (rc < 0)
		amend_outcome_clear(out);
	return rc;
}
