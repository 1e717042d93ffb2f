/* redline.c — word-level differences between two texts.
 *
 * Both texts are tokenised, every distinct token gets an id, and the id
 * sequences are written one id per line and diffed by libgit2 with no
 * context.  Each hunk of that diff is a run of deleted and inserted tokens;
 * the runs are turned back into byte ranges of the original texts.
 */
#include "codicil/redline.h"
#include "codicil/error.h"
#include "redline_int.h"

#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct rl_hunk {
	size_t a0, na; /* tokens a0 .. a0 + na of a are replaced by */
	size_t b0, nb; /* tokens b0 .. b0 + nb of b */
};

struct rl_hunks {
	struct rl_hunk *h;
	size_t n, cap;
	size_t base; /* tokens of common prefix left out of the diff */
	int failed;  /* push_hunk failed inside a libgit2 callback */
};

static int push_hunk(struct rl_hunks *hs, size_t a0, size_t na, size_t b0, size_t nb)
{
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 16;
		struct rl_hunk *h = realloc(hs->h, cap * sizeof(*h));

		if (!h) {
			cd_err_set("out of memory while comparing texts");
			hs->failed = 1;
			return -1;
		}
		hs->h = h;
		hs->cap = cap;
	}
	hs->h[hs->n++] = (struct rl_hunk){ a0, na, b0, nb };
	return 0;
}

/* libgit2 numbers lines from 1; an empty side names the line before it. */
static int on_hunk(const git_diff_delta *delta, const git_diff_hunk *h, void *payload)
{
	struct rl_hunks *hs = payload;
	size_t a0 = (size_t)(h->old_lines ? h->old_start - 1 : h->old_start);
	size_t b0 = (size_t)(h->new_lines ? h->new_start - 1 : h->new_start);

	return push_hunk(hs, hs->base + a0, (size_t)h->old_lines, hs->base + b0,
			 (size_t)h->new_lines);
}

static int put_ids(cd_buf *out, const uint32_t *id, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	if (cd_buf_grow(out, n * 9) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char tmp[9];
		int k = 0;
		uint32_t v = id[i];

		do
			tmp[k++] = hex[v & 15];
		while ((v >>= 4));
		while (k)
			out->data[out->len++] = tmp[--k];
		out->data[out->len++] = '\n';
	}
	out->data[out->len] = '\0';
	return 0;
}

static int diff_ids(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
		    struct rl_hunks *hs)
{
	git_diff_options opts;
	cd_buf ba = CD_BUF_INIT, bb = CD_BUF_INIT;
	int rc = -1;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	opts.flags = GIT_DIFF_FORCE_TEXT;
	if (put_ids(&ba, a, na) < 0 || put_ids(&bb, b, nb) < 0)
		goto out;
	rc = git_diff_buffers(ba.data, ba.len, NULL, bb.data, bb.len, NULL, &opts, NULL, NULL,
			      on_hunk, NULL, hs);
	if (rc < 0 && !hs->failed) {
		const git_error *e = git_error_last();

		cd_err_set("comparing texts failed: %s", e && e->message ? e->message : "libgit2 error");
	}
	rc = rc < 0 ? -1 : 0;
out:
	cd_buf_free(&ba);
	cd_buf_free(&bb);
	return rc;
}

/* Common prefix and suffix are equal by definition; diff only the middle. */
static int diff_tokens(const struct rl_tokens *ta, const struct rl_tokens *tb, struct rl_hunks *hs)
{
	size_t pre = 0, suf = 0, na, nb;

	while (pre < ta->n && pre < tb->n && ta->id[pre] == tb->id[pre])
		pre++;
	while (suf < ta->n - pre && suf < tb->n - pre &&
	       ta->id[ta->n - 1 - suf] == tb->id[tb->n - 1 - suf])
		suf++;
	na = ta->n - pre - suf;
	nb = tb->n - pre - suf;
	if (!na && !nb)
		return 0;
	if (!na || !nb)
		return push_hunk(hs, pre, na, pre, nb);
	hs->base = pre;
	return diff_ids(ta->id + pre, na, tb->id + pre, nb, hs);
}

/* Only line-break tokens contain (and end with) '\n'. */
static int is_break(const char *text, const struct rl_tokens *t, size_t i)
{
	return text[t->off[i + 1] - 1] == '\n';
}

/* A pure insertion or deletion that repeats the tokens around it could sit
 * in several places ("two\n" or "\ntwo").  Like git, move it down as far as
 * it goes, but rather to the last place where it ends with a line break, so
 * that "[-two-]" sits on its own line.  It keeps one equal token between it
 * and its neighbours in [lo, hi). */
static size_t best_start(const char *text, const struct rl_tokens *t, size_t s, size_t n,
			 size_t lo, size_t hi)
{
	size_t best = SIZE_MAX;

	while (s > lo && t->id[s - 1] == t->id[s + n - 1])
		s--;
	for (;;) {
		if (is_break(text, t, s + n - 1))
			best = s;
		if (s + n >= hi || t->id[s] != t->id[s + n])
			break;
		s++;
	}
	return best != SIZE_MAX ? best : s;
}

static void slide_hunks(const char *a, const struct rl_tokens *ta, const char *b,
			const struct rl_tokens *tb, struct rl_hunks *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		struct rl_hunk *h = &hs->h[i], *prev = i ? h - 1 : NULL;
		struct rl_hunk *next = i + 1 < hs->n ? h + 1 : NULL;
		size_t s;

		if (h->na && !h->nb) {
			s = best_start(a, ta, h->a0, h->na, prev ? prev->a0 + prev->na + 1 : 0,
				       next ? next->a0 - 1 : ta->n);
			h->b0 += s - h->a0; /* unsigned wrap-around moves it up, too */
			h->a0 = s;
		} else if (h->nb && !h->na) {
			s = best_start(b, tb, h->b0, h->nb, prev ? prev->b0 + prev->nb + 1 : 0,
				       next ? next->b0 - 1 : tb->n);
			h->a0 += s - h->b0;
			h->b0 = s;
		}
	}
}

/* Blanks within a line between two changes read better as part of one
 * change: "[-the quick-]{+a slow+}" rather than "[-the-]{+a+} [-quick-]{+slow+}". */
static int gap_is_inline_blank(const char *a, const struct rl_tokens *ta, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (ta->kind[i] != RL_SPACE ||
		    memchr(a + ta->off[i], '\n', ta->off[i + 1] - ta->off[i]))
			return 0;
	return 1;
}

static void merge_hunks(const char *a, const struct rl_tokens *ta, struct rl_hunks *hs)
{
	size_t w = 0;

	for (size_t r = 1; r < hs->n; r++) {
		struct rl_hunk *prev = &hs->h[w], *cur = &hs->h[r];

		if (gap_is_inline_blank(a, ta, prev->a0 + prev->na, cur->a0)) {
			prev->na = cur->a0 + cur->na - prev->a0;
			prev->nb = cur->b0 + cur->nb - prev->b0;
		} else {
			hs->h[++w] = *cur;
		}
	}
	if (hs->n)
		hs->n = w + 1;
}

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

static size_t count_words(const struct rl_tokens *t, size_t from, size_t n)
{
	size_t words = 0;

	for (size_t i = from; i < from + n; i++)
		words += t->kind[i] == RL_WORD;
	return words;
}

static int build_segments(const char *a, const struct rl_tokens *ta, const char *b,
			  const struct rl_tokens *tb, const struct rl_hunks *hs, redline *r)
{
	struct seg_builder sb = { r, 1, 1 };
	size_t ia = 0;

	r->seg = malloc((3 * hs->n + 1) * sizeof(*r->seg));
	if (!r->seg) {
		cd_err_set("out of memory while comparing texts");
		return -1;
	}
	for (size_t i = 0; i < hs->n; i++) {
		const struct rl_hunk *h = &hs->h[i];

		push_seg(&sb, REDLINE_EQUAL, a + ta->off[ia], ta->off[h->a0] - ta->off[ia]);
		push_seg(&sb, REDLINE_DELETE, a + ta->off[h->a0],
			 ta->off[h->a0 + h->na] - ta->off[h->a0]);
		push_seg(&sb, REDLINE_INSERT, b + tb->off[h->b0],
			 tb->off[h->b0 + h->nb] - tb->off[h->b0]);
		r->deleted_words += count_words(ta, h->a0, h->na);
		r->inserted_words += count_words(tb, h->b0, h->nb);
		ia = h->a0 + h->na;
	}
	push_seg(&sb, REDLINE_EQUAL, a + ta->off[ia], ta->off[ta->n] - ta->off[ia]);
	return 0;
}

static int compute_tokens(const char *a, size_t alen, const char *b, size_t blen, redline *out)
{
	struct rl_tokens ta, tb;
	struct rl_hunks hs = { 0 };
	int rc = -1;

	if (rl_tokenize(a, alen, &ta) < 0)
		return -1;
	if (rl_tokenize(b, blen, &tb) < 0) {
		rl_tokens_free(&ta);
		return -1;
	}
	if (rl_assign_ids(a, &ta, b, &tb) == 0 && diff_tokens(&ta, &tb, &hs) == 0) {
		slide_hunks(a, &ta, b, &tb, &hs);
		merge_hunks(a, &ta, &hs);
		rc = build_segments(a, &ta, b, &tb, &hs, out);
	}
	free(hs.h);
	rl_tokens_free(&ta);
	rl_tokens_free(&tb);
	return rc;
}

int redline_compute(const char *a, size_t alen, const char *b, size_t blen, redline *out)
{
	memset(out, 0, sizeof(*out));
	if (!a)
		alen = 0, a = "";
	if (!b)
		blen = 0, b = "";
	if (compute_tokens(a, alen, b, blen, out) < 0) {
		redline_free(out);
		return -1;
	}
	return 0;
}

void redline_free(redline *r)
{
	if (!r)
		return;
	free(r->seg);
	memset(r, 0, sizeof(*r));
}
