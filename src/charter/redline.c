/* redline.c — word-level differences between two texts.
 *
 * Two passes keep this fast on long texts: a line diff finds the blocks of
 * changed lines, then only those blocks are diffed word by word (see
 * redline_words.c).  The changes become segments pointing into a and b.
 */
#include "codicil/redline.h"
#include "codicil/error.h"
#include "redline_int.h"

#include <stdlib.h>
#include <string.h>

static size_t count_newlines(const char *s, size_t len)
{
	size_t n = 0;
	const char *end = s + len;

	while ((s = memchr(s, '\n', (size_t)(end - s)))) {
		n++;
		s++;
	}
	return n;
}

/* Where each line starts, and one more entry for the end of the text. */
static size_t *line_starts(const char *s, size_t len)
{
	size_t n = count_newlines(s, len) + (len && s[len - 1] != '\n');
	size_t *start = malloc((n + 1) * sizeof(*start)), pos = 0;

	if (!start) {
		cd_err_set("out of memory while comparing texts");
		return NULL;
	}
	for (size_t k = 0; k < n; k++) {
		const char *nl = memchr(s + pos, '\n', len - pos);

		start[k] = pos;
		pos = nl ? (size_t)(nl - s) + 1 : len;
	}
	start[n] = len;
	return start;
}

/* Word diffs cost more than linear time when little matches: past this
 * size a block of changed lines is diffed line by line when it can be, and
 * otherwise shown as replaced whole. */
#define WORD_DIFF_MAX (128 * 1024)

static int replace_whole(const char *a, size_t aoff, size_t alen, const char *b, size_t boff,
			 size_t blen, struct rl_changes *out)
{
	struct rl_change c = { aoff, alen, boff, blen, rl_count_words(a + aoff, alen),
			       rl_count_words(b + boff, blen) };

	return rl_push_change(out, &c);
}

static int diff_block(const char *a, size_t aoff, size_t alen, const char *b, size_t boff,
		      size_t blen, struct rl_changes *out)
{
	if (alen + blen <= WORD_DIFF_MAX)
		return rl_diff_words(a, aoff, alen, b, boff, blen, out);
	return replace_whole(a, aoff, alen, b, boff, blen, out);
}

/* Lines a0.. of a replaced by as many lines b0.. of b: when the block is
 * large, diff line i against line i. */
static int diff_hunk(const char *a, const size_t *as, const char *b, const size_t *bs,
		     const struct rl_hunk *h, struct rl_changes *out)
{
	size_t alen = as[h->a0 + h->na] - as[h->a0], blen = bs[h->b0 + h->nb] - bs[h->b0];

	if (alen + blen <= WORD_DIFF_MAX || h->na != h->nb)
		return diff_block(a, as[h->a0], alen, b, bs[h->b0], blen, out);
	for (size_t i = 0; i < h->na; i++) {
		size_t la = h->a0 + i, lb = h->b0 + i;

		if (diff_block(a, as[la], as[la + 1] - as[la], b, bs[lb], bs[lb + 1] - bs[lb], out) < 0)
			return -1;
	}
	return 0;
}

static int diff_changed_lines(const char *a, size_t alen, const char *b, size_t blen,
			      struct rl_changes *out)
{
	struct rl_hunks lines = { 0 };
	size_t *as = line_starts(a, alen), *bs = as ? line_starts(b, blen) : NULL;
	int rc = -1;

	if (!bs || rl_diff_lines(a, alen, b, blen, &lines) < 0)
		goto done;
	for (size_t i = 0; i < lines.n; i++)
		if (diff_hunk(a, as, b, bs, &lines.h[i], out) < 0)
			goto done;
	rc = 0;
done:
	free(lines.h);
	free(as);
	free(bs);
	return rc;
}

/* Changes that touch (possible between lines diffed one by one) are one. */
static void join_touching(struct rl_changes *cs)
{
	size_t w = 0;

	for (size_t r = 1; r < cs->n; r++) {
		struct rl_change *prev = &cs->c[w], *cur = &cs->c[r];

		if (cur->a_off == prev->a_off + prev->a_len) {
			prev->a_len = cur->a_off + cur->a_len - prev->a_off;
			prev->b_len = cur->b_off + cur->b_len - prev->b_off;
			prev->deleted_words += cur->deleted_words;
			prev->inserted_words += cur->inserted_words;
		} else {
			cs->c[++w] = *cur;
		}
	}
	if (cs->n)
		cs->n = w + 1;
}

struct seg_builder {
	redline *r;
	size_t a_line, b_line;
};

static void push_seg(struct seg_builder *sb, redline_op op, const char *text, size_t len)
{
	size_t nl;

	if (!len)
		return;
	sb->r->seg[sb->r->n++] = (redline_seg){ op, text, len, sb->a_line, sb->b_line };
	nl = count_newlines(text, len);
	if (op != REDLINE_INSERT)
		sb->a_line += nl;
	if (op != REDLINE_DELETE)
		sb->b_line += nl;
}

static int build_segments(const char *a, size_t alen, const char *b,
			  const struct rl_changes *cs, redline *r)
{
	struct seg_builder sb = { r, 1, 1 };
	size_t ia = 0;

	r->seg = malloc((3 * cs->n + 1) * sizeof(*r->seg));
	if (!r->seg) {
		cd_err_set("out of memory while comparing texts");
		return -1;
	}
	for (size_t i = 0; i < cs->n; i++) {
		const struct rl_change *c = &cs->c[i];

		push_seg(&sb, REDLINE_EQUAL, a + ia, c->a_off - ia);
		push_seg(&sb, REDLINE_DELETE, a + c->a_off, c->a_len);
		push_seg(&sb, REDLINE_INSERT, b + c->b_off, c->b_len);
		r->deleted_words += c->deleted_words;
		r->inserted_words += c->inserted_words;
		ia = c->a_off + c->a_len;
	}
	push_seg(&sb, REDLINE_EQUAL, a + ia, alen - ia);
	return 0;
}

int redline_compute(const char *a, size_t alen, const char *b, size_t blen, redline *out)
{
	struct rl_changes cs = { 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!a)
		alen = 0, a = "";
	if (!b)
		blen = 0, b = "";
	if ((alen == blen && !memcmp(a, b, alen)) || diff_changed_lines(a, alen, b, blen, &cs) == 0) {
		join_touching(&cs);
		rc = build_segments(a, alen, b, &cs, out);
	}
	free(cs.c);
	if (rc < 0)
		redline_clear(out);
	return rc;
}

void redline_clear(redline *r)
{
	if (!r)
		return;
	free(r->seg);
	memset(r, 0, sizeof(*r));
}
