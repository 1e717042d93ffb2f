/* migrate.h — bring a repository made by an earlier codicil to today's
 * layout in one commit: cases/<id>.json to cases/<xy>/<id>.json,
 * transcripts/<sha>.json to transcripts/<ab>/<sha>.json, and the
 * .gitattributes line that lets ratings merge. */
#ifndef CODICIL_MIGRATE_H
#define CODICIL_MIGRATE_H

#include <stddef.h>

#include "codicil/store.h"

typedef struct migrate_result {
	size_t cases, transcripts; /* files moved */
	int attributes;            /* .gitattributes written or extended */
	char commit[41];           /* "" when there was nothing to do */
} migrate_result;

/* Takes the repository lock.  Refuses (changing nothing) when a file to
 * move has uncommitted changes. */
int migrate_repository(store *s, migrate_result *r);

#endif
