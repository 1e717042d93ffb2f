/* verify.h — check that the history of a constitution repository records
 * every accepted amendment the way `codicil accept` writes it.
 *
 * An amendment commit is one with a Codicil-Proposal trailer that changes
 * the charter or whose subject starts with "Amend ".  For each, verify
 * checks:
 *   - the trailers: Codicil-Proposal, Codicil-Case (at least one),
 *     Codicil-Model, Codicil-Prompt (at least one), Reviewed-by;
 *   - proposals/<id>.json in that commit: same id, status accepted, and
 *     cases, model, prompts, regression and reviewer (decision.by) equal to
 *     what the trailers say (proposal_commit_message is the reference);
 *   - each transcript it lists exists at HEAD or in that commit, and every
 *     copy's sha256 is its name;
 *   - each case exists at HEAD, and in that commit is resolved by the
 *     proposal;
 *   - the charter in that commit is exactly charter_apply() of the
 *     proposal's edits to the charter of its first parent;
 *   - an automatic acceptance (Codicil-Autonomy, autonomy.h): the trailer
 *     and decision.autonomy agree, the proposal passed every META.md rule
 *     and worsened no case, and META.md at the parent permitted it.
 * Other commits that change the charter (the initial import, `codicil
 * edit`, `codicil fmt --commit`, `codicil revert`, plain git) are listed,
 * not judged.
 */
#ifndef CODICIL_VERIFY_H
#define CODICIL_VERIFY_H

#include <stddef.h>

#include "codicil/store.h"

typedef struct verify_amendment {
	char commit[41];
	char *subject;
	char *proposal;     /* the Codicil-Proposal trailer */
	char **problems;    /* one line each, without the commit prefix */
	size_t nproblems;
} verify_amendment;

typedef enum verify_kind {
	VERIFY_INITIAL,     /* a root commit */
	VERIFY_EDIT,        /* codicil edit: "Edit ID: ..." */
	VERIFY_FMT,         /* codicil fmt --commit: "Format: ..." */
	VERIFY_REVERT,      /* codicil revert: "Revert P: ...", Codicil-Reverts */
	VERIFY_GIT,         /* anything else */
} verify_kind;

typedef struct verify_other {
	char commit[41];
	char *subject;
	char *author_name, *author_email;
	verify_kind kind;
} verify_other;

typedef struct verify_report {
	verify_amendment *amendments; /* newest first */
	size_t namendments;
	verify_other *others;         /* newest first */
	size_t nothers;
	size_t nproblems;             /* over all amendments */
} verify_report;

/* Walk the history from HEAD.  Returns -1 only when the history cannot be
 * read; problems found are in the report (nproblems > 0). */
int verify_history(store *s, const char *charter_path, verify_report *out);
void verify_report_clear(verify_report *r);

const char *verify_kind_name(verify_kind k); /* "initial", "edit", "fmt", "revert", "git" */

#endif
