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

/* handled 2, unclear 1, mishandled 0: a move down is worse. */
static int rank(verdict v)
{
	return v == VERDICT_HANDLED ? 2 : v == VERDICT_UNCLEAR ? 1 : 0;
}

static void count_move(regress_result *r, regress_row *row)
{
	int a = rank(row->before.verdict), b = rank(row->after.verdict);

	row->direction = b > a ? 1 : b < a ? -1 : 0;
	r->better += row->direction > 0;
	r->worse += row->direction < 0;
	r->moves[a][b]++;
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
		row->principle = cJSON_IsString(cJSON_GetArrayItem(
			cJSON_GetObjectItemCaseSensitive(cases[i], "principles"), 0)) ?
			cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cases[i], "principles"),
					   0)->valuestring : "";
		row->severity = cd_json_int(cases[i], "severity", 0);
		row->before = before[i];
		row->after = after[i];
		memset(&before[i], 0, sizeof before[i]);
		memset(&after[i], 0, sizeof after[i]);
		if (row->before.verdict == VERDICT_ERROR || row->after.verdict == VERDICT_ERROR) {
			r->errors++;
			continue;
		}
		row->flip = classify(&row->before, &row->after);
		count_move(r, row);
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

void regress_result_clear(regress_result *r)
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
	if (r->worse)
		cd_buf_printf(out, "; WORSE for %zu case%s", r->worse, r->worse == 1 ? "" : "s");
}

void regress_moves(const regress_result *r, int direction, cd_buf *out)
{
	static const char *const names[] = { "mishandled", "unclear", "handled" };
	const char *sep = "";

	for (int a = 2; a >= 0; a--)
		for (int b = 0; b < 3; b++) {
			if (!r->moves[a][b] || (direction < 0 ? b >= a : b <= a))
				continue;
			cd_buf_printf(out, "%s%s -> %s %zu", sep, names[a], names[b], r->moves[a][b]);
			sep = ", ";
		}
	cd_buf_puts(out, "");
}

/* flipped first; worse, then better, then changed; severity high first */
static int row_order(const void *x, const void *y)
{
	const regress_row *a = x, *b = y;
	int fa = a->flip != FLIP_NONE, fb = b->flip != FLIP_NONE, c;

	if (fa != fb)
		return fb - fa;
	if (a->direction != b->direction)
		return a->direction - b->direction;
	if (a->severity != b->severity)
		return b->severity - a->severity;
	if ((c = strcmp(a->principle ? a->principle : "", b->principle ? b->principle : "")))
		return c;
	return strcmp(a->case_id ? a->case_id : "", b->case_id ? b->case_id : "");
}

void regress_sort(regress_result *r)
{
	qsort(r->rows, r->n, sizeof *r->rows, row_order);
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
	cJSON_AddNumberToObject(o, "worse", (double)r->worse);
	cJSON_AddNumberToObject(o, "better", (double)r->better);
	flips = cJSON_AddArrayToObject(o, "flips");
	for (size_t i = 0; i < r->n; i++) {
		const regress_row *row = &r->rows[i];
		cJSON *f;

		if (row->flip == FLIP_NONE && !row->before.error && !row->after.error)
			continue;
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "case", row->case_id ? row->case_id : "");
		cJSON_AddStringToObject(f, "flip", row->before.error || row->after.error ? "error" : flip_name(row->flip));
		cJSON_AddStringToObject(f, "direction", row->direction < 0 ? "worse" :
					row->direction > 0 ? "better" : "same");
		cJSON_AddNumberToObject(f, "severity", row->severity);
		cJSON_AddStringToObject(f, "principle", row->principle ? row->principle : "");
		cJSON_AddItemToObject(f, "before", judgment_json(&row->before));
		cJSON_AddItemToObject(f, "after", judgment_json(&row->after));
		cJSON_AddItemToArray(flips, f);
	}
	return o;
}
