/* loop.h — continuous mode: rounds of generate, judge, theorize and amend,
 * unattended, within a budget (`codicil loop`).
 *
 * A round:
 *   plan      choose the principles (least tested first: fewest cases,
 *             then the largest share of open cases, then the best hit rate
 *             of a live theory whose cases cite it, then charter order)
 *             and the generation requests: `samples` per principle, plus
 *             one steered by the live failure theory with the best hit
 *             rate, if there is one
 *   generate  one batch run (batch.h) with its own journal
 *   judge     the round's new cases under the charter at HEAD; a case
 *             the judge confidently calls mishandled (confidence >=
 *             codicil.loopJudgeConfidence, 0.8) supports an amendment
 *   theorize  theorize --update: hits refreshed, new theories asked for
 *   amend     groups of up to four cases citing the round's principles
 *             that are confirmed, have a rater consensus at or above
 *             codicil.aggregateConfirm, or are supported by the judge, and
 *             that no proposal holds yet: one amendment each (with
 *             consequences, meta-check and regression), at most
 *             codicil.loopProposals (2) a round, committed pending
 *   accept    under auto-meta only (autonomy.h): a proposal that passes
 *             every rule of META.md, breaks and worsens no case, while
 *             META.md holds a rule that permits it, is accepted with the
 *             trailer Codicil-Autonomy: auto-meta
 *
 * The loop's state (.git/codicil/loop/state.json, written atomically after
 * every phase) says where it is; killed at any point, `--resume` continues
 * the round from its phase: the batch from its journal, and requests that
 * were answered before from the cache, so nothing is paid for twice.  The
 * repository lock is taken only while something is committed.
 */
#ifndef CODICIL_LOOP_H
#define CODICIL_LOOP_H

#include <cJSON.h>
#include <time.h>

#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/store.h"

typedef enum loop_autonomy { LOOP_REVIEW, LOOP_AUTO_META } loop_autonomy;

typedef struct loop_opts {
	int rounds;                 /* 0: no limit */
	time_t until;               /* 0: no deadline; checked between phases */
	loop_autonomy autonomy;
	const char *const *principles; /* only these (-p); none: every principle */
	size_t nprinciples;
	int per_round;              /* principles a round; 0: 3 */
	int samples;                /* requests a principle; 0: 1 */
	int n;                      /* cases a request; 0: 3 */
	int resume;                 /* continue the loop the state holds */
	int restart;                /* start anew over an interrupted loop */
	/* After each round (and when the loop stops): the round's report
	 * (loop_round_json's shape).  May be NULL. */
	void (*report)(void *ud, const cJSON *round);
	/* One line at each phase, for a person. */
	void (*progress)(void *ud, const char *line);
	void *ud;
} loop_opts;

typedef struct loop_result {
	long rounds;                /* rounds finished by this invocation */
	const char *stopped;        /* "rounds", "time", "budget", or the
	                               client's reason; static or the client's */
	cJSON *state;               /* the final state (owned) */
} loop_result;

int loop_run(store *s, config *cfg, llm_client *client, const loop_opts *o, loop_result *out);
void loop_result_clear(loop_result *r);

/* The state of the loop in this repository, or NULL (none); for the TUI's
 * status line and `codicil loop --status`.  *running gets 1 when the
 * process it names is alive. */
cJSON *loop_state_read(store *s, int *running);

#endif
