/* rate.h — recording a human verdict on a case: the rating goes into the
 * case file and the file into one commit ("Rate c-...: valid").  `codicil
 * rate` and the terminal interface both record ratings through here. */
#ifndef CODICIL_RATE_H
#define CODICIL_RATE_H

#include <cJSON.h>

#include "codicil/buf.h"
#include "codicil/case.h"
#include "codicil/rating.h"
#include "codicil/store.h"

/* "Name <email>" from git's user.name and user.email; an error says which
 * git config command to run when they are unset. */
int rate_rater(store *s, cd_buf *out);

/* Add r to c (case_rate: a rater's new rating replaces their earlier one)
 * and commit cases/<id>.json (under the repository lock).
 * commit (may be NULL) receives the new commit id.  On failure nothing is
 * committed, but c may hold the rating. */
int rate_commit(store *s, cJSON *c, const rating *r, char commit[41]);

/* The same for the case as it is in the work tree now, read under the
 * lock: what a front end calls, since its copy may be older. */
int rate_case_file(store *s, const char *case_id, const rating *r, char commit[41]);

/* Set the status of the case cases/<id>.json in the work tree (open,
 * confirmed or dismissed; resolved belongs to accept) and commit it:
 * "Confirm c-...", "Dismiss c-..." or "Reopen c-...", with who decided and
 * the note (may be NULL) in the body.  Takes the repository lock. */
int case_status_commit(store *s, const char *id, case_status st, const char *by,
		       const char *note, char commit[41]);

#endif
