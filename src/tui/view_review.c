/* view_review.c — one proposal for a reviewer: the word-level redline of
 * its change, then everything the record says for and against it
 * (rationale, pros and cons, predicted consequences, the meta-check rule
 * by rule, the regression with the cases that flip).  y accepts, x
 * rejects, b rebases a stale proposal onto HEAD. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/amend.h"
#include "codicil/workspace.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/proposal.h"

#define REDLINE_CONTEXT 2
#define FLIP_SCENARIO_COLS 60

struct review {
	char *id;
	amend_review rv;
	tui_rich text;
};

static const char *arrow(void)
{
	return MB_CUR_MAX > 1 ? "→" : "->";
}

static const char *str(const cJSON *o, const char *key)
{
	const char *s = cd_json_str(o, key);
	return s ? s : "";
}

/* A blank line, then the title; the caller may add to its line and ends it. */
static void section_open(tui_rich *t, const char *title)
{
	tui_rich_end(t, 0);
	tui_rich_add(t, title, strlen(title), ST_TITLE);
}

static void section(tui_rich *t, const char *title)
{
	section_open(t, title);
	tui_rich_end(t, 0);
}

static void header(tui_app *app, struct review *r)
{
	const cJSON *p = r->rv.proposal, *it;
	const char *refusal = tui_proposal_refusal(app, r->id);
	tui_rich *t = &r->text;
	char keys[3][32];

	tui_rich_text(t, str(p, "title"), ST_TITLE, 2);
	tui_rich_addf(t, ST_META, "%s  %s  %s", r->id, str(p, "status"), proposal_charter(p));
	if (cd_json_str(p, "base"))
		tui_rich_addf(t, ST_META, " at %.10s", cd_json_str(p, "base"));
	tui_rich_add(t, "  cases:", 8, ST_META);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "cases")) {
		tui_rich_add(t, " ", 1, ST_META);
		tui_rich_add(t, cJSON_GetStringValue(it) ? cJSON_GetStringValue(it) : "?",
			     strlen(cJSON_GetStringValue(it) ? cJSON_GetStringValue(it) : "?"), ST_META);
	}
	tui_rich_end(t, 2);
	if (refusal)
		tui_rich_text(t, refusal, ST_ERROR, 2);
	if (proposal_get_status(p) != PROPOSAL_PENDING)
		return;
	tui_action_keys(app, ACT_ACCEPT, keys[0], sizeof keys[0]);
	tui_action_keys(app, ACT_REJECT, keys[1], sizeof keys[1]);
	tui_action_keys(app, ACT_REBASE, keys[2], sizeof keys[2]);
	for (int i = 0; i < 3; i++)
		keys[i][strcspn(keys[i], " ")] = '\0';
	tui_rich_addf(t, ST_DIM, "%s accept  %s reject  %s rebase onto HEAD", keys[0], keys[1],
		      keys[2]);
	tui_rich_end(t, 0);
}

static void change(struct review *r)
{
	tui_rich *t = &r->text;

	tui_rich_end(t, 0);
	tui_rich_addf(t, ST_TITLE, "Change to %s", proposal_charter(r->rv.proposal));
	tui_rich_addf(t, ST_DIM, " (%zu word%s deleted, %zu inserted)",
		      r->rv.redline.deleted_words, r->rv.redline.deleted_words == 1 ? "" : "s",
		      r->rv.redline.inserted_words);
	tui_rich_end(t, 0);
	if (!r->rv.redline.deleted_words && !r->rv.redline.inserted_words)
		tui_rich_text(t, "(no change to the text)", ST_DIM, 0);
	else
		tui_rich_redline(t, &r->rv.redline, REDLINE_CONTEXT);
}

static void prose(tui_rich *t, const char *s)
{
	cd_buf flowed = CD_BUF_INIT;

	tui_reflow(s, strlen(s), &flowed);
	tui_rich_text(t, cd_buf_cstr(&flowed), ST_NORMAL, 0);
	cd_buf_clear(&flowed);
}

static void bullets(tui_rich *t, const cJSON *p, const char *key, const char *title,
		    const char *mark)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, key), *it;

	if (!cJSON_GetArraySize(arr))
		return;
	section(t, title);
	cJSON_ArrayForEach(it, arr) {
		tui_rich_add(t, mark, strlen(mark), ST_NORMAL);
		tui_rich_add(t, cJSON_GetStringValue(it) ? cJSON_GetStringValue(it) : "",
			     strlen(cJSON_GetStringValue(it) ? cJSON_GetStringValue(it) : ""),
			     ST_NORMAL);
		tui_rich_end(t, (int)strlen(mark));
	}
}

static void consequences(tui_rich *t, const cJSON *p)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, "consequences"), *it, *a;

	if (!cJSON_GetArraySize(arr))
		return;
	section(t, "Predicted consequences");
	cJSON_ArrayForEach(it, arr) {
		tui_rich_addf(t, ST_META, "- [%s likelihood, severity %d] ",
			      str(it, "likelihood"), cd_json_int(it, "severity", 0));
		tui_rich_add(t, str(it, "scenario"), strlen(str(it, "scenario")), ST_NORMAL);
		tui_rich_end(t, 2);
		tui_rich_add(t, "  effect: ", 10, ST_DIM);
		tui_rich_add(t, str(it, "effect"), strlen(str(it, "effect")), ST_NORMAL);
		tui_rich_end(t, 4);
		tui_rich_add(t, "  principles:", 13, ST_DIM);
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(it, "affected_principles")) {
			const char *s = cJSON_GetStringValue(a);
			tui_rich_add(t, " ", 1, ST_NORMAL);
			tui_rich_add(t, s ? s : "?", strlen(s ? s : "?"), ST_NORMAL);
		}
		if (cd_json_str(it, "case"))
			tui_rich_addf(t, ST_DIM, "  (case %s)", cd_json_str(it, "case"));
		tui_rich_end(t, 4);
	}
}

static int verdict_style(const char *v)
{
	return !strcmp(v, "pass") ? RS_PASS : !strcmp(v, "fail") ? RS_FAIL : ST_META;
}

static void meta_check(tui_rich *t, const cJSON *p)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, "meta_check"), *it;
	int n[3] = { 0 };

	if (!cJSON_GetArraySize(arr))
		return;
	cJSON_ArrayForEach(it, arr) {
		const char *v = str(it, "verdict");
		n[!strcmp(v, "pass") ? 0 : !strcmp(v, "fail") ? 1 : 2]++;
	}
	section_open(t, "Meta-check");
	tui_rich_addf(t, ST_DIM, " (%s: %d pass, %d fail, %d unclear)", STORE_META, n[0], n[1],
		      n[2]);
	tui_rich_end(t, 0);
	cJSON_ArrayForEach(it, arr) {
		const char *v = str(it, "verdict");
		tui_rich_addf(t, verdict_style(v), "%-7s ", v);
		tui_rich_add(t, str(it, "rule"), strlen(str(it, "rule")), ST_TITLE);
		tui_rich_add(t, ": ", 2, ST_NORMAL);
		tui_rich_add(t, str(it, "reason"), strlen(str(it, "reason")), ST_NORMAL);
		tui_rich_end(t, 8);
	}
}

/* The start of the case's scenario, so a flip says what it is about. */
static void flip_scenario(tui_app *app, tui_rich *t, const char *id)
{
	cd_buf path = CD_BUF_INIT;
	cJSON *c;
	const char *s;

	cd_buf_puts(&path, store_workdir(tui_store(app)));
	if (workspace_record_at(tui_store(app), NULL, id, &path) < 0) {
		cd_buf_clear(&path);
		return;
	}
	if ((c = cd_json_read_file(path.data)) && (s = cd_json_str(c, "scenario"))) {
		size_t len = tui_fit(s, strlen(s), FLIP_SCENARIO_COLS, 1, NULL);
		tui_rich_add(t, "  ", 2, ST_DIM);
		tui_rich_add(t, s, len, ST_DIM);
		if (len < strlen(s))
			tui_rich_add(t, "...", 3, ST_DIM);
	}
	cJSON_Delete(c);
	cd_buf_clear(&path);
	cd_err_clear();
}

static void regression(tui_app *app, tui_rich *t, const cJSON *p)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(p, "regression"), *it;

	if (!cJSON_IsObject(r)) {
		if (strcmp(proposal_charter(p), STORE_META) != 0)
			section(t, "Regression: not run");
		return;
	}
	section_open(t, "Regression:");
	tui_rich_addf(t, ST_NORMAL, " fixed %d, broken %d, changed %d, unchanged %d",
		      cd_json_int(r, "fixed", 0), cd_json_int(r, "broken", 0),
		      cd_json_int(r, "changed", 0), cd_json_int(r, "unchanged", 0));
	if (cd_json_int(r, "worse", 0))
		tui_rich_addf(t, RS_FAIL, "; WORSE for %d", cd_json_int(r, "worse", 0));
	tui_rich_end(t, 0);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r, "flips")) {
		const char *before = str(it, "before"), *after = str(it, "after");
		const char *dir = cd_json_str(it, "direction");
		int better = dir ? !strcmp(dir, "better") : !strcmp(after, "handled");
		int worse = dir ? !strcmp(dir, "worse") : !strcmp(before, "handled");

		tui_rich_addf(t, ST_NORMAL, "%s  ", str(it, "case"));
		tui_rich_addf(t, better ? RS_PASS : worse ? RS_FAIL : ST_META, "%s %s %s%s", before,
			      arrow(), after, worse ? " WORSE" : "");
		if (cd_json_int(it, "severity", 0))
			tui_rich_addf(t, ST_META, "  sev %d", cd_json_int(it, "severity", 0));
		flip_scenario(app, t, str(it, "case"));
		tui_rich_end(t, 4);
	}
}

static void outcome(tui_rich *t, const cJSON *p, const char *key, const char *label,
		    const char *text_key)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, key);

	if (!cJSON_IsObject(o))
		return;
	tui_rich_end(t, 0);
	tui_rich_addf(t, ST_TITLE, "%s", label);
	tui_rich_add(t, " by ", 4, ST_NORMAL);
	tui_rich_add(t, str(o, "by"), strlen(str(o, "by")), ST_NORMAL);
	tui_rich_add(t, " at ", 4, ST_NORMAL);
	tui_rich_add(t, str(o, "at"), strlen(str(o, "at")), ST_NORMAL);
	tui_rich_end(t, 2);
	if (cd_json_str(o, text_key))
		prose(t, cd_json_str(o, text_key));
}

static void provenance(tui_rich *t, const cJSON *p)
{
	const cJSON *pv = cJSON_GetObjectItemCaseSensitive(p, "provenance");

	if (!cJSON_IsObject(pv))
		return;
	tui_rich_end(t, 0);
	tui_rich_add(t, "Drafted by ", 11, ST_DIM);
	tui_rich_add(t, cd_json_str(pv, "provider") ? str(pv, "provider") : "hand", 
		     strlen(cd_json_str(pv, "provider") ? str(pv, "provider") : "hand"), ST_DIM);
	if (cd_json_str(pv, "model"))
		tui_rich_addf(t, ST_DIM, "/%s", str(pv, "model"));
	tui_rich_addf(t, ST_DIM, ", %s; %d transcript%s", str(pv, "created"),
		      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "transcripts")),
		      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "transcripts")) == 1
			      ? "" : "s");
	tui_rich_end(t, 2);
}

static void fill(tui_app *app, struct review *r)
{
	const cJSON *p = r->rv.proposal;

	tui_rich_clear(&r->text);
	header(app, r);
	change(r);
	if (cd_json_str(p, "rationale")) {
		section(&r->text, "Rationale");
		prose(&r->text, cd_json_str(p, "rationale"));
	}
	bullets(&r->text, p, "pros", "Pros", "+ ");
	bullets(&r->text, p, "cons", "Cons", "- ");
	consequences(&r->text, p);
	meta_check(&r->text, p);
	regression(app, &r->text, p);
	outcome(&r->text, p, "decision", "Accepted", "note");
	outcome(&r->text, p, "rejection", "Rejected", "reason");
	provenance(&r->text, p);
}

static int load(tui_app *app, struct review *r)
{
	amend_review rv;

	if (amend_review_load(tui_store(app), r->id, NULL, &rv) < 0)
		return -1;
	amend_review_clear(&r->rv);
	r->rv = rv;
	/* a prefix given: from now on the full id */
	if (strcmp(r->id, proposal_id(rv.proposal))) {
		char *full = strdup(proposal_id(rv.proposal));
		if (full) {
			free(r->id);
			r->id = full;
		}
	}
	fill(app, r);
	return 0;
}

static void review_close(tui_view *v)
{
	struct review *r = v->priv;

	amend_review_clear(&r->rv);
	tui_rich_clear(&r->text);
	free(r->id);
	free(r);
}

static int review_open(tui_app *app, tui_view *v, const char *arg)
{
	struct review *r = calloc(1, sizeof *r);

	if (!r || !arg || !(r->id = strdup(arg))) {
		free(r);
		cd_err_set(arg ? "out of memory" : "no proposal to review");
		return -1;
	}
	v->priv = r;
	if (load(app, r) < 0) {
		review_close(v);
		v->priv = NULL;
		return -1;
	}
	return 0;
}

static void review_draw(tui_app *app, tui_view *v, tui_rect rc)
{
	tui_rich_draw(&((struct review *)v->priv)->text, rc);
}

static int review_action(tui_app *app, tui_view *v, enum tui_action a)
{
	struct review *r = v->priv;

	switch (a) {
	case ACT_ACCEPT: tui_proposal_accept(app, r->id); return 1;
	case ACT_REJECT: tui_proposal_reject(app, r->id); return 1;
	case ACT_REBASE: tui_proposal_rebase(app, r->id); return 1;
	case ACT_OPEN: return 1; /* this is the proposal opened */
	default: return tui_rich_action(&r->text, a);
	}
}

static int review_search(tui_app *app, tui_view *v, const char *needle, int dir)
{
	return tui_rich_search(&((struct review *)v->priv)->text, needle, dir);
}

/* Keeps the scroll position: the same lines come back in the same places. */
static int review_reload(tui_app *app, tui_view *v)
{
	struct review *r = v->priv;
	size_t top = r->text.top;

	if (load(app, r) < 0)
		return -1;
	r->text.top = top;
	return 0;
}

static void review_position(tui_view *v, char *buf, size_t n)
{
	struct review *r = v->priv;
	size_t rows = r->text.nrows, h = r->text.height > 0 ? (size_t)r->text.height : 1;

	if (rows > h)
		snprintf(buf, n, "%zu%%", (r->text.top + h) * 100 / rows);
}

int tui_open_review(tui_app *app, const char *id)
{
	return tui_push(app, &tui_view_review, id);
}

const struct tui_view_ops tui_view_review = {
	.name = "Review",
	.kind = TV_PROPOSALS,
	.open = review_open,
	.close = review_close,
	.draw = review_draw,
	.action = review_action,
	.search = review_search,
	.reload = review_reload,
	.position = review_position,
};
