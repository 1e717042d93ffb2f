/* proposal_act.c — the decisions on a proposal, from its review screen or
 * the Proposals list: y asks for an optional note and accepts (one commit
 * with the charter change and its provenance), x asks for the reason and
 * rejects, b rebases a stale proposal (a job: the regression runs again).
 * A refused accept is remembered so the review screen can show why. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/amend.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/proposal.h"

/* The last accept that was refused, shown on the review screen. */
struct refusal {
	char id[64];
	char msg[512];
};

static const tui_feature refusal_feature = { "refused accept", free };

const char *tui_proposal_refusal(tui_app *app, const char *id)
{
	struct refusal *r = tui_state(app, &refusal_feature);

	return r && r->msg[0] && !strcmp(r->id, id) ? r->msg : NULL;
}

void tui_proposal_refused(tui_app *app, const char *id, const char *msg)
{
	struct refusal *r = tui_state(app, &refusal_feature);

	if (!msg) {
		if (r && !strcmp(r->id, id))
			r->msg[0] = r->id[0] = '\0';
		return;
	}
	if (!r && (!(r = calloc(1, sizeof *r)) || tui_set_state(app, &refusal_feature, r) < 0)) {
		free(r);
		return;
	}
	snprintf(r->id, sizeof r->id, "%s", id);
	snprintf(r->msg, sizeof r->msg, "%s", msg);
}

/* Only a pending proposal can be decided; say so before asking anything. */
static int pending(tui_app *app, const char *id)
{
	cJSON *p = NULL;
	int st;

	if (amend_load(tui_store(app), id, &p) < 0) {
		tui_error(app, "%s", cd_err_msg());
		return 0;
	}
	st = proposal_get_status(p);
	if (st != PROPOSAL_PENDING)
		tui_message(app, "%s is %s already", proposal_id(p),
			    st >= 0 ? proposal_status_name((proposal_status)st) : "not pending");
	cJSON_Delete(p);
	return st == PROPOSAL_PENDING;
}

static void decided(tui_app *app, const char *verb, const char *id, amend_outcome *o)
{
	cd_buf subject = CD_BUF_INIT;

	proposal_commit_subject(o->proposal, &subject);
	tui_repo_changed(app);
	if (!strcmp(verb, "Accepted"))
		tui_message(app, "Accepted %s: commit %.10s \"%s\"", id, o->commit,
			    cd_buf_cstr(&subject));
	else
		tui_message(app, "Rejected %s: commit %.10s", id, o->commit);
	cd_buf_clear(&subject);
}

/* What a decision's question carries: the proposal, and (accept) whether
 * the reviewer has chosen to override its objections. */
struct deciding {
	int force;
	char id[];
};

static void accept_answered(tui_app *app, void *ud, const char *note)
{
	struct deciding *a = ud;
	const char *id = a->id;
	amend_outcome o = { 0 };
	char key[32];

	if (!note) {
		tui_message(app, "Not accepted");
	} else if (amend_accept(tui_store(app), id, NULL, *note ? note : NULL, a->force, &o) == 0) {
		tui_proposal_refused(app, id, NULL);
		decided(app, "Accepted", id, &o);
	} else if (o.stale) {
		tui_proposal_refused(app, id, cd_err_msg());
		tui_repo_changed(app);
		tui_action_keys(app, ACT_REBASE, key, sizeof key);
		key[strcspn(key, " ")] = '\0';
		tui_error(app, "Not accepted: the charter changed under %s since it was drafted; "
			  "press %s to rebase it onto HEAD", id, key);
	} else {
		tui_error(app, "%s", cd_err_msg());
	}
	amend_outcome_clear(&o);
	free(ud);
}

static void reject_answered(tui_app *app, void *ud, const char *reason)
{
	struct deciding *d = ud;
	const char *id = d->id;
	amend_outcome o = { 0 };

	if (!reason)
		tui_message(app, "Not rejected");
	else if (amend_reject(tui_store(app), id, reason, &o) == 0)
		decided(app, "Rejected", id, &o);
	else
		tui_error(app, "%s", cd_err_msg());
	amend_outcome_clear(&o);
	free(ud);
}

static void decide(tui_app *app, const char *id, const char *label, int required,
		   tui_ask_fn done)
{
	struct deciding *copy;

	if (tui_job_running(app)) {
		tui_message(app, "Wait for the running job to finish (Esc cancels it)");
		return;
	}
	if (!pending(app, id))
		return;
	if (!(copy = calloc(1, sizeof *copy + strlen(id) + 1))) {
		tui_error(app, "out of memory");
		return;
	}
	strcpy(copy->id, id);
	tui_ask(app, label, required, done, copy);
}

#define ACCEPT_NOTE "Accept. Note (optional, Enter accepts, Esc cancels): "

/* The reviewer typed "yes" to accept despite the objections. */
static void override_answered(tui_app *app, void *ud, const char *answer)
{
	struct deciding *a = ud;

	if (!answer || strcmp(answer, "yes")) {
		tui_message(app, "Not accepted");
		free(a);
		return;
	}
	a->force = 1;
	tui_ask(app, ACCEPT_NOTE, 0, accept_answered, a);
}

/* A proposal that fails its meta-check or breaks cases: the same question
 * the CLI's --force answers, asked explicitly. */
static int objections(tui_app *app, const char *id, cd_buf *why)
{
	cJSON *p = NULL;
	size_t n = amend_load(tui_store(app), id, &p) == 0 ? proposal_objections(p, why) : 0;

	cJSON_Delete(p);
	return n > 0;
}

void tui_proposal_accept(tui_app *app, const char *id)
{
	cd_buf why = CD_BUF_INIT, label = CD_BUF_INIT;

	if (objections(app, id, &why)) {
		cd_buf_printf(&label, "It %s. Accept anyway? Type yes (recorded in the commit; Esc "
			      "cancels): ", why.data);
		decide(app, id, label.data, 1, override_answered);
	} else {
		decide(app, id, ACCEPT_NOTE, 0, accept_answered);
	}
	cd_buf_clear(&why);
	cd_buf_clear(&label);
}

void tui_proposal_reject(tui_app *app, const char *id)
{
	decide(app, id, "Reject. Reason (required, Esc cancels): ", 1, reject_answered);
}

void tui_proposal_rebase(tui_app *app, const char *id)
{
	if (pending(app, id))
		tui_job_rebase(app, id);
}
