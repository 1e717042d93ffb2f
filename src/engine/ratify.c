/* ratify.c — a person's word on an amendment accepted without one
 * (autonomy.h): ratify it, or revert it.
 *
 *   amend_ratify  "Ratify <id>: <title>"   decision.ratified {by, at, note}
 *   amend_revert  "Revert <id>: <title>"   the charter as it was before the
 *                 amendment, its cases open again, decision.reverted {by,
 *                 at, reason}; trailer Codicil-Reverts names the commit
 *
 * A revert restores the charter of the amendment commit's parent, and so
 * only while no later commit has changed the charter: otherwise it says
 * which commit to revert by hand. */
#include "amend_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

typedef struct edit_set {
	store_change v[64 + 3];
	cd_buf text[64 + 3];
	size_t n;
} edit_set;

static void edits_clear(edit_set *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free((char *)e->v[i].path);
		cd_buf_clear(&e->text[i]);
	}
	e->n = 0;
}

/* path (taken) with text (taken) */
static int edits_add(edit_set *e, char *path, cd_buf *text)
{
	if (!path || e->n == sizeof e->v / sizeof *e->v) {
		free(path);
		cd_err_set(path ? "too many cases in one proposal to revert at once" : "out of memory");
		return -1;
	}
	e->text[e->n] = *text;
	*text = (cd_buf)CD_BUF_INIT;
	e->v[e->n] = (store_change){ path, e->text[e->n].data, e->text[e->n].len };
	e->n++;
	return 0;
}

static int add_record(edit_set *e, cJSON *p)
{
	cd_buf text = CD_BUF_INIT, path = CD_BUF_INIT;

	proposal_normalize(p);
	if (cd_json_print(p, &text) < 0 || workspace_record_path(proposal_id(p), &path) < 0) {
		cd_buf_clear(&text);
		cd_buf_clear(&path);
		return -1;
	}
	return edits_add(e, cd_buf_detach(&path), &text);
}

/* {by, at, <key>: text} as decision.<name>. */
static int decide(store *s, cJSON *p, const char *name, const char *key, const char *text)
{
	cJSON *d = cJSON_GetObjectItemCaseSensitive(p, "decision"), *o;
	cd_buf by = CD_BUF_INIT;
	char now[CASE_TIME_SIZE];
	int rc = -1;

	case_time_now(now);
	if (amend__reviewer(s, &by) == 0 && (o = cJSON_AddObjectToObject(d, name))) {
		cJSON_AddStringToObject(o, "by", by.data);
		cJSON_AddStringToObject(o, "at", now);
		if (text && *text)
			cJSON_AddStringToObject(o, key, text);
		else
			cJSON_AddNullToObject(o, key);
		rc = 0;
	}
	cd_buf_clear(&by);
	return rc;
}

static int commit_edits(store *s, const cJSON *p, const char *verb, const char *said,
			const char *reverts, edit_set *e, char commit[41])
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(p, "decision"), reverts ? "reverted" : "ratified");
	store_trailer tr[3];
	size_t ntr = 0;
	cd_buf subject = CD_BUF_INIT, msg = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&subject, "%s %s: %s", verb, proposal_id(p),
		      cd_json_str(p, "title") ? cd_json_str(p, "title") : "");
	cd_sanitize(subject.data, subject.len, CD_SAN_ONE_LINE, &msg);
	cd_buf_putc(&msg, '\n');
	if (said && *said) {
		cd_buf_printf(&msg, "\n%s: ", reverts ? "Reason" : "Note");
		cd_sanitize(said, strlen(said), 0, &msg);
		cd_buf_putc(&msg, '\n');
	}
	tr[ntr++] = (store_trailer){ "Codicil-Proposal", (char *)proposal_id(p) };
	if (reverts)
		tr[ntr++] = (store_trailer){ "Codicil-Reverts", (char *)reverts };
	tr[ntr++] = (store_trailer){ "Reviewed-by", (char *)cd_json_str(d, "by") };
	rc = store_commit(s, e->v, e->n, msg.data, tr, ntr, commit);
	cd_buf_clear(&subject);
	cd_buf_clear(&msg);
	return rc;
}

/* The accepted proposal id, not reverted; autonomous when asked. */
static int load_accepted(store *s, const char *id, int autonomous, cJSON **out)
{
	const cJSON *d;

	if (amend_load(s, id, out) < 0)
		return -1;
	d = cJSON_GetObjectItemCaseSensitive(*out, "decision");
	if (strcmp(cd_json_str(*out, "status") ? cd_json_str(*out, "status") : "", "accepted"))
		cd_err_set("proposal %s is %s, not accepted", proposal_id(*out),
			   cd_json_str(*out, "status") ? cd_json_str(*out, "status") : "of no status");
	else if (cJSON_GetObjectItemCaseSensitive(d, "reverted"))
		cd_err_set("proposal %s was reverted already", proposal_id(*out));
	else if (autonomous && !cd_json_str(d, "autonomy"))
		cd_err_set("proposal %s was accepted by a person (%s); only an automatic acceptance "
			   "is ratified", proposal_id(*out), cd_json_str(d, "by") ? cd_json_str(d, "by") : "?");
	else if (autonomous && cJSON_GetObjectItemCaseSensitive(d, "ratified"))
		cd_err_set("proposal %s was ratified already", proposal_id(*out));
	else
		return 0;
	cJSON_Delete(*out);
	*out = NULL;
	return -1;
}

static int ratify(store *s, const char *id, const char *note, amend_outcome *out)
{
	edit_set e = { .n = 0 };
	int rc = -1;

	if (load_accepted(s, id, 1, &out->proposal) == 0 &&
	    decide(s, out->proposal, "ratified", "note", note) == 0 &&
	    proposal_validate(out->proposal, NULL, 0, NULL) == 0 && add_record(&e, out->proposal) == 0)
		rc = commit_edits(s, out->proposal, "Ratify", note, NULL, &e, out->commit);
	edits_clear(&e);
	return rc;
}

static int has_trailer(const store_commit_info *ci, const char *key, const char *value)
{
	for (size_t i = 0; i < ci->ntrailers; i++)
		if (!strcmp(ci->trailers[i].key, key) && !strcmp(ci->trailers[i].value, value))
			return 1;
	return 0;
}

/* The charter before the amendment commit of p, which must be the last
 * commit to change the charter. */
static int charter_before(store *s, const cJSON *p, cd_buf *text, char accepted[41])
{
	store_commit_info *log = NULL;
	size_t n = 0;
	cd_buf parent = CD_BUF_INIT;
	int rc = -1;

	if (store_log(s, NULL, proposal_charter(p), 0, &log, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && rc < 0; i++) {
		if (!has_trailer(&log[i], "Codicil-Proposal", proposal_id(p)))
			continue;
		if (i > 0) {
			cd_err_set("%s changed after proposal %s was accepted (%.10s, \"%s\"); revert "
				   "it by hand: git revert %.10s", proposal_charter(p), proposal_id(p),
				   log[0].id, log[0].subject, log[i].id);
			break;
		}
		snprintf(accepted, 41, "%s", log[i].id);
		cd_buf_printf(&parent, "%s^", log[i].id);
		rc = store_read(s, parent.data, proposal_charter(p), text);
	}
	if (rc < 0 && !cd_err_msg()[0])
		cd_err_set("no commit of %s accepts proposal %s", proposal_charter(p), proposal_id(p));
	store_log_free(log, n);
	cd_buf_clear(&parent);
	return rc;
}

/* Each case the amendment resolved, open again. */
static int reopen_cases(store *s, const cJSON *p, edit_set *e)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "cases")) {
		cd_buf text = CD_BUF_INIT, where = CD_BUF_INIT;
		cJSON *c = NULL;
		int rc = -1;

		if (workspace_record_at(s, "HEAD", cJSON_GetStringValue(it), &where) == 0 &&
		    store_read(s, "HEAD", where.data, &text) == 0 &&
		    (c = cd_json_parse(text.data, text.len, where.data))) {
			rc = 0;
			if (case_get_status(c) == CASE_RESOLVED) {
				cd_buf_reset(&text);
				rc = case_set_status(c, CASE_OPEN, NULL) < 0 || cd_json_print(c, &text) < 0 ||
				     edits_add(e, cd_buf_detach(&where), &text) < 0 ? -1 : 0;
			}
		}
		cJSON_Delete(c);
		cd_buf_clear(&text);
		cd_buf_clear(&where);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int revert(store *s, const char *id, const char *reason, amend_outcome *out)
{
	edit_set e = { .n = 0 };
	cd_buf before = CD_BUF_INIT;
	char accepted[41] = "";
	int rc = -1;

	if (load_accepted(s, id, 0, &out->proposal) < 0 ||
	    charter_before(s, out->proposal, &before, accepted) < 0)
		goto out;
	if (edits_add(&e, strdup(proposal_charter(out->proposal)), &before) < 0 ||
	    reopen_cases(s, out->proposal, &e) < 0 ||
	    decide(s, out->proposal, "reverted", "reason", reason) < 0 ||
	    proposal_validate(out->proposal, NULL, 0, NULL) < 0 || add_record(&e, out->proposal) < 0)
		goto out;
	rc = commit_edits(s, out->proposal, "Revert", reason, accepted, &e, out->commit);
out:
	edits_clear(&e);
	cd_buf_clear(&before);
	return rc;
}

static int locked(store *s, const char *id, const char *text, amend_outcome *out,
		  int (*fn)(store *, const char *, const char *, amend_outcome *))
{
	int rc;

	memset(out, 0, sizeof *out);
	if (store_lock(s) < 0)
		return -1;
	rc = fn(s, id, text, out);
	store_unlock(s);
	if (rc < 0)
		amend_outcome_clear(out);
	return rc;
}

int amend_ratify(store *s, const char *id, const char *note, amend_outcome *out)
{
	return locked(s, id, note, out, ratify);
}

int amend_revert(store *s, const char *id, const char *reason, amend_outcome *out)
{
	if (!reason || !*reason) {
		cd_err_set("say why the amendment is reverted (--reason TEXT)");
		return -1;
	}
	return locked(s, id, reason, out, revert);
}
