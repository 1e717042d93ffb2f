/* redline_int.h — internals shared by the redline files (not a public API). */
#ifndef CODICIL_REDLINE_INT_H
#define CODICIL_REDLINE_INT_H

#include <stddef.h>
#include <stdint.h>

enum rl_kind { RL_WORD, RL_SPACE, RL_PUNCT };

/* Token i of a text spans off[i] .. off[i + 1]; off has n + 1 entries. */
struct rl_tokens {
	size_t *off;
	unsigned char *kind;
	uint32_t *id; /* equal ids <=> equal bytes, across both texts */
	size_t n;
};

int rl_is_word_byte(unsigned char c);
int rl_is_space_byte(unsigned char c);

/* Number of word tokens in s[0..len). */
size_t rl_count_words(const char *s, size_t len);
int rl_tokenize(const char *s, size_t len, struct rl_tokens *t);
/* Give every token of a and b an id; tokens with the same bytes share one. */
int rl_assign_ids(const char *a, struct rl_tokens *ta, const char *b, struct rl_tokens *tb);
void rl_tokens_free(struct rl_tokens *t);

/* A run of lines or tokens a0 .. a0 + na of a replaced by b0 .. b0 + nb of b. */
struct rl_hunk {
	size_t a0, na;
	size_t b0, nb;
};

struct rl_hunks {
	struct rl_hunk *h;
	size_t n, cap;
	size_t base; /* added to the positions libgit2 reports */
	int failed;  /* rl_push_hunk failed inside a libgit2 callback */
};

int rl_push_hunk(struct rl_hunks *hs, size_t a0, size_t na, size_t b0, size_t nb);
/* The line hunks of a diff of a against b, without context (libgit2). */
int rl_diff_lines(const char *a, size_t alen, const char *b, size_t blen, struct rl_hunks *hs);

/* Bytes a_off .. a_off + a_len of a replaced by b_off .. b_off + b_len of b. */
struct rl_change {
	size_t a_off, a_len;
	size_t b_off, b_len;
	size_t deleted_words, inserted_words;
};

struct rl_changes {
	struct rl_change *c;
	size_t n, cap;
};

int rl_push_change(struct rl_changes *out, const struct rl_change *c);
/* Append the word-level changes between the blocks a[aoff, aoff + alen) and
 * b[boff, boff + blen), in order. */
int rl_diff_words(const char *a, size_t aoff, size_t alen, const char *b, size_t boff,
		  size_t blen, struct rl_changes *out);

#endif
