/* batch.h — generation runs: many units, a journal, resumable.
 *
 * Every unit is a request (generate.h).  Each attempt's outcome is one
 * journal line: {run, request, principle, principles, sample, status (ok |
 * error | invalid | not_sent), error, cases (ids), records (the case
 * objects), usage, latency_ms, attempts, reasks, repairs (what was mended,
 * one change per item), raw (the text of an answer that stayed invalid:
 * it was paid for), request_sha256, response_sha256, at}.  Cases are
 * committed from the journal, so a run killed midway loses no completed
 * answer.  Resuming asks again for every request without an ok line; a
 * kept invalid answer is first checked again, for free, and used when it
 * passes now.  With provider_batch, the first lines may be the ids of the
 * provider batches the run made ({run, provider_batch, provider, state}).
 * batch_run holds the journal (journal_lock) for the whole run and takes
 * the repository lock only while it writes cases, so raters and other runs
 * can work while it waits for the model.
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
	BATCH_RESUME,        /* every unit without an ok line (missing or failed) */
	BATCH_RETRY_ERRORS,  /* only units that have a line, the last not ok */
} batch_select;

typedef struct batch_opts {
	gen_unit *units;
	size_t nunits;
	const char *journal_path;
	const char *run;     /* id of a new run; NULL: from the journal, or a fresh one */
	batch_select select;
	int dry_run;         /* print the requests (JSONL) to dry_run_out, send nothing;
	                        a client opened with dry_run estimates them */
	FILE *dry_run_out;
	int commit;          /* 0: write case files to the work tree only */
	size_t commit_every; /* commit after this many ok requests; 0: at the end */
	void (*progress)(void *ud, const batch_progress *p);
	/* Each answer's new cases, as they arrive (before they are committed):
	 * for a front end that shows them at once.  They stay the batch's. */
	void (*arrived)(void *ud, cJSON *const *cases, size_t n);
	/* Units added while the run goes on (a front end's "and this
	 * principle too"), asked for whenever there is room for another
	 * request; NULL when there are none now.  They must live until
	 * batch_run returns. */
	gen_unit *(*more)(void *ud);
	void *ud;
	/* The client sends through the provider's batch API (opened with
	 * provider_batch): every unit is submitted at once, each batch's id is
	 * journalled ({run, provider_batch, provider, state "created", at})
	 * before it is polled, and a resumed run polls the batches its journal
	 * names before it makes a new one. */
	int provider_batch;
	void (*batch_progress)(void *ud, const char *batch_id, const char *state, long done,
			       long failed, long total);
} batch_opts;

/* A unit that ended without an ok answer in this invocation. */
typedef struct batch_failure {
	char *unit;          /* "privacy sample 2" */
	char *cause;         /* a short class: "no connection", "HTTP 500",
	                        "invalid answer", "not sent", ... */
	char *why;           /* the error, one line */
} batch_failure;

typedef struct batch_result {
	char run[24];
	size_t ok, failed, not_sent, skipped, duplicates, invalid;
	size_t cancelled;    /* requests cancelled (workflow_cancel): not failures */
	size_t mended;       /* ok answers that needed mending */
	size_t reasked;      /* answers sent back with their errors */
	size_t revalidated;  /* kept answers that pass now: nothing asked */
	size_t total;        /* units of the run */
	size_t remaining;    /* of them, without an ok line after this invocation */
	char *stopped;       /* why the client stopped sending, or NULL */
	char **case_ids;     /* cases written by this invocation */
	size_t ncases;
	char commit[41];     /* the last commit made, "" if none */
	batch_failure *failures;
	size_t nfailures;
} batch_result;

int batch_run(gen_ctx *g, const batch_opts *o, batch_result *r);

/* The newest journal under .git/codicil/runs/ that belongs to these units:
 * every request it holds is one of them (a generate's or another batch's
 * journal is passed over).  Appends its path to out; -1 naming the newest
 * candidates when there is none. */
int batch_find_journal(store *s, const gen_unit *units, size_t n, cd_buf *out);

/* Commit cases (new ones, from gen_collect) as cases/<id>.json in one
 * commit, as a run does: "Add 3 counterexamples for privacy", with the
 * Codicil-Run, Codicil-Model and Codicil-Prompt trailers, under the
 * repository lock.  commit (may be NULL) receives the commit id. */
int gen_commit(gen_ctx *g, cJSON *const *cases, size_t n, const char *run, char commit[41]);
void batch_result_clear(batch_result *r);

/* Each case as the change that writes its file (workspace_record_path),
 * pretty-printed in the stable key order: what a commit of new cases
 * writes.  Free with case_changes_free (n: the cases). */
int case_changes_build(cJSON *const *cases, size_t n, store_change **changes, cd_buf **texts);
void case_changes_free(store_change *changes, cd_buf *texts, size_t n);

#endif
