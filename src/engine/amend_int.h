/* amend_int.h — what the files of the amendment workflow share. */
#ifndef CODICIL_ENGINE_AMEND_INT_H
#define CODICIL_ENGINE_AMEND_INT_H

#include "codicil/amend.h"
#include "codicil/case.h"
#include "codicil/charter.h"
#include "codicil/prompt.h"
#include "codicil/proposal.h"

#define AMEND_MAX_PROMPTS 4
#define AMEND_DEFAULT_CONSEQUENCES 3

/* One structured answer, asked and waited for. */
typedef struct amend_answer {
	cJSON *json;             /* the validated reply */
	char transcript[65];     /* "" when none was written */
	char request_sha256[65], response_sha256[65];
	long input_tokens, output_tokens, latency_ms;
	char endpoint_host[256];
	char *repairs;           /* what was mended, one change a line, or NULL */
} amend_answer;

/* Ask one question with template pr and wait for the answer.  Fails with
 * "<what>: <the client's error>" (and where the answer was kept) when there
 * is none.  check (may be NULL) mends and validates the reply (llm.h). */
int amend__ask(llm_client *c, const prompt *pr, const prompt_var *vars, size_t nvars,
	       const char *schema_name, const cJSON *schema, const llm_check *check,
	       const char *what, const char *about, amend_answer *out);
void amend__answer_clear(amend_answer *a);
/* Add what was mended in the answer to step (e.g. "amend") to the
 * proposal's provenance.repairs, each line prefixed "step: ". */
int amend__note_repairs(cJSON *proposal, const char *step, const amend_answer *a);
/* provenance.usage: what drafting cost, the client's spend after less
 * before (requests paid for, tokens, and dollars when every one had a
 * price); answers from the cache cost nothing. */
int amend__note_usage(cJSON *proposal, const llm_spend *before, const llm_spend *after);

void amend__progress(const amend_env *e, amend_step step, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Everything a draft needs and gathers on its way to a commit. */
typedef struct amend_draft {
	const amend_env *env;
	const char *charter_path;
	char base[41];
	charter *charter;          /* at HEAD, validated */
	const char **ids;          /* its principle ids */
	size_t nids;
	char *meta_text;           /* META.md at HEAD, or NULL */
	charter *meta;
	const char **rules;        /* META.md's rule ids */
	size_t nrules;
	case_library lib;          /* the work tree's cases */
	cJSON **cases;             /* the cases answered (in lib) */
	size_t ncases;
	prompt pr_amend, pr_consequences, pr_metacheck, pr_judge;
	cJSON *proposal;
	cd_buf amended;            /* the charter with the edits applied */
	const char **allowed;      /* ids a consequence may name: ids and new ids */
	size_t nallowed;
	cJSON **consequences;      /* new consequence cases (owned) */
	size_t nconsequences;
	size_t max_charter_bytes;  /* above it, questions carry an excerpt */
	cd_buf about;              /* the principles the cases cite (cost report) */
} amend_draft;

/* amend_draft.c */
int amend__draft_open(amend_draft *d, const amend_env *e, const amend_opts *o);
void amend__draft_close(amend_draft *d);
int amend__ask_amendment(amend_draft *d, const char *steer);
/* The charter as a question needs it (charter_excerpt): of the principles
 * the cases cite, or (of_edits) of those the proposal's edits touch. */
int amend__excerpt(const amend_draft *d, int of_edits, cd_buf *out);
/* "title, rationale, cases and edits" as text for the later prompts. */
int amend__proposal_block(const cJSON *p, cd_buf *out);

/* amend_predict.c */
int amend__ask_consequences(amend_draft *d, int n);
int amend__ask_metacheck(amend_draft *d);

/* amend_common.c */
int amend__has_regression(const char *charter_path);
/* The principle ids of c, pointing into c. */
int amend__ids(const charter *c, int leaves_only, const char ***ids, size_t *n);
/* The proposal in the work tree, which must be pending. */
int amend__load_pending(store *s, const char *id, cJSON **out);
/* The proposal's charter at rev (NULL: HEAD) with its edits applied. */
int amend__apply_at(store *s, const cJSON *p, const char *rev, cd_buf *before, cd_buf *after);
/* Judge every case that is not dismissed (plus extra, not yet in the work
 * tree) under before and after; store the regression and the transcripts
 * of the judge calls in p. */
int amend__regression(const amend_env *e, cJSON *p, const char *before, size_t blen,
		      const char *after, size_t alen, cJSON *const *extra, size_t nextra);
/* "Name <email>" from git config. */
int amend__reviewer(store *s, cd_buf *out);
/* Commit p (normalised) as proposals/<id>.json with the extra changes,
 * subject "<verb> <id>: <title>" and a Codicil-Proposal trailer (plus
 * one Codicil-Case per case when with_cases). */
int amend__commit_record(store *s, cJSON *p, const char *verb, int with_cases,
			 const store_change *extra, size_t nextra, char commit[41]);

#endif
