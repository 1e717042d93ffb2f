/* journal.h — the append-only JSONL log of a batch run.
 *
 * One line per attempt, flushed and fsync'd as it is written, so that after
 * a crash or kill -9 the file is valid up to its last complete line; a
 * partial last line is cut off when the journal is opened again.
 */
#ifndef CODICIL_JOURNAL_H
#define CODICIL_JOURNAL_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/strmap.h"

typedef struct journal {
	char *path;
	cJSON **lines;   /* the complete lines, in order */
	size_t n, cap;
	size_t skipped;  /* lines that were not JSON objects (reported, ignored) */
	struct strmap last; /* "request" -> index of its last line */
	int lock_fd;     /* >= 0 while journal_lock() holds it */
} journal;

/* Open path, reading what it holds (a missing file is an empty journal). */
int journal_open(const char *path, journal *out);
/* Hold the journal (flock) until journal_clear(), so that a second run on
 * it fails at once instead of interleaving its lines: "journal PATH is in
 * use by another run; wait for it to end". */
int journal_lock(journal *jn);
/* Append one line (compact JSON) and fsync; the journal keeps j. */
int journal_append(journal *jn, cJSON *j);
/* The last line whose "request" is key, or NULL (a hash lookup: a run of
 * a million requests resumes without quadratic work). */
const cJSON *journal_last(const journal *jn, const char *key);
/* The "run" of the first line that has one, or NULL. */
const char *journal_run(const journal *jn);
void journal_clear(journal *jn);

#endif
