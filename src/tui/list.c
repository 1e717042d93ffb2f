/* list.c — selection and scrolling of a list of n rows. */
#include "app.h"

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
