/* rich.c — a scrolling text whose lines carry styled spans (a redline:
 * words deleted and inserted inside one line), wrapped to the width it
 * is drawn at.  Styles are curses attributes, never escape sequences. */
#include "tui_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/sanitize.h"

attr_t tui_rich_style(int style)
{
	/* the deletion style has a colour pair exactly when colours are on */
	int color = (tui_style(ST_DEL) & A_COLOR) != 0;

	switch (style) {
	case RS_INSERT:
		return color ? tui_style(ST_ADD) | A_UNDERLINE : A_BOLD | A_UNDERLINE;
	case RS_DELETE:
		/* curses has no strike-through: red and italic, or reverse */
		return color ? tui_style(ST_DEL) | A_ITALIC : A_REVERSE;
	case RS_PASS:
		return color ? tui_style(ST_ADD) : A_BOLD;
	case RS_FAIL:
		return tui_style(ST_ERROR);
	default:
		return tui_style(style);
	}
}

void tui_rich_clear(tui_rich *r)
{
	cd_buf_clear(&r->text);
	free(r->spans);
	free(r->lines);
	free(r->rows);
	memset(r, 0, sizeof *r);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 32;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (!(q = realloc(*p, n * size)))
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static tui_rich_line *current(tui_rich *r)
{
	if (!r->open) {
		if (grow((void **)&r->lines, &r->caplines, r->nlines + 1, sizeof *r->lines) < 0)
			return NULL;
		r->lines[r->nlines++] = (tui_rich_line){ r->text.len, 0, r->nspans, 0, 0 };
		r->open = 1;
	}
	return &r->lines[r->nlines - 1];
}

/* One piece without newlines. */
static int add_piece(tui_rich *r, const char *s, size_t len, int style)
{
	tui_rich_line *l = current(r);
	size_t start = r->text.len;

	if (!l || cd_sanitize(s, len, CD_SAN_ONE_LINE, &r->text) < 0)
		return -1;
	if (r->text.len == start)
		return 0;
	if (grow((void **)&r->spans, &r->capspans, r->nspans + 1, sizeof *r->spans) < 0)
		return -1;
	r->spans[r->nspans++] = (tui_span){ start, r->text.len - start, style };
	l->nspans++;
	l->len = r->text.len - l->off;
	r->wrap_width = 0;
	return 0;
}

int tui_rich_end(tui_rich *r, int indent)
{
	tui_rich_line *l = current(r);

	if (!l)
		return -1;
	l->indent = indent;
	r->open = 0;
	r->wrap_width = 0;
	return 0;
}

int tui_rich_add(tui_rich *r, const char *s, size_t len, int style)
{
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) : len;

		if (add_piece(r, s, n, style) < 0)
			return -1;
		if (!nl)
			break;
		if (tui_rich_end(r, 0) < 0)
			return -1;
		s += n + 1;
		len -= n + 1;
	}
	return 0;
}

int tui_rich_addf(tui_rich *r, int style, const char *fmt, ...)
{
	cd_buf text = CD_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cd_buf_vprintf(&text, fmt, ap);
	va_end(ap);
	if (rc == 0)
		rc = tui_rich_add(r, cd_buf_cstr(&text), text.len, style);
	cd_buf_clear(&text);
	return rc;
}

int tui_rich_text(tui_rich *r, const char *s, int style, int indent)
{
	const char *nl;

	do {
		nl = strchr(s, '\n');
		if (tui_rich_add(r, s, nl ? (size_t)(nl - s) : strlen(s), style) < 0 ||
		    tui_rich_end(r, indent) < 0)
			return -1;
		s = nl ? nl + 1 : s;
	} while (nl);
	return 0;
}

static int push_row(tui_rich *r, size_t *cap, tui_rich_row row)
{
	if (grow((void **)&r->rows, cap, r->nrows + 1, sizeof *r->rows) < 0)
		return -1;
	r->rows[r->nrows++] = row;
	return 0;
}

static int wrap(tui_rich *r, int width)
{
	size_t cap = 0;

	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
	for (size_t i = 0; i < r->nlines; i++) {
		const tui_rich_line *l = &r->lines[i];
		const char *s = r->text.data + l->off;
		size_t left = l->len;
		int x = 0;

		do {
			int w = width - x > 0 ? width - x : 1;
			size_t take = tui_fit(s, left, w, 1, NULL);

			if (!take && left)
				take = 1;
			if (push_row(r, &cap, (tui_rich_row){ i, (size_t)(s - r->text.data), take, x }) < 0)
				return -1;
			s += take;
			left -= take;
			while (left && *s == ' ')
				s++, left--;
			x = l->indent < width / 2 ? l->indent : 0;
		} while (left);
	}
	r->wrap_width = width;
	return 0;
}

static size_t max_top(const tui_rich *r)
{
	size_t h = r->height > 0 ? (size_t)r->height : 1;

	return r->nrows > h ? r->nrows - h : 0;
}

static void draw_row(const tui_rich *r, const tui_rich_row *row, int y, tui_rect rc)
{
	const tui_rich_line *l = &r->lines[row->line];
	size_t end = row->off + row->len;
	int x = row->x;

	for (size_t k = l->span; k < l->span + l->nspans && x < rc.w; k++) {
		const tui_span *sp = &r->spans[k];
		size_t a = sp->off > row->off ? sp->off : row->off;
		size_t b = sp->off + sp->len < end ? sp->off + sp->len : end;

		if (a >= b)
			continue;
		attrset(tui_rich_style(sp->style));
		x += tui_put(y, rc.x + x, r->text.data + a, b - a, rc.w - x);
	}
	attrset(A_NORMAL);
}

void tui_rich_draw(tui_rich *r, tui_rect rc)
{
	size_t line = r->top < r->nrows ? r->rows[r->top].line : 0;

	if (rc.w <= 0 || rc.h <= 0)
		return;
	if (r->wrap_width != rc.w) {
		if (wrap(r, rc.w) < 0)
			return;
		for (r->top = 0; r->top < r->nrows && r->rows[r->top].line < line; r->top++)
			;
	}
	r->height = rc.h;
	if (r->top > max_top(r))
		r->top = max_top(r);
	for (int y = 0; y < rc.h && r->top + (size_t)y < r->nrows; y++)
		draw_row(r, &r->rows[r->top + (size_t)y], rc.y + y, rc);
}

int tui_rich_action(tui_rich *r, enum tui_action a)
{
	size_t page = r->height > 1 ? (size_t)r->height - 1 : 1;

	switch (a) {
	case ACT_DOWN: if (r->top < max_top(r)) r->top++; return 1;
	case ACT_UP: if (r->top > 0) r->top--; return 1;
	case ACT_PAGE_DOWN:
		r->top = r->top + page < max_top(r) ? r->top + page : max_top(r);
		return 1;
	case ACT_PAGE_UP: r->top = r->top > page ? r->top - page : 0; return 1;
	case ACT_FIRST: r->top = 0; return 1;
	case ACT_LAST: r->top = max_top(r); return 1;
	default: return 0;
	}
}

int tui_rich_search(tui_rich *r, const char *needle, int dir)
{
	size_t cur;

	if (!r->nlines)
		return -1;
	if (r->wrap_width <= 0 && wrap(r, 80) < 0)
		return -1;
	cur = r->top < r->nrows ? r->rows[r->top].line : 0;
	for (size_t k = 1; k <= r->nlines; k++) {
		size_t i = dir > 0 ? (cur + k) % r->nlines : (cur + r->nlines - k) % r->nlines;
		if (tui_strcasestr(r->text.data + r->lines[i].off, r->lines[i].len, needle)) {
			for (r->top = 0; r->top < r->nrows && r->rows[r->top].line < i; r->top++)
				;
			if (r->top > max_top(r))
				r->top = max_top(r);
			return 0;
		}
	}
	return -1;
}
