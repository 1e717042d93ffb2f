/* case_counts.h — how many cases of the library name each principle, from
 * the case index (case_index.h): cheap at any size, so a view may ask when
 * it opens and again on demand. */
#ifndef CODICIL_CASE_COUNTS_H
#define CODICIL_CASE_COUNTS_H

#include <stddef.h>

#include "codicil/charter.h"
#include "codicil/store.h"

typedef struct case_counts {
	size_t *per_principle; /* ch->n entries, in charter order */
	size_t files;          /* case files */
	size_t unreadable;     /* files that are not usable cases (skipped) */
	size_t unknown_ids;    /* mentions of ids the charter does not have */
} case_counts;

/* A case naming the same principle twice counts once.  Fails only when
 * the index cannot be opened or memory runs out. */
int case_counts_load(store *s, const charter *ch, case_counts *out);
void case_counts_clear(case_counts *cc);

#endif
