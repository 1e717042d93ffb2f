/* pager.c — a scrolling text that wraps to the width it is drawn at. */
#include "app.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/sanitize.h"

void tui_pager_clear(tui_pager *p)
{
	cd_buf_clear(&p->text);
	free(p->mark);
	free(p->lines);
	free(p->rows);
	memset(p, 0, sizeof *p);
}

static int push_line(tui_pager *p, size_t off, size_t len, int style)
{
	tui_pager_line *grown = cd_grow(p->lines, p->nlines, &p->caplines, sizeof *grown, 64);
	if (!grown)
		return -1;
	p->lines = grown;
	p->lines[p->nlines++] = (tui_pager_line){ off, len, style, p->nlines };
	return 0;
}

int tui_pager_add(tui_pager *p, const char *text, size_t len, int style)
{
	size_t start = p->text.len, i;

	if (cd_sanitize(text, len, 0, &p->text) < 0)
		return -1;
	if (p->text.len > start && p->text.data[p->text.len - 1] == '\n')
		p->text.len--; /* a final newline ends the last line; no empty line after */
	p->wrap_width = 0;
	for (i = start; i <= p->text.len; i++) {
		if (i == p->text.len || p->text.data[i] == '\n') {
			if (push_line(p, start, i - start, style) < 0)
				return -1;
			start = i + 1;
		}
	}
	/* keep the buffer's byte after the text a separator for the next add */
	return cd_buf_putc(&p->text, '\n');
}

int tui_pager_addf(tui_pager *p, int style, const char *fmt, ...)
{
	cd_buf line = CD_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cd_buf_vprintf(&line, fmt, ap);
	va_end(ap);
	if (rc == 0)
		rc = tui_pager_add(p, cd_buf_cstr(&line), line.len, style);
	cd_buf_clear(&line);
	return rc;
}

/* Cut every logical line into display rows of at most width columns. */
static int wrap(tui_pager *p, int width)
{
	size_t cap = p->nlines + 16, n = 0;
	tui_pager_line *rows = malloc(cap * sizeof *rows);

	if (!rows)
		return -1;
	for (size_t i = 0; i < p->nlines; i++) {
		const char *s = p->text.data + p->lines[i].off;
		size_t left = p->lines[i].len;

		do {
			size_t take = tui_fit(s, left, width, 1, NULL);
			if (take == 0 && left > 0)
				take = 1; /* a character wider than the pane */
			if (n == cap) {
				tui_pager_line *grown = realloc(rows, (cap *= 2) * sizeof *rows);
				if (!grown) {
					free(rows);
					return -1;
				}
				rows = grown;
			}
			rows[n++] = (tui_pager_line){ (size_t)(s - p->text.data), take,
						      p->lines[i].style, i };
			s += take;
			left -= take;
			while (left > 0 && *s == ' ' && take > 0)
				s++, left--; /* the space a wrapped row ended at */
		} while (left > 0);
	}
	free(p->rows);
	p->rows = rows;
	p->nrows = n;
	p->wrap_width = width;
	return 0;
}

static size_t max_top(const tui_pager *p)
{
	size_t h = p->height > 0 ? (size_t)p->height : 1;
	return p->nrows > h ? p->nrows - h : 0;
}

/* Each occurrence of mark in the row, drawn again over itself in the
 * match style. */
static void draw_marks(const char *s, size_t len, const char *mark, int y, int x, int w)
{
	size_t n = strlen(mark), pos = 0;
	const char *m;

	attrset(tui_style(ST_MATCH));
	while (n && (m = tui_strcasestr(s + pos, len - pos, mark))) {
		size_t at = (size_t)(m - s);
		int col = tui_width(s, at);
		if (col >= w)
			break;
		tui_put(y, x + col, m, n, w - col);
		pos = at + n;
	}
}

void tui_pager_draw(tui_pager *p, tui_rect r)
{
	size_t line = p->top < p->nrows ? p->rows[p->top].line : 0;

	if (r.w <= 0 || r.h <= 0)
		return;
	if (p->wrap_width != r.w) {
		if (wrap(p, r.w) < 0)
			return;
		/* keep the same logical line at the top after a resize */
		for (p->top = 0; p->top < p->nrows && p->rows[p->top].line < line; p->top++)
			;
	}
	p->height = r.h;
	if (p->top > max_top(p))
		p->top = max_top(p);
	for (int y = 0; y < r.h && p->top + (size_t)y < p->nrows; y++) {
		const tui_pager_line *row = &p->rows[p->top + (size_t)y];
		attrset(tui_style(row->style));
		tui_put(r.y + y, r.x, p->text.data + row->off, row->len, r.w);
		if (p->mark)
			draw_marks(p->text.data + row->off, row->len, p->mark, r.y + y, r.x, r.w);
	}
	attrset(A_NORMAL);
}

int tui_pager_action(tui_pager *p, enum tui_action a)
{
	size_t page = p->height > 1 ? (size_t)p->height - 1 : 1;

	switch (a) {
	case ACT_DOWN: if (p->top < max_top(p)) p->top++; return 1;
	case ACT_UP: if (p->top > 0) p->top--; return 1;
	case ACT_PAGE_DOWN:
		p->top = p->top + page < max_top(p) ? p->top + page : max_top(p);
		return 1;
	case ACT_PAGE_UP: p->top = p->top > page ? p->top - page : 0; return 1;
	case ACT_FIRST: p->top = 0; return 1;
	case ACT_LAST: p->top = max_top(p); return 1;
	default: return 0;
	}
}

const char *tui_strcasestr(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return hay;
	for (size_t i = 0; i + n <= len; i++) {
		size_t k = 0;
		while (k < n && tolower((unsigned char)hay[i + k]) ==
				tolower((unsigned char)needle[k]))
			k++;
		if (k == n)
			return hay + i;
	}
	return NULL;
}

/* The next line after (dir 1) or before (-1) the one at the top that
 * contains needle; the view scrolls to its first row. */
int tui_pager_search(tui_pager *p, const char *needle, int dir)
{
	size_t cur, i;

	if (!p->nlines)
		return -1;
	if (!p->rows || !p->nrows)
		wrap(p, p->wrap_width > 0 ? p->wrap_width : 80);
	cur = p->top < p->nrows ? p->rows[p->top].line : 0;
	for (size_t k = 1; k <= p->nlines; k++) {
		i = dir > 0 ? (cur + k) % p->nlines : (cur + p->nlines - k) % p->nlines;
		if (tui_strcasestr(p->text.data + p->lines[i].off, p->lines[i].len, needle)) {
			free(p->mark);
			p->mark = strdup(needle);
			for (p->top = 0; p->top < p->nrows && p->rows[p->top].line < i; p->top++)
				;
			if (p->top > max_top(p))
				p->top = max_top(p);
			return 0;
		}
	}
	return -1;
}
