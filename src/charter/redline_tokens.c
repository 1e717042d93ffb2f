/* redline_tokens.c — cutting texts into tokens and numbering distinct tokens.
 *
 * A token is a run of word bytes (ASCII letters, digits, '_' and every byte
 * of a UTF-8 multibyte sequence), a run of blanks within a line, one line
 * break, or one punctuation byte.  Distinct tokens get small integer ids through an open-addressing
 * hash table, so that the diff compares short lines and never raw text.
 */
#include "redline_int.h"

#include "codicil/error.h"

#include <stdlib.h>
#include <string.h>

int rl_is_word_byte(unsigned char c)
{
	return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') ||
	       (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int rl_is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static enum rl_kind kind_of(unsigned char c)
{
	if (rl_is_word_byte(c))
		return RL_WORD;
	if (rl_is_space_byte(c))
		return RL_SPACE;
	return RL_PUNCT;
}

static int is_line_break(const unsigned char *s, size_t i, size_t len)
{
	return s[i] == '\n' || (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n');
}

/* Length of the token at s[i]: a line break ("\n" or "\r\n") stands alone,
 * so that changes line up with lines; blanks run up to the next break. */
static size_t token_len(const unsigned char *s, size_t i, size_t len, enum rl_kind *kind)
{
	size_t j = i + 1;

	*kind = kind_of(s[i]);
	if (*kind == RL_WORD)
		while (j < len && rl_is_word_byte(s[j]))
			j++;
	else if (*kind == RL_SPACE && is_line_break(s, i, len))
		j = s[i] == '\r' ? i + 2 : i + 1;
	else if (*kind == RL_SPACE)
		while (j < len && rl_is_space_byte(s[j]) && !is_line_break(s, j, len))
			j++;
	return j - i;
}

static size_t count_tokens(const unsigned char *s, size_t len)
{
	size_t n = 0;
	enum rl_kind kind;

	for (size_t i = 0; i < len; n++)
		i += token_len(s, i, len, &kind);
	return n;
}

int rl_tokenize(const char *text, size_t len, struct rl_tokens *t)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = count_tokens(s, len), i = 0, k = 0;
	enum rl_kind kind;

	memset(t, 0, sizeof(*t));
	t->off = malloc((n + 1) * sizeof(*t->off));
	t->kind = malloc(n + 1);
	t->id = malloc((n + 1) * sizeof(*t->id));
	if (!t->off || !t->kind || !t->id) {
		rl_tokens_free(t);
		cd_err_set("out of memory while comparing texts");
		return -1;
	}
	while (i < len) {
		t->off[k] = i;
		i += token_len(s, i, len, &kind);
		t->kind[k++] = (unsigned char)kind;
	}
	t->off[n] = len;
	t->n = n;
	return 0;
}

size_t rl_count_words(const char *s, size_t len)
{
	size_t words = 0;

	for (size_t i = 0; i < len; i++)
		if (rl_is_word_byte((unsigned char)s[i]) &&
		    (i == 0 || !rl_is_word_byte((unsigned char)s[i - 1])))
			words++;
	return words;
}

void rl_tokens_free(struct rl_tokens *t)
{
	free(t->off);
	free(t->kind);
	free(t->id);
	memset(t, 0, sizeof(*t));
}

struct intern {
	uint32_t *slot; /* id + 1, 0 when empty */
	size_t mask;
	const char **text; /* by id: the first occurrence */
	size_t *len;
	uint32_t *hash;
	size_t n, cap;
};

static uint32_t fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int intern_rehash(struct intern *in, size_t nslots)
{
	uint32_t *slot = calloc(nslots, sizeof(*slot));

	if (!slot)
		return -1;
	for (size_t id = 0; id < in->n; id++) {
		size_t i = in->hash[id] & (nslots - 1);

		while (slot[i])
			i = (i + 1) & (nslots - 1);
		slot[i] = (uint32_t)id + 1;
	}
	free(in->slot);
	in->slot = slot;
	in->mask = nslots - 1;
	return 0;
}

static int intern_grow_ids(struct intern *in)
{
	size_t cap = in->cap ? in->cap * 2 : 256;
	const char **text = realloc(in->text, cap * sizeof(*text));
	size_t *len;
	uint32_t *hash;

	if (!text)
		return -1;
	in->text = text;
	len = realloc(in->len, cap * sizeof(*len));
	if (!len)
		return -1;
	in->len = len;
	hash = realloc(in->hash, cap * sizeof(*hash));
	if (!hash)
		return -1;
	in->hash = hash;
	in->cap = cap;
	return 0;
}

/* The id of s[0..len), adding it when new; -1 on out of memory. */
static int64_t intern_id(struct intern *in, const char *s, size_t len)
{
	uint32_t h = fnv1a(s, len);
	size_t i = h & in->mask;
	uint32_t id;

	for (; in->slot[i]; i = (i + 1) & in->mask) {
		id = in->slot[i] - 1;
		if (in->hash[id] == h && in->len[id] == len && !memcmp(in->text[id], s, len))
			return id;
	}
	if (in->n == in->cap && intern_grow_ids(in) < 0)
		return -1;
	id = (uint32_t)in->n++;
	in->text[id] = s;
	in->len[id] = len;
	in->hash[id] = h;
	in->slot[i] = id + 1;
	if (in->n * 2 > in->mask + 1 && intern_rehash(in, (in->mask + 1) * 2) < 0)
		return -1;
	return id;
}

static int intern_all(struct intern *in, const char *s, struct rl_tokens *t)
{
	for (size_t i = 0; i < t->n; i++) {
		int64_t id = intern_id(in, s + t->off[i], t->off[i + 1] - t->off[i]);

		if (id < 0)
			return -1;
		t->id[i] = (uint32_t)id;
	}
	return 0;
}

int rl_assign_ids(const char *a, struct rl_tokens *ta, const char *b, struct rl_tokens *tb)
{
	struct intern in = { 0 };
	int rc = -1;

	if (intern_rehash(&in, 1024) == 0 && intern_all(&in, a, ta) == 0 &&
	    intern_all(&in, b, tb) == 0)
		rc = 0;
	else
		cd_err_set("out of memory while comparing texts");
	free(in.slot);
	free(in.text);
	free(in.len);
	free(in.hash);
	return rc;
}
