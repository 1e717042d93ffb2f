/* rich_redline.c — a word-level redline as styled lines: deleted words in
 * the deletion style, inserted ones in the insertion style, only the
 * changed lines and `context` lines around them, each group under an
 * "@@ -a +b @@" line (as `codicil review` prints it, without escapes). */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/redline.h"

struct piece {
	redline_op op;
	const char *s;
	size_t len;
};

struct rl_line {
	size_t first, n; /* pieces */
	size_t a_line, b_line;
	int changed;
};

struct lines {
	struct piece *p;
	size_t np, capp;
	struct rl_line *l;
	size_t nl, capl;
};

static int push_piece(struct lines *ls, redline_op op, const char *s, size_t len)
{
	struct piece *p = cd_grow(ls->p, ls->np, &ls->capp, sizeof *p, 64);
	if (!p)
		return -1;
	ls->p = p;
	ls->p[ls->np++] = (struct piece){ op, s, len };
	ls->l[ls->nl - 1].n++;
	return 0;
}

static int new_line(struct lines *ls, size_t a_line, size_t b_line)
{
	struct rl_line *l = cd_grow(ls->l, ls->nl, &ls->capl, sizeof *l, 64);
	if (!l)
		return -1;
	ls->l = l;
	ls->l[ls->nl++] = (struct rl_line){ ls->np, 0, a_line, b_line, 0 };
	return 0;
}

/* Cut the segments at line breaks; a break inside a change belongs to it. */
static int split(const redline *r, struct lines *ls)
{
	size_t a = 1, b = 1;

	if (new_line(ls, a, b) < 0)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		const redline_seg *sg = &r->seg[i];
		const char *s = sg->text, *end = sg->text + sg->len;

		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t n = (size_t)((nl ? nl : end) - s);

			if (sg->op != REDLINE_EQUAL)
				ls->l[ls->nl - 1].changed = 1;
			if (n && push_piece(ls, sg->op, s, n) < 0)
				return -1;
			if (!nl)
				break;
			a += sg->op != REDLINE_INSERT;
			b += sg->op != REDLINE_DELETE;
			if (new_line(ls, a, b) < 0)
				return -1;
			s = nl + 1;
		}
	}
	if (ls->nl > 1 && ls->l[ls->nl - 1].n == 0 && !ls->l[ls->nl - 1].changed)
		ls->nl--; /* the empty "line" after the final newline */
	return 0;
}

static int style_of(redline_op op)
{
	return op == REDLINE_DELETE ? RS_DELETE : op == REDLINE_INSERT ? RS_INSERT : ST_NORMAL;
}

static int put_line(tui_rich *out, const struct lines *ls, size_t i)
{
	const struct rl_line *l = &ls->l[i];

	for (size_t k = l->first; k < l->first + l->n; k++)
		if (tui_rich_add(out, ls->p[k].s, ls->p[k].len, style_of(ls->p[k].op)) < 0)
			return -1;
	return tui_rich_end(out, 0);
}

static int line_changed(const void *lines, size_t i)
{
	return ((const struct lines *)lines)->l[i].changed;
}

static int put_hunks(tui_rich *out, const struct lines *ls, size_t context)
{
	size_t i = 0, first, last;

	while (redline_next_hunk(&i, ls->nl, context, line_changed, ls, &first, &last)) {
		if (tui_rich_addf(out, ST_HUNK, "@@ -%zu +%zu @@", ls->l[first].a_line,
				  ls->l[first].b_line) < 0 || tui_rich_end(out, 0) < 0)
			return -1;
		for (size_t k = first; k <= last; k++)
			if (put_line(out, ls, k) < 0)
				return -1;
	}
	return 0;
}

int tui_rich_redline(tui_rich *out, const redline *r, int context)
{
	struct lines ls = { 0 };
	int rc = -1;

	if (split(r, &ls) == 0) {
		if (context < 0) {
			rc = 0;
			for (size_t i = 0; i < ls.nl && rc == 0; i++)
				rc = put_line(out, &ls, i);
		} else {
			rc = put_hunks(out, &ls, (size_t)context);
		}
	}
	free(ls.p);
	free(ls.l);
	return rc;
}
