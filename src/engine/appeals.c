/* appeals.c — confident disagreements between the judge and the raters
 * (appeals.h). */
#include "codicil/workspace.h"
#include "codicil/appeals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/agreement.h"
#include "codicil/error.h"
#include "codicil/json.h"

static int read_conf(config *cfg, const char *key, double def, double *out)
{
	const char *s = config_get(cfg, key);
	char *end;

	*out = def;
	if (!s || !*s)
		return 0;
	*out = strtod(s, &end);
	if (*end || *out < 0 || *out > 1) {
		cd_err_set("%s: '%s' is not a number from 0 to 1 (from %s)", key, s,
			   config_source(cfg, key));
		return -1;
	}
	return 0;
}

int appeal_settings_load(config *cfg, appeal_settings *a)
{
	if (read_conf(cfg, "codicil.appealJudgeConfidence", 0.7, &a->judge_confidence) < 0 ||
	    read_conf(cfg, "codicil.appealHumanConfidence", 0.8, &a->human_confidence) < 0)
		return -1;
	return 0;
}

static double human_confidence(const agg_case *ac)
{
	return fmax(ac->p, 1 - ac->p);
}

static int confident(const appeals_result *r, const agg_case *ac)
{
	return human_confidence(ac) >= r->settings.human_confidence;
}

static int is_candidate(const appeals_result *r, const agg_case *ac, int every)
{
	return case_get_status(ac->c) != CASE_RESOLVED && case_get_kind(ac->c) != CASE_PROBE &&
	       (every || confident(r, ac));
}

/* Does the judgment contradict the consensus, both confidently? */
static int disagrees(const appeals_result *r, const agg_case *ac, const judgment *j)
{
	int human_valid = ac->p >= 0.5;

	if (j->confidence < r->settings.judge_confidence || !confident(r, ac))
		return 0;
	return (j->verdict == VERDICT_MISHANDLED && !human_valid) ||
	       (j->verdict == VERDICT_HANDLED && human_valid);
}

static int by_strength(const void *a, const void *b)
{
	double x = ((const appeal *)a)->strength, y = ((const appeal *)b)->strength;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Cohen's kappa of the judge's handled/mishandled against the consensus
 * (p >= 1/2: valid, which faces mishandled) over the judged cases; an
 * unclear verdict or a failed judgment is left out. */
static void judge_agreement(appeals_result *r, const agg_case **cand, const judgment *js)
{
	int *judge = calloc(r->candidates + 1, sizeof *judge);
	int *human = calloc(r->candidates + 1, sizeof *human);
	size_t n = 0, same = 0;

	r->kappa = r->agreement = NAN;
	for (size_t i = 0; judge && human && i < r->candidates; i++) {
		if (js[i].verdict == VERDICT_UNCLEAR)
			r->unclear++;
		if (js[i].verdict != VERDICT_HANDLED && js[i].verdict != VERDICT_MISHANDLED)
			continue;
		judge[n] = js[i].verdict == VERDICT_MISHANDLED;
		human[n] = cand[i]->p >= 0.5;
		same += judge[n] == human[n];
		n++;
	}
	r->judged = n;
	if (n) {
		r->agreement = (double)same / (double)n;
		r->kappa = agree_kappa(judge, human, n, 2);
	}
	free(judge);
	free(human);
}

static int judge_and_sift(appeals_result *r, judge_ctx *jc, const char *text, size_t len,
			  const agg_case **cand, cJSON **cases)
{
	judgment *js = calloc(r->candidates + 1, sizeof *js);

	r->appeals = calloc(r->candidates + 1, sizeof *r->appeals);
	if (!js || !r->appeals) {
		free(js);
		cd_err_set("out of memory");
		return -1;
	}
	if (judge_cases(jc, text, len, cases, r->candidates, js) < 0) {
		free(js);
		return -1;
	}
	judge_agreement(r, cand, js);
	for (size_t i = 0; i < r->candidates; i++) {
		if (js[i].verdict == VERDICT_ERROR)
			r->errors++;
		if (js[i].verdict != VERDICT_ERROR && disagrees(r, cand[i], &js[i])) {
			appeal *a = &r->appeals[r->n++];
			a->human = cand[i];
			a->judge = js[i];
			a->strength = fmin(js[i].confidence, human_confidence(cand[i]));
		} else {
			judgment_clear(&js[i]);
		}
	}
	free(js);
	qsort(r->appeals, r->n, sizeof *r->appeals, by_strength);
	return 0;
}

/* Behaviour cases whose judge panel split and that nobody has triaged. */
static int panel_splits(appeals_result *r)
{
	r->splits = calloc(r->lib.n + 1, sizeof *r->splits);
	if (!r->splits) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < r->lib.n; i++) {
		const cJSON *c = r->lib.cases[i];
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "triage");
		if (case_get_kind(c) != CASE_BEHAVIOUR || cJSON_IsObject(t) ||
		    case_get_status(c) == CASE_RESOLVED || case_get_status(c) == CASE_DISMISSED ||
		    !cd_json_bool(cJSON_GetObjectItemCaseSensitive(c, "audit"), "split", 0))
			continue;
		if (!(r->splits[r->nsplits++] = strdup(case_id(c)))) {
			cd_err_set("out of memory");
			return -1;
		}
	}
	return 0;
}

int appeals_find(store *s, config *cfg, llm_client *client, const char *text, size_t len,
		 int every, appeals_result *r)
{
	agg_settings as;
	judge_ctx jc = { 0 };
	const agg_case **cand = NULL;
	cJSON **cases = NULL;
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->kappa = r->agreement = NAN;
	if (appeal_settings_load(cfg, &r->settings) < 0 || agg_settings_load(cfg, &as) < 0 ||
	    workspace_load_cases(s, &r->lib) < 0 || aggregate_library(&r->lib, &as, &r->agg) < 0)
		goto out;
	if (panel_splits(r) < 0)
		goto out;
	cand = calloc(r->agg.ncases + 1, sizeof *cand);
	cases = calloc(r->agg.ncases + 1, sizeof *cases);
	if (!cand || !cases) {
		cd_err_set("out of memory");
		goto out;
	}
	for (size_t i = 0; i < r->agg.ncases; i++)
		if (is_candidate(r, &r->agg.cases[i], every)) {
			cand[r->candidates] = &r->agg.cases[i];
			cases[r->candidates++] = r->agg.cases[i].c;
		}
	if (r->candidates == 0) {
		rc = 0;
		goto out;
	}
	if (judge_open(s, cfg, client, &jc) < 0)
		goto out;
	rc = judge_and_sift(r, &jc, text, len, cand, cases);
out:
	judge_close(&jc);
	free(cand);
	free(cases);
	return rc;
}

void appeals_result_clear(appeals_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		judgment_clear(&r->appeals[i].judge);
	for (size_t i = 0; i < r->nsplits; i++)
		free(r->splits[i]);
	free(r->splits);
	free(r->appeals);
	agg_result_clear(&r->agg);
	case_library_clear(&r->lib);
	memset(r, 0, sizeof *r);
}

static double round3(double x)
{
	return round(x * 1000) / 1000;
}

static cJSON *appeal_json(const appeal *a)
{
	const cJSON *c = a->human->c;
	cJSON *o = cJSON_CreateObject(), *j, *h;

	cJSON_AddStringToObject(o, "id", case_id(c));
	cJSON_AddStringToObject(o, "kind", cd_json_str(c, "kind") ? cd_json_str(c, "kind") : "");
	cJSON_AddItemToObject(o, "principles",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c, "principles"), 1));
	cJSON_AddStringToObject(o, "scenario", cd_json_str(c, "scenario") ? cd_json_str(c, "scenario") : "");
	j = cJSON_AddObjectToObject(o, "judge");
	cJSON_AddStringToObject(j, "verdict", verdict_name(a->judge.verdict));
	cJSON_AddNumberToObject(j, "confidence", round3(a->judge.confidence));
	cJSON_AddStringToObject(j, "reasoning", a->judge.reasoning ? a->judge.reasoning : "");
	h = cJSON_AddObjectToObject(o, "raters");
	cJSON_AddStringToObject(h, "verdict", a->human->p >= 0.5 ? "valid" : "invalid");
	cJSON_AddNumberToObject(h, "consensus", round3(a->human->p));
	cJSON_AddNumberToObject(h, "confidence", round3(human_confidence(a->human)));
	cJSON_AddNumberToObject(h, "ratings", (double)a->human->ratings);
	cJSON_AddNumberToObject(o, "strength", round3(a->strength));
	return o;
}

cJSON *appeals_agreement_json(const appeals_result *r)
{
	cJSON *o = cJSON_CreateObject();

	cd_json_add_rounded(o, "kappa", r->kappa, 3);
	cd_json_add_rounded(o, "agreement", r->agreement, 3);
	cJSON_AddNumberToObject(o, "judged", (double)r->judged);
	cJSON_AddNumberToObject(o, "unclear", (double)r->unclear);
	cJSON_AddNumberToObject(o, "errors", (double)r->errors);
	return o;
}

cJSON *appeals_to_json(const appeals_result *r)
{
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "appeals"), *t;

	for (size_t i = 0; i < r->n; i++)
		cJSON_AddItemToArray(arr, appeal_json(&r->appeals[i]));
	cJSON_AddNumberToObject(o, "candidates", (double)r->candidates);
	cJSON_AddNumberToObject(o, "errors", (double)r->errors);
	cJSON_AddItemToObject(o, "judge_agreement", appeals_agreement_json(r));
	cJSON_AddItemToObject(o, "panel_splits",
			      cJSON_CreateStringArray((const char *const *)r->splits, (int)r->nsplits));
	t = cJSON_AddObjectToObject(o, "thresholds");
	cJSON_AddNumberToObject(t, "judge", r->settings.judge_confidence);
	cJSON_AddNumberToObject(t, "human", r->settings.human_confidence);
	return o;
}
