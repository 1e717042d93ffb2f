/* view_proposals.c — the Proposals view (3): every proposals/<id>.json,
 * pending ones first, newest first, with status, case count, regression
 * and title.  Enter opens the review screen; y, x and b decide on the
 * selected one there or here. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/proposal.h"
#include "codicil/sanitize.h"

#define STATUS_W 8
#define CASES_W 5
#define REGR_W 14
#define FULL_COLS 70 /* every column */
#define MID_COLS 44  /* id, status, title */

struct proposals {
	proposal_list pl;
	size_t *order;  /* into pl.items */
	char **titles;  /* sanitised, one line */
	int idw;        /* the widest id */
};

static void proposals_unload(void *data)
{
	struct proposals *p = data;

	for (size_t i = 0; p->titles && i < p->pl.n; i++)
		free(p->titles[i]);
	free(p->titles);
	free(p->order);
	proposal_list_clear(&p->pl);
}

static const cJSON *item(const struct proposals *p, size_t row)
{
	return p->pl.items[p->order[row]];
}

static long proposals_load(tui_app *app, tui_listview *lv, void *data, const char *arg)
{
	struct proposals *p = data;
	cd_buf dir = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&dir, "%s%s", store_workdir(tui_store(app)), PROPOSAL_DIR);
	rc = proposal_list_load(dir.data, &p->pl);
	cd_buf_clear(&dir);
	if (rc < 0)
		return -1;
	p->order = calloc(p->pl.n + 1, sizeof *p->order);
	p->titles = calloc(p->pl.n + 1, sizeof *p->titles);
	if (!p->order || !p->titles) {
		cd_err_set("out of memory loading the proposals");
		return -1;
	}
	for (size_t i = 0; i < p->pl.n; i++) {
		const char *t = cd_json_str(p->pl.items[i], "title");
		int w = tui_width(proposal_id(p->pl.items[i]), strlen(proposal_id(p->pl.items[i])));
		p->order[i] = i;
		if (w > p->idw)
			p->idw = w;
		if (!(p->titles[i] = cd_sanitize_dup(t ? t : "(no title)", CD_SAN_ONE_LINE))) {
			cd_err_set("out of memory loading the proposals");
			return -1;
		}
	}
	if (p->idw < 8)
		p->idw = 8; /* "Proposal" */
	proposal_list_order(&p->pl, p->order, p->pl.n);
	if (p->pl.nerrors)
		tui_error(app, "%s%s", p->pl.errors[0],
			  p->pl.nerrors > 1 ? " (and more files that could not be read)" : "");
	return (long)p->pl.n;
}

static void regression_cell(const cJSON *pr, char *buf, size_t n)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(pr, "regression");

	if (!cJSON_IsObject(r))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%d/%d", cd_json_int(r, "fixed", 0),
			 cd_json_int(r, "broken", 0));
}

static int status_style(int st)
{
	return st == PROPOSAL_ACCEPTED ? RS_PASS : st == PROPOSAL_REJECTED ? ST_DIM : ST_NORMAL;
}

static void proposals_draw_row(tui_app *app, tui_listview *lv, size_t row, tui_rect r,
			       int sel)
{
	const struct proposals *p = lv->data;
	const cJSON *pr = item(p, row);
	int st = proposal_get_status(pr), x = r.x, y = r.y;
	const char *status = st >= 0 ? proposal_status_name((proposal_status)st) : "?";
	char *id = cd_sanitize_dup(proposal_id(pr), CD_SAN_ONE_LINE), cell[32];

	if (r.w >= MID_COLS) {
		tui_puts(y, x, id ? id : "?", p->idw);
		x += p->idw + 2;
		if (!sel)
			attrset(tui_rich_style(status_style(st)));
		tui_puts(y, x, status, STATUS_W);
		x += STATUS_W + 2;
		attrset(sel ? tui_style(ST_SELECT) : A_NORMAL);
	} else {
		x += tui_put(y, x, status, 1, 1) + 1; /* p, a or r */
	}
	if (r.w >= FULL_COLS) {
		snprintf(cell, sizeof cell, "%*d", CASES_W,
			 cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(pr, "cases")));
		x += tui_puts(y, x, cell, CASES_W) + 2;
		regression_cell(pr, cell, sizeof cell);
		tui_puts(y, x, cell, REGR_W);
		x += REGR_W;
	}
	if (x < r.x + r.w)
		tui_puts(y, x, p->titles[p->order[row]], r.x + r.w - x);
	free(id);
}

static int proposals_header(tui_app *app, tui_listview *lv, tui_rect r)
{
	const struct proposals *p = lv->data;
	char line[160];

	attrset(tui_style(ST_DIM));
	if (r.w >= FULL_COLS)
		snprintf(line, sizeof line, "%-*s  %-*s  %*s  %-*s%s", p->idw, "Proposal",
			 STATUS_W, "Status", CASES_W, "Cases", REGR_W, "Fixed/Broken", "Title");
	else if (r.w >= MID_COLS)
		snprintf(line, sizeof line, "%-*s  %-*s  %s", p->idw, "Proposal", STATUS_W,
			 "Status", "Title");
	else
		snprintf(line, sizeof line, "  Proposal");
	tui_puts(r.y, r.x, line, r.w);
	return 1;
}

/* What to do to get a proposal, wrapped to the width. */
static void proposals_empty(tui_app *app, tui_listview *lv, tui_rect r)
{
	char mark[32], amend[32], text[256];
	const char *s = text;
	size_t left;

	tui_action_keys(app, ACT_MARK, mark, sizeof mark);
	tui_action_keys(app, ACT_AMEND, amend, sizeof amend);
	mark[strcspn(mark, " ")] = amend[strcspn(amend, " ")] = '\0';
	snprintf(text, sizeof text, "No proposals yet. In the Cases view (2), mark the cases "
		 "an amendment should resolve (%s) and press %s to draft one.", mark, amend);
	for (int y = 0; y < r.h && (left = strlen(s)); y++) {
		size_t take = tui_fit(s, left, r.w, 1, NULL);
		if (!take)
			break;
		tui_put(r.y + y, r.x, s, take, r.w);
		s += take;
		while (*s == ' ')
			s++;
	}
}

static int proposals_action(tui_app *app, tui_listview *lv, enum tui_action a)
{
	const char *id = lv->list.n ? proposal_id(item(lv->data, lv->list.sel)) : NULL;

	switch (a) {
	case ACT_OPEN:
		if (id)
			tui_open_review(app, id);
		return 1;
	case ACT_ACCEPT:
		if (id)
			tui_proposal_accept(app, id);
		return 1;
	case ACT_REJECT:
		if (id)
			tui_proposal_reject(app, id);
		return 1;
	case ACT_REBASE:
		if (id)
			tui_proposal_rebase(app, id);
		return 1;
	default:
		return 0;
	}
}

static int proposals_match(tui_listview *lv, size_t row, const char *needle)
{
	const struct proposals *p = lv->data;
	const char *id = proposal_id(item(p, row)), *t = p->titles[p->order[row]];

	return tui_strcasestr(id, strlen(id), needle) || tui_strcasestr(t, strlen(t), needle);
}

static const char *proposals_row_id(tui_listview *lv, size_t row)
{
	return proposal_id(item(lv->data, row));
}

static const struct tui_list_ops proposals_ops = {
	.size = sizeof(struct proposals),
	.load = proposals_load,
	.unload = proposals_unload,
	.row_id = proposals_row_id,
	.draw_header = proposals_header,
	.draw_row = proposals_draw_row,
	.draw_empty = proposals_empty,
	.match = proposals_match,
	.action = proposals_action,
};

const struct tui_view_ops tui_view_proposals =
	TUI_LIST_VIEW("Proposals", TV_PROPOSALS, &proposals_ops);
