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
	tui_list list;
	tui_pager text;
	size_t text_for; /* the principle the pager shows; (size_t)-1: none */
	int focus_text;
	enum tui_layout layout;
	int tree_h;
	unsigned cases_serial; /* the case counts are of this commit serial */
	const char *needle;    /* during a search */
};

static void unload(struct principles *p)
{
	for (size_t i = 0; p->ch && i < p->ch->n; i++)
		free(p->titles[i]);
	free(p->titles);
	free(p->depth);
	charter_free(p->ch);
	case_counts_clear(&p->cc);
	tui_pager_clear(&p->text);
	p->ch = NULL;
	p->titles = NULL;
	p->depth = NULL;
	p->have_counts = 0;
	p->text_for = (size_t)-1;
	p->list.n = 0;
}

/* Read the charter and the case counts; problems that leave the charter
 * usable are shown, not fatal. */
static int load(tui_app *app, struct principles *p)
{
	cd_buf problems = CD_BUF_INIT;
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
	p->list.n = ch->n;
	if (charter_validate(ch, &problems)) {
		problems.data[strcspn(problems.data, "\n")] = '\0';
		tui_error(app, "%s (run 'codicil principles' for all problems)", problems.data);
	}
	cd_buf_clear(&problems);
	if (case_counts_load(tui_store(app), ch, &p->cc) < 0)
		tui_error(app, "case counts: %s", cd_err_msg());
	else
		p->have_counts = 1;
	if (p->cc.unreadable)
		tui_error(app, "%zu file%s in cases/ %s not a usable case; the counts leave %s out",
			  p->cc.unreadable,
			  p->cc.unreadable == 1 ? "" : "s", p->cc.unreadable == 1 ? "is" : "are",
			  p->cc.unreadable == 1 ? "it" : "them");
	return 0;
}

static int principles_open(tui_app *app, tui_view *v, const char *arg)
{
	struct principles *p = calloc(1, sizeof *p);

	if (!p) {
		cd_err_set("out of memory");
		return -1;
	}
	p->text_for = (size_t)-1;
	p->cases_serial = tui_cases_serial(app, 1);
	if (load(app, p) < 0) {
		unload(p);
		free(p);
		return -1;
	}
	v->priv = p;
	return 0;
}

static void principles_close(tui_view *v)
{
	unload(v->priv);
	free(v->priv);
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
static void fill_text(struct principles *p, size_t i)
{
	const principle *pr = &p->ch->p[i];
	cd_buf meta = CD_BUF_INIT, body = CD_BUF_INIT;
	size_t start = 0, end, children = 0;

	tui_pager_clear(&p->text);
	p->text_for = i;
	tui_pager_add(&p->text, pr->title, strlen(pr->title), ST_TITLE);
	cd_buf_printf(&meta, "#%s", pr->id);
	append_attrs(&meta, pr);
	if (p->have_counts)
		cd_buf_printf(&meta, "  (%zu case%s)", p->cc.per_principle[i],
			      p->cc.per_principle[i] == 1 ? "" : "s");
	tui_pager_add(&p->text, meta.data, meta.len, ST_META);
	tui_pager_add(&p->text, "", 0, ST_NORMAL);
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
		tui_pager_add(&p->text, flowed.data, flowed.len, ST_NORMAL);
		cd_buf_clear(&flowed);
	}
	else if (!children)
		tui_pager_add(&p->text, "(no text)", 9, ST_DIM);
	if (children)
		tui_pager_addf(&p->text, ST_DIM, "%s(%zu sub-principle%s)", end > start ? "\n" : "",
			       children, children == 1 ? "" : "s");
	cd_buf_clear(&meta);
	cd_buf_clear(&body);
}

static void draw_tree(struct principles *p, tui_rect r)
{
	int cw = p->have_counts && r.w >= 16 ? COUNT_W : 0, tw = r.w - cw;
	char num[32];

	if (r.h <= 0 || r.w <= 0)
		return;
	attrset(tui_style(ST_DIM));
	tui_puts(r.y, r.x, "Principle", tw);
	if (cw)
		tui_puts(r.y, r.x + r.w - 5, "Cases", 5);
	r.y++, r.h--;
	p->tree_h = r.h;
	tui_list_fit(&p->list, r.h);
	for (int y = 0; y < r.h && p->list.top + (size_t)y < p->list.n; y++) {
		size_t i = p->list.top + (size_t)y;
		int indent = 2 * p->depth[i];

		if (indent > tw / 2)
			indent = tw / 2;
		attrset(i == p->list.sel ? tui_style(p->focus_text ? ST_SELECT_DIM : ST_SELECT)
					 : A_NORMAL);
		if (i == p->list.sel)
			tui_fill(r.y + y, r.x, r.w);
		tui_puts(r.y + y, r.x + indent, p->titles[i], tw - indent - 1);
		if (cw) {
			snprintf(num, sizeof num, "%5zu", p->cc.per_principle[i]);
			tui_puts(r.y + y, r.x + r.w - 5, num, 5);
		}
	}
	attrset(A_NORMAL);
}

static int principles_refresh(tui_app *app, tui_view *v);

static void principles_draw(tui_app *app, tui_view *v, tui_rect r)
{
	struct principles *p = v->priv;
	tui_rect tree, text;

	if (p->cases_serial != tui_cases_serial(app, 1) && principles_refresh(app, v) < 0)
		tui_error(app, "%s", cd_err_msg());

	if (p->list.n && p->text_for != p->list.sel)
		fill_text(p, p->list.sel);
	p->layout = tui_split(r, 45, 50, &tree, &text);
	if (p->layout != TUI_SINGLE || !p->focus_text)
		draw_tree(p, tree);
	if (p->layout != TUI_SINGLE || p->focus_text)
		tui_pager_draw(&p->text, text);
	if (!p->list.n)
		tui_puts(r.y + 1, r.x, "The charter has no principles yet.", r.w);
}

static int edit_cb(void *ud)
{
	return principle_edit_run_editor(ud);
}

/* The selected principle in $EDITOR, committed as `codicil edit` does. */
static void edit(tui_app *app, tui_view *v)
{
	struct principles *p = v->priv;
	principle_edit pe;
	int rc;

	if (!p->list.n)
		return;
	if (principle_edit_begin(tui_store(app), tui_config(app), p->ch->p[p->list.sel].id,
				 &pe) < 0) {
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
	else if (principles_refresh(app, v) < 0)
		tui_error(app, "%s", cd_err_msg());
	else
		tui_message(app, "Committed: Edit %s", pe.id);
	principle_edit_clear(&pe);
}

static int principles_action(tui_app *app, tui_view *v, enum tui_action a)
{
	struct principles *p = v->priv;

	switch (a) {
	case ACT_PANE:
		p->focus_text = !p->focus_text;
		return 1;
	case ACT_OPEN:
		p->focus_text = 1;
		return 1;
	case ACT_BACK: /* from the text shown alone back to the tree */
		if (!p->focus_text || p->layout != TUI_SINGLE)
			return 0;
		p->focus_text = 0;
		return 1;
	case ACT_EDIT:
		edit(app, v);
		return 1;
	case ACT_GENERATE:
		if (p->list.n && tui_generate(app, p->ch->p[p->list.sel].id) == 0)
			tui_show_cases(app, p->ch->p[p->list.sel].id);
		return 1;
	case ACT_TENSIONS: case ACT_VAGUENESS: case ACT_PROBE:
		if (p->list.n)
			tui_job_explore(app, a == ACT_TENSIONS ? CASE_TENSION : a == ACT_VAGUENESS
					? CASE_VAGUENESS : CASE_PROBE, p->ch->p[p->list.sel].id);
		return 1;
	default:
		break;
	}
	if (p->focus_text)
		return tui_pager_action(&p->text, a);
	return tui_list_action(&p->list, a, p->tree_h);
}

static int matches(struct principles *p, size_t i, const char *needle)
{
	const principle *pr = &p->ch->p[i];

	return tui_strcasestr(pr->id, strlen(pr->id), needle) ||
	       tui_strcasestr(pr->title, strlen(pr->title), needle) ||
	       tui_strcasestr(p->ch->text + pr->heading_end, pr->body_end - pr->heading_end,
			      needle);
}

/* In the tree: the next principle whose id, title or text has the needle.
 * In the text: the next line. */
static int principle_matches(void *ud, size_t i)
{
	struct principles *p = ud;
	return matches(p, i, p->needle);
}

static int principles_search(tui_app *app, tui_view *v, const char *needle, int dir)
{
	struct principles *p = v->priv;

	if (p->focus_text)
		return tui_pager_search(&p->text, needle, dir);
	p->needle = needle;
	return tui_list_search(&p->list, dir, principle_matches, p);
}

/* Reload, keeping the selection on the same principle id if it is there;
 * on failure the view keeps what it had. */
static int principles_refresh(tui_app *app, tui_view *v)
{
	struct principles *p = v->priv, fresh = { .text_for = (size_t)-1 };
	int idx;

	if (load(app, &fresh) < 0) {
		unload(&fresh);
		return -1;
	}
	idx = p->list.n ? charter_index(fresh.ch, p->ch->p[p->list.sel].id) : -1;
	fresh.list.sel = idx >= 0 ? (size_t)idx : 0;
	fresh.list.top = p->list.top;
	fresh.focus_text = p->focus_text;
	fresh.cases_serial = tui_cases_serial(app, 1);
	unload(p);
	*p = fresh;
	return 0;
}

static void principles_position(tui_view *v, char *buf, size_t n)
{
	tui_list_position(&((struct principles *)v->priv)->list, buf, n);
}

const struct tui_view_ops tui_view_principles = {
	.name = "Principles",
	.kind = TV_PRINCIPLES,
	.open = principles_open,
	.close = principles_close,
	.draw = principles_draw,
	.action = principles_action,
	.search = principles_search,
	.reload = principles_refresh,
	.position = principles_position,
};
