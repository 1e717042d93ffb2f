/* regress.c — every case judged under two texts, and what flipped. */
#include "codicil/judge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"

#define CONFIDENCE_MOVE 0.2

static flip classify(const judgment *a, const judgment *b)
{
	if (a->verdict == VERDICT_MISHANDLED && b->verdict == VERDICT_HANDLED)
		return FLIP_FIXED;
	if (a->verdict == VERDICT_HANDLED && b->verdict == VERDICT_MISHANDLED)
		return FLIP_BROKEN;
	if (a->verdict != b->verdict || fabs(a->confidence - b->confidence) >= CONFIDENCE_MOVE)
		return FLIP_CHANGED;
	return FLIP_NONE;
}

int regress_run(judge_ctx *j, const char *base, size_t base_len, const char *cand,
		size_t cand_len, cJSON *const *cases, size_t n, regress_result *r)
{
	judgment *before = calloc(n ? n : 1, sizeof *before);
	judgment *after = calloc(n ? n : 1, sizeof *after);
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->rows = calloc(n ? n : 1, sizeof *r->rows);
	if (!before || !after || !r->rows) {
		cd_err_set("out of memory");
		goto out;
	}
	if (judge_cases(j, base, base_len, cases, n, before) < 0 ||
	    judge_cases(j, cand, cand_len, cases, n, after) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		regress_row *row = &r->rows[r->n++];

		row->case_id = cd_json_str(cases[i], "id");
		row->before = before[i];
		row->after = after[i];
		memset(&before[i], 0, sizeof before[i]);
		memset(&after[i], 0, sizeof after[i]);
		if (row->before.verdict == VERDICT_ERROR || row->after.verdict == VERDICT_ERROR) {
			r->errors++;
			continue;
		}
		row->flip = classify(&row->before, &row->after);
		switch (row->flip) {
		case FLIP_FIXED: r->fixed++; break;
		case FLIP_BROKEN: r->broken++; break;
		case FLIP_CHANGED: r->changed++; break;
		case FLIP_NONE: r->unchanged++; break;
		}
	}
	rc = 0;
out:
	for (size_t i = 0; i < n && before && after; i++) {
		judgment_clear(&before[i]);
		judgment_clear(&after[i]);
	}
	free(before);
	free(after);
	return rc;
}

void regress_result_free(regress_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		judgment_clear(&r->rows[i].before);
		judgment_clear(&r->rows[i].after);
	}
	free(r->rows);
	memset(r, 0, sizeof *r);
}

void regress_summary(const regress_result *r, cd_buf *out)
{
	cd_buf_printf(out, "fixed=%zu broken=%zu changed=%zu unchanged=%zu", r->fixed, r->broken,
		      r->changed, r->unchanged);
	if (r->errors)
		cd_buf_printf(out, " errors=%zu", r->errors);
}

static const char *flip_name(flip f)
{
	static const char *const names[] = { "unchanged", "fixed", "broken", "changed" };
	return names[f];
}

static cJSON *judgment_json(const judgment *j)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "verdict", verdict_name(j->verdict));
	cJSON_AddNumberToObject(o, "confidence", j->confidence);
	if (j->error)
		cJSON_AddStringToObject(o, "error", j->error);
	return o;
}

cJSON *regress_to_json(const regress_result *r)
{
	cJSON *o = cJSON_CreateObject(), *flips;

	cJSON_AddNumberToObject(o, "fixed", (double)r->fixed);
	cJSON_AddNumberToObject(o, "broken", (double)r->broken);
	cJSON_AddNumberToObject(o, "changed", (double)r->changed);
	cJSON_AddNumberToObject(o, "unchanged", (double)r->unchanged);
	cJSON_AddNumberToObject(o, "errors", (double)r->errors);
	flips = cJSON_AddArrayToObject(o, "flips");
	for (size_t i = 0; i < r->n; i++) {
		const regress_row *row = &r->rows[i];
		cJSON *f;

		if (row->flip == FLIP_NONE && !row->before.error && !row->after.error)
			continue;
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "case", row->case_id ? row->case_id : "");
		cJSON_AddStringToObject(f, "flip", row->before.error || row->after.error ? "error" : flip_name(row->flip));
		cJSON_AddItemToObject(f, "before", judgment_json(&row->before));
		cJSON_AddItemToObject(f, "after", judgment_json(&row->after));
		cJSON_AddItemToArray(flips, f);
	}
	return o;
}
