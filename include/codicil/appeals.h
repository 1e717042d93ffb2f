/* appeals.h — the court of appeal: cases on which the LLM judge and the
 * human raters disagree while both are confident, so that a human decides
 * which of them is wrong.
 *
 * The judge's verdict is judge_cases() under a charter text (the work
 * tree's by default); the raters' is the consensus of aggregate.h,
 * sigmoid(v_c).  "valid" (a real failure of the text) corresponds to the
 * judge's "mishandled", "invalid" to "handled"; "unclear" never appeals.
 * An appeal needs judge confidence >= codicil.appealJudgeConfidence
 * (default 0.7) and human confidence max(p, 1 - p) >=
 * codicil.appealHumanConfidence (default 0.8).  Resolved cases (the text
 * has changed for them) and probes (whose judge verdict says nothing
 * about intent) are not considered.
 */
#ifndef CODICIL_APPEALS_H
#define CODICIL_APPEALS_H

#include "codicil/aggregate.h"
#include "codicil/judge.h"

typedef struct appeal_settings {
	double judge_confidence;
	double human_confidence;
} appeal_settings;

int appeal_settings_load(config *cfg, appeal_settings *out);

typedef struct appeal {
	const agg_case *human;  /* points into the result's agg */
	judgment judge;
	double strength;        /* min(judge confidence, human confidence) */
} appeal;

typedef struct appeals_result {
	appeal_settings settings;
	case_library lib;
	agg_result agg;
	appeal *appeals;        /* strongest first */
	size_t n;
	size_t candidates;      /* the cases that were judged */
	size_t errors;          /* judgments that failed */
	/* the judge against the consensus over the judged cases, leaving out
	 * unclear verdicts: Cohen's kappa and the raw share that agree (NAN
	 * when none is left) */
	double kappa, agreement;
	size_t judged, unclear;
	/* behaviour cases (audit.h) on which the judge panel split, not yet
	 * triaged: a person decides those too (ids, library order) */
	char **splits;
	size_t nsplits;
} appeals_result;

/* Judge the confidently rated cases (every rated one with every: what
 * the judge's agreement with the raters is measured on, `aggregate
 * --judge`) and find the appeals among them. */
int appeals_find(store *s, config *cfg, llm_client *client, const char *charter_text,
		 size_t len, int every, appeals_result *out);
void appeals_result_clear(appeals_result *r);

/* {"appeals": [{id, kind, principles, scenario, judge: {verdict,
 *   confidence, reasoning}, raters: {verdict, consensus, confidence,
 *   ratings}, strength}], "candidates": N, "errors": N,
 *   "judge_agreement": {kappa, agreement, judged, unclear, errors},
 *   "panel_splits": [id, ...],
 *   "thresholds": {judge, human}} */
cJSON *appeals_to_json(const appeals_result *r);
/* {kappa, agreement, judged, unclear, errors}, null for what is undefined. */
cJSON *appeals_agreement_json(const appeals_result *r);

#endif
