/* llm_internal.h — helpers shared by the files of src/llm/, not part of any
 * module's interface. */
#ifndef CODICIL_LLM_INTERNAL_H
#define CODICIL_LLM_INTERNAL_H

#include <cJSON.h>

#include "codicil/buf.h"
#include "codicil/llm.h"

#define LLM_DEFAULT_MAX_TOKENS 4096
#define LLM_ERROR_TEXT_MAX 200

extern const llm_provider llm_openai_provider;
extern const llm_provider llm_anthropic_provider;

/* http.c: building requests */
int llm_http_set_url(llm_http *h, const char *base_url, const char *path);
int llm_http_add_header(llm_http *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int llm_http_set_body(llm_http *h, const cJSON *body);
int llm_http_fail_oom(llm_http *h);

/* http.c: reading replies */
int llm_is_2xx(long status);
/* Untrusted text as one short line: sanitised, whitespace folded, anything
 * that looks like an API key redacted, cut at max bytes (UTF-8 safe). */
void llm_error_text(const char *in, size_t len, size_t max, cd_buf *out);
/* Fill out for a non-2xx reply: LLM_ERR_HTTP with "<provider>: HTTP <n>:
 * <message> (<hint>)".  message may be NULL (then a prefix of the body is
 * shown).  Returns -1. */
int llm_http_error(llm_response *out, const char *provider, const char *key_env,
		   long status, const char *message, const char *body, size_t len);
/* 1 when an error body says the account's quota or credit is used up (as
 * opposed to a rate limit that passes). */
int llm_quota_exhausted(const char *body);
/* Keep a copy of the raw body for transcripts (unless one is kept already). */
void llm_keep_body(llm_response *out, const char *body, size_t len);

/* response.c: common end of a reply once text, finish_reason and usage are
 * set: truncation, then structured output.  Returns 0 or -1. */
int llm_finish_reply(const llm_request *req, llm_response *out, int truncated);

char *llm_strdup(const char *s);

/* schema.c: ".key", or ["key"] (sanitised, cut short) for one that is not
 * a plain name, appended to a JSON path. */
void llm_path_push_key(cd_buf *path, const char *key);

/* record.c: a successful reply as stored in the cache and in cassettes:
 * {"text", "finish_reason", "usage": {"input_tokens", "output_tokens"}} */
cJSON *llm_reply_to_json(const llm_response *r);
/* Fills text, finish_reason, usage, status LLM_OK; -1 if j is not such a
 * record (out untouched). */
int llm_reply_from_json(const cJSON *j, llm_response *out);

#endif
