/* draw.c — putting sanitised UTF-8 on the screen by display width. */
#include "app.h"

#include "codicil/utf8.h"

#include <string.h>
#include <wchar.h>

#define TAB_STOP 8
#define REPLACEMENT 0xfffd

static attr_t styles[ST_COUNT];

enum { PAIR_STATUS = 1, PAIR_META, PAIR_ADD, PAIR_DEL, PAIR_HUNK, PAIR_ERROR };

void tui_styles_init(int use_color)
{
	styles[ST_NORMAL] = A_NORMAL;
	styles[ST_STATUS] = A_REVERSE;
	styles[ST_SELECT] = A_REVERSE;
	styles[ST_SELECT_DIM] = A_BOLD | A_UNDERLINE;
	styles[ST_TITLE] = A_BOLD;
	styles[ST_META] = A_NORMAL;
	styles[ST_DIM] = A_DIM;
	styles[ST_ADD] = A_BOLD;
	styles[ST_DEL] = A_NORMAL;
	styles[ST_HUNK] = A_BOLD;
	styles[ST_ERROR] = A_BOLD;
	styles[ST_MATCH] = A_REVERSE; /* with colour or without */
	if (!use_color)
		return;
	init_pair(PAIR_STATUS, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_META, COLOR_YELLOW, -1);
	init_pair(PAIR_ADD, COLOR_GREEN, -1);
	init_pair(PAIR_DEL, COLOR_RED, -1);
	init_pair(PAIR_HUNK, COLOR_CYAN, -1);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	styles[ST_STATUS] = COLOR_PAIR(PAIR_STATUS) | A_BOLD;
	styles[ST_META] = COLOR_PAIR(PAIR_META);
	styles[ST_ADD] = COLOR_PAIR(PAIR_ADD);
	styles[ST_DEL] = COLOR_PAIR(PAIR_DEL);
	styles[ST_HUNK] = COLOR_PAIR(PAIR_HUNK);
	styles[ST_ERROR] = COLOR_PAIR(PAIR_ERROR) | A_BOLD;
}

attr_t tui_style(enum tui_style s)
{
	return s < ST_COUNT ? styles[s] : A_NORMAL;
}

/* One character of valid-or-not UTF-8; an invalid byte gives U+FFFD. */
static size_t decode(const unsigned char *s, size_t len, wchar_t *wc)
{
	uint32_t cp;
	size_t n = cd_utf8_decode((const char *)s, len, &cp);

	*wc = n ? (wchar_t)cp : REPLACEMENT;
	return n ? n : 1;
}

/* The character to draw and its width at column col (tabs expand). */
static int cell(wchar_t *wc, int col)
{
	int w;

	if (*wc == '\t')
		return TAB_STOP - col % TAB_STOP;
	w = wcwidth(*wc);
	if (w >= 0)
		return w;
	*wc = wcwidth(REPLACEMENT) == 1 ? REPLACEMENT : '?';
	return 1;
}

size_t tui_fit(const char *s, size_t len, int maxw, int wrap, int *w)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, brk = 0;
	int col = 0, brk_col = 0;
	wchar_t wc;

	while (i < len) {
		size_t n = decode(p + i, len - i, &wc);
		int cw = cell(&wc, col);
		if (col + cw > maxw)
			break;
		col += cw;
		i += n;
		if (wc == ' ')
			brk = i, brk_col = col;
	}
	if (wrap && i < len && brk > 0 && p[i] != ' ') {
		i = brk;
		col = brk_col;
	}
	if (w)
		*w = col;
	return i;
}

int tui_width(const char *s, size_t len)
{
	int w;

	tui_fit(s, len, 1 << 30, 0, &w);
	return w;
}

int tui_put(int y, int x, const char *s, size_t len, int maxw)
{
	const unsigned char *p = (const unsigned char *)s;
	wchar_t buf[128];
	size_t i = 0, nb = 0;
	int col = 0, cut = 0;

	if (maxw <= 0 || y < 0 || x < 0 || y >= LINES || x >= COLS)
		return 0;
	if (maxw > COLS - x)
		maxw = COLS - x;
	/* text that does not fit ends in an ellipsis, never mid-character
	 * (padding at its end does not count) */
	{
		size_t vis = len;
		while (vis && (s[vis - 1] == ' ' || s[vis - 1] == '\n'))
			vis--;
		if (maxw >= 2 && tui_width(s, vis) > maxw) {
			cut = 1;
			maxw--;
			len = vis;
		}
	}
	move(y, x);
	while (i < len) {
		wchar_t wc;
		size_t n = decode(p + i, len - i, &wc);
		int cw = cell(&wc, col);

		if (col + cw > maxw)
			break;
		if (nb + TAB_STOP >= sizeof buf / sizeof *buf) {
			addnwstr(buf, (int)nb);
			nb = 0;
		}
		if (wc == '\t')
			for (int k = 0; k < cw; k++)
				buf[nb++] = ' ';
		else
			buf[nb++] = wc;
		col += cw;
		i += n;
	}
	if (nb)
		addnwstr(buf, (int)nb);
	if (cut) {
		addnwstr(L"\u2026", 1);
		col++;
	}
	return col;
}

int tui_puts(int y, int x, const char *s, int maxw)
{
	return tui_put(y, x, s, strlen(s), maxw);
}

void tui_fill(int y, int x, int w)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (w > COLS - x)
		w = COLS - x;
	if (w > 0)
		mvhline(y, x, ' ' | (chtype)getattrs(stdscr), w);
}
