/* listview.c — the generic half of a list view (app.h): selection,
 * scrolling, search, the split between the list and the text pane, focus,
 * and the selection kept on the same row across reloads.  The Principles,
 * Cases, Proposals, History and Theories views supply the rest. */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static const struct tui_list_ops *ops_of(tui_view *v)
{
	return v->ops->list;
}

tui_listview *tui_view_list(tui_view *v)
{
	return v && v->ops->list ? v->priv : NULL;
}

static int has_pane(const tui_listview *lv)
{
	return lv->ops->describe && (lv->ops->side_pct || lv->ops->stacked_pct);
}

static void free_data(tui_listview *lv, void *data)
{
	if (data && lv->ops->unload)
		lv->ops->unload(data);
	free(data);
}

int tui_lv_open(tui_app *app, tui_view *v, const char *arg)
{
	const struct tui_list_ops *ops = ops_of(v);
	tui_listview *lv = calloc(1, sizeof *lv);
	long n;

	if (!lv || !(lv->data = calloc(1, ops->size))) {
		free(lv);
		cd_err_set("out of memory");
		return -1;
	}
	lv->ops = ops;
	lv->text_for = (size_t)-1;
	if ((n = ops->load(app, lv, lv->data, arg)) < 0) {
		free_data(lv, lv->data);
		tui_pager_clear(&lv->text);
		free(lv);
		return -1;
	}
	lv->list.n = (size_t)n;
	v->priv = lv;
	return 0;
}

void tui_lv_close(tui_view *v)
{
	tui_listview *lv = v->priv;

	free_data(lv, lv->data);
	tui_pager_clear(&lv->text);
	free(lv);
}

static void prepare(tui_app *app, tui_listview *lv)
{
	if (lv->ops->prepare)
		lv->ops->prepare(app, lv);
}

static void draw_rows(tui_app *app, tui_listview *lv, tui_rect r)
{
	if (r.h <= 0 || r.w <= 0)
		return;
	if (lv->ops->draw_header) {
		int used = lv->ops->draw_header(app, lv, r);
		attrset(A_NORMAL);
		r.y += used;
		r.h -= used;
	}
	lv->list_h = r.h;
	tui_list_fit(&lv->list, r.h);
	if (!lv->list.n) {
		if (lv->ops->draw_empty)
			lv->ops->draw_empty(app, lv, r);
		return;
	}
	for (int y = 0; y < r.h && lv->list.top + (size_t)y < lv->list.n; y++) {
		size_t i = lv->list.top + (size_t)y;
		int sel = i == lv->list.sel;

		attrset(!sel ? A_NORMAL : tui_style(lv->focus_text ? ST_SELECT_DIM : ST_SELECT));
		if (sel)
			tui_fill(r.y + y, r.x, r.w);
		lv->ops->draw_row(app, lv, i, (tui_rect){ r.y + y, r.x, 1, r.w }, sel);
		attrset(A_NORMAL);
	}
}

void tui_lv_draw(tui_app *app, tui_view *v, tui_rect r)
{
	tui_listview *lv = v->priv;
	tui_rect list = r, text = r;
	int pane;

	prepare(app, lv);
	pane = has_pane(lv) && lv->list.n;
	if (pane && lv->text_for != lv->list.sel) {
		tui_pager_clear(&lv->text);
		lv->ops->describe(app, lv, lv->list.sel, &lv->text);
		lv->text_for = lv->list.sel;
	}
	lv->layout = pane ? tui_split(r, lv->ops->side_pct, lv->ops->stacked_pct, &list, &text)
			  : TUI_SINGLE;
	if (!pane)
		lv->focus_text = 0;
	if (lv->layout != TUI_SINGLE || !lv->focus_text)
		draw_rows(app, lv, list);
	if (pane && (lv->layout != TUI_SINGLE || lv->focus_text))
		tui_pager_draw(&lv->text, text);
}

/* Tab, Enter and q between the list and the pane. */
static int pane_action(tui_listview *lv, enum tui_action a)
{
	switch (a) {
	case ACT_PANE:
		lv->focus_text = !lv->focus_text && lv->list.n;
		return 1;
	case ACT_OPEN:
		lv->focus_text = lv->list.n > 0;
		return 1;
	case ACT_BACK: /* from the text shown alone back to the list */
		if (!lv->focus_text || lv->layout != TUI_SINGLE)
			return 0;
		lv->focus_text = 0;
		return 1;
	default:
		return 0;
	}
}

int tui_lv_action(tui_app *app, tui_view *v, enum tui_action a)
{
	tui_listview *lv = v->priv;

	prepare(app, lv);
	if (lv->ops->action && lv->ops->action(app, lv, a))
		return 1;
	if (has_pane(lv)) {
		if (a == ACT_PANE || a == ACT_OPEN || a == ACT_BACK)
			return pane_action(lv, a);
		if (lv->focus_text)
			return tui_pager_action(&lv->text, a);
	}
	return tui_list_action(&lv->list, a, lv->list_h);
}

int tui_lv_key(tui_app *app, tui_view *v, int key)
{
	tui_listview *lv = v->priv;

	return lv->ops->key ? lv->ops->key(app, lv, key) : 0;
}

static int row_matches(void *ud, size_t row)
{
	tui_listview *lv = ud;
	return lv->ops->match(lv, row, lv->needle);
}

/* In the list: the next row that has the needle; in the pane: the next
 * line. */
int tui_lv_search(tui_app *app, tui_view *v, const char *needle, int dir)
{
	tui_listview *lv = v->priv;
	long at;
	int rc;

	if (lv->focus_text && has_pane(lv))
		return tui_pager_search(&lv->text, needle, dir);
	if (!lv->list.n)
		return -1;
	if (lv->ops->find) {
		if ((at = lv->ops->find(app, lv, needle, dir)) < 0)
			return -1;
		lv->list.sel = (size_t)at;
		return 0;
	}
	if (!lv->ops->match)
		return -1;
	lv->needle = needle;
	rc = tui_list_search(&lv->list, dir, row_matches, lv);
	lv->needle = NULL;
	return rc;
}

int tui_lv_select_id(tui_listview *lv, const char *id)
{
	const char *have;
	long at = -1;

	if (!id)
		return -1;
	if (lv->ops->row_of) {
		at = lv->ops->row_of(lv, id);
	} else {
		for (size_t i = 0; at < 0 && lv->ops->row_id && i < lv->list.n; i++)
			if ((have = lv->ops->row_id(lv, i)) && !strcmp(have, id))
				at = (long)i;
	}
	if (at < 0 || (size_t)at >= lv->list.n)
		return -1;
	lv->list.sel = (size_t)at;
	return 0;
}

/* Fresh data, kept only when it loaded. */
static int reload_fresh(tui_app *app, tui_listview *lv)
{
	void *fresh = calloc(1, lv->ops->size);
	long n;

	if (!fresh) {
		cd_err_set("out of memory");
		return -1;
	}
	if ((n = lv->ops->load(app, lv, fresh, NULL)) < 0) {
		free_data(lv, fresh);
		return -1;
	}
	free_data(lv, lv->data);
	lv->data = fresh;
	lv->list.n = (size_t)n;
	return 0;
}

int tui_lv_reload(tui_app *app, tui_view *v)
{
	return tui_lv_reload_list(app, v->priv);
}

/* On failure the view keeps what it had. */
int tui_lv_reload_list(tui_app *app, tui_listview *lv)
{
	const char *id = lv->list.n && lv->ops->row_id ? lv->ops->row_id(lv, lv->list.sel) : NULL;
	char *keep = id ? strdup(id) : NULL;
	int rc = lv->ops->update ? lv->ops->update(app, lv) : reload_fresh(app, lv);

	if (rc == 0) {
		tui_lv_select_id(lv, keep);
		if (lv->list.sel >= lv->list.n)
			lv->list.sel = lv->list.n ? lv->list.n - 1 : 0;
		lv->text_for = (size_t)-1;
	}
	free(keep);
	return rc;
}

void tui_lv_position(tui_view *v, char *buf, size_t n)
{
	tui_listview *lv = v->priv;

	if (lv->ops->position)
		lv->ops->position(lv, buf, n);
	else
		tui_list_position(&lv->list, buf, n);
}
