/* cases_text.c — the selected case in full, for the text pane of the
 * Cases view: what the text demands, a good outcome, why, the ratings and
 * the provenance; the rating flow's panel above it while a rating runs.
 * The pager sanitises every line. */
#include "cases.h"

#include <stdio.h>
#include <string.h>

#include "codicil/json.h"


static void add_section(tui_pager *t, const char *title, const char *body)
{
	tui_pager_add(t, "", 0, ST_NORMAL);
	tui_pager_add(t, title, strlen(title), ST_TITLE);
	if (body && *body)
		tui_pager_add(t, body, strlen(body), ST_NORMAL);
	else
		tui_pager_add(t, "-", 1, ST_DIM);
}

static void add_principles(cd_buf *b, const cJSON *c)
{
	const cJSON *p;
	const char *sep = "";

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles")) {
		cd_buf_printf(b, "%s%s", sep, cJSON_IsString(p) ? p->valuestring : "?");
		sep = ", ";
	}
}

/* The fields a kind adds: what each principle demands (tension), the
 * vague term and its readings (vagueness), the model's accounts (probe). */
static void add_pairs(tui_pager *t, const char *title, const cJSON *arr, const char *a,
		      const char *b)
{
	const cJSON *it;

	if (!cJSON_GetArraySize(arr))
		return;
	tui_pager_add(t, "", 0, ST_NORMAL);
	tui_pager_add(t, title, strlen(title), ST_TITLE);
	cJSON_ArrayForEach(it, arr)
		tui_pager_addf(t, ST_NORMAL, "%s: %s", cases_str(it, a, "?"), cases_str(it, b, "?"));
}

static void add_kind_details(tui_pager *t, const cJSON *c)
{
	if (cd_json_str(c, "term"))
		add_section(t, "Vague term", cd_json_str(c, "term"));
	add_pairs(t, "What each principle demands", cJSON_GetObjectItemCaseSensitive(c, "demands"),
		  "principle", "demands");
	add_pairs(t, "Readings and the action each leads to",
		  cJSON_GetObjectItemCaseSensitive(c, "readings"), "reading", "action");
	add_pairs(t, "The model's account of each principle",
		  cJSON_GetObjectItemCaseSensitive(c, "accounts"), "principle", "account");
	if (case_get_kind(c) == CASE_BEHAVIOUR)
		cases_behaviour_text(t, c);
}

static void add_ratings(tui_pager *t, const cJSON *c)
{
	const cJSON *r, *arr = cJSON_GetObjectItemCaseSensitive(c, "ratings");

	tui_pager_add(t, "", 0, ST_NORMAL);
	tui_pager_addf(t, ST_TITLE, "Ratings (%d)", cJSON_GetArraySize(arr));
	if (!cJSON_GetArraySize(arr))
		tui_pager_add(t, "none yet: r rates the case", 26, ST_DIM);
	cJSON_ArrayForEach(r, arr) {
		const char *quick = cd_json_str(r, "quick_verdict"), *note = cd_json_str(r, "note");
		cd_buf line = CD_BUF_INIT;

		cd_buf_printf(&line, "%s, confidence %.1f", cd_json_str(r, "verdict") ? cd_json_str(r, "verdict") : "?",
			      cd_json_num(r, "confidence", 0));
		if (quick)
			cd_buf_printf(&line, " (first impression: %s)", quick);
		cd_buf_printf(&line, " by %s at %s", cd_json_str(r, "rater") ? cd_json_str(r, "rater") : "?",
			      cd_json_str(r, "at") ? cd_json_str(r, "at") : "?");
		if (note)
			cd_buf_printf(&line, "\n  %s", note);
		tui_pager_add(t, line.data, line.len, ST_NORMAL);
		cd_buf_clear(&line);
	}
}

const char *cases_str(const cJSON *o, const char *key, const char *def)
{
	const char *s = cd_json_str(o, key);
	return s ? s : def;
}

static void add_provenance(tui_pager *t, const cJSON *c)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "provenance");
	const cJSON *pr = cJSON_GetObjectItemCaseSensitive(p, "prompt");
	const cJSON *usage = cJSON_GetObjectItemCaseSensitive(p, "usage");

	tui_pager_add(t, "", 0, ST_NORMAL);
	tui_pager_add(t, "Provenance", 10, ST_TITLE);
	if (!cd_json_str(p, "model")) {
		tui_pager_add(t, "written by hand", 15, ST_META);
	} else {
		tui_pager_addf(t, ST_META, "model %s/%s at %s", cases_str(p, "provider", "?"),
			       cases_str(p, "model", "?"), cases_str(p, "endpoint_host", "?"));
		tui_pager_addf(t, ST_META, "prompt %s sha256:%.12s", cases_str(pr, "name", "?"),
			       cases_str(pr, "sha256", "?"));
		tui_pager_addf(t, ST_META, "constitution %.12s", cases_str(p, "constitution_commit", "?"));
		tui_pager_addf(t, ST_META, "%.0f tokens in, %.0f out, %.0f ms",
			       cd_json_num(usage, "input_tokens", 0),
			       cd_json_num(usage, "output_tokens", 0), cd_json_num(p, "latency_ms", 0));
	}
	tui_pager_addf(t, ST_META, "created %s", cases_str(p, "created", "?"));
}

void cases_text_stale(struct cases *cs)
{
	cs->lv->text_for = (size_t)-1;
}

void cases_fill_text(tui_app *app, struct cases *cs, const cJSON *c, tui_pager *t)
{
	cd_buf head = CD_BUF_INIT;
	int kind = case_get_kind(c);

	if (cs->rate.step != RATE_NONE && case_id(c) && !strcmp(case_id(c), cs->rate.id))
		rate_panel(app, cs, t);
	cd_buf_printf(&head, "%s on ", kind >= 0 ? case_kind_name(kind) : "case");
	add_principles(&head, c);
	cd_buf_printf(&head, ", severity %d", cd_json_int(c, "severity", 0));
	tui_pager_add(t, head.data, head.len, ST_TITLE);
	cd_buf_reset(&head);
	cd_buf_printf(&head, "%s  %s", cases_str(c, "id", "?"),
		      cases_is_pending(cs, c) ? "new: committed when the generation ends"
					: cases_str(c, "status", "?"));
	if (cd_json_str(c, "resolved_by"))
		cd_buf_printf(&head, " by %s", cd_json_str(c, "resolved_by"));
	tui_pager_add(t, head.data, head.len, ST_META);
	add_section(t, "Scenario", cd_json_str(c, "scenario"));
	add_section(t, "What the text demands (literal reading)", cd_json_str(c, "literal_reading"));
	add_section(t, "A good outcome (expected)", cd_json_str(c, "expected"));
	add_section(t, "Why the literal reading is wrong", cd_json_str(c, "rationale"));
	add_kind_details(t, c);
	add_ratings(t, c);
	add_provenance(t, c);
	cd_buf_clear(&head);
}
