/* response.c — lifetimes of the shared llm types, and the common end of a
 * reply (whole or streamed). */
#include "codicil/llm.h"
#include "codicil/error.h"
#include "llm_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *llm_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

void llm_response_clear(llm_response *r)
{
	free(r->text);
	cJSON_Delete(r->json);
	free(r->error);
	free(r->finish_reason);
	free(r->body);
	free(r->repairs);
	memset(r, 0, sizeof *r);
}

const char *llm_status_name(llm_status s)
{
	static const char *const names[] = {
		[LLM_OK] = "ok",
		[LLM_ERR_TRANSPORT] = "transport error",
		[LLM_ERR_HTTP] = "http error",
		[LLM_ERR_PARSE] = "unparsable reply",
		[LLM_ERR_REFUSED] = "refused",
		[LLM_ERR_TRUNCATED] = "truncated",
		[LLM_ERR_INVALID] = "invalid reply",
		[LLM_ERR_TOO_LARGE] = "reply too large",
		[LLM_ERR_CANCELLED] = "cancelled",
		[LLM_ERR_REPLAY] = "not in cassette",
		[LLM_ERR_NOT_SENT] = "not sent",
	};

	if ((unsigned)s < sizeof names / sizeof names[0] && names[s])
		return names[s];
	return "unknown status";
}

int llm_response_fail(llm_response *r, llm_status s, const char *fmt, ...)
{
	va_list ap, ap2;
	char *line;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	line = malloc(n >= 0 ? (size_t)n + 1 : 1);
	if (line)
		vsnprintf(line, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	/* formatted before touching the error state: fmt's arguments may be
	 * cd_err_msg() itself */
	cd_err_set("%s", line ? line : "out of memory");
	free(r->error);
	r->error = line;
	r->status = s;
	return -1;
}

void llm_http_clear(llm_http *h)
{
	if (h->headers) {
		for (char **p = h->headers; *p; p++) {
			/* headers may hold a key: do not leave it in freed memory */
			explicit_bzero(*p, strlen(*p));
			free(*p);
		}
		free(h->headers);
	}
	free(h->url);
	free(h->body);
	memset(h, 0, sizeof *h);
}

void llm_stream_clear(llm_stream *s)
{
	cd_buf_clear(&s->text);
	free(s->finish_reason);
	free(s->error);
	memset(s, 0, sizeof *s);
}

int llm_finish_reply(const llm_request *req, llm_response *out, int truncated)
{
	if (truncated) {
		int max = req && req->max_tokens > 0 ? req->max_tokens : LLM_DEFAULT_MAX_TOKENS;
		return llm_response_fail(out, LLM_ERR_TRUNCATED,
					 "the reply stopped at the token limit (max_tokens %d): "
					 "raise max_tokens or ask for less", max);
	}
	if (req && req->schema)
		return llm_structured_finish(req, out);
	out->status = LLM_OK;
	return 0;
}

static int stream_truncated(const char *finish_reason)
{
	return finish_reason && (!strcmp(finish_reason, "length") ||
				 !strcmp(finish_reason, "max_tokens"));
}

int llm_stream_finish(const llm_request *req, llm_stream *st, llm_response *out)
{
	cd_buf msg = CD_BUF_INIT;

	out->usage = st->usage;
	free(out->finish_reason);
	out->finish_reason = st->finish_reason;
	st->finish_reason = NULL;
	free(out->text);
	out->text = cd_buf_detach(&st->text);
	if (st->error) {
		llm_error_text(st->error, strlen(st->error), LLM_ERROR_TEXT_MAX, &msg);
		llm_response_fail(out, LLM_ERR_HTTP, "error event in the stream: %s",
				  cd_buf_cstr(&msg));
		cd_buf_clear(&msg);
		return -1;
	}
	if (st->refused)
		return llm_response_fail(out, LLM_ERR_REFUSED, "the model refused to answer");
	if (!st->done && !out->finish_reason)
		return llm_response_fail(out, LLM_ERR_TRANSPORT,
					 "the stream ended before the reply was complete; retry");
	return llm_finish_reply(req, out, stream_truncated(out->finish_reason));
}
