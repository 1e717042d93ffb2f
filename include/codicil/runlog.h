/* runlog.h — the record of every run that asks a model: what it was,
 * what it spent, how it ended.
 *
 * One JSON file per run in .git/codicil/ledger/<run>.json (local, never
 * committed), written atomically when the run begins, at most once a
 * second while answers arrive, and when it ends; a run killed on the way
 * keeps what it had spent a second before and reads as "killed".  The
 * totals count every answer that was paid for, valid or not; an answer
 * from the cache or a cassette costs nothing.  Tokens of a request about
 * several principles (llm_request.about) are shared out evenly.
 *
 * `codicil runs` lists the records, `codicil cost` sums them, and the
 * estimator (llm_client_set_estimator) learns from them what the next
 * answers will cost.
 */
#ifndef CODICIL_RUNLOG_H
#define CODICIL_RUNLOG_H

#include <cJSON.h>

#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/store.h"

typedef struct runlog runlog;

/* Begin the record of a run of command (argv: its arguments, without
 * the command) and meter client into it.  Returns -1 (cd_err) when the
 * record cannot be written. */
int runlog_begin(store *s, config *cfg, llm_client *client, const char *command, int argc,
		 char **argv, runlog **out);
/* Meter another client of the same run into it. */
void runlog_attach(runlog *r, llm_client *client);
/* The run's id ("r-..."). */
const char *runlog_id(const runlog *r);
/* End: state "done" when ok, else "failed", or "stopped" when sending
 * stopped (the budget, the breaker); writes the record and frees r.  r may
 * be NULL. */
int runlog_end(runlog *r, int ok);

/* Every record, newest first (array of objects; a running record whose
 * process is gone reads "killed").  Unreadable files are skipped. */
int runlog_list(store *s, cJSON **out);

/* What the last runs teach the estimator (bytes per input token, mean
 * output by kind of request); keep *hist while the client lives. */
typedef struct runlog_history {
	double bytes, input_tokens; /* sums over the requests seen */
	cJSON *kinds;               /* kind -> {"requests", "output"} */
} runlog_history;
int runlog_history_load(store *s, runlog_history *hist);
void runlog_history_apply(runlog_history *hist, llm_client *client);
void runlog_history_clear(runlog_history *hist);

/* Sums over the records: groups by "command", "model", "principle" or
 * "rater" (who ran it); since: "YYYY-MM-DD" or NULL.  An array of
 * {"key", "runs", "requests", "input", "output", "cached_input", "usd"
 * (absent without prices)}, largest first; plus a total. */
int runlog_cost(store *s, const char *by, const char *since, cJSON **groups, cJSON **total);

#endif
