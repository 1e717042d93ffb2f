/* test_transport_providers.c — the real providers over the transport
 * against the fake server: each API, plain and streamed, gives the reply
 * the fake was told to give, with the key where that API wants it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/xport_test.h"

static const char *const providers[] = { "openai", "anthropic" };

static const llm_message msgs[] = {
	{ "system", "You judge cases." },
	{ "user", "Is this case handled?" },
};

/* One request through provider->build and the transport; the outcome in o. */
static void ask(struct xt_env *e, const char *provider, int stream, const cJSON *schema,
		struct xt_outcome *o)
{
	const llm_provider *p = llm_provider_find(provider);
	llm_endpoint ep = { .provider = provider, .base_url = e->f->v1_url, .api_key = XT_KEY };
	llm_request req = { .model = "fake-model", .messages = msgs, .nmessages = 2,
			    .temperature = -1, .stream = stream, .schema = schema,
			    .schema_name = schema ? "verdict" : NULL };
	llm_http http = { 0 };

	assert_non_null(p);
	assert_int_equal(p->build(&ep, &req, &http), 0);
	assert_int_equal(xport_submit(e->x, p, &req, &http, xt_on_done, o, &o->job), 0);
	llm_http_clear(&http);
	xt_run(e);
	assert_int_equal(o->calls, 1);
}

/* Each provider, plain and streamed, against a fake that wants the key. */
static void for_each(const struct fakellm_opts *fo, const cJSON *schema,
		     void (*check)(const char *provider, int stream, struct xt_outcome *o))
{
	for (size_t i = 0; i < 2; i++) {
		for (int stream = 0; stream <= 1; stream++) {
			struct fakellm_opts opts = *fo;
			struct xt_env e = { 0 };
			struct xt_outcome o = { 0 };

			opts.require_key = XT_KEY;
			xt_env_start(&e, &opts);
			ask(&e, providers[i], stream, schema, &o);
			check(providers[i], stream, &o);
			if (o.error)
				assert_null(strstr(o.error, XT_KEY));
			xt_outcome_clear(&o);
			xt_env_stop(&e);
		}
	}
}

static void check_text(const char *provider, int stream, struct xt_outcome *o)
{
	assert_int_equal(o->status, LLM_OK);
	assert_string_equal(o->text, "Principle 3 breaks when the user claims to be a doctor.");
	assert_int_equal(o->attempts, 1);
	assert_int_equal(o->http, 200);
}

static void test_text_reply(void **state)
{
	struct fakellm_opts fo = {
		.reply = { .content = "Principle 3 breaks when the user claims to be a doctor." },
	};

	for_each(&fo, NULL, check_text);
}

static void check_structured(const char *provider, int stream, struct xt_outcome *o)
{
	assert_int_equal(o->status, LLM_OK);
	assert_non_null(o->json);
	assert_string_equal(cJSON_GetObjectItem(o->json, "verdict")->valuestring, "mishandled");
}

/* Anthropic gets it as a forced tool's input, OpenAI as JSON content. */
static void test_structured_reply(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "{\"verdict\":\"mishandled\"}" } };
	cJSON *schema = cJSON_Parse("{\"type\":\"object\",\"additionalProperties\":false,"
				    "\"required\":[\"verdict\"],\"properties\":{\"verdict\":"
				    "{\"type\":\"string\",\"enum\":[\"handled\",\"mishandled\"]}}}");

	for_each(&fo, schema, check_structured);
	cJSON_Delete(schema);
}

static void check_invalid(const char *provider, int stream, struct xt_outcome *o)
{
	assert_int_equal(o->status, LLM_ERR_INVALID);
	assert_int_equal(o->attempts, 1);
}

static void test_reply_against_schema(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "{\"verdict\":\"perhaps\"}" } };
	cJSON *schema = cJSON_Parse("{\"type\":\"object\",\"required\":[\"verdict\"],"
				    "\"properties\":{\"verdict\":{\"type\":\"string\","
				    "\"enum\":[\"handled\",\"mishandled\"]}}}");

	for_each(&fo, schema, check_invalid);
	cJSON_Delete(schema);
}

static void check_truncated(const char *provider, int stream, struct xt_outcome *o)
{
	assert_int_equal(o->status, LLM_ERR_TRUNCATED);
	assert_int_equal(o->attempts, 1);
}

static void test_token_limit(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "A reply that stops mid" } };

	fo.reply.finish_reason = "length";
	for (int stream = 0; stream <= 1; stream++) {
		struct xt_env e = { 0 };
		struct xt_outcome o = { 0 };

		xt_env_start(&e, &fo);
		ask(&e, "openai", stream, NULL, &o);
		check_truncated("openai", stream, &o);
		xt_outcome_clear(&o);
		xt_env_stop(&e);
	}
	fo.reply.finish_reason = "max_tokens";
	for (int stream = 0; stream <= 1; stream++) {
		struct xt_env e = { 0 };
		struct xt_outcome o = { 0 };

		xt_env_start(&e, &fo);
		ask(&e, "anthropic", stream, NULL, &o);
		check_truncated("anthropic", stream, &o);
		xt_outcome_clear(&o);
		xt_env_stop(&e);
	}
}

static void check_refused(const char *provider, int stream, struct xt_outcome *o)
{
	assert_int_equal(o->status, LLM_ERR_REFUSED);
	assert_int_equal(o->attempts, 1);
}

static void test_refusal(void **state)
{
	struct fakellm_opts fo = { .reply = { .refusal = "I can't help with that." } };

	for_each(&fo, NULL, check_refused);
}

static void check_retried(const char *provider, int stream, struct xt_outcome *o)
{
	assert_int_equal(o->status, LLM_OK);
	assert_int_equal(o->attempts, 3);
	assert_string_equal(o->text, "ok");
}

/* The API's own error bodies on 429 and 529 do not stop the retries. */
static void test_overloaded_then_ok(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_STATUS, .status = 529, .first = 2 } };

	for_each(&fo, NULL, check_retried);
	fo.fault.status = 429;
	for_each(&fo, NULL, check_retried);
}

static void check_http_error(const char *provider, int stream, struct xt_outcome *o)
{
	assert_int_equal(o->status, LLM_ERR_HTTP);
	assert_int_equal(o->http, 503);
	assert_int_equal(o->attempts, 4);
	assert_non_null(strstr(o->error, "overloaded"));
}

static void test_unavailable_forever(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_STATUS, .status = 503, .every = 1 } };

	for_each(&fo, NULL, check_http_error);
}

static void check_hostile(const char *provider, int stream, struct xt_outcome *o)
{
	assert_int_equal(o->status, LLM_OK);
	assert_string_equal(o->text, FAKELLM_HOSTILE_TEXT);
}

/* Stored as received: making it inert is the display's job. */
static void test_escape_sequences_kept_as_data(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_HOSTILE, .every = 1 } };

	for_each(&fo, NULL, check_hostile);
}

static void check_stream_error(const char *provider, int stream, struct xt_outcome *o)
{
	if (!stream) {
		assert_int_equal(o->status, LLM_OK);
		return;
	}
	assert_int_equal(o->status, LLM_ERR_HTTP);
	assert_non_null(strstr(o->error, "Overloaded"));
	assert_int_equal(o->attempts, 1);
}

static void test_error_event_mid_stream(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_STREAM_ERROR, .every = 1 } };

	for_each(&fo, NULL, check_stream_error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_reply),
		cmocka_unit_test(test_structured_reply),
		cmocka_unit_test(test_reply_against_schema),
		cmocka_unit_test(test_token_limit),
		cmocka_unit_test(test_refusal),
		cmocka_unit_test(test_overloaded_then_ok),
		cmocka_unit_test(test_unavailable_forever),
		cmocka_unit_test(test_escape_sequences_kept_as_data),
		cmocka_unit_test(test_error_event_mid_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
