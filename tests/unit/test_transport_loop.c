/* test_transport_loop.c — the transport's event loop against the fake
 * LLM server: the concurrency cap, streams, cancellation and the extra
 * descriptor of xport_step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../support/xport_test.h"

/* The reply echoes the request, so each job can check it got its own. */
static void echo(void *ud, const struct fakellm_request *req, struct fakellm_reply *reply,
		 struct fakellm_fault *fault)
{
	static _Thread_local char text[64];
	const char *p = strstr(req->body, "job-");

	snprintf(text, sizeof text, "echo %.*s", p ? (int)strcspn(p, "\"") : 0, p ? p : "");
	reply->content = text;
}

static void test_concurrency_cap(void **state)
{
	enum { N = 100 };
	struct fakellm_opts fo = { .latency_ms = 30, .handler = echo };
	struct xt_env e = { 0 };
	struct xt_outcome *o = calloc(N, sizeof *o);
	char msg[32], want[64];

	xport_opts_default(&e.o);
	e.o.concurrency = 10;
	xt_env_start(&e, &fo);
	for (int i = 0; i < N; i++) {
		snprintf(msg, sizeof msg, "job-%d", i);
		xt_submit(&e, msg, &o[i]);
	}
	assert_int_equal(xport_pending(e.x), N);
	xt_run(&e);
	for (int i = 0; i < N; i++) {
		snprintf(want, sizeof want, "echo job-%d", i);
		assert_int_equal(o[i].calls, 1);
		assert_int_equal(o[i].status, LLM_OK);
		assert_string_equal(o[i].text, want);
		xt_outcome_clear(&o[i]);
	}
	assert_int_equal(fakellm_requests(e.f), N);
	assert_true(fakellm_max_inflight(e.f) <= 10);
	assert_true(fakellm_max_inflight(e.f) >= 2);
	free(o);
	xt_env_stop(&e);
}

static void test_stream(void **state)
{
	const char *text = "A long streamed answer that arrives in several deltas, "
			   "each one a piece of this sentence, until the end marker.";
	struct fakellm_opts fo = { .reply = { .content = text } };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };

	xt_env_start(&e, &fo);
	xt_submit_req(&e, "hello", 1, NULL, &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, text);
	assert_string_equal(o.finish, "stop");
	assert_non_null(strstr(o.body, "data: [DONE]"));
	assert_int_equal(o.attempts, 1);
	xt_outcome_clear(&o);

	/* an HTTP error on a stream request goes to the provider's parse */
	fakellm_set_fault(e.f, &(struct fakellm_fault){ .kind = FAKELLM_STATUS, .status = 401,
							 .every = 1 });
	xt_submit_req(&e, "hello", 1, NULL, &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_HTTP);
	assert_int_equal(o.http, 401);
	assert_int_equal(o.attempts, 1);
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

static void test_stream_anthropic(void **state)
{
	const char *text = "Messages arrive as named events: message_start, content_block_delta "
			   "and, at the very end, message_stop.";
	struct fakellm_opts fo = { .reply = { .content = text } };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };
	char url[128], body[] = "{\"model\":\"fake\",\"stream\":true,\"max_tokens\":100,"
				"\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
	llm_message m = { "user", "hi" };
	llm_request req = { .model = "fake", .messages = &m, .nmessages = 1, .stream = 1 };
	llm_http h = { .url = url, .body = body, .body_len = strlen(body) };

	xt_env_start(&e, &fo);
	snprintf(url, sizeof url, "%s/messages", e.f->v1_url);
	assert_int_equal(xport_submit(e.x, &xt_anthropic_provider, &req, &h, xt_on_done, &o, &o.job), 0);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, text);
	assert_int_equal(fakellm_path_requests(e.f, "/v1/messages"), 1);
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

static void test_stream_faults(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_NO_END, .every = 1 } };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };

	xt_env_start(&e, &fo);
	/* ended cleanly before its finish reason and [DONE]: cut short, and
	 * not retried (the server said it was done) */
	xt_submit_req(&e, "hello", 1, NULL, &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(fakellm_requests(e.f), 1);
	xt_outcome_clear(&o);

	/* an error event mid-stream: the API's words, not retried */
	fakellm_set_fault(e.f, &(struct fakellm_fault){ .kind = FAKELLM_STREAM_ERROR, .every = 1 });
	xt_submit_req(&e, "hello", 1, NULL, &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_ERR_HTTP);
	assert_int_equal(o.http, 200);
	assert_int_equal(o.attempts, 1);
	assert_non_null(strstr(o.error, "Overloaded"));
	xt_outcome_clear(&o);

	/* connection cut mid-stream: retried */
	fakellm_set_fault(e.f, &(struct fakellm_fault){ .kind = FAKELLM_TRUNCATED, .first = 1 });
	xt_submit_req(&e, "cut", 1, NULL, &o);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(o.attempts, 2);
	assert_string_equal(o.text, "ok");
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

/* A schema request ends with the parsed reply, streamed or not. */
static void test_structured_reply(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "{\"verdict\":\"handled\",\"confidence\":0.8}" } };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };
	cJSON *schema;

	xt_env_start(&e, &fo);
	for (int stream = 0; stream <= 1; stream++) {
		schema = cJSON_Parse("{\"type\":\"object\",\"properties\":{\"verdict\":{\"type\":"
				     "\"string\"},\"confidence\":{\"type\":\"number\"}},"
				     "\"required\":[\"verdict\",\"confidence\"]}");
		xt_submit_req(&e, "judge", stream, schema, &o);
		cJSON_Delete(schema); /* the transport keeps its own copy */
		xt_run(&e);
		assert_int_equal(o.status, LLM_OK);
		assert_non_null(o.json);
		assert_string_equal(cJSON_GetObjectItem(o.json, "verdict")->valuestring, "handled");
		xt_outcome_clear(&o);
	}
	xt_env_stop(&e);
}

static void test_cancel_one(void **state)
{
	struct fakellm_opts fo = { .latency_ms = 300 };
	struct xt_env e = { 0 };
	struct xt_outcome o[3] = { 0 };

	xt_env_start(&e, &fo);
	for (int i = 0; i < 3; i++)
		xt_submit(&e, i == 1 ? "cancel-me" : "keep", &o[i]);
	assert_int_equal(xport_step(e.x, -1, 50), 0);
	xport_cancel(e.x, o[1].job);
	assert_int_equal(o[1].calls, 1);
	assert_int_equal(o[1].status, LLM_ERR_CANCELLED);
	assert_int_equal(xport_pending(e.x), 2);
	xport_cancel(e.x, o[1].job); /* no second callback */
	xport_cancel(e.x, 999999);
	xt_run(&e);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(o[i].calls, 1);
		assert_int_equal(o[i].status, i == 1 ? LLM_ERR_CANCELLED : LLM_OK);
		xt_outcome_clear(&o[i]);
	}
	xt_env_stop(&e);
}

/* A job waiting for its retry is cancelled at once, not after the wait. */
static void test_cancel_waiting_retry(void **state)
{
	int retry_after = 30;
	struct fakellm_opts fo = { .handler = xt_rate_limit_one, .ud = &retry_after };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };
	struct xt_retry_log log = { 0 };
	double t0 = xt_now_ms();

	xport_opts_default(&e.o);
	xt_env_start(&e, &fo);
	xport_set_retry_cb(e.x, xt_on_retry, &log);
	xt_submit(&e, "retry-me", &o);
	while (!log.calls)
		assert_true(xport_step(e.x, -1, 100) >= 0);
	assert_int_equal(xport_step(e.x, -1, 100), 0);
	xport_cancel(e.x, o.job);
	assert_int_equal(o.status, LLM_ERR_CANCELLED);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(xport_pending(e.x), 0);
	assert_true(xt_now_ms() - t0 < 5000);
	xt_outcome_clear(&o);
	xt_env_stop(&e);
}

static void test_cancel_all(void **state)
{
	enum { N = 20 };
	struct fakellm_opts fo = { .latency_ms = 2000 };
	struct xt_env e = { 0 };
	struct xt_outcome o[N] = { 0 };
	double t0 = xt_now_ms();

	xport_opts_default(&e.o);
	e.o.concurrency = 4;
	xt_env_start(&e, &fo);
	for (int i = 0; i < N; i++)
		xt_submit(&e, "slow", &o[i]);
	for (int i = 0; i < 5; i++)
		assert_int_equal(xport_step(e.x, -1, 20), 0);
	xport_cancel_all(e.x);
	assert_int_equal(xport_pending(e.x), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(o[i].calls, 1);
		assert_int_equal(o[i].status, LLM_ERR_CANCELLED);
		xt_outcome_clear(&o[i]);
	}
	assert_true(xt_now_ms() - t0 < 1500);
	xt_env_stop(&e);
}

/* xport_free with jobs in flight: no callbacks, nothing leaked. */
static void test_free_with_jobs_pending(void **state)
{
	struct fakellm_opts fo = { .latency_ms = 500 };
	struct xt_env e = { 0 };
	struct xt_outcome o[3] = { 0 };

	xt_env_start(&e, &fo);
	for (int i = 0; i < 3; i++)
		xt_submit(&e, "pending", &o[i]);
	assert_int_equal(xport_step(e.x, -1, 50), 0);
	xt_env_stop(&e);
	for (int i = 0; i < 3; i++)
		assert_int_equal(o[i].calls, 0);
}

struct writer {
	int fd;
	int delay_ms;
};

static void *write_later(void *arg)
{
	struct writer *w = arg;
	struct timespec ts = { 0, (long)w->delay_ms * 1000000L };

	nanosleep(&ts, NULL);
	if (write(w->fd, "k", 1) != 1)
		abort();
	return NULL;
}

static void test_step_wakes_on_extra_fd(void **state)
{
	struct fakellm_opts fo = { .latency_ms = 1500 };
	struct xt_env e = { 0 };
	struct xt_outcome o = { 0 };
	struct writer w;
	pthread_t t;
	int p[2];
	double t0;
	char c;
	int rc;

	assert_int_equal(pipe(p), 0);
	xt_env_start(&e, &fo);
	xt_submit(&e, "hello", &o);
	/* nothing to read: the step times out with 0 */
	assert_int_equal(xport_step(e.x, p[0], 50), 0);
	/* a key arrives while the request is pending: 1, at once */
	w = (struct writer){ p[1], 200 };
	assert_int_equal(pthread_create(&t, NULL, write_later, &w), 0);
	/* curl activity may end a step early (0); the key must end one with 1 */
	t0 = xt_now_ms();
	while ((rc = xport_step(e.x, p[0], 5000)) == 0 && xt_now_ms() - t0 < 1000)
		;
	assert_int_equal(rc, 1);
	assert_true(xt_now_ms() - t0 < 1000);
	assert_int_equal(xport_pending(e.x), 1);
	pthread_join(t, NULL);
	assert_int_equal(read(p[0], &c, 1), 1);
	xt_run(&e);
	assert_int_equal(o.status, LLM_OK);
	xt_outcome_clear(&o);
	close(p[0]);
	close(p[1]);
	xt_env_stop(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrency_cap),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_anthropic),
		cmocka_unit_test(test_stream_faults),
		cmocka_unit_test(test_structured_reply),
		cmocka_unit_test(test_cancel_one),
		cmocka_unit_test(test_cancel_waiting_retry),
		cmocka_unit_test(test_cancel_all),
		cmocka_unit_test(test_free_with_jobs_pending),
		cmocka_unit_test(test_step_wakes_on_extra_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
