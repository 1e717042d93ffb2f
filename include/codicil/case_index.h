/* case_index.h — the case library's derived index.
 *
 * .git/codicil/index.sqlite (SQLite) holds, for every case file of the
 * work tree, what lists, filters and counts need (id, kind, status,
 * severity, principles, rating counts, provenance summary), a full-text
 * index of the case text (FTS5) and the case's near-duplicate bands
 * (dedup_bands).  It is never committed and always safe to delete: the
 * next command builds it again.
 *
 * It answers for the current state: opening it brings it up to date first,
 * re-reading only what changed.  A directory whose modification time moved
 * (a file was added, removed or replaced — codicil, git checkout and most
 * editors write files that way) is listed again; a file the listing shows
 * with a new inode (added or replaced), or recorded at a racy time, is
 * compared by size, modification and change time and inode; a file that
 * differs is hashed as git would hash it, and only a file whose blob id
 * changed is parsed.  Paths that changed between the HEAD last seen and
 * HEAD now (git_diff of the two cases trees) are hashed whatever their
 * times say, and a library of fewer than CASE_INDEX_STAT_ALL files has
 * every file compared on every open.  What that leaves out: a case edited
 * in place (its inode kept), in a library that large, and not committed;
 * 'codicil index --check' finds it.
 */
#ifndef CODICIL_CASE_INDEX_H
#define CODICIL_CASE_INDEX_H

#include <stddef.h>

#include "codicil/buf.h"
#include "codicil/case.h"
#include "codicil/dedup.h"
#include "codicil/store.h"

#define CASE_INDEX_STAT_ALL 20000
#define CASE_SUMMARY_BYTES 300

typedef struct case_index case_index;

/* What bringing the index up to date did. */
typedef struct case_index_stats {
	size_t files;   /* case files the index now knows */
	size_t dirs;    /* directories listed again */
	size_t hashed;  /* files read and hashed */
	size_t parsed;  /* files parsed (their blob id had changed) */
	size_t removed; /* files gone since */
} case_index_stats;

/* Called while a refresh reads many directories (a first build takes
 * minutes at a million cases): done and total directories, files parsed
 * so far; once more with done == total at the end.  NULL: silence. */
typedef void case_index_progress_fn(size_t done, size_t total, size_t parsed, void *arg);
void case_index_set_progress(case_index_progress_fn *fn, void *arg);

/* Open the index of s, creating it when missing (and rebuilding it when it
 * is unreadable or of another version), and bring it up to date.  st may
 * be NULL. */
int case_index_open(store *s, case_index **out, case_index_stats *st);
void case_index_close(case_index *ix);
/* Delete the index and build it from scratch. */
int case_index_rebuild(store *s, case_index_stats *st);
/* Compare the index with a full read of every case file; every difference
 * is appended to problems, one line each ("cases/ab/c-....json: indexed
 * status open, file says confirmed").  Returns how many (0: in step), -1
 * on error.  The index is then brought up to date. */
long case_index_check(store *s, cd_buf *problems);

/* One case as the index has it; strings belong to the index and live
 * until the callback returns. */
typedef struct case_row {
	const char *id, *path; /* path relative to the work tree */
	const char *kind, *status;
	const char *principles; /* space-separated, in the case's order */
	const char *summary;    /* the scenario's first CASE_SUMMARY_BYTES + 1
	                           bytes (so "longer than" can be told) */
	const char *created;    /* provenance.created, or "" */
	int severity;
	int nratings, nvalid;   /* ratings, and those with verdict valid */
} case_row;

typedef struct case_query {
	case_filter f;      /* NULL fields match anything */
	int min_severity;   /* 0: any */
	const char *id_below, *id_above; /* NULL, or only ids < / > this one */
	const char *grep;   /* NULL, or words that must all occur in the case's
	                       text (id, principles, scenario, literal reading,
	                       expected, rationale), case-insensitively; the
	                       last one may be the start of a word */
	size_t limit;       /* 0: no limit */
	size_t offset;
	int newest_first;   /* by id, descending */
} case_query;

/* Call fn for each matching case, by id (oldest first unless
 * newest_first); fn returning non-zero stops the walk and is returned. */
int case_index_each(case_index *ix, const case_query *q,
		    int (*fn)(const case_row *r, void *arg), void *arg);
/* The case file behind row r, as stored (the index holds only what lists
 * need); NULL with cd_err set when it cannot be read. */
cJSON *case_index_read_row(store *s, const case_row *r);
/* How many cases match. -1 on error. */
long case_index_count(case_index *ix, const case_query *q);
/* The files that are not usable cases, by path: "cases/x.json: problem". */
int case_index_each_error(case_index *ix, int (*fn)(const char *path, const char *problem,
						    void *arg), void *arg);
/* The case whose id is id, or the only one it is a prefix of ("01jd" is
 * read as "c-01jd"); its id and path are appended to id_out and path_out
 * (either may be NULL).  -1 with an error when there is none or the
 * prefix is ambiguous (naming two candidates). */
int case_index_find(case_index *ix, const char *id, cd_buf *id_out, cd_buf *path_out);
/* Number of cases citing each principle: fn(principle, count). */
int case_index_each_principle(case_index *ix, int (*fn)(const char *id, long n,
							void *arg), void *arg);

/* Is text a duplicate of an indexed scenario?  Exact (same normalised
 * text) or near (Jaccard >= threshold among the candidates that share a
 * band, verified exactly).  The id of the match is appended to match_id
 * (may be NULL), its similarity stored in *similarity (may be NULL).
 * Costs a few index lookups however large the library. */
dedup_result case_index_duplicate(case_index *ix, const char *text, double threshold,
				  cd_buf *match_id, double *similarity);

#endif
