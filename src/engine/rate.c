/* rate.c — a human decision on a case (a rating, a status, a triage of a
 * behaviour case) into the case file, and the file into a commit. */
#include "codicil/rate.h"
#include "codicil/audit.h"
#include "codicil/workspace.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

int rate_rater(store *s, cd_buf *out)
{
	char *name = NULL, *email = NULL;

	if (store_identity(s, &name, &email) < 0)
		return -1;
	cd_buf_printf(out, "%s <%s>", name, email);
	free(name);
	free(email);
	return 0;
}

static int commit_case(store *s, const cJSON *c, const char *message, char commit[41])
{
	cd_buf text = CD_BUF_INIT, path = CD_BUF_INIT;
	cJSON *copy = cJSON_Duplicate(c, 1);
	store_change change;
	int rc = -1;

	if (!copy) {
		cd_err_set("out of memory");
		return -1;
	}
	case_normalize(copy);
	workspace_record_at(s, NULL, case_id(c), &path);
	if (cd_json_print(copy, &text) == 0) {
		change.path = path.data;
		change.data = text.data;
		change.len = text.len;
		rc = store_commit(s, &change, 1, message, NULL, 0, commit);
	}
	cJSON_Delete(copy);
	cd_buf_clear(&text);
	cd_buf_clear(&path);
	return rc;
}

int rate_commit(store *s, cJSON *c, const rating *r, char commit[41])
{
	cd_buf msg = CD_BUF_INIT;
	int rc;

	if (case_rate(c, r) < 0 || store_lock(s) < 0)
		return -1;
	cd_buf_printf(&msg, "Rate %s: %s\n\nRated by %s.\n", case_id(c), r->verdict, r->rater);
	rc = commit_case(s, c, msg.data, commit);
	store_unlock(s);
	cd_buf_clear(&msg);
	return rc;
}

/* The case of cases/<id>.json in the work tree; the caller holds the lock. */
static cJSON *read_case(store *s, const char *id)
{
	cd_buf path = CD_BUF_INIT;
	cJSON *c = NULL;

	cd_buf_puts(&path, store_workdir(s));
	if (id[0] != 'c' || workspace_record_at(s, NULL, id, &path) < 0) {
		cd_err_set("'%.40s' is not a case id", id);
		cd_buf_clear(&path);
		return NULL;
	}
	if ((c = cd_json_read_file(path.data)) && (!case_id(c) || strcmp(case_id(c), id))) {
		cd_err_set("%s holds another case; fix the file", path.data + strlen(store_workdir(s)));
		cJSON_Delete(c);
		c = NULL;
	}
	cd_buf_clear(&path);
	return c;
}

int rate_case_file(store *s, const char *id, const rating *r, char commit[41])
{
	cJSON *c;
	int rc = -1;

	if (store_lock(s) < 0)
		return -1;
	if ((c = read_case(s, id)))
		rc = rate_commit(s, c, r, commit);
	store_unlock(s);
	cJSON_Delete(c);
	return rc;
}


/* A decision never reopens what an accepted proposal resolved: 1 (with
 * the error) for a resolved case. */
static int stays_resolved(const cJSON *c)
{
	if (case_get_status(c) != CASE_RESOLVED)
		return 0;
	cd_err_set("%s is resolved by %s; it stays resolved", case_id(c),
		   cd_json_str(c, "resolved_by") ? cd_json_str(c, "resolved_by") : "a proposal");
	return 1;
}

int case_status_commit(store *s, const char *id, case_status st, const char *by,
		       const char *note, char commit[41])
{
	static const char *const verbs[] = { "Reopen", "Confirm", "Dismiss" };
	cd_buf msg = CD_BUF_INIT;
	cJSON *c = NULL;
	int rc = -1;

	if (st == CASE_RESOLVED || st >= CASE_STATUS_COUNT) {
		cd_err_set("a case is resolved by accepting a proposal, not by hand");
		return -1;
	}
	if (store_lock(s) < 0)
		return -1;
	if (!(c = read_case(s, id)) || stays_resolved(c))
		goto out;
	if (case_get_status(c) == (int)st) {
		cd_err_set("%s is %s already", id, case_status_name(st));
		goto out;
	}
	if (case_set_status(c, st, NULL) < 0)
		goto out;
	cd_buf_printf(&msg, "%s %s\n\n%s by %s.\n", verbs[st], id,
		      st == CASE_OPEN ? "Reopened" : st == CASE_CONFIRMED ? "Confirmed" : "Dismissed", by);
	if (note && *note)
		cd_buf_printf(&msg, "\n%s\n", note);
	rc = commit_case(s, c, msg.data, commit);
out:
	store_unlock(s);
	cJSON_Delete(c);
	cd_buf_clear(&msg);
	return rc;
}

const char *triage_name(triage_decision d)
{
	static const char *const names[] = { "model-wrong", "charter-wrong", "both", "neither" };
	return (unsigned)d <= TRIAGE_NEITHER ? names[d] : "?";
}

static int set_triage(cJSON *c, triage_decision d, const char *by, const char *note)
{
	cJSON *t = cJSON_CreateObject();
	char now[CASE_TIME_SIZE];

	case_time_now(now);
	if (!t)
		return -1;
	cJSON_AddStringToObject(t, "decision", triage_name(d));
	cJSON_AddStringToObject(t, "by", by);
	cJSON_AddStringToObject(t, "at", now);
	if (note && *note)
		cJSON_AddStringToObject(t, "note", note);
	else
		cJSON_AddNullToObject(t, "note");
	if (cJSON_GetObjectItemCaseSensitive(c, "triage"))
		cJSON_ReplaceItemInObjectCaseSensitive(c, "triage", t);
	else
		cJSON_AddItemToObject(c, "triage", t);
	/* who is wrong decides whether the case stands: confirmed when someone
	 * is, dismissed when nothing went wrong */
	return case_set_status(c, d == TRIAGE_NEITHER ? CASE_DISMISSED : CASE_CONFIRMED, NULL);
}

int triage_commit(store *s, const char *id, triage_decision d, const char *note, char commit[41])
{
	cd_buf msg = CD_BUF_INIT, by = CD_BUF_INIT;
	const char *words[] = { "model wrong", "charter wrong", "model and charter wrong",
				"neither wrong" };
	cJSON *c = NULL;
	int rc = -1;

	if (rate_rater(s, &by) < 0 || store_lock(s) < 0) {
		cd_buf_clear(&by);
		return -1;
	}
	if (!(c = read_case(s, id)))
		goto out;
	if (case_get_kind(c) != CASE_BEHAVIOUR) {
		cd_err_set("%s is a %s case; triage decides behaviour cases (codicil audit), rate "
			   "the others", case_id(c), case_kind_name(case_get_kind(c)));
		goto out;
	}
	if (stays_resolved(c) || set_triage(c, d, by.data, note) < 0)
		goto out;
	cd_buf_printf(&msg, "Triage %s: %s\n\nDecided by %s.\n", case_id(c), words[d], by.data);
	if (note && *note)
		cd_buf_printf(&msg, "\n%s\n", note);
	rc = commit_case(s, c, msg.data, commit);
out:
	store_unlock(s);
	cJSON_Delete(c);
	cd_buf_clear(&msg);
	cd_buf_clear(&by);
	return rc;
}
