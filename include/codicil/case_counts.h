/* case_counts.h — how many cases in the work tree's cases/ directory name
 * each principle.  A stand-in until the case library offers a query: it
 * reads each cases/<id>.json with cJSON and looks only at its
 * "principles" array, so it is cheap enough to run when a view opens and
 * again on demand. */
#ifndef CODICIL_CASE_COUNTS_H
#define CODICIL_CASE_COUNTS_H

#include <stddef.h>

#include "codicil/charter.h"
#include "codicil/store.h"

typedef struct case_counts {
	size_t *per_principle; /* ch->n entries, in charter order */
	size_t files;          /* case files read */
	size_t unreadable;     /* files that are not JSON objects, or unreadable */
	size_t unknown_ids;    /* mentions of ids the charter does not have */
} case_counts;

/* A case naming the same principle twice counts once.  Fails only when
 * cases/ cannot be listed or memory runs out. */
int case_counts_load(store *s, const charter *ch, case_counts *out);
void case_counts_free(case_counts *cc);

#endif
