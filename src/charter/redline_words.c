/* redline_words.c — word-level changes inside one block of changed lines.
 *
 * Both blocks are tokenised, every distinct token gets an id, and the id
 * sequences are diffed by libgit2 as lines.  The resulting token hunks are
 * put in a canonical place and joined across blanks, then turned back into
 * byte ranges of the original texts.
 */
#include "codicil/buf.h"
#include "codicil/error.h"
#include "redline_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One id per line, in hex: at most 8 digits and a newline each. */
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

static int diff_ids(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, size_t base,
		    struct rl_hunks *hs)
{
	cd_buf ba = CD_BUF_INIT, bb = CD_BUF_INIT;
	int rc = -1;

	if (put_ids(&ba, a, na) == 0 && put_ids(&bb, b, nb) == 0) {
		hs->base = base;
		rc = rl_diff_lines(ba.data, ba.len, bb.data, bb.len, hs);
	}
	cd_buf_clear(&ba);
	cd_buf_clear(&bb);
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
		return rl_push_hunk(hs, pre, na, pre, nb);
	return diff_ids(ta->id + pre, na, tb->id + pre, nb, pre, hs);
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

static size_t count_words(const struct rl_tokens *t, size_t from, size_t n)
{
	size_t words = 0;

	for (size_t i = from; i < from + n; i++)
		words += t->kind[i] == RL_WORD;
	return words;
}

int rl_push_change(struct rl_changes *out, const struct rl_change *c)
{
	struct rl_change *p = cd_grow(out->c, out->n, &out->cap, sizeof *p, 16);
	if (!p) {
		cd_err_set("out of memory while comparing texts");
		return -1;
	}
	out->c = p;
	out->c[out->n++] = *c;
	return 0;
}

static int add_changes(const struct rl_tokens *ta, size_t aoff, const struct rl_tokens *tb,
		       size_t boff, const struct rl_hunks *hs, struct rl_changes *out)
{
	for (size_t i = 0; i < hs->n; i++) {
		const struct rl_hunk *h = &hs->h[i];
		struct rl_change c = {
			.a_off = aoff + ta->off[h->a0],
			.a_len = ta->off[h->a0 + h->na] - ta->off[h->a0],
			.b_off = boff + tb->off[h->b0],
			.b_len = tb->off[h->b0 + h->nb] - tb->off[h->b0],
			.deleted_words = count_words(ta, h->a0, h->na),
			.inserted_words = count_words(tb, h->b0, h->nb),
		};

		if (rl_push_change(out, &c) < 0)
			return -1;
	}
	return 0;
}

int rl_diff_words(const char *a, size_t aoff, size_t alen, const char *b, size_t boff,
		  size_t blen, struct rl_changes *out)
{
	const char *ablock = a + aoff, *bblock = b + boff;
	struct rl_tokens ta, tb;
	struct rl_hunks hs = { 0 };
	int rc = -1;

	if (rl_tokenize(ablock, alen, &ta) < 0)
		return -1;
	if (rl_tokenize(bblock, blen, &tb) < 0) {
		rl_tokens_free(&ta);
		return -1;
	}
	if (rl_assign_ids(ablock, &ta, bblock, &tb) == 0 && diff_tokens(&ta, &tb, &hs) == 0) {
		slide_hunks(ablock, &ta, bblock, &tb, &hs);
		merge_hunks(ablock, &ta, &hs);
		rc = add_changes(&ta, aoff, &tb, boff, &hs, out);
	}
	free(hs.h);
	rl_tokens_free(&ta);
	rl_tokens_free(&tb);
	return rc;
}
