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

int rl_tokenize(const char *s, size_t len, struct rl_tokens *t);
/* Give every token of a and b an id; tokens with the same bytes share one. */
int rl_assign_ids(const char *a, struct rl_tokens *ta, const char *b, struct rl_tokens *tb);
void rl_tokens_free(struct rl_tokens *t);

#endif
