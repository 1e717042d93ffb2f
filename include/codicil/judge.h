/* judge.h — would an AI that follows this text reach the expected outcome?
 *
 * The judge model reads one charter version and one case and answers
 * {verdict: handled | mishandled | unclear, confidence, reasoning}.
 * Judgments are kept under .git/codicil/judgments/, keyed by the case's
 * content (principles, scenario, expected), the charter's blob id, the
 * judge model and the prompt's sha256, so judging again costs nothing.
 * The judge model is codicil.judgeModel, else codicil.model.  A charter
 * longer than codicil.maxCharterBytes is sent as an excerpt: its table of
 * contents and the principles the case cites, with their ancestors' own
 * text (charter_excerpt).
 */
#ifndef CODICIL_JUDGE_H
#define CODICIL_JUDGE_H

#include <cJSON.h>

#include "codicil/charter.h"
#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/prompt.h"

typedef enum verdict { VERDICT_HANDLED, VERDICT_MISHANDLED, VERDICT_UNCLEAR, VERDICT_ERROR } verdict;

const char *verdict_name(verdict v);

typedef struct judgment {
	verdict verdict;     /* VERDICT_ERROR: see error */
	double confidence;
	char *reasoning;
	char *error;
	int cached;
	char transcript[65]; /* of the LLM call, "" when cached */
} judgment;
void judgment_clear(judgment *j);

typedef struct judge_ctx {
	store *store;
	config *cfg;
	llm_client *client;
	prompt prompt;
	const char *model;   /* the judge model */
	size_t calls;        /* judgments asked of the model (not cached) */
	size_t max_charter_bytes; /* above it, a case is judged on an excerpt */
	size_t batch;        /* codicil.judgeBatch: cases per request (1: one each) */
	prompt batch_prompt; /* judge_batch, when batch > 1 */
} judge_ctx;

int judge_open(store *s, config *cfg, llm_client *client, judge_ctx *out);
void judge_close(judge_ctx *j);

/* Judge n cases under one charter text; out[i] is the judgment of
 * cases[i].  Fails only when nothing could be asked (a bad prompt);
 * per-case failures are VERDICT_ERROR with an error.  With
 * codicil.judgeBatch B > 1, the cases not cached go B to a request (cases
 * citing the same principles together, so they share the excerpt), one
 * verdict per case id; a case the answer leaves out, or an answer that
 * stays invalid, is asked again on its own. */
int judge_cases(judge_ctx *j, const char *charter_text, size_t len, cJSON *const *cases,
		size_t n, judgment *out);

/* Regression: every case judged under a base and a candidate text. */
typedef enum flip { FLIP_NONE, FLIP_FIXED, FLIP_BROKEN, FLIP_CHANGED } flip;

typedef struct regress_row {
	const char *case_id;  /* points into the case */
	const char *principle; /* the case's first principle ("" if none) */
	int severity;         /* the case's, 0 when it has none */
	judgment before, after;
	flip flip;
	int direction;        /* +1 better (mishandled -> unclear -> handled),
	                         -1 worse, 0 the same verdict */
} regress_row;

typedef struct regress_result {
	regress_row *rows;
	size_t n;
	size_t fixed, broken, changed, unchanged, errors;
	size_t better, worse; /* every verdict that moved, either way: worse
	                         counts handled -> unclear and unclear ->
	                         mishandled as well as broken */
	size_t moves[3][3];   /* [before][after] verdict counts */
} regress_result;

/* fixed: mishandled -> handled; broken: handled -> mishandled; changed:
 * any other verdict change, or a confidence move of 0.2 or more;
 * unchanged: the rest. */
int regress_run(judge_ctx *j, const char *base, size_t base_len, const char *cand,
		size_t cand_len, cJSON *const *cases, size_t n, regress_result *out);
void regress_result_clear(regress_result *r);
/* "fixed=3 broken=1 changed=2 unchanged=42", and "; WORSE for 2 cases" when
 * any verdict moved down (handled -> unclear counts). */
void regress_summary(const regress_result *r, cd_buf *out);
/* Rows that flipped first, the worse before the better, then by severity
 * (highest first), principle and case id. */
void regress_sort(regress_result *r);
/* "handled -> unclear 1, unclear -> mishandled 2" for the moves in one
 * direction (-1 worse, +1 better); "" when none. */
void regress_moves(const regress_result *r, int direction, cd_buf *out);
cJSON *regress_to_json(const regress_result *r);
/* For CI (regress_report.c), path the charter's file and ch (may be NULL)
 * the candidate charter, whose principles' lines the reports point at:
 * JUnit XML, one <testcase> per case (classname its first principle, name
 * its id), a <failure> when its verdict got worse (type "broken" or
 * "worse"), an <error> when it could not be judged; GitHub Actions
 * workflow commands, ::error for each case that got worse, ::warning for
 * one not judged, ::notice for one that got better. */
int regress_to_junit(const regress_result *r, const char *path, const charter *ch, cd_buf *out);
int regress_to_github(const regress_result *r, const char *path, const charter *ch, cd_buf *out);

#endif
