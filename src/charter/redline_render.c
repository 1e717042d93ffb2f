/* redline_render.c — a redline as text: inline markers, optionally trimmed
 * to the changed lines and their context.
 *
 * Markers never span a line break: a change that crosses lines is closed
 * before each newline and reopened after it (as `git diff --word-diff`
 * does), so every output line stands on its own and colours never bleed.
 */
#include "codicil/redline.h"
#include "codicil/error.h"
#include "codicil/sanitize.h"

#include <stdlib.h>
#include <string.h>

struct marks {
	const char *open[3], *close[3]; /* by redline_op */
	const char *hunk_open, *hunk_close;
	int sanitize; /* output goes to a terminal */
};

static const struct marks plain_marks = {
	{ "", "[-", "{+" }, { "", "-]", "+}" }, "", "", 0
};

static const struct marks color_marks = {
	{ "", "\033[9;31m", "\033[32m" }, { "", "\033[m", "\033[m" }, "\033[36m", "\033[m", 1
};

/* One output line: where it starts in the rendering, and where in a and b. */
struct out_line {
	size_t off;
	size_t a_line, b_line;
	int changed;
};

struct render {
	const struct marks *m;
	cd_buf text;
	struct out_line *line;
	size_t n, cap;
	size_t a_line, b_line;
};

static int new_line(struct render *rs)
{
	struct out_line *l = cd_grow(rs->line, rs->n, &rs->cap, sizeof *l, 64);
	if (!l) {
		cd_err_set("out of memory while rendering a redline");
		return -1;
	}
	rs->line = l;
	rs->line[rs->n++] = (struct out_line){ rs->text.len, rs->a_line, rs->b_line, 0 };
	return 0;
}

static int put_piece(struct render *rs, redline_op op, const char *s, size_t len)
{
	const struct marks *m = rs->m;

	if (!len)
		return 0;
	if (op != REDLINE_EQUAL)
		rs->line[rs->n - 1].changed = 1;
	if (cd_buf_puts(&rs->text, m->open[op]) < 0)
		return -1;
	if (m->sanitize ? cd_sanitize(s, len, 0, &rs->text) : cd_buf_append(&rs->text, s, len))
		return -1;
	return cd_buf_puts(&rs->text, m->close[op]);
}

/* A newline inside a change belongs to it: the line it ends is changed. */
static int put_newline(struct render *rs, redline_op op, int crlf)
{
	if (op != REDLINE_EQUAL)
		rs->line[rs->n - 1].changed = 1;
	if (cd_buf_puts(&rs->text, crlf && !rs->m->sanitize ? "\r\n" : "\n") < 0)
		return -1;
	if (op != REDLINE_INSERT)
		rs->a_line++;
	if (op != REDLINE_DELETE)
		rs->b_line++;
	return new_line(rs);
}

static int put_segment(struct render *rs, const redline_seg *seg)
{
	const char *s = seg->text, *end = seg->text + seg->len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *stop = nl ? nl : end;
		int crlf = nl && nl > s && nl[-1] == '\r';

		if (put_piece(rs, seg->op, s, (size_t)(stop - s) - (size_t)crlf) < 0)
			return -1;
		if (!nl)
			break;
		if (put_newline(rs, seg->op, crlf) < 0)
			return -1;
		s = nl + 1;
	}
	return 0;
}

static int only_line_breaks(const redline_seg *seg, size_t *breaks)
{
	*breaks = 0;
	for (size_t i = 0; i < seg->len; i++) {
		if (seg->text[i] == '\n')
			(*breaks)++;
		else if (seg->text[i] != '\r')
			return 0;
	}
	return 1;
}

/* "\r\n" replaced by "\n" (or back): one changed line break, not two. */
static int is_line_ending_change(const redline *r, size_t i)
{
	size_t del_breaks, ins_breaks;

	return i + 1 < r->n && r->seg[i].op == REDLINE_DELETE &&
	       r->seg[i + 1].op == REDLINE_INSERT && only_line_breaks(&r->seg[i], &del_breaks) &&
	       only_line_breaks(&r->seg[i + 1], &ins_breaks) && del_breaks == ins_breaks;
}

static int put_line_ending_change(struct render *rs, const redline_seg *ins)
{
	for (size_t i = 0; i < ins->len; i++) {
		if (ins->text[i] != '\n')
			continue;
		rs->line[rs->n - 1].changed = 1;
		if (put_newline(rs, REDLINE_EQUAL, i > 0 && ins->text[i - 1] == '\r') < 0)
			return -1;
	}
	return 0;
}

static size_t line_end(const struct render *rs, size_t i)
{
	return i + 1 < rs->n ? rs->line[i + 1].off : rs->text.len;
}

int redline_next_hunk(size_t *next, size_t n, size_t context,
		      int (*changed)(const void *lines, size_t i), const void *lines,
		      size_t *first, size_t *last)
{
	size_t i = *next;

	while (i < n && !changed(lines, i))
		i++;
	if (i >= n)
		return 0;
	*first = i > context ? i - context : 0;
	*last = i;
	/* changes whose context would touch share one hunk */
	for (size_t j = i; j < n && j <= *last + 2 * context + 1; j++)
		if (changed(lines, j))
			*last = j;
	*last = *last + context < n - 1 ? *last + context : n - 1;
	*next = *last + 1;
	return 1;
}

static int line_changed(const void *lines, size_t i)
{
	return ((const struct render *)lines)->line[i].changed;
}

/* Lines within `context` of a changed line, grouped under "@@ -a +b @@". */
static int put_hunks(const struct render *rs, size_t context, cd_buf *out)
{
	size_t i = 0, first, last;

	while (redline_next_hunk(&i, rs->n, context, line_changed, rs, &first, &last)) {
		if (cd_buf_printf(out, "%s@@ -%zu +%zu @@%s\n", rs->m->hunk_open,
				  rs->line[first].a_line, rs->line[first].b_line,
				  rs->m->hunk_close) < 0 ||
		    cd_buf_append(out, rs->text.data + rs->line[first].off,
				  line_end(rs, last) - rs->line[first].off) < 0)
			return -1;
		if (out->len && out->data[out->len - 1] != '\n' && cd_buf_putc(out, '\n') < 0)
			return -1;
	}
	return 0;
}

static int render(const redline *r, int context, const struct marks *m, cd_buf *out)
{
	struct render rs = { .m = m, .a_line = 1, .b_line = 1 };
	int rc = -1;

	if (cd_buf_append(&rs.text, "", 0) < 0 || new_line(&rs) < 0)
		goto done;
	for (size_t i = 0; i < r->n; i++) {
		if (is_line_ending_change(r, i)) {
			if (put_line_ending_change(&rs, &r->seg[++i]) < 0)
				goto done;
		} else if (put_segment(&rs, &r->seg[i]) < 0) {
			goto done;
		}
	}
	if (rs.n > 1 && rs.line[rs.n - 1].off == rs.text.len)
		rs.n--; /* the empty "line" after a final newline */
	if (context < 0)
		rc = cd_buf_append(out, rs.text.data, rs.text.len);
	else
		rc = put_hunks(&rs, (size_t)context, out);
done:
	cd_buf_clear(&rs.text);
	free(rs.line);
	return rc;
}

int redline_render_plain(const redline *r, int context, cd_buf *out)
{
	return render(r, context, &plain_marks, out);
}

int redline_render_color(const redline *r, int context, cd_buf *out)
{
	return render(r, context, &color_marks, out);
}
