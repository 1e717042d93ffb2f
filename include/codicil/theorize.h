/* theorize.h — from cases to failure theories, and theories tested by the
 * cases they steer (theory.h for the record).
 *
 * `codicil theorize` asks the model to cluster open and confirmed cases
 * into theories, each with predictions of new failures; `codicil generate
 * --theory T` steers generation by the statement and predictions, and the
 * cases it yields carry "theory": T.  A theory's hits count those cases:
 * generated; rated (a human verdict exists: ratings, or a status other
 * than open); confirmed (status confirmed or resolved, or, while still
 * open, a consensus of the ratings at or above codicil.aggregateConfirm).
 * Its hit rate is confirmed / rated.  An active theory whose hit rate
 * falls below codicil.theoryRetireBelow (default 0.2) once
 * codicil.theoryMinRated (default 5) of its cases are rated is retired
 * automatically the next time hits are refreshed.
 */
#ifndef CODICIL_THEORIZE_H
#define CODICIL_THEORIZE_H

#include "codicil/aggregate.h"
#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/theory.h"

typedef struct theory_policy {
	long min_rated;
	double retire_below;
} theory_policy;

int theory_policy_load(config *cfg, theory_policy *out);

/* Recompute every theory's hits from the cases and the consensus (agg
 * may be NULL: statuses only), and retire active theories below the
 * policy.  changed[i] (library order) is 0, THEORY_HITS_CHANGED, or
 * THEORY_RETIRED (retired now; its hits may have changed too); *retired
 * counts the retirements. */
enum { THEORY_HITS_CHANGED = 1, THEORY_RETIRED = 2 };
int theory_refresh_hits(theory_library *tl, const case_library *cl, const agg_result *agg,
			const theory_policy *p, int *changed, size_t *retired);

typedef struct theorize_opts {
	int ask;              /* 0: only refresh hits and retire */
	int max_theories;     /* per request; 0: 5 */
	size_t max_cases;     /* shown to the model; 0: codicil.theorizeMaxCases, 60 */
	int behaviour;        /* theories of where the model fails, from behaviour
	                         cases (prompts/theorize_behaviour); they carry
	                         "about": "model" and steer `codicil audit
	                         --theory`.  0: the charter's, from the other kinds */
} theorize_opts;

typedef struct theorize_result {
	cJSON **added;        /* the new theories (owned) */
	size_t nadded;
	char **retired;       /* ids retired by this run */
	size_t nretired;
	size_t updated;       /* existing theories whose record changed */
	size_t dropped;       /* proposed theories dropped: invalid or repeats */
	char commit[41];      /* "" when nothing was committed */
} theorize_result;

/* Refresh, optionally ask, and commit it all in one commit ("Add 2
 * failure theories", trailers Codicil-Model, Codicil-Prompt and one
 * Codicil-Theory per new theory).  Takes the repository lock. */
int theorize_run(store *s, config *cfg, llm_client *client, const theorize_opts *o,
		 theorize_result *r);
void theorize_result_clear(theorize_result *r);

/* Retire theory id (or a unique prefix) by hand and commit; *full_id (may
 * be NULL) gets a copy of its id. */
int theorize_retire(store *s, const char *id, const char *reason, char **full_id,
		    char commit[41]);

/* The theories with their hits computed now (not committed), for
 * listing; free with theory_library_clear. */
int theorize_list(store *s, config *cfg, theory_library *out);

#endif
