/* blame.h — which commit last changed each principle, and whether that
 * commit was an accepted amendment (with its proposal, cases and reviewer)
 * or a plain edit.
 *
 * A principle's text is its own heading and body (up to the next heading of
 * any level, trailing blank lines ignored), located by id in each version of
 * the charter.  The commit blamed is the newest one, walking back from
 * HEAD, whose version of the principle equals the one at HEAD while its
 * first parent's differs or lacks it.  Merges are compared with their first
 * parent, so a change that came in through a merge is blamed on the merge.
 *
 * Each version is built once: parsed, or derived from its neighbour when
 * the two differ only in plain body lines (see src/engine/blame_version.c).
 * CODICIL_BLAME_FULL_PARSE=1 in the environment parses every version (the
 * tests compare both).
 */
#ifndef CODICIL_BLAME_H
#define CODICIL_BLAME_H

#include <stddef.h>
#include <stdint.h>

#include "codicil/store.h"

typedef struct blame_entry {
	char *id;              /* principle id */
	char commit[41];
	char *author_name, *author_email;
	int64_t time;          /* author time */
	int offset;            /* minutes east of UTC */
	char *subject;
	char *proposal;        /* Codicil-Proposal, NULL for a plain edit */
	char **cases;          /* Codicil-Case values (or the proposal's cases) */
	size_t ncases;
	char *reviewed_by;     /* Reviewed-by (or the proposal's decision.by), or NULL */
	int removed;           /* the commit removed the principle (blame_removed) */
} blame_entry;

/* Blame every principle of the charter at path as of HEAD, in document
 * order; only (not NULL) restricts it to that principle, and fails when
 * HEAD's charter has none with that id.  Walks the commits that changed
 * path newest first, parses each version of the charter once, and stops
 * as soon as every principle is attributed. */
int blame_principles(store *s, const char *path, const char *only, blame_entry **out,
		     size_t *n);
void blame_free(blame_entry *list, size_t n);

/* For a principle that is not in HEAD's charter: the commit that removed
 * it, the newest one (of those that changed path, first parents from HEAD)
 * whose charter lacks id while the next older one has it.  1 with *out a
 * list of one entry (removed set; free it with blame_free(*out, 1)); 0
 * when no version of the charter ever had id. */
int blame_removed(store *s, const char *path, const char *id, blame_entry **out);

/* "2026-11-27T14:03:00+01:00", in the commit's own time zone. */
#define BLAME_DATE_SIZE 32
void blame_format_date(int64_t time, int offset_min, char out[BLAME_DATE_SIZE]);

#endif
