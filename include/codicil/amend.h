/* amend.h — the amendment workflow: draft a proposal from cases, look at
 * it, accept or reject it, carry it to a newer charter.
 *
 * Both front ends call these; they take no argv and print nothing.  Long
 * steps report through a progress callback.  Every function that writes
 * takes the repository lock and records its result as one commit:
 *
 *   amend_propose   "Propose <id>: <title>"  proposals/<id>.json (pending)
 *                   and the predicted consequences as cases (kind
 *                   consequence, field proposal = <id>)
 *   amend_rebase    "Rebase <id>: <title>"   the proposal on a new base
 *   amend_accept    "Amend <ids>: <title>"   the charter change, the
 *                   proposal (accepted), its cases (resolved) and the
 *                   transcripts of every call behind it
 *                   (proposal_commit_message has the format)
 *   amend_reject    "Reject <id>: <title>"   the proposal (rejected)
 *
 * The charter a proposal amends is its "charter" field: CONSTITUTION.md,
 * or META.md (the meta-constitution is amended the same way; its
 * proposals have no regression, as cases are judged under the
 * constitution).  The rules of META.md are its principles that have no
 * sub-principles; a META.md heading with sub-principles is a section.
 */
#ifndef CODICIL_AMEND_H
#define CODICIL_AMEND_H

#include <cJSON.h>

#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/judge.h"
#include "codicil/redline.h"

typedef enum amend_step {
	AMEND_STEP_DRAFT,        /* asking for the amendment */
	AMEND_STEP_CONSEQUENCES, /* asking for its consequences */
	AMEND_STEP_METACHECK,    /* checking it against META.md */
	AMEND_STEP_REGRESSION,   /* judging every case before and after */
	AMEND_STEP_COMMIT,
} amend_step;

/* detail: one line for a person ("judging 42 cases under both texts"). */
typedef void (*amend_progress_fn)(void *ud, amend_step step, const char *detail);

typedef struct amend_env {
	store *store;
	config *cfg;
	llm_client *client;    /* propose, rebase, regress; NULL for the rest */
	amend_progress_fn progress; /* may be NULL */
	void *progress_ud;
} amend_env;

typedef struct amend_opts {
	const char *charter;   /* NULL: codicil.charter, else CONSTITUTION.md */
	const char *const *cases; /* ids or unique prefixes, at least one */
	size_t ncases;
	const char *steer;     /* guidance for the drafting model; may be NULL */
	int consequences;      /* how many to ask for; 0: codicil.consequences or 3 */
} amend_opts;

/* What a writing step gives back. */
typedef struct amend_outcome {
	cJSON *proposal;       /* the record as committed (caller frees) */
	char commit[41];       /* "" when nothing was committed */
	int stale;             /* accept: refused because the edits no longer
	                          apply to the charter at HEAD (rebase first) */
} amend_outcome;
void amend_outcome_clear(amend_outcome *o);

/* Ask for an amendment that resolves the cases while respecting META.md,
 * apply its edits to the charter at HEAD (edits that do not apply are an
 * error naming the edit), predict its consequences, check it rule by rule
 * against META.md, run the regression, and commit it as pending.  The
 * proposal's transcripts name every model call behind it. */
/* With a client opened with dry_run: estimate what amend_propose would
 * cost (llm_client_estimate_get): the draft as it would be sent, the
 * consequences, meta-check and regression projected from earlier runs.
 * Sends and writes nothing. */
int amend_estimate(const amend_env *e, const amend_opts *o);
int amend_propose(const amend_env *e, const amend_opts *o, amend_outcome *out);

/* Re-apply a pending proposal's edits to the charter at HEAD, make HEAD
 * its base, run the regression again and commit.  Nothing is committed
 * (commit "") when the charter at the base is the one at HEAD. */
int amend_rebase(const amend_env *e, const char *id, amend_outcome *out);

/* Accept a pending proposal: its edits applied to the charter at HEAD,
 * the decision {by: git identity, at, note}.  When the charter changed
 * since the base, accept goes ahead only if the principles the edits
 * change are as they were at the base (a change elsewhere is fine);
 * otherwise, or when the edits no longer apply, it fails with stale set
 * and an error that says to run 'codicil amend --rebase ID'.  charter_path
 * (may be NULL) must name the proposal's charter.  A proposal with
 * objections (proposal_objections: a failed meta-check rule, broken cases)
 * is refused unless force, which records them in decision.override and a
 * Codicil-Override trailer. */
int amend_accept(store *s, const char *id, const char *charter_path, const char *note,
		 int force, amend_outcome *out);

/* Accept without a person (autonomy.h): only when META.md at HEAD has a
 * rule that permits it and the proposal passes every rule and worsens no
 * case; decision.autonomy and the trailer Codicil-Autonomy: auto-meta
 * record it, decision.by is the identity the loop runs as. */
int amend_accept_auto(store *s, const char *id, amend_outcome *out);

/* A person's word on an automatic acceptance (ratify.c): ratify records
 * decision.ratified {by, at, note} ("Ratify <id>: <title>"); revert (any
 * accepted proposal, while no later commit changed the charter) restores
 * the charter before it, opens its cases again and records
 * decision.reverted {by, at, reason} ("Revert <id>: <title>", trailer
 * Codicil-Reverts: <the amendment commit>).  Both take the lock. */
int amend_ratify(store *s, const char *id, const char *note, amend_outcome *out);
int amend_revert(store *s, const char *id, const char *reason, amend_outcome *out);

/* Reject a pending proposal with a reason. */
int amend_reject(store *s, const char *id, const char *reason, amend_outcome *out);

/* The proposal with that id or unique prefix from proposals/ in the work
 * tree.  *out is the caller's. */
int amend_load(store *s, const char *id, cJSON **out);

/* The charter a proposal amends at its base, and the same with its edits
 * applied. */
int amend_texts(store *s, const cJSON *p, cd_buf *before, cd_buf *after);

/* Every case that is not dismissed, judged under the proposal's base text
 * and its amended text. */
int amend_regress(const amend_env *e, const cJSON *p, regress_result *out);

/* What `review` shows: the record, the two texts (sanitised, so they are
 * inert on a terminal) and the word-level redline between them. */
typedef struct amend_review {
	cJSON *proposal;
	cd_buf before, after;
	redline redline;
} amend_review;

/* charter_path (may be NULL) must name the proposal's charter. */
int amend_review_load(store *s, const char *id, const char *charter_path,
		      amend_review *out);
void amend_review_clear(amend_review *r);
/* The proposal's fields plus "redline" (redline_to_json). */
cJSON *amend_review_json(const amend_review *r);
/* Plain text (ANSI colour in the redline when color is set): the header,
 * the redline with 2 lines of context, rationale, pros and cons,
 * consequences, meta-check, regression with the flipped cases. */
int amend_review_text(const amend_review *r, int color, cd_buf *out);

#endif
