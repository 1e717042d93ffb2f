/* xport_test.c — helpers of the transport tests (see xport_test.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xport_test.h"

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
	const cJSON *choice, *content, *finish, *error;
	cJSON *j;

	if (!strcmp(data, "[DONE]")) {
		st->done = 1;
		return 0;
	}
	j = cJSON_Parse(data);
	if (!j)
		return -1;
	error = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "error"), "message");
	if (cJSON_IsString(error)) {
		free(st->error);
		st->error = strdup(error->valuestring);
	}
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

/* Anthropic's events are told apart by their SSE event name. */
static int tp_anthropic_event(llm_stream *st, const char *event, const char *data)
{
	cJSON *j;
	const cJSON *text;

	if (!event)
		return -1;
	if (!strcmp(event, "message_stop"))
		st->done = 1;
	if (strcmp(event, "content_block_delta"))
		return 0;
	j = cJSON_Parse(data);
	text = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "delta"), "text");
	if (cJSON_IsString(text))
		cd_buf_puts(&st->text, text->valuestring);
	cJSON_Delete(j);
	return j ? 0 : -1;
}

const llm_provider xt_anthropic_provider = {
	.name = "test-anthropic",
	.parse = tp_parse,
	.stream_event = tp_anthropic_event,
};

const llm_provider xt_openai_provider = {
	.name = "test",
	.parse = tp_parse,
	.stream_event = tp_stream_event,
};

void xt_on_done(void *ud, unsigned job, llm_response *r)
{
	struct xt_outcome *o = ud;

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

void xt_outcome_clear(struct xt_outcome *o)
{
	free(o->text);
	free(o->error);
	free(o->body);
	free(o->finish);
	cJSON_Delete(o->json);
	memset(o, 0, sizeof *o);
}

double xt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void xt_env_start(struct xt_env *e, const struct fakellm_opts *fo)
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

void xt_env_stop(struct xt_env *e)
{
	xport_free(e->x);
	fakellm_stop(e->f);
}

void xt_submit_req(struct xt_env *e, const char *msg, int stream, const cJSON *schema,
		       struct xt_outcome *o)
{
	char url[128], body[1024], ctype[] = "Content-Type: application/json",
			       auth[] = "Authorization: Bearer " XT_KEY;
	char *headers[] = { ctype, auth, NULL };
	llm_message m = { "user", msg };
	llm_request req = { .model = "fake", .messages = &m, .nmessages = 1, .stream = stream,
			    .temperature = -1, .schema = schema, .schema_name = "reply" };
	llm_http h = { .url = url, .headers = headers, .body = body };

	snprintf(url, sizeof url, "%s%s", e->f->v1_url, XT_CHAT);
	snprintf(body, sizeof body,
		 "{\"model\":\"fake\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}",
		 stream ? "true" : "false", msg);
	h.body_len = strlen(body);
	assert_int_equal(xport_submit(e->x, &xt_openai_provider, &req, &h, xt_on_done, o, &o->job), 0);
	assert_true(o->job > 0);
}

void xt_submit(struct xt_env *e, const char *msg, struct xt_outcome *o)
{
	xt_submit_req(e, msg, 0, NULL, o);
}

void xt_run(struct xt_env *e)
{
	assert_int_equal(xport_run(e->x), 0);
	assert_int_equal(xport_pending(e->x), 0);
}

/* One request against a fault plan; the outcome is left in o. */
void xt_one(const struct fakellm_fault *fault, int retries, struct xt_outcome *o,
		unsigned long *server_requests)
{
	struct fakellm_opts fo = { .fault = *fault };
	struct xt_env e = { 0 };

	xport_opts_default(&e.o);
	e.o.backoff_base_s = 0.01;
	e.o.backoff_cap_s = 5;
	e.o.retries = retries;
	xt_env_start(&e, &fo);
	xt_submit(&e, "hello", o);
	xt_run(&e);
	assert_int_equal(o->calls, 1);
	assert_int_equal(o->done_job, o->job);
	*server_requests = fakellm_requests(e.f);
	xt_env_stop(&e);
	if (o->error) {
		assert_null(strstr(o->error, XT_KEY));
		assert_null(strstr(o->error, "Authorization"));
	}
}

void xt_on_retry(void *ud, unsigned job, int attempt, double delay_s, const char *why)
{
	struct xt_retry_log *l = ud;

	l->calls++;
	l->delay_s = delay_s;
	snprintf(l->why, sizeof l->why, "%s", why);
}

/* Only the request that says "retry-me" gets a 429 on its first attempt. */
void xt_rate_limit_one(void *ud, const struct fakellm_request *req,
			   struct fakellm_reply *reply, struct fakellm_fault *fault)
{
	if (strstr(req->body, "retry-me") && req->attempt == 1) {
		fault->kind = FAKELLM_STATUS;
		fault->status = 429;
		fault->retry_after_s = *(int *)ud;
	}
}

