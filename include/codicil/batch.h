/* batch.h — generation runs: many units, a journal, resumable.
 *
 * Every unit is a request (generate.h).  Each attempt's outcome is one
 * journal line: {run, request, principle, principles, sample, status (ok |
 * error | invalid), error, cases (ids), records (the case objects), usage,
 * latency_ms, at}.  Cases are committed from the journal, so a run killed
 * midway loses no completed answer: --resume commits what is there and asks
 * only for what is missing.  The caller holds the repository lock.
 */
#ifndef CODICIL_BATCH_H
#define CODICIL_BATCH_H

#include <stdio.h>

#include "codicil/generate.h"

typedef struct batch_progress {
	size_t total, done, ok, failed, cases;
	long tokens;
	double elapsed_s;
} batch_progress;

typedef enum batch_select {
	BATCH_NEW,           /* a new run: every unit; the journal must not exist */
	BATCH_RESUME,        /* units without a journal line */
	BATCH_RETRY_ERRORS,  /* units whose last line is not ok */
	BATCH_RESUME_RETRY,  /* both */
} batch_select;

typedef struct batch_opts {
	gen_unit *units;
	size_t nunits;
	const char *journal_path;
	const char *run;     /* id of a new run; NULL: from the journal, or a fresh one */
	batch_select select;
	int dry_run;         /* print the requests (JSONL) to dry_run_out, send nothing */
	FILE *dry_run_out;
	int commit;          /* 0: write case files to the work tree only */
	size_t commit_every; /* commit after this many ok requests; 0: at the end */
	void (*progress)(void *ud, const batch_progress *p);
	void *ud;
} batch_opts;

typedef struct batch_result {
	char run[24];
	size_t ok, failed, skipped, duplicates, invalid;
	char **case_ids;     /* cases written by this invocation */
	size_t ncases;
	char commit[41];     /* the last commit made, "" if none */
	char **failures;     /* one line per failed unit */
	size_t nfailures;
} batch_result;

int batch_run(gen_ctx *g, const batch_opts *o, batch_result *r);

/* Commit cases (new ones, from gen_collect) as cases/<id>.json in one
 * commit, as a run does: "Add 3 counterexamples for privacy", with the
 * Codicil-Run, Codicil-Model and Codicil-Prompt trailers.  The caller holds
 * the repository lock.  commit (may be NULL) receives the commit id. */
int gen_commit(gen_ctx *g, cJSON *const *cases, size_t n, const char *run, char commit[41]);
void batch_result_free(batch_result *r);

#endif
