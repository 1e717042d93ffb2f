/* fakellm_prefix.c — the providers' prompt caches, as the fake plays them.
 *
 * OpenAI caches every prompt's prefix on its own: a request whose first
 * 1,024 tokens or more were seen before reads them from the cache, in
 * steps of 128 tokens.  Anthropic caches only up to a block marked
 * cache_control: the first time it writes (cache_creation_input_tokens),
 * later it reads (cache_read_input_tokens).  The fake counts 4 bytes a
 * token and remembers the hashes of the prefixes it has seen. */
#include "fakellm_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STEP_BYTES 512   /* 128 tokens */
#define MIN_BYTES 4096   /* 1,024 tokens */

static uint64_t fnv_extend(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int seen(const struct fakellm_state *st, uint64_t h)
{
	for (size_t i = 0; i < st->nprefixes; i++)
		if (st->prefixes[i] == h)
			return 1;
	return 0;
}

static void remember(struct fakellm_state *st, uint64_t h)
{
	if (seen(st, h))
		return;
	if (st->nprefixes == st->cap_prefixes) {
		size_t cap = st->cap_prefixes ? 2 * st->cap_prefixes : 256;
		uint64_t *more = realloc(st->prefixes, cap * sizeof *more);
		if (!more)
			return;
		st->prefixes = more;
		st->cap_prefixes = cap;
	}
	st->prefixes[st->nprefixes++] = h;
}

static void put_content(cd_buf *out, const cJSON *content, size_t *marked)
{
	const cJSON *block;

	if (cJSON_IsString(content)) {
		cd_buf_puts(out, content->valuestring);
		return;
	}
	cJSON_ArrayForEach(block, content) {
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(block, "text");
		if (cJSON_IsString(text))
			cd_buf_puts(out, text->valuestring);
		if (marked && cJSON_GetObjectItemCaseSensitive(block, "cache_control"))
			*marked = out->len;
	}
}

/* The prompt as the provider reads it, in order; *marked: the end of the
 * last block marked for caching (Anthropic), or 0. */
static void prompt_of(const cJSON *req, int anthropic, cd_buf *out, size_t *marked)
{
	const cJSON *m;

	*marked = 0;
	if (anthropic)
		put_content(out, cJSON_GetObjectItemCaseSensitive(req, "system"), marked);
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(req, "messages"))
		put_content(out, cJSON_GetObjectItemCaseSensitive(m, "content"),
			    anthropic ? marked : NULL);
}

void fake_prompt_cache(struct fakellm_state *st, const cJSON *req, int anthropic,
		       struct fakellm_reply *r)
{
	cd_buf p = CD_BUF_INIT;
	size_t marked, hit = 0, upto;
	uint64_t h = 1469598103934665603ULL;

	prompt_of(req, anthropic, &p, &marked);
	upto = anthropic ? marked : p.len;
	pthread_mutex_lock(&st->lock);
	if (anthropic && upto >= MIN_BYTES) {
		h = fnv_extend(h, p.data, upto);
		if (seen(st, h))
			r->cache_read_tokens = (long)upto / 4;
		else
			r->cache_write_tokens = (long)upto / 4;
		remember(st, h);
	} else if (!anthropic) {
		for (size_t at = 0; at + STEP_BYTES <= upto; at += STEP_BYTES) {
			h = fnv_extend(h, p.data + at, STEP_BYTES);
			if (at + STEP_BYTES >= MIN_BYTES && seen(st, h))
				hit = at + STEP_BYTES;
			remember(st, h);
		}
		r->cache_read_tokens = (long)hit / 4;
	}
	pthread_mutex_unlock(&st->lock);
	cd_buf_clear(&p);
}
