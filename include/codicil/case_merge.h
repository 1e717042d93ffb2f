/* case_merge.h — merging two versions of a record file with their common
 * ancestor, so that two raters in two clones never get a conflict.
 *
 * Key by key, the side that changed a value wins (a deletion is a change);
 * when both changed it differently the key is a conflict and ours is kept.
 * "ratings" are merged rater by rater (rating_same_rater): a rating new on
 * either side is kept, one side's change or deletion wins over the other
 * side leaving it alone, and when both changed one rater's rating the
 * later one (by "time") wins.  Ours' order is kept; what only theirs has
 * follows.  `codicil merge-file` (git's merge driver) runs it. */
#ifndef CODICIL_CASE_MERGE_H
#define CODICIL_CASE_MERGE_H

#include <cJSON.h>

#include "codicil/buf.h"

/* The merged record (a new object), base may be NULL (added on both
 * sides).  The keys in conflict are appended to conflicts, comma-separated
 * (empty: a clean merge).  NULL on out of memory. */
cJSON *case_merge(const cJSON *base, const cJSON *ours, const cJSON *theirs, cd_buf *conflicts);

#endif
