/* cache.h — a content-addressed cache of successful LLM replies.
 *
 * The key covers everything that decides the answer: provider, base URL,
 * model, the request body as the provider built it (canonical JSON, without
 * the streaming switches, which do not change the answer) and the sample
 * index.  Entries are <dir>/<2 hex>/<62 hex>.json holding the reply text,
 * finish_reason, usage and (optionally) the raw body; never a header or a
 * key.  Only successful, valid replies are stored: errors are never cached.
 */
#ifndef CODICIL_CACHE_H
#define CODICIL_CACHE_H

#include <stddef.h>

#include "codicil/buf.h"
#include "codicil/hash.h"
#include "codicil/llm.h"

/* <gitdir>/codicil/cache inside a repository; else $XDG_CACHE_HOME/codicil
 * or ~/.cache/codicil.  Appends to out. */
int cache_default_dir(const char *gitdir_or_null, cd_buf *out);

/* http is what ep's provider built for req. */
int cache_key(const llm_endpoint *ep, const llm_request *req, const llm_http *http,
	      char out[CD_SHA256_HEX]);

/* 1: hit (out cleared, then filled: status LLM_OK, cached = 1); 0: miss (a
 * corrupt entry counts as one, and is removed); -1: error.  For a schema
 * request the caller then runs llm_structured_finish(). */
int cache_get(const char *dir, const char *key, llm_response *out);
/* Store resp atomically; refuses a response whose status is not LLM_OK. */
int cache_put(const char *dir, const char *key, const llm_response *resp);
/* Number of entries and their total size; a missing dir is an empty cache. */
int cache_stats(const char *dir, size_t *entries, unsigned long long *bytes);
/* Remove every entry (the directory itself stays). */
int cache_clear(const char *dir);

#endif
