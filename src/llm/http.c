/* http.c — pieces of HTTP requests and error replies that both providers
 * share. */
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "llm_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int llm_http_fail_oom(llm_http *h)
{
	llm_http_clear(h);
	cd_err_set("out of memory while building the request");
	return -1;
}

int llm_http_set_url(llm_http *h, const char *base_url, const char *path)
{
	cd_buf b = CD_BUF_INIT;
	size_t n = strlen(base_url);

	while (n && base_url[n - 1] == '/')
		n--;
	if (cd_buf_append(&b, base_url, n) < 0 || cd_buf_puts(&b, path) < 0) {
		cd_buf_clear(&b);
		return -1;
	}
	free(h->url);
	h->url = cd_buf_detach(&b);
	return 0;
}

int llm_http_add_header(llm_http *h, const char *fmt, ...)
{
	size_t n = 0;
	char **grown, *line;
	va_list ap;
	int len;

	while (h->headers && h->headers[n])
		n++;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(line = malloc((size_t)len + 1)))
		return -1;
	va_start(ap, fmt);
	vsnprintf(line, (size_t)len + 1, fmt, ap);
	va_end(ap);
	grown = realloc(h->headers, (n + 2) * sizeof *grown);
	if (!grown) {
		explicit_bzero(line, (size_t)len);
		free(line);
		return -1;
	}
	grown[n] = line;
	grown[n + 1] = NULL;
	h->headers = grown;
	return 0;
}

int llm_http_set_body(llm_http *h, const cJSON *body)
{
	cd_buf b = CD_BUF_INIT;

	if (cd_json_print_compact(body, &b) < 0) {
		cd_buf_clear(&b);
		return -1;
	}
	free(h->body);
	h->body_len = b.len;
	h->body = cd_buf_detach(&b);
	return 0;
}

int llm_is_2xx(long status)
{
	return status >= 200 && status < 300;
}

static int key_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '*';
}

/* sk-..., or a long run of letters and digits: what keys look like. */
static int looks_like_key(const char *w, size_t n)
{
	int digit = 0, alpha = 0;

	if (n >= 4 && (!strncmp(w, "sk-", 3) || !strncmp(w, "sk_", 3)))
		return 1;
	if (n < 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		digit |= isdigit((unsigned char)w[i]) != 0;
		alpha |= isalpha((unsigned char)w[i]) != 0;
	}
	return digit && alpha;
}

static void fold_and_redact(const char *s, cd_buf *out)
{
	int space = 0;

	while (*s == ' ')
		s++;
	while (*s) {
		size_t n = 0;

		while (key_char((unsigned char)s[n]))
			n++;
		if (n) {
			if (space)
				cd_buf_putc(out, ' ');
			space = 0;
			if (looks_like_key(s, n))
				cd_buf_puts(out, "[redacted]");
			else
				cd_buf_append(out, s, n);
			s += n;
		} else if (*s == ' ') {
			space = 1;
			s++;
		} else {
			if (space)
				cd_buf_putc(out, ' ');
			space = 0;
			cd_buf_putc(out, *s++);
		}
	}
}

void llm_error_text(const char *in, size_t len, size_t max, cd_buf *out)
{
	cd_buf clean = CD_BUF_INIT, folded = CD_BUF_INIT;
	size_t n;

	cd_sanitize(in, len, CD_SAN_ONE_LINE, &clean);
	fold_and_redact(cd_buf_cstr(&clean), &folded);
	if (cd_buf_failed(&clean) || cd_buf_failed(&folded))
		cd_buf_fail(out);
	n = folded.len;
	if (n > max) {
		n = max;
		while (n && ((unsigned char)folded.data[n] & 0xc0) == 0x80)
			n--;
	}
	cd_buf_append(out, cd_buf_cstr(&folded), n);
	if (n < folded.len)
		cd_buf_puts(out, "…");
	cd_buf_clear(&clean);
	cd_buf_clear(&folded);
}

static const char *status_hint(long status, const char *key_env, char *buf, size_t size)
{
	switch (status) {
	case 401:
		snprintf(buf, size, "check the API key (%s)", key_env);
		return buf;
	case 403:
		return "the key has no access to this model or endpoint";
	case 404:
		return "check the endpoint and model name";
	case 408:
		return "the server timed out; retry";
	case 413:
		return "the request is too large; shorten it";
	case 429:
		return "rate limited or out of quota; wait and retry";
	}
	if (status >= 500)
		return "the server failed; retry later";
	return NULL;
}

int llm_http_error(llm_response *out, const char *provider, const char *key_env,
		   long status, const char *message, const char *body, size_t len)
{
	cd_buf text = CD_BUF_INIT;
	char hintbuf[128];
	const char *hint = status_hint(status, key_env, hintbuf, sizeof hintbuf);

	out->http_status = status;
	if (message && *message)
		llm_error_text(message, strlen(message), LLM_ERROR_TEXT_MAX, &text);
	else if (body && len)
		llm_error_text(body, len, 120, &text);
	if (!text.len)
		cd_buf_puts(&text, "empty reply");
	if (hint)
		llm_response_fail(out, LLM_ERR_HTTP, "%s: HTTP %ld: %s (%s)", provider, status,
				  text.data, hint);
	else
		llm_response_fail(out, LLM_ERR_HTTP, "%s: HTTP %ld: %s", provider, status,
				  text.data);
	cd_buf_clear(&text);
	return -1;
}

void llm_keep_body(llm_response *out, const char *body, size_t len)
{
	if (out->body || !body)
		return;
	out->body = malloc(len + 1);
	if (out->body) {
		memcpy(out->body, body, len);
		out->body[len] = '\0';
	}
}

int llm_quota_exhausted(const char *body)
{
	static const char *const signs[] = {
		"insufficient_quota",          /* OpenAI */
		"exceeded your current quota", /* OpenAI, in words */
		"credit balance is too low",   /* Anthropic */
		"billing_hard_limit",
	};

	for (size_t i = 0; body && i < sizeof signs / sizeof *signs; i++)
		if (strstr(body, signs[i]))
			return 1;
	return 0;
}
