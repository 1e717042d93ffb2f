/* explore.h — the deeper searches: tensions between principles, vague
 * terms, and probes of how the model understands the text.
 *
 * Each is one journaled generation run (batch.h) of one kind, asked with
 * the kind's own template (prompts/tension.txt, vagueness.txt, probe.txt)
 * and schema, whose extra fields end up in the cases:
 *   tension    two or more principles, and "demands": what each demands;
 *   vagueness  "term" (quoted from the charter) and two or more
 *              "readings" [{reading, action}] whose actions differ;
 *   probe      "accounts" [{principle, account}]: the model's account of
 *              how each principle applies; literal_reading holds its
 *              overall account, expected the action it leads to.
 * A rater's verdict on a probe says whether the account MISMATCHES the
 * authors' intent: valid = a real gap that calls for a clarifying
 * amendment; invalid = the model understood the text as meant.
 */
#ifndef CODICIL_EXPLORE_H
#define CODICIL_EXPLORE_H

#include "codicil/batch.h"

typedef struct explore_opts {
	case_kind kind;              /* CASE_TENSION, CASE_VAGUENESS or CASE_PROBE */
	const char *const *principles; /* targets (each case involves one); none: the whole charter */
	size_t nprinciples;
	int n;                       /* cases per request; 0: 3 */
	int samples;                 /* independent requests; 0: 1 */
	const char *steer;           /* may be NULL */
	int commit;                  /* 0: write the case files only */
	void (*progress)(void *ud, const batch_progress *p);
	void *ud;
} explore_opts;

/* One run with its journal under .git/codicil/runs/ (locking as
 * batch_run does).  r is filled as by batch_run (free it with
 * batch_result_clear, also after a failure). */
int explore_run(store *s, config *cfg, llm_client *client, const explore_opts *o,
		batch_result *r);

#endif
