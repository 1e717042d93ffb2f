/* index_int.h — what the files of the case index share. */
#ifndef CODICIL_INDEX_INT_H
#define CODICIL_INDEX_INT_H

#include <sqlite3.h>

#include "codicil/case_index.h"
#include "codicil/strmap.h"

#define INDEX_CACHED_STATEMENTS 24

struct case_index {
	sqlite3 *db;
	store *s;
	char *path; /* .git/codicil/index.sqlite */
	struct {    /* statements run once per file: prepared once */
		const char *sql;
		sqlite3_stmt *st;
	} cached[INDEX_CACHED_STATEMENTS];
};

typedef enum index_open_mode {
	INDEX_REFRESH, /* brought up to date (case_index_open) */
	INDEX_FRESH,   /* deleted first, then built */
	INDEX_AS_IS,   /* as it is on disk (to check it) */
} index_open_mode;

int index__open(store *s, case_index **out, case_index_stats *st, index_open_mode mode);

/* cd_err from the database's last error, prefixed with what was done. */
int index__fail(case_index *ix, const char *what);
/* Run sql (no results); -1 with an error. */
int index__exec(case_index *ix, const char *sql);
/* Prepare sql; NULL with an error. */
sqlite3_stmt *index__prepare(case_index *ix, const char *sql);
/* The same for a string literal run many times: prepared on first use,
 * then reset; the index finalizes it (never the caller). */
sqlite3_stmt *index__cached(case_index *ix, const char *sql);
/* The page cache a connection keeps (32 MB), and the one a build of most
 * of the library gets (256 MB): its bands and full-text B-trees outgrow
 * the small one, whose pages are then read and written again and again
 * (index --rebuild at 100,000 cases: 46 s became 24 s). */
#define INDEX_CACHE_PRAGMA "PRAGMA cache_size = -32768"
#define INDEX_BUILD_CACHE_PRAGMA "PRAGMA cache_size = -262144"

/* Put the case file path (relative to the work tree) with its content
 * into the index, replacing what it had for that path; a file that is not
 * a usable case goes to the errors table instead. */
int index__put_file(case_index *ix, const char *path, const char *text, size_t len);
/* Record that path is not a usable case, and why. */
int index__put_error(case_index *ix, const char *path, const char *problem);
/* Forget path. */
int index__drop_file(case_index *ix, const char *path);

/* The case files that differ between the HEAD the index last saw and
 * HEAD now, and their directories (index_head.c); *everything is set when
 * that cannot be known.  head gets HEAD's cases tree id ("" for none).
 * 1 when it moved, 0 when not, -1 on error. */
int index__head_changes(case_index *ix, struct strmap *paths, struct strmap *dirs,
			int *everything, char head[41]);

/* Bring the index up to date with the work tree (index_scan.c). */
int index__refresh(case_index *ix, case_index_stats *st);

#endif
