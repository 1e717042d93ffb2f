/* SSE framing: events, multi-line data, comments, CRLF, and bytes split at
 * every possible position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "codicil/buf.h"
#include "codicil/llm.h"

/* Events as one string: "name|data\n" per event ("-" for no name). */
static int record(void *ud, const char *event, const char *data)
{
	cd_buf *log = ud;
	cd_buf_printf(log, "%s|%s\n", event ? event : "-", data);
	return 0;
}

static void feed_chunks(const char *stream, size_t a, size_t b, cd_buf *log)
{
	llm_sse s = { 0 };
	size_t len = strlen(stream);

	assert_int_equal(llm_sse_feed(&s, stream, a, record, log), 0);
	assert_int_equal(llm_sse_feed(&s, stream + a, b - a, record, log), 0);
	assert_int_equal(llm_sse_feed(&s, stream + b, len - b, record, log), 0);
	llm_sse_clear(&s);
}

static const char stream[] =
	": a comment, ignored\n"
	"event: message_start\r\n"
	"data: {\"a\":1}\r\n"
	"\r\n"
	"data: line one\n"
	"data:line two\n"
	"data: \n"
	"id: 7\n"
	"retry: 100\n"
	"\n"
	"event: ping\n"
	"\n" /* no data: not dispatched */
	"data: caf\xc3\xa9 \xf0\x9f\x98\x80\n"
	"\n"
	"data: [DONE]\n"
	"\n";

static const char expected[] =
	"message_start|{\"a\":1}\n"
	"-|line one\nline two\n\n"
	"-|caf\xc3\xa9 \xf0\x9f\x98\x80\n"
	"-|[DONE]\n";

static void test_events_in_one_feed(void **state)
{
	cd_buf log = CD_BUF_INIT;

	feed_chunks(stream, strlen(stream), strlen(stream), &log);
	assert_string_equal(cd_buf_cstr(&log), expected);
	cd_buf_clear(&log);
}

static void test_every_split_gives_the_same_events(void **state)
{
	size_t len = strlen(stream);

	for (size_t a = 0; a <= len; a++) {
		for (size_t b = a; b <= len; b += 7) {
			cd_buf log = CD_BUF_INIT;
			feed_chunks(stream, a, b, &log);
			if (strcmp(cd_buf_cstr(&log), expected)) {
				print_error("split at %zu and %zu:\n%s", a, b, cd_buf_cstr(&log));
				fail();
			}
			cd_buf_clear(&log);
		}
	}
}

static void test_byte_by_byte(void **state)
{
	llm_sse s = { 0 };
	cd_buf log = CD_BUF_INIT;

	for (size_t i = 0; stream[i]; i++)
		assert_int_equal(llm_sse_feed(&s, stream + i, 1, record, &log), 0);
	assert_string_equal(cd_buf_cstr(&log), expected);
	llm_sse_clear(&s);
	cd_buf_clear(&log);
}

static void test_incomplete_event_is_not_dispatched(void **state)
{
	llm_sse s = { 0 };
	cd_buf log = CD_BUF_INIT;
	const char *part = "event: x\ndata: half";

	assert_int_equal(llm_sse_feed(&s, part, strlen(part), record, &log), 0);
	assert_int_equal(log.len, 0);
	llm_sse_clear(&s); /* frees the pending line, event and data */
	cd_buf_clear(&log);
}

static void test_event_name_does_not_leak_into_next_event(void **state)
{
	llm_sse s = { 0 };
	cd_buf log = CD_BUF_INIT;
	const char *two = "event: first\ndata: 1\n\ndata: 2\n\n";

	assert_int_equal(llm_sse_feed(&s, two, strlen(two), record, &log), 0);
	assert_string_equal(cd_buf_cstr(&log), "first|1\n-|2\n");
	llm_sse_clear(&s);
	cd_buf_clear(&log);
}

static int refuse(void *ud, const char *event, const char *data)
{
	(*(int *)ud)++;
	return -1;
}

static void test_callback_error_stops_the_feed(void **state)
{
	llm_sse s = { 0 };
	int calls = 0;
	const char *two = "data: 1\n\ndata: 2\n\n";

	assert_int_equal(llm_sse_feed(&s, two, strlen(two), refuse, &calls), -1);
	assert_int_equal(calls, 1);
	llm_sse_clear(&s);
}

static void test_line_cap_is_enforced(void **state)
{
	llm_sse s = { 0 };
	cd_buf log = CD_BUF_INIT;
	char big[300];

	memset(big, 'x', sizeof big);
	s.line.max = 256;
	assert_int_equal(llm_sse_feed(&s, big, sizeof big, record, &log), -1);
	llm_sse_clear(&s);
	cd_buf_clear(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_in_one_feed),
		cmocka_unit_test(test_every_split_gives_the_same_events),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_incomplete_event_is_not_dispatched),
		cmocka_unit_test(test_event_name_does_not_leak_into_next_event),
		cmocka_unit_test(test_callback_error_stops_the_feed),
		cmocka_unit_test(test_line_cap_is_enforced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
