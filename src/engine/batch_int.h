/* batch_int.h — between batch.c and batch_commit.c. */
#ifndef CODICIL_BATCH_INT_H
#define CODICIL_BATCH_INT_H

#include "codicil/batch.h"
#include "codicil/journal.h"

/* Index the cases of the journal's ok lines for duplicate detection, so a
 * resumed run does not ask for what it already has. */
int batch_remember_journal_cases(gen_ctx *g, const journal *jn);

/* Write the cases held by the journal's ok lines that are not yet there:
 * commit them (commit != 0; those absent at HEAD) or only write them to the
 * work tree (those absent from it).  Their ids are added to r->case_ids,
 * the commit id to r->commit. */
int batch_commit_cases(gen_ctx *g, const journal *jn, int commit, batch_result *r);

#endif
