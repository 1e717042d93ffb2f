/* list.c — selection, scrolling and search of a list of n rows, and the
 * split of a view into a list and a text pane. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>

int tui_list_action(tui_list *l, enum tui_action a, int page)
{
	size_t step = page > 1 ? (size_t)page - 1 : 1;

	if (l->n == 0)
		return a == ACT_DOWN || a == ACT_UP || a == ACT_PAGE_DOWN || a == ACT_PAGE_UP ||
		       a == ACT_FIRST || a == ACT_LAST;
	switch (a) {
	case ACT_DOWN: if (l->sel + 1 < l->n) l->sel++; return 1;
	case ACT_UP: if (l->sel > 0) l->sel--; return 1;
	case ACT_PAGE_DOWN:
		l->sel = l->sel + step < l->n ? l->sel + step : l->n - 1;
		return 1;
	case ACT_PAGE_UP: l->sel = l->sel > step ? l->sel - step : 0; return 1;
	case ACT_FIRST: l->sel = 0; return 1;
	case ACT_LAST: l->sel = l->n - 1; return 1;
	default: return 0;
	}
}

void tui_list_fit(tui_list *l, int h)
{
	size_t rows = h > 0 ? (size_t)h : 1;

	if (l->sel >= l->n)
		l->sel = l->n ? l->n - 1 : 0;
	if (l->sel < l->top)
		l->top = l->sel;
	else if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->n <= rows)
		l->top = 0;
	else if (l->top > l->n - rows)
		l->top = l->n - rows;
}

int tui_list_search(tui_list *l, int dir, int (*match)(void *ud, size_t row), void *ud)
{
	size_t n = l->n;

	for (size_t k = 1; k <= n; k++) {
		size_t i = dir > 0 ? (l->sel + k) % n : (l->sel + n - k) % n;
		if (match(ud, i)) {
			l->sel = i;
			return 0;
		}
	}
	return -1;
}

void tui_list_position(const tui_list *l, char *buf, size_t n)
{
	if (l->n)
		snprintf(buf, n, "%zu/%zu", l->sel + 1, l->n);
}

static void draw_rule(tui_rect r, int vertical)
{
	const char *bar = MB_CUR_MAX > 1 ? (vertical ? "│" : "─") : (vertical ? "|" : "-");

	attrset(tui_style(ST_DIM));
	for (int i = 0; i < (vertical ? r.h : r.w); i++)
		tui_puts(vertical ? r.y + i : r.y, vertical ? r.x : r.x + i, bar, 1);
	attrset(A_NORMAL);
}

enum tui_layout tui_split(tui_rect r, int side_pct, int stacked_pct, tui_rect *list,
			  tui_rect *text)
{
	*list = *text = r;
	if (r.w >= 100) {
		list->w = r.w * side_pct / 100;
		text->x = list->w + 2;
		text->w = r.w - text->x;
		draw_rule((tui_rect){ r.y, list->w, r.h, 1 }, 1);
		return TUI_SIDE;
	}
	if (r.h >= 14) {
		list->h = (r.h - 1) * stacked_pct / 100;
		text->y = r.y + list->h + 1;
		text->h = r.h - list->h - 1;
		draw_rule((tui_rect){ r.y + list->h, r.x, 1, r.w }, 0);
		return TUI_STACKED;
	}
	return TUI_SINGLE;
}
