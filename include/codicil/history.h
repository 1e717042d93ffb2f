/* history.h — what one commit changed, for the history views: the files
 * (compared with its first parent; a root commit against nothing) and a
 * unified diff of the charter when the commit touched it. */
#ifndef CODICIL_HISTORY_H
#define CODICIL_HISTORY_H

#include <stddef.h>

#include "codicil/buf.h"
#include "codicil/store.h"

typedef struct history_file {
	char status;  /* 'A' added, 'M' modified, 'D' deleted, 'T' type change */
	char *path;
} history_file;

typedef struct history_diff {
	history_file *files;
	size_t nfiles;
	int charter_changed;
	cd_buf charter_before, charter_after; /* the charter's texts, when it changed */
} history_diff;

int history_commit_diff(store *s, const char *commit, const char *charter_path,
			history_diff *out);
void history_diff_clear(history_diff *d);

#endif
