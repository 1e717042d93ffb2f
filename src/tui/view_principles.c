/* view_principles.c — the tree of principles with their case counts, and
 * the selected principle's text.  Side by side from 100 columns, one above
 * the other on a narrower but tall screen, otherwise one pane at a time
 * (Tab or Enter switch). */
#include "app.h"
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/case_counts.h"
#include "codicil/error.h"
#include "codicil/principle_edit.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

#define COUNT_W 6

struct principles {
	charter *ch;
	char **titles; /* sanitised, one line */
	int *depth;
	case_counts cc;
	int have_counts;
	unsigned cases_serial; /* the case counts are of this commit serial */
};

static void principles_unload(void *data)
{
	struct principles *p = data;

	for (size_t i = 0; p->ch && p->titles && i < p->ch->n; i++)
		free(p->titles[i]);
	free(p->titles);
	free(p->depth);
	charter_free(p->ch);
	case_counts_clear(&p->cc);
}

static void report_problems(tui_app *app, struct principles *p)
{
	cd_buf problems = CD_BUF_INIT;

	if (charter_validate(p->ch, &problems)) {
		problems.data[strcspn(problems.data, "\n")] = '\0';
		tui_error(app, "%s (run 'codicil principles' for all problems)", problems.data);
	}
	cd_buf_clear(&problems);
}

static void load_counts(tui_app *app, struct principles *p)
{
	p->cases_serial = tui_cases_serial(app, 1);
	if (case_counts_load(tui_store(app), p->ch, &p->cc) < 0)
		tui_error(app, "case counts: %s", cd_err_msg());
	else
		p->have_counts = 1;
	if (p->cc.unreadable)
		tui_error(app, "%zu file%s in cases/ %s not a usable case; the counts leave %s out",
			  p->cc.unreadable,
			  p->cc.unreadable == 1 ? "" : "s", p->cc.unreadable == 1 ? "is" : "are",
			  p->cc.unreadable == 1 ? "it" : "them");
}

/* Read the charter and the case counts; problems that leave the charter
 * usable are shown, not fatal. */
static long principles_load(tui_app *app, tui_listview *lv, void *data, const char *arg)
{
	struct principles *p = data;
	charter *ch;

	if (workspace_load(tui_store(app), tui_charter_path(app), NULL, 0, &ch) < 0)
		return -1;
	p->ch = ch;
	p->titles = calloc(ch->n ? ch->n : 1, sizeof *p->titles);
	p->depth = calloc(ch->n ? ch->n : 1, sizeof *p->depth);
	if (!p->titles || !p->depth) {
		cd_err_set("out of memory loading the charter");
		return -1;
	}
	for (size_t i = 0; i < ch->n; i++) {
		if (!(p->titles[i] = cd_sanitize_dup(ch->p[i].title, CD_SAN_ONE_LINE))) {
			cd_err_set("out of memory loading the charter");
			return -1;
		}
		p->depth[i] = ch->p[i].parent >= 0 ? p->depth[ch->p[i].parent] + 1 : 0;
	}
	report_problems(app, p);
	load_counts(app, p);
	return (long)ch->n;
}

static void append_attrs(cd_buf *b, const principle *pr)
{
	for (size_t i = 0; i < pr->nattrs; i++) {
		const charter_attr *a = &pr->attrs[i];
		cd_buf_printf(b, "  %s", a->key);
		if (a->value)
			cd_buf_printf(b, strpbrk(a->value, " \t") ? "=\"%s\"" : "=%s", a->value);
	}
}

/* Title, id and attributes, the case count, then the principle's own text. */
static void principles_describe(tui_app *app, tui_listview *lv, size_t i, tui_pager *text)
{
	const struct principles *p = lv->data;
	const principle *pr = &p->ch->p[i];
	cd_buf meta = CD_BUF_INIT, body = CD_BUF_INIT;
	size_t start = 0, end, children = 0;

	tui_pager_add(text, pr->title, strlen(pr->title), ST_TITLE);
	cd_buf_printf(&meta, "#%s", pr->id);
	append_attrs(&meta, pr);
	if (p->have_counts)
		cd_buf_printf(&meta, "  (%zu case%s)", p->cc.per_principle[i],
			      p->cc.per_principle[i] == 1 ? "" : "s");
	tui_pager_add(text, meta.data, meta.len, ST_META);
	tui_pager_add(text, "", 0, ST_NORMAL);
	charter_principle_body(p->ch, pr, &body);
	end = body.len;
	while (start < end && (body.data[start] == '\n' || body.data[start] == '\r'))
		start++;
	while (end > start && strchr(" \t\r\n", body.data[end - 1]))
		end--;
	for (size_t k = i + 1; k < p->ch->n && p->ch->p[k].start < pr->end; k++)
		children += p->ch->p[k].parent == (int)i;
	if (end > start) {
		cd_buf flowed = CD_BUF_INIT;
		tui_reflow(body.data + start, end - start, &flowed);
		tui_pager_add(text, flowed.data, flowed.len, ST_NORMAL);
		cd_buf_clear(&flowed);
	}
	else if (!children)
		tui_pager_add(text, "(no text)", 9, ST_DIM);
	if (children)
		tui_pager_addf(text, ST_DIM, "%s(%zu sub-principle%s)", end > start ? "\n" : "",
			       children, children == 1 ? "" : "s");
	cd_buf_clear(&meta);
	cd_buf_clear(&body);
}

static int principles_header(tui_app *app, tui_listview *lv, tui_rect r)
{
	const struct principles *p = lv->data;

	attrset(tui_style(ST_DIM));
	tui_puts(r.y, r.x, "Principle", r.w - (p->have_counts && r.w >= 16 ? COUNT_W : 0));
	if (p->have_counts && r.w >= 16)
		tui_puts(r.y, r.x + r.w - 5, "Cases", 5);
	return 1;
}

static void principles_draw_row(tui_app *app, tui_listview *lv, size_t i, tui_rect r,
				int sel)
{
	const struct principles *p = lv->data;
	int cw = p->have_counts && r.w >= 16 ? COUNT_W : 0, tw = r.w - cw;
	int indent = 2 * p->depth[i];
	char num[32];

	if (indent > tw / 2)
		indent = tw / 2;
	tui_puts(r.y, r.x + indent, p->titles[i], tw - indent - 1);
	if (cw) {
		snprintf(num, sizeof num, "%5zu", p->cc.per_principle[i]);
		tui_puts(r.y, r.x + r.w - 5, num, 5);
	}
}

static void principles_empty(tui_app *app, tui_listview *lv, tui_rect r)
{
	tui_puts(r.y, r.x, "The charter has no principles yet.", r.w);
}

/* The case counts follow the commits made elsewhere (a generation). */
static void principles_prepare(tui_app *app, tui_listview *lv)
{
	const struct principles *p = lv->data;

	if (p->cases_serial != tui_cases_serial(app, 1) && tui_lv_reload_list(app, lv) < 0)
		tui_error(app, "%s", cd_err_msg());
}

static const char *selected_id(tui_listview *lv)
{
	const struct principles *p = lv->data;
	return lv->list.n ? p->ch->p[lv->list.sel].id : NULL;
}

static int edit_cb(void *ud)
{
	return principle_edit_run_editor(ud);
}

/* The selected principle in $EDITOR, committed as `codicil edit` does. */
static void edit(tui_app *app, tui_listview *lv)
{
	principle_edit pe;
	int rc;

	if (!lv->list.n)
		return;
	if (principle_edit_begin(tui_store(app), tui_config(app), selected_id(lv), &pe) < 0) {
		tui_error(app, "%s", cd_err_msg());
		return;
	}
	rc = tui_external(app, edit_cb, &pe);
	if (rc == 0)
		rc = principle_edit_finish(tui_store(app), &pe);
	if (rc < 0)
		tui_error(app, "%s", cd_err_msg());
	else if (!pe.changed)
		tui_message(app, "No change to %s; nothing committed", pe.id);
	else if (tui_lv_reload_list(app, lv) < 0)
		tui_error(app, "%s", cd_err_msg());
	else
		tui_message(app, "Committed: Edit %s", pe.id);
	principle_edit_clear(&pe);
}

static int principles_action(tui_app *app, tui_listview *lv, enum tui_action a)
{
	const char *id = selected_id(lv);

	switch (a) {
	case ACT_EDIT:
		edit(app, lv);
		return 1;
	case ACT_GENERATE:
		if (id && tui_generate(app, id) == 0)
			tui_show_cases(app, id);
		return 1;
	case ACT_AUDIT:
		if (id)
			tui_job_audit(app, id);
		return 1;
	case ACT_TENSIONS: case ACT_VAGUENESS: case ACT_PROBE:
		if (id)
			tui_job_explore(app, a == ACT_TENSIONS ? CASE_TENSION : a == ACT_VAGUENESS
					? CASE_VAGUENESS : CASE_PROBE, id);
		return 1;
	default:
		return 0;
	}
}

/* The id, title or text has the needle. */
static int principles_match(tui_listview *lv, size_t i, const char *needle)
{
	const struct principles *p = lv->data;
	const principle *pr = &p->ch->p[i];

	return tui_strcasestr(pr->id, strlen(pr->id), needle) ||
	       tui_strcasestr(pr->title, strlen(pr->title), needle) ||
	       tui_strcasestr(p->ch->text + pr->heading_end, pr->body_end - pr->heading_end,
			      needle);
}

static const char *principles_row_id(tui_listview *lv, size_t row)
{
	return ((struct principles *)lv->data)->ch->p[row].id;
}

static long principles_row_of(tui_listview *lv, const char *id)
{
	return charter_index(((struct principles *)lv->data)->ch, id);
}

static const struct tui_list_ops principles_ops = {
	.size = sizeof(struct principles),
	.side_pct = 45,
	.stacked_pct = 50,
	.load = principles_load,
	.unload = principles_unload,
	.prepare = principles_prepare,
	.row_id = principles_row_id,
	.row_of = principles_row_of,
	.draw_header = principles_header,
	.draw_row = principles_draw_row,
	.draw_empty = principles_empty,
	.describe = principles_describe,
	.match = principles_match,
	.action = principles_action,
};

const struct tui_view_ops tui_view_principles =
	TUI_LIST_VIEW("Principles", TV_PRINCIPLES, &principles_ops);
