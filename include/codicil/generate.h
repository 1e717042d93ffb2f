/* generate.h — asking a model for cases, and keeping what is new and valid.
 *
 * A generation context holds what every request of a run shares: the
 * charter at HEAD, the case library (to show the model what is known and to
 * drop duplicates), the prompt template and the client.  A unit is one
 * request: which principles it targets, which sample it is, and the
 * parameters; its key is stable across runs, so a journal can tell which
 * units are done.
 *
 * Large charters: when the charter is longer than codicil.maxCharterBytes
 * (default 48000), a request carries its table of contents (every heading
 * with its id) plus the full text of the targeted principles instead of the
 * whole document.
 */
#ifndef CODICIL_GENERATE_H
#define CODICIL_GENERATE_H

#include "codicil/case.h"
#include "codicil/charter.h"
#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/dedup.h"
#include "codicil/prompt.h"

struct gen_ctx;
typedef struct gen_ctx {
	store *store;
	config *cfg;
	llm_client *client;
	const char *charter_path;
	charter *charter;
	const char **ids;          /* every principle id, in document order */
	size_t nids;
	struct case_index *index;  /* the library (case_index.h) */
	double dedup_threshold;
	dedup_index *dedup;        /* everything kept since it opened */
	prompt prompt;
	char head[41];             /* the constitution commit cases are drafted against */
	size_t max_charter_bytes;
} gen_ctx;

/* Load the charter (validated) and open the case library's index. */
int gen_open(store *s, config *cfg, llm_client *client, gen_ctx *out);
void gen_close(gen_ctx *g);
/* 1 when scenario is the same as, or near, one of the library's or one
 * kept since gen_open (dedup.h). */
int gen_duplicate(const gen_ctx *g, const char *scenario);

typedef struct gen_unit {
	const char **principles;   /* targets; none: the whole charter */
	size_t nprinciples;
	int n;                     /* cases asked for */
	case_kind kind;
	const char *steer;         /* may be NULL */
	const char *theory;        /* the steering theory's id, recorded in each case; may be NULL */
	unsigned sample;
	char key[65];              /* set by gen_unit_key() */
	/* set by gen_build(): the check its requests carry (generate_check.c),
	 * so a unit must live until its answer has arrived */
	struct gen_ctx *gen;
	llm_check check;
} gen_unit;

/* The template a kind is asked with: "generate" for counterexamples,
 * "tension", "vagueness" and "probe" for the others (each describes the
 * fields its kind adds, see schemas.h). */
const char *gen_prompt_name(case_kind kind);
/* Use template name instead of the one gen_open() loaded ("generate"). */
int gen_use_prompt(gen_ctx *g, const char *name);

/* The unit's stable key: sha256 of targets, sample, n, kind and steering. */
void gen_unit_key(gen_unit *u);

/* The request for a unit; free with gen_request_clear().  The request
 * carries the unit's check: what a model commonly gets wrong in a reply of
 * cases is mended there, and a reply without one valid case is sent back
 * with its errors (see generate_check.c). */
typedef struct gen_request {
	llm_request req;
	llm_message msg[2];
	cd_buf user;
	cd_buf about;   /* the unit's principles, for the cost report */
	cJSON *schema;
} gen_request;
int gen_build(gen_ctx *g, gen_unit *u, gen_request *out);
void gen_request_clear(gen_request *r);

/* What one reply gave. */
typedef struct gen_outcome {
	cJSON **cases;             /* new, valid, not duplicates (owned) */
	size_t n;
	size_t duplicates;         /* dropped as exact or near duplicates */
	size_t invalid;            /* dropped as invalid */
	char *first_problem;       /* why the first invalid one was dropped */
} gen_outcome;

/* The provenance of a case drafted from one call: provider, model,
 * endpoint, prompt, request and response hashes, usage, latency, and the
 * constitution commit head.  The strings stay owned by their sources. */
void gen_provenance(const llm_call *call, const llm_response *resp, const prompt *p,
		    const char *head, case_provenance *out);

/* Turn a successful reply into cases with full provenance; each kept case
 * is added to the dedup index so that later replies do not repeat it.
 * run may be NULL. */
int gen_collect(gen_ctx *g, const gen_unit *u, const llm_call *call, const llm_response *resp,
		const char *run, gen_outcome *out);
void gen_outcome_clear(gen_outcome *o);

#endif
