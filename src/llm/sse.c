/* sse.c — server-sent events framing (the subset LLM APIs use): lines end
 * in "\n" or "\r\n" and may be split anywhere between feeds; "event:" names
 * the event, "data:" lines accumulate (joined with '\n'), ":" starts a
 * comment, a blank line dispatches. */
#include "codicil/llm.h"
#include "codicil/error.h"

#include <stdlib.h>
#include <string.h>

typedef int (*sse_event_fn)(void *ud, const char *event, const char *data);

static int dispatch(llm_sse *s, sse_event_fn on_event, void *ud)
{
	int rc = 0;

	/* an event without data lines is not dispatched (as in browsers) */
	if (s->data.data)
		rc = on_event(ud, s->event, s->data.data);
	cd_buf_clear(&s->data);
	free(s->event);
	s->event = NULL;
	return rc;
}

static int field(llm_sse *s, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	size_t name_len = colon ? (size_t)(colon - line) : len;
	const char *value = colon ? colon + 1 : line + len;
	size_t value_len = len - (size_t)(value - line);

	if (value_len && *value == ' ')
		value++, value_len--;
	if (name_len == 5 && !memcmp(line, "event", 5)) {
		free(s->event);
		s->event = strndup(value, value_len);
		return s->event ? 0 : -1;
	}
	if (name_len == 4 && !memcmp(line, "data", 4)) {
		if (s->data.data && cd_buf_putc(&s->data, '\n') < 0)
			return -1;
		return cd_buf_append(&s->data, value, value_len);
	}
	return 0; /* id, retry, unknown fields */
}

static int line_done(llm_sse *s, sse_event_fn on_event, void *ud)
{
	size_t len = s->line.len;
	int rc;

	if (len && s->line.data[len - 1] == '\r')
		len--;
	if (len == 0)
		rc = dispatch(s, on_event, ud);
	else if (s->line.data[0] == ':')
		rc = 0;
	else
		rc = field(s, s->line.data, len);
	cd_buf_reset(&s->line);
	return rc;
}

int llm_sse_feed(llm_sse *s, const char *bytes, size_t len,
		 int (*on_event)(void *ud, const char *event, const char *data), void *ud)
{
	while (len) {
		const char *nl = memchr(bytes, '\n', len);
		size_t take = nl ? (size_t)(nl - bytes) : len;

		if (cd_buf_append(&s->line, bytes, take) < 0) {
			cd_err_prefix("event stream line");
			return -1;
		}
		bytes += take;
		len -= take;
		if (!nl)
			break;
		bytes++, len--;
		if (line_done(s, on_event, ud) < 0)
			return -1;
	}
	return 0;
}

void llm_sse_clear(llm_sse *s)
{
	cd_buf_clear(&s->line);
	cd_buf_clear(&s->data);
	free(s->event);
	s->event = NULL;
}
