/* test_transport.c — the llm transport against the fake LLM server over
 * loopback: each fault gives the right number of attempts and the right
 * final answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/xport_test.h"

static void test_plain_reply(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "Principle 3 fails here." },
				   .require_key = XT_KEY, .latency_ms = 120 };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };
	char *auth, *body;

	xt_env_start(&e, &fo);
	xt_submit(&e, "find a counter-example", &o);
	xt_run(&e);
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, "Principle 3 fails here.");
	assert_int_equal(o.http, 200);
	assert_int_equal(o.attempts, 1);
	assert_true(o.latency_ms >= 120 && o.latency_ms < 5000); /* the server's wait is in it */
	assert_non_null(strstr(o.body, "\"chat.completion\""));
	auth = fakellm_last_header(e.f, "authorization");
	body = fakellm_last_body(e.f);
	assert_string_equal(auth, "Bearer " XT_KEY);
	assert_non_null(strstr(body, "find a counter-example"));
	assert_int_equal(fakellm_path_requests(e.f, "/v1" XT_CHAT), 1);
	free(auth);
	free(body);
	xt_outcome_clear(&o);
	xt_env_stop(&e);

	/* a wrong key: 401, one attempt */
	memset(&e, 0, sizeof e);
	fo.require_key = "sk-another-key";
	xt_env_start(&e, &fo);
	xt_submit(&e, "find a counter-example", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_HTTP);
	assert_int_equal(o.http, 401);
	assert_int_equal(o.attempts, 1);
	assert_null(strstr(o.error, XT_KEY));
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

static void test_5xx_retried_then_success(void **state)
{
	static const int statuses[] = { 408, 409, 429, 500, 502, 503, 504, 529 };

	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		struct fakellm_fault f = { .kind = FAKELLM_STATUS, .status = statuses[i], .first = 2 };
		struct xt_outcome o = { 0 };
		unsigned long n;

		xt_one(&f, 3, &o, &n);
		assert_int_equal(o.status, LLM_OK);
		assert_int_equal(o.attempts, 3);
		assert_int_equal(n, 3);
		assert_string_equal(o.text, "ok");
		xt_outcome_clear(&o);
	}
}

static void test_503_forever_gives_up(void **state)
{
	struct fakellm_fault f = { .kind = FAKELLM_STATUS, .status = 503, .every = 1 };
	struct xt_outcome o = { 0 };
	unsigned long n;

	xt_one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_ERR_HTTP);
	assert_int_equal(o.http, 503);
	assert_int_equal(o.attempts, 4);
	assert_int_equal(n, 4);
	xt_outcome_clear(&o);
}

static void test_4xx_not_retried(void **state)
{
	static const int statuses[] = { 400, 401, 403, 404 };

	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		struct fakellm_fault f = { .kind = FAKELLM_STATUS, .status = statuses[i], .every = 1 };
		struct xt_outcome o = { 0 };
		unsigned long n;

		xt_one(&f, 3, &o, &n);
		assert_int_equal(o.status, LLM_ERR_HTTP);
		assert_int_equal(o.http, statuses[i]);
		assert_int_equal(o.attempts, 1);
		assert_int_equal(n, 1);
		assert_non_null(strstr(o.body, "\"error\""));
		xt_outcome_clear(&o);
	}
}

/* Retry-After: 1 is honoured, and the wait does not hold up another job. */
static void test_429_retry_after_honoured(void **state)
{
	int retry_after = 1;
	struct fakellm_opts fo = { .handler = xt_rate_limit_one, .ud = &retry_after };
	struct xt_env e = { 0 };
	struct xt_outcome a = { 0 }, b = { 0 };
	struct xt_retry_log log = { 0 };
	double t0 = xt_now_ms(), b_done = -1;

	xt_env_start(&e, &fo);
	xport_set_retry_cb(e.x, xt_on_retry, &log);
	xt_submit(&e, "retry-me", &a);
	xt_submit(&e, "other", &b);
	while (xport_pending(e.x)) {
		assert_true(xport_step(e.x, -1, -1) >= 0);
		if (b.calls && b_done < 0)
			b_done = xt_now_ms() - t0;
	}
	assert_int_equal(a.status, LLM_OK);
	assert_int_equal(a.attempts, 2);
	assert_true(a.latency_ms >= 950);
	assert_int_equal(log.calls, 1);
	assert_true(log.delay_s == 1.0);
	assert_string_equal(log.why, "HTTP 429");
	assert_int_equal(b.status, LLM_OK);
	assert_true(b_done >= 0 && b_done < 800);
	xt_outcome_clear(&a);
	xt_outcome_clear(&b);
	xt_env_stop(&e);
}

/* A Retry-After longer than the cap waits only the cap. */
static void test_retry_after_capped(void **state)
{
	int retry_after = 30;
	struct fakellm_opts fo = { .handler = xt_rate_limit_one, .ud = &retry_after };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };
	struct xt_retry_log log = { 0 };

	xport_opts_default(&e.o);
	e.o.backoff_cap_s = 0.2;
	xt_env_start(&e, &fo);
	xport_set_retry_cb(e.x, xt_on_retry, &log);
	xt_submit(&e, "retry-me", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(o.attempts, 2);
	assert_true(log.delay_s == 0.2);
	assert_true(o.latency_ms < 5000);
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

static void test_reset_connection(void **state)
{
	struct fakellm_fault f = { .kind = FAKELLM_RESET, .first = 2 };
	struct xt_outcome o = { 0 };
	unsigned long n;

	xt_one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(o.attempts, 3);
	xt_outcome_clear(&o);

	f.every = 1;
	xt_one(&f, 1, &o, &n);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 2);
	assert_int_equal(n, 2);
	assert_non_null(strstr(o.error, "127.0.0.1"));
	assert_null(strstr(o.error, XT_CHAT));
	xt_outcome_clear(&o);
}

static void test_truncated_body(void **state)
{
	struct fakellm_fault f = { .kind = FAKELLM_TRUNCATED, .first = 1 };
	struct xt_outcome o = { 0 };
	unsigned long n;

	/* fewer bytes than Content-Length: a transfer error, retried */
	xt_one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(o.attempts, 2);
	xt_outcome_clear(&o);

	f.every = 1;
	xt_one(&f, 2, &o, &n);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 3);
	xt_outcome_clear(&o);

	/* a clean HTTP end with half the JSON: the provider's parse error */
	f.kind = FAKELLM_NO_END;
	xt_one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_ERR_PARSE);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(n, 1);
	xt_outcome_clear(&o);
}

static void test_not_json_is_parse_error(void **state)
{
	struct fakellm_fault f = { .kind = FAKELLM_NOT_JSON, .every = 1 };
	struct xt_outcome o = { 0 };
	unsigned long n;

	xt_one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_ERR_PARSE);
	assert_int_equal(o.http, 200);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(n, 1);
	assert_non_null(strstr(o.body, "<html>"));
	xt_outcome_clear(&o);
}

static void test_stall_timeout(void **state)
{
	struct fakellm_opts fo = {
		.fault = { .kind = FAKELLM_STALL, .every = 1, .stall_ms = 6000 },
	};
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };

	xport_opts_default(&e.o);
	e.o.retries = 0;
	e.o.stall_timeout_s = 1;
	xt_env_start(&e, &fo);
	xt_submit(&e, "hello", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 1);
	assert_true(o.latency_ms >= 900 && o.latency_ms < 4000);
	assert_non_null(strstr(o.error, "sent nothing for 1 s"));
	xt_outcome_clear(&o);

	/* a pause shorter than the stall timeout is no stall */
	fakellm_set_fault(e.f, &(struct fakellm_fault){ .kind = FAKELLM_STALL, .every = 1,
							 .stall_ms = 300 });
	xt_submit(&e, "hello", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, "ok");
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

/* A server that sends a byte every 200 ms never stalls, but is slower than
 * the minimum rate; and an attempt has a deadline however fast it trickles. */
static void test_a_trickle_is_cut_by_the_rate_and_the_deadline(void **state)
{
	struct fakellm_opts fo = {
		.fault = { .kind = FAKELLM_TRICKLE, .every = 1, .stall_ms = 200 },
	};
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };

	xport_opts_default(&e.o);
	e.o.retries = 0;
	e.o.stall_timeout_s = 1;
	e.o.min_rate = 100;
	xt_env_start(&e, &fo);
	xt_submit(&e, "hello", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_true(o.latency_ms < 5000);
	if (!strstr(o.error, "slower than 100 bytes/s for 1 s"))
		fail_msg("%s", o.error);
	xt_outcome_clear(&o);
	xt_env_stop(&e);

	memset(&e, 0, sizeof e);
	xport_opts_default(&e.o);
	e.o.retries = 0;
	e.o.stall_timeout_s = 5;
	e.o.min_rate = 1;
	e.o.attempt_timeout_s = 1;
	xt_env_start(&e, &fo);
	xt_submit(&e, "hello", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_true(o.latency_ms >= 900 && o.latency_ms < 4000);
	if (!strstr(o.error, "no complete answer within 1 s"))
		fail_msg("%s", o.error);
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

static void test_oversized_not_retried(void **state)
{
	struct fakellm_opts fo = {
		.fault = { .kind = FAKELLM_OVERSIZED, .every = 1, .oversize_bytes = 2 << 20 },
	};
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };

	xport_opts_default(&e.o);
	e.o.retries = 3;
	e.o.backoff_base_s = 0.01;
	e.o.max_body = 1 << 20;
	xt_env_start(&e, &fo);
	xt_submit(&e, "hello", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_TOO_LARGE);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(fakellm_requests(e.f), 1);
	assert_null(o.body);
	xt_outcome_clear(&o);
	xt_env_stop(&e);

	/* under a larger cap the same reply arrives whole */
	memset(&e, 0, sizeof e);
	xport_opts_default(&e.o);
	e.o.max_body = 4 << 20;
	xt_env_start(&e, &fo);
	xt_submit(&e, "hello", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(strlen(o.text), 2 << 20);
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

static void test_escape_sequences_verbatim(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_HOSTILE, .every = 1 } };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };

	xt_env_start(&e, &fo);
	xt_submit(&e, "hello", &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, FAKELLM_HOSTILE_TEXT);
	xt_outcome_clear(&o);

	xt_submit_req(&e, "hello", 1, NULL, &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, FAKELLM_HOSTILE_TEXT);
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

static void test_connection_refused(void **state)
{
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };
	int port;

	xt_env_start(&e, NULL);
	port = e.f->port;
	fakellm_stop(e.f);
	e.f = NULL;
	{
		char url[64], body[] = "{}";
		llm_message m = { "user", "x" };
		llm_request req = { .model = "fake", .messages = &m, .nmessages = 1 };
		llm_http h = { .url = url, .body = body, .body_len = 2 };

		snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/chat/completions", port);
		assert_int_equal(xport_submit(e.x, &xt_openai_provider, &req, &h, xt_on_done, &o, &o.job), 0);
	}
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 4);
	assert_int_equal(o.http, 0);
	xt_outcome_clear(&o);
	xport_free(e.x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_reply),
		cmocka_unit_test(test_5xx_retried_then_success),
		cmocka_unit_test(test_503_forever_gives_up),
		cmocka_unit_test(test_4xx_not_retried),
		cmocka_unit_test(test_429_retry_after_honoured),
		cmocka_unit_test(test_retry_after_capped),
		cmocka_unit_test(test_reset_connection),
		cmocka_unit_test(test_truncated_body),
		cmocka_unit_test(test_not_json_is_parse_error),
		cmocka_unit_test(test_stall_timeout),
		cmocka_unit_test(test_a_trickle_is_cut_by_the_rate_and_the_deadline),
		cmocka_unit_test(test_oversized_not_retried),
		cmocka_unit_test(test_escape_sequences_verbatim),
		cmocka_unit_test(test_connection_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
