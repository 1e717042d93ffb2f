/* test_transport.c — the llm transport against the fake LLM server over
 * loopback: retries, faults, caps, streams, concurrency, cancellation and
 * the event loop's extra descriptor. */
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

#include "codicil/transport.h"
#include "../support/fakellm.h"

#define KEY "sk-test-0123456789SECRET"
#define CHAT "/chat/completions"

/* ---- a minimal OpenAI-shaped provider, enough for the transport ---- */

static const cJSON *first_choice(const cJSON *j)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "choices"), 0);
}

static int tp_parse(const llm_request *req, long status, const char *body, size_t len,
		    llm_response *out)
{
	const cJSON *msg, *content;
	cJSON *j;

	if (status < 200 || status >= 300)
		return llm_response_fail(out, LLM_ERR_HTTP, "the API answered HTTP %ld", status);
	j = cJSON_ParseWithLength(body, len);
	msg = cJSON_GetObjectItemCaseSensitive(first_choice(j), "message");
	content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	if (!cJSON_IsString(content)) {
		cJSON_Delete(j);
		return llm_response_fail(out, LLM_ERR_PARSE, "the reply is not a chat completion");
	}
	out->text = strdup(content->valuestring);
	out->status = LLM_OK;
	cJSON_Delete(j);
	return 0;
}

static int tp_stream_event(llm_stream *st, const char *event, const char *data)
{
	const cJSON *choice, *content, *finish;
	cJSON *j;

	if (!strcmp(data, "[DONE]")) {
		st->done = 1;
		return 0;
	}
	j = cJSON_Parse(data);
	if (!j)
		return -1;
	choice = first_choice(j);
	content = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(choice, "delta"), "content");
	finish = cJSON_GetObjectItemCaseSensitive(choice, "finish_reason");
	if (cJSON_IsString(content))
		cd_buf_puts(&st->text, content->valuestring);
	if (cJSON_IsString(finish)) {
		free(st->finish_reason);
		st->finish_reason = strdup(finish->valuestring);
	}
	cJSON_Delete(j);
	return 0;
}

static const llm_provider test_provider = {
	.name = "test",
	.parse = tp_parse,
	.stream_event = tp_stream_event,
};

/* ---- what a done callback saw ---- */

struct outcome {
	int calls;
	unsigned job, done_job;
	llm_status status;
	long http;
	int attempts;
	long latency_ms;
	double retry_after;
	char *text, *error, *body, *finish;
	cJSON *json;
};

static void on_done(void *ud, unsigned job, llm_response *r)
{
	struct outcome *o = ud;

	o->calls++;
	o->done_job = job;
	o->status = r->status;
	o->http = r->http_status;
	o->attempts = r->attempts;
	o->latency_ms = r->latency_ms;
	o->retry_after = r->retry_after;
	o->text = r->text;
	o->error = r->error;
	o->body = r->body;
	o->finish = r->finish_reason;
	o->json = r->json;
	r->text = r->error = r->body = r->finish_reason = NULL;
	r->json = NULL;
}

static void outcome_clear(struct outcome *o)
{
	free(o->text);
	free(o->error);
	free(o->body);
	free(o->finish);
	cJSON_Delete(o->json);
	memset(o, 0, sizeof *o);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- one fake server and one transport per test ---- */

struct env {
	struct fakellm *f;
	xport *x;
	xport_opts o;
};

static void env_start(struct env *e, const struct fakellm_opts *fo)
{
	e->f = fakellm_start(fo);
	assert_non_null(e->f);
	if (!e->o.concurrency) {
		xport_opts_default(&e->o);
		e->o.backoff_base_s = 0.01;
		e->o.backoff_cap_s = 5;
		e->o.retries = 3;
		e->o.stall_timeout_s = 10;
		e->o.connect_timeout_s = 5;
	}
	assert_int_equal(xport_new(&e->o, &e->x), 0);
}

static void env_stop(struct env *e)
{
	xport_free(e->x);
	fakellm_stop(e->f);
}

static void submit_req(struct env *e, const char *msg, int stream, const cJSON *schema,
		       struct outcome *o)
{
	char url[128], body[1024], ctype[] = "Content-Type: application/json",
			       auth[] = "Authorization: Bearer " KEY;
	char *headers[] = { ctype, auth, NULL };
	llm_message m = { "user", msg };
	llm_request req = { .model = "fake", .messages = &m, .nmessages = 1, .stream = stream,
			    .temperature = -1, .schema = schema, .schema_name = "reply" };
	llm_http h = { .url = url, .headers = headers, .body = body };

	snprintf(url, sizeof url, "%s%s", e->f->v1_url, CHAT);
	snprintf(body, sizeof body,
		 "{\"model\":\"fake\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}",
		 stream ? "true" : "false", msg);
	h.body_len = strlen(body);
	assert_int_equal(xport_submit(e->x, &test_provider, &req, &h, on_done, o, &o->job), 0);
	assert_true(o->job > 0);
}

static void submit(struct env *e, const char *msg, struct outcome *o)
{
	submit_req(e, msg, 0, NULL, o);
}

static void run(struct env *e)
{
	assert_int_equal(xport_run(e->x), 0);
	assert_int_equal(xport_pending(e->x), 0);
}

/* One request against a fault plan; the outcome is left in o. */
static void one(const struct fakellm_fault *fault, int retries, struct outcome *o,
		unsigned long *server_requests)
{
	struct fakellm_opts fo = { .fault = *fault };
	struct env e = { 0 };

	xport_opts_default(&e.o);
	e.o.backoff_base_s = 0.01;
	e.o.backoff_cap_s = 5;
	e.o.retries = retries;
	env_start(&e, &fo);
	submit(&e, "hello", o);
	run(&e);
	assert_int_equal(o->calls, 1);
	assert_int_equal(o->done_job, o->job);
	*server_requests = fakellm_requests(e.f);
	env_stop(&e);
	if (o->error) {
		assert_null(strstr(o->error, KEY));
		assert_null(strstr(o->error, "Authorization"));
	}
}

/* ---- tests ---- */

static void test_plain_reply(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "Principle 3 fails here." } };
	struct env e = { 0 };
	struct outcome o = { 0 };
	char *auth, *body;

	env_start(&e, &fo);
	submit(&e, "find a counter-example", &o);
	run(&e);
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, "Principle 3 fails here.");
	assert_int_equal(o.http, 200);
	assert_int_equal(o.attempts, 1);
	assert_true(o.latency_ms >= 0);
	assert_non_null(strstr(o.body, "\"chat.completion\""));
	auth = fakellm_last_header(e.f, "authorization");
	body = fakellm_last_body(e.f);
	assert_string_equal(auth, "Bearer " KEY);
	assert_non_null(strstr(body, "find a counter-example"));
	assert_int_equal(fakellm_path_requests(e.f, "/v1" CHAT), 1);
	free(auth);
	free(body);
	outcome_clear(&o);
	env_stop(&e);
}

static void test_5xx_retried_then_success(void **state)
{
	static const int statuses[] = { 408, 409, 429, 500, 502, 503, 504, 529 };

	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		struct fakellm_fault f = { .kind = FAKELLM_STATUS, .status = statuses[i], .first = 2 };
		struct outcome o = { 0 };
		unsigned long n;

		one(&f, 3, &o, &n);
		assert_int_equal(o.status, LLM_OK);
		assert_int_equal(o.attempts, 3);
		assert_int_equal(n, 3);
		assert_string_equal(o.text, "ok");
		outcome_clear(&o);
	}
}

static void test_503_forever_gives_up(void **state)
{
	struct fakellm_fault f = { .kind = FAKELLM_STATUS, .status = 503, .every = 1 };
	struct outcome o = { 0 };
	unsigned long n;

	one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_ERR_HTTP);
	assert_int_equal(o.http, 503);
	assert_int_equal(o.attempts, 4);
	assert_int_equal(n, 4);
	outcome_clear(&o);
}

static void test_4xx_not_retried(void **state)
{
	static const int statuses[] = { 400, 401, 403, 404 };

	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		struct fakellm_fault f = { .kind = FAKELLM_STATUS, .status = statuses[i], .every = 1 };
		struct outcome o = { 0 };
		unsigned long n;

		one(&f, 3, &o, &n);
		assert_int_equal(o.status, LLM_ERR_HTTP);
		assert_int_equal(o.http, statuses[i]);
		assert_int_equal(o.attempts, 1);
		assert_int_equal(n, 1);
		assert_non_null(strstr(o.body, "\"error\""));
		outcome_clear(&o);
	}
}

struct retry_log {
	int calls;
	double delay_s;
	char why[64];
};

static void on_retry(void *ud, unsigned job, int attempt, double delay_s, const char *why)
{
	struct retry_log *l = ud;

	l->calls++;
	l->delay_s = delay_s;
	snprintf(l->why, sizeof l->why, "%s", why);
}

/* Only the request that says "retry-me" gets a 429 on its first attempt. */
static void rate_limit_one(void *ud, const struct fakellm_request *req,
			   struct fakellm_reply *reply, struct fakellm_fault *fault)
{
	if (strstr(req->body, "retry-me") && req->attempt == 1) {
		fault->kind = FAKELLM_STATUS;
		fault->status = 429;
		fault->retry_after_s = *(int *)ud;
	}
}

/* Retry-After: 1 is honoured, and the wait does not hold up another job. */
static void test_429_retry_after_honoured(void **state)
{
	int retry_after = 1;
	struct fakellm_opts fo = { .handler = rate_limit_one, .ud = &retry_after };
	struct env e = { 0 };
	struct outcome a = { 0 }, b = { 0 };
	struct retry_log log = { 0 };
	double t0 = now_ms(), b_done = -1;

	env_start(&e, &fo);
	xport_set_retry_cb(e.x, on_retry, &log);
	submit(&e, "retry-me", &a);
	submit(&e, "other", &b);
	while (xport_pending(e.x)) {
		assert_true(xport_step(e.x, -1, -1) >= 0);
		if (b.calls && b_done < 0)
			b_done = now_ms() - t0;
	}
	assert_int_equal(a.status, LLM_OK);
	assert_int_equal(a.attempts, 2);
	assert_true(a.latency_ms >= 950);
	assert_int_equal(log.calls, 1);
	assert_true(log.delay_s == 1.0);
	assert_string_equal(log.why, "HTTP 429");
	assert_int_equal(b.status, LLM_OK);
	assert_true(b_done >= 0 && b_done < 800);
	outcome_clear(&a);
	outcome_clear(&b);
	env_stop(&e);
}

/* A Retry-After longer than the cap waits only the cap. */
static void test_retry_after_capped(void **state)
{
	int retry_after = 30;
	struct fakellm_opts fo = { .handler = rate_limit_one, .ud = &retry_after };
	struct env e = { 0 };
	struct outcome o = { 0 };
	struct retry_log log = { 0 };

	xport_opts_default(&e.o);
	e.o.backoff_cap_s = 0.2;
	env_start(&e, &fo);
	xport_set_retry_cb(e.x, on_retry, &log);
	submit(&e, "retry-me", &o);
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(o.attempts, 2);
	assert_true(log.delay_s == 0.2);
	assert_true(o.latency_ms < 5000);
	outcome_clear(&o);
	env_stop(&e);
}

static void test_reset_connection(void **state)
{
	struct fakellm_fault f = { .kind = FAKELLM_RESET, .first = 2 };
	struct outcome o = { 0 };
	unsigned long n;

	one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(o.attempts, 3);
	outcome_clear(&o);

	f.every = 1;
	one(&f, 1, &o, &n);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 2);
	assert_int_equal(n, 2);
	assert_non_null(strstr(o.error, "127.0.0.1"));
	assert_null(strstr(o.error, CHAT));
	outcome_clear(&o);
}

static void test_truncated_body(void **state)
{
	struct fakellm_fault f = { .kind = FAKELLM_TRUNCATED, .first = 1 };
	struct outcome o = { 0 };
	unsigned long n;

	/* fewer bytes than Content-Length: a transfer error, retried */
	one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(o.attempts, 2);
	outcome_clear(&o);

	f.every = 1;
	one(&f, 2, &o, &n);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 3);
	outcome_clear(&o);

	/* a clean HTTP end with half the JSON: the provider's parse error */
	f.kind = FAKELLM_NO_END;
	one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_ERR_PARSE);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(n, 1);
	outcome_clear(&o);
}

static void test_not_json_is_parse_error(void **state)
{
	struct fakellm_fault f = { .kind = FAKELLM_NOT_JSON, .every = 1 };
	struct outcome o = { 0 };
	unsigned long n;

	one(&f, 3, &o, &n);
	assert_int_equal(o.status, LLM_ERR_PARSE);
	assert_int_equal(o.http, 200);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(n, 1);
	assert_non_null(strstr(o.body, "<html>"));
	outcome_clear(&o);
}

static void test_stall_timeout(void **state)
{
	struct fakellm_opts fo = {
		.fault = { .kind = FAKELLM_STALL, .every = 1, .stall_ms = 6000 },
	};
	struct env e = { 0 };
	struct outcome o = { 0 };

	xport_opts_default(&e.o);
	e.o.retries = 0;
	e.o.stall_timeout_s = 1;
	env_start(&e, &fo);
	submit(&e, "hello", &o);
	run(&e);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 1);
	assert_true(o.latency_ms >= 900 && o.latency_ms < 4000);
	assert_non_null(strstr(o.error, "sent nothing for 1 s"));
	outcome_clear(&o);

	/* a pause shorter than the stall timeout is no stall */
	fakellm_set_fault(e.f, &(struct fakellm_fault){ .kind = FAKELLM_STALL, .every = 1,
							 .stall_ms = 300 });
	submit(&e, "hello", &o);
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, "ok");
	outcome_clear(&o);
	env_stop(&e);
}

static void test_oversized_not_retried(void **state)
{
	struct fakellm_opts fo = {
		.fault = { .kind = FAKELLM_OVERSIZED, .every = 1, .oversize_bytes = 2 << 20 },
	};
	struct env e = { 0 };
	struct outcome o = { 0 };

	xport_opts_default(&e.o);
	e.o.retries = 3;
	e.o.backoff_base_s = 0.01;
	e.o.max_body = 1 << 20;
	env_start(&e, &fo);
	submit(&e, "hello", &o);
	run(&e);
	assert_int_equal(o.status, LLM_ERR_TOO_LARGE);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(fakellm_requests(e.f), 1);
	assert_null(o.body);
	outcome_clear(&o);
	env_stop(&e);

	/* under a larger cap the same reply arrives whole */
	memset(&e, 0, sizeof e);
	xport_opts_default(&e.o);
	e.o.max_body = 4 << 20;
	env_start(&e, &fo);
	submit(&e, "hello", &o);
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(strlen(o.text), 2 << 20);
	outcome_clear(&o);
	env_stop(&e);
}

static void test_escape_sequences_verbatim(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_HOSTILE, .every = 1 } };
	struct env e = { 0 };
	struct outcome o = { 0 };

	env_start(&e, &fo);
	submit(&e, "hello", &o);
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, FAKELLM_HOSTILE_TEXT);
	outcome_clear(&o);

	submit_req(&e, "hello", 1, NULL, &o);
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, FAKELLM_HOSTILE_TEXT);
	outcome_clear(&o);
	env_stop(&e);
}

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
	struct env e = { 0 };
	struct outcome *o = calloc(N, sizeof *o);
	char msg[32], want[64];

	xport_opts_default(&e.o);
	e.o.concurrency = 10;
	env_start(&e, &fo);
	for (int i = 0; i < N; i++) {
		snprintf(msg, sizeof msg, "job-%d", i);
		submit(&e, msg, &o[i]);
	}
	assert_int_equal(xport_pending(e.x), N);
	run(&e);
	for (int i = 0; i < N; i++) {
		snprintf(want, sizeof want, "echo job-%d", i);
		assert_int_equal(o[i].calls, 1);
		assert_int_equal(o[i].status, LLM_OK);
		assert_string_equal(o[i].text, want);
		outcome_clear(&o[i]);
	}
	assert_int_equal(fakellm_requests(e.f), N);
	assert_true(fakellm_max_inflight(e.f) <= 10);
	assert_true(fakellm_max_inflight(e.f) >= 2);
	free(o);
	env_stop(&e);
}

static void test_stream(void **state)
{
	const char *text = "A long streamed answer that arrives in several deltas, "
			   "each one a piece of this sentence, until the end marker.";
	struct fakellm_opts fo = { .reply = { .content = text } };
	struct env e = { 0 };
	struct outcome o = { 0 };

	env_start(&e, &fo);
	submit_req(&e, "hello", 1, NULL, &o);
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_string_equal(o.text, text);
	assert_string_equal(o.finish, "stop");
	assert_non_null(strstr(o.body, "data: [DONE]"));
	assert_int_equal(o.attempts, 1);
	outcome_clear(&o);

	/* an HTTP error on a stream request goes to the provider's parse */
	fakellm_set_fault(e.f, &(struct fakellm_fault){ .kind = FAKELLM_STATUS, .status = 401,
							 .every = 1 });
	submit_req(&e, "hello", 1, NULL, &o);
	run(&e);
	assert_int_equal(o.status, LLM_ERR_HTTP);
	assert_int_equal(o.http, 401);
	assert_int_equal(o.attempts, 1);
	outcome_clear(&o);
	env_stop(&e);
}

static void test_stream_faults(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_NO_END, .every = 1 } };
	struct env e = { 0 };
	struct outcome o = { 0 };

	env_start(&e, &fo);
	/* ended cleanly without [DONE]: a truncated reply, not retried */
	submit_req(&e, "hello", 1, NULL, &o);
	run(&e);
	assert_int_equal(o.status, LLM_ERR_PARSE);
	assert_int_equal(o.attempts, 1);
	outcome_clear(&o);

	/* connection cut mid-stream: retried */
	fakellm_set_fault(e.f, &(struct fakellm_fault){ .kind = FAKELLM_TRUNCATED, .first = 1 });
	submit_req(&e, "cut", 1, NULL, &o);
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_int_equal(o.attempts, 2);
	assert_string_equal(o.text, "ok");
	outcome_clear(&o);
	env_stop(&e);
}

static void test_stream_structured(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "{\"verdict\":\"handled\",\"confidence\":0.8}" } };
	struct env e = { 0 };
	struct outcome o = { 0 };
	cJSON *schema = cJSON_Parse("{\"type\":\"object\",\"properties\":{\"verdict\":{\"type\":"
				    "\"string\"},\"confidence\":{\"type\":\"number\"}},"
				    "\"required\":[\"verdict\",\"confidence\"]}");

	env_start(&e, &fo);
	submit_req(&e, "judge", 1, schema, &o);
	cJSON_Delete(schema); /* the transport keeps its own copy */
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	assert_non_null(o.json);
	assert_string_equal(cJSON_GetObjectItem(o.json, "verdict")->valuestring, "handled");
	outcome_clear(&o);
	env_stop(&e);
}

static void test_cancel_one(void **state)
{
	struct fakellm_opts fo = { .latency_ms = 300 };
	struct env e = { 0 };
	struct outcome o[3] = { 0 };

	env_start(&e, &fo);
	for (int i = 0; i < 3; i++)
		submit(&e, i == 1 ? "cancel-me" : "keep", &o[i]);
	assert_int_equal(xport_step(e.x, -1, 50), 0);
	xport_cancel(e.x, o[1].job);
	assert_int_equal(o[1].calls, 1);
	assert_int_equal(o[1].status, LLM_ERR_CANCELLED);
	assert_int_equal(xport_pending(e.x), 2);
	xport_cancel(e.x, o[1].job); /* no second callback */
	xport_cancel(e.x, 999999);
	run(&e);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(o[i].calls, 1);
		assert_int_equal(o[i].status, i == 1 ? LLM_ERR_CANCELLED : LLM_OK);
		outcome_clear(&o[i]);
	}
	env_stop(&e);
}

/* A job waiting for its retry is cancelled at once, not after the wait. */
static void test_cancel_waiting_retry(void **state)
{
	int retry_after = 30;
	struct fakellm_opts fo = { .handler = rate_limit_one, .ud = &retry_after };
	struct env e = { 0 };
	struct outcome o = { 0 };
	struct retry_log log = { 0 };
	double t0 = now_ms();

	xport_opts_default(&e.o);
	env_start(&e, &fo);
	xport_set_retry_cb(e.x, on_retry, &log);
	submit(&e, "retry-me", &o);
	while (!log.calls)
		assert_true(xport_step(e.x, -1, 100) >= 0);
	assert_int_equal(xport_step(e.x, -1, 100), 0);
	xport_cancel(e.x, o.job);
	assert_int_equal(o.status, LLM_ERR_CANCELLED);
	assert_int_equal(o.attempts, 1);
	assert_int_equal(xport_pending(e.x), 0);
	assert_true(now_ms() - t0 < 5000);
	outcome_clear(&o);
	env_stop(&e);
}

static void test_cancel_all(void **state)
{
	enum { N = 20 };
	struct fakellm_opts fo = { .latency_ms = 2000 };
	struct env e = { 0 };
	struct outcome o[N] = { 0 };
	double t0 = now_ms();

	xport_opts_default(&e.o);
	e.o.concurrency = 4;
	env_start(&e, &fo);
	for (int i = 0; i < N; i++)
		submit(&e, "slow", &o[i]);
	for (int i = 0; i < 5; i++)
		assert_int_equal(xport_step(e.x, -1, 20), 0);
	xport_cancel_all(e.x);
	assert_int_equal(xport_pending(e.x), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(o[i].calls, 1);
		assert_int_equal(o[i].status, LLM_ERR_CANCELLED);
		outcome_clear(&o[i]);
	}
	assert_true(now_ms() - t0 < 1500);
	env_stop(&e);
}

/* xport_free with jobs in flight: no callbacks, nothing leaked. */
static void test_free_with_jobs_pending(void **state)
{
	struct fakellm_opts fo = { .latency_ms = 500 };
	struct env e = { 0 };
	struct outcome o[3] = { 0 };

	env_start(&e, &fo);
	for (int i = 0; i < 3; i++)
		submit(&e, "pending", &o[i]);
	assert_int_equal(xport_step(e.x, -1, 50), 0);
	env_stop(&e);
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
	struct env e = { 0 };
	struct outcome o = { 0 };
	struct writer w;
	pthread_t t;
	int p[2];
	double t0;
	char c;
	int rc;

	assert_int_equal(pipe(p), 0);
	env_start(&e, &fo);
	submit(&e, "hello", &o);
	/* nothing to read: the step times out with 0 */
	assert_int_equal(xport_step(e.x, p[0], 50), 0);
	/* a key arrives while the request is pending: 1, at once */
	w = (struct writer){ p[1], 200 };
	assert_int_equal(pthread_create(&t, NULL, write_later, &w), 0);
	/* curl activity may end a step early (0); the key must end one with 1 */
	t0 = now_ms();
	while ((rc = xport_step(e.x, p[0], 5000)) == 0 && now_ms() - t0 < 1000)
		;
	assert_int_equal(rc, 1);
	assert_true(now_ms() - t0 < 1000);
	assert_int_equal(xport_pending(e.x), 1);
	pthread_join(t, NULL);
	assert_int_equal(read(p[0], &c, 1), 1);
	run(&e);
	assert_int_equal(o.status, LLM_OK);
	outcome_clear(&o);
	close(p[0]);
	close(p[1]);
	env_stop(&e);
}

static void test_connection_refused(void **state)
{
	struct env e = { 0 };
	struct outcome o = { 0 };
	int port;

	env_start(&e, NULL);
	port = e.f->port;
	fakellm_stop(e.f);
	e.f = NULL;
	{
		char url[64], body[] = "{}";
		llm_message m = { "user", "x" };
		llm_request req = { .model = "fake", .messages = &m, .nmessages = 1 };
		llm_http h = { .url = url, .body = body, .body_len = 2 };

		snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/chat/completions", port);
		assert_int_equal(xport_submit(e.x, &test_provider, &req, &h, on_done, &o, &o.job), 0);
	}
	run(&e);
	assert_int_equal(o.status, LLM_ERR_TRANSPORT);
	assert_int_equal(o.attempts, 4);
	assert_int_equal(o.http, 0);
	outcome_clear(&o);
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
		cmocka_unit_test(test_oversized_not_retried),
		cmocka_unit_test(test_escape_sequences_verbatim),
		cmocka_unit_test(test_concurrency_cap),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_faults),
		cmocka_unit_test(test_stream_structured),
		cmocka_unit_test(test_cancel_one),
		cmocka_unit_test(test_cancel_waiting_retry),
		cmocka_unit_test(test_cancel_all),
		cmocka_unit_test(test_free_with_jobs_pending),
		cmocka_unit_test(test_step_wakes_on_extra_fd),
		cmocka_unit_test(test_connection_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
