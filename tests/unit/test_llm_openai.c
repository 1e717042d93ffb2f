/* The openai provider: the request it builds, the replies it parses, and
 * streamed replies fed through the SSE framer at awkward byte boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/json.h"
#include "codicil/llm.h"

static const char *KEY = "sk-test-0123456789abcdefSECRET";

static const llm_message msgs[] = {
	{ "system", "You judge cases." },
	{ "user", "Is this case handled?" },
};

static const llm_provider *openai(void)
{
	const llm_provider *p = llm_provider_find("openai");
	assert_non_null(p);
	return p;
}

static llm_request plain_request(void)
{
	llm_request r = { .model = "gpt-4.1-mini", .messages = msgs, .nmessages = 2,
			  .temperature = -1 };
	return r;
}

static cJSON *verdict_schema(void)
{
	return cJSON_Parse("{\"type\":\"object\",\"additionalProperties\":false,"
			   "\"required\":[\"verdict\"],\"properties\":{\"verdict\":"
			   "{\"type\":\"string\",\"enum\":[\"handled\",\"mishandled\"]}}}");
}

static int count_headers_with(const llm_http *h, const char *needle)
{
	int n = 0;
	for (char **p = h->headers; *p; p++)
		n += strstr(*p, needle) != NULL;
	return n;
}

static int has_header(const llm_http *h, const char *line)
{
	for (char **p = h->headers; *p; p++)
		if (!strcmp(*p, line))
			return 1;
	return 0;
}

static void test_registry(void **state)
{
	const llm_provider *p = openai();

	assert_string_equal(p->default_base_url, "https://api.openai.com/v1");
	assert_string_equal(p->default_model, "gpt-4.1");
	assert_string_equal(p->key_env, "OPENAI_API_KEY");
	assert_null(llm_provider_find("nonesuch"));
	assert_null(llm_provider_find(NULL));
}

static void test_build_plain(void **state)
{
	llm_endpoint ep = { "openai", "http://127.0.0.1:8080/v1/", KEY };
	llm_request req = plain_request();
	llm_http h;
	cJSON *body;

	assert_int_equal(openai()->build(&ep, &req, &h), 0);
	assert_string_equal(h.url, "http://127.0.0.1:8080/v1/chat/completions");
	assert_true(has_header(&h, "Content-Type: application/json"));
	assert_true(has_header(&h, "Authorization: Bearer sk-test-0123456789abcdefSECRET"));
	/* the key appears once, in the auth header, nowhere else */
	assert_int_equal(count_headers_with(&h, KEY), 1);
	assert_null(strstr(h.body, KEY));
	assert_null(strstr(h.url, KEY));
	assert_int_equal(strlen(h.body), h.body_len);

	body = cJSON_Parse(h.body);
	assert_non_null(body);
	assert_string_equal(cd_json_str(body, "model"), "gpt-4.1-mini");
	assert_int_equal((int)cd_json_num(body, "max_tokens", 0), 4096);
	assert_null(cJSON_GetObjectItem(body, "temperature"));
	assert_null(cJSON_GetObjectItem(body, "stream"));
	assert_null(cJSON_GetObjectItem(body, "response_format"));
	cJSON *m = cJSON_GetObjectItem(body, "messages");
	assert_int_equal(cJSON_GetArraySize(m), 2);
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(m, 0), "role"), "system");
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(m, 1), "content"),
			    "Is this case handled?");
	assert_null(cJSON_GetObjectItem(body, "sample"));
	cJSON_Delete(body);
	llm_http_clear(&h);
	assert_null(h.url);
}

static void test_build_without_key_has_no_auth_header(void **state)
{
	llm_endpoint ep = { "openai", NULL, NULL };
	llm_request req = plain_request();
	llm_http h;

	req.model = NULL;
	assert_int_equal(openai()->build(&ep, &req, &h), 0);
	assert_string_equal(h.url, "https://api.openai.com/v1/chat/completions");
	assert_int_equal(count_headers_with(&h, "Authorization"), 0);
	assert_non_null(strstr(h.body, "\"model\":\"gpt-4.1\""));
	llm_http_clear(&h);
}

static void test_build_schema_stream_temperature(void **state)
{
	llm_endpoint ep = { "openai", NULL, KEY };
	llm_request req = plain_request();
	cJSON *schema = verdict_schema(), *body, *rf, *js;
	llm_http h;

	req.schema = schema;
	req.schema_name = "verdict";
	req.stream = 1;
	req.temperature = 0.25;
	req.max_tokens = 300;
	assert_int_equal(openai()->build(&ep, &req, &h), 0);
	body = cJSON_Parse(h.body);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(body, "stream")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "stream_options"),
						     "include_usage")));
	assert_true(cd_json_num(body, "temperature", -1) == 0.25);
	assert_int_equal((int)cd_json_num(body, "max_tokens", 0), 300);
	rf = cJSON_GetObjectItem(body, "response_format");
	assert_string_equal(cd_json_str(rf, "type"), "json_schema");
	js = cJSON_GetObjectItem(rf, "json_schema");
	assert_string_equal(cd_json_str(js, "name"), "verdict");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(js, "strict")));
	assert_true(cJSON_Compare(cJSON_GetObjectItem(js, "schema"), schema, 1));
	cJSON_Delete(body);
	cJSON_Delete(schema);
	llm_http_clear(&h);
}

static int parse(const llm_request *req, long status, const char *body, llm_response *out)
{
	memset(out, 0, sizeof *out);
	return openai()->parse(req, status, body, strlen(body), out);
}

static void test_parse_good_reply(void **state)
{
	llm_request req = plain_request();
	llm_response r;
	const char *body = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
			   "\"assistant\",\"content\":\"Handled.\",\"refusal\":null},"
			   "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,"
			   "\"completion_tokens\":3,\"total_tokens\":15}}";

	assert_int_equal(parse(&req, 200, body, &r), 0);
	assert_int_equal(r.status, LLM_OK);
	assert_int_equal(r.http_status, 200);
	assert_string_equal(r.text, "Handled.");
	assert_string_equal(r.finish_reason, "stop");
	assert_int_equal(r.usage.input_tokens, 12);
	assert_int_equal(r.usage.output_tokens, 3);
	assert_int_equal(r.usage.cached_input_tokens, 0);
	assert_string_equal(r.body, body);
	assert_null(r.json);
	llm_response_clear(&r);
	assert_null(r.text);

	/* what OpenAI's prompt cache served is counted apart */
	assert_int_equal(parse(&req, 200, "{\"choices\":[{\"message\":{\"content\":\"x\"},"
			       "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2048,"
			       "\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":1920}}}",
			       &r), 0);
	assert_int_equal(r.usage.input_tokens, 2048);
	assert_int_equal(r.usage.cached_input_tokens, 1920);
	llm_response_clear(&r);
}

static void test_parse_content_parts(void **state)
{
	llm_request req = plain_request();
	llm_response r;

	assert_int_equal(parse(&req, 200, "{\"choices\":[{\"message\":{\"content\":["
			       "{\"type\":\"text\",\"text\":\"one \"},{\"type\":\"image\"},"
			       "{\"type\":\"text\",\"text\":\"two\"}]},\"finish_reason\":\"stop\"}]}",
			       &r), 0);
	assert_string_equal(r.text, "one two");
	llm_response_clear(&r);
}

static void test_parse_fenced_json_with_schema(void **state)
{
	llm_request req = plain_request();
	cJSON *schema = verdict_schema();
	llm_response r;

	req.schema = schema;
	req.schema_name = "verdict";
	assert_int_equal(parse(&req, 200, "{\"choices\":[{\"message\":{\"content\":"
			       "\"  ```json\\n{\\\"verdict\\\": \\\"handled\\\"}\\n```\\n\"},"
			       "\"finish_reason\":\"stop\"}]}", &r), 0);
	assert_int_equal(r.status, LLM_OK);
	assert_string_equal(r.text, "{\"verdict\": \"handled\"}");
	assert_string_equal(cd_json_str(r.json, "verdict"), "handled");
	llm_response_clear(&r);
	cJSON_Delete(schema);
}

static void test_parse_reply_not_matching_schema(void **state)
{
	llm_request req = plain_request();
	cJSON *schema = verdict_schema();
	llm_response r;

	req.schema = schema;
	assert_int_equal(parse(&req, 200, "{\"choices\":[{\"message\":{\"content\":"
			       "\"{\\\"verdict\\\":\\\"maybe\\\"}\"},\"finish_reason\":\"stop\"}]}",
			       &r), -1);
	assert_int_equal(r.status, LLM_ERR_INVALID);
	assert_non_null(strstr(r.error, "$.verdict"));
	assert_null(r.json);
	assert_string_equal(r.text, "{\"verdict\":\"maybe\"}"); /* kept for a repair */
	llm_response_clear(&r);

	req.schema = schema;
	assert_int_equal(parse(&req, 200, "{\"choices\":[{\"message\":{\"content\":"
			       "\"I think it is handled\"},\"finish_reason\":\"stop\"}]}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_INVALID);
	assert_non_null(strstr(r.error, "not the JSON asked for"));
	llm_response_clear(&r);
	cJSON_Delete(schema);
}

static void test_parse_refusal(void **state)
{
	llm_request req = plain_request();
	llm_response r;

	assert_int_equal(parse(&req, 200, "{\"choices\":[{\"message\":{\"content\":null,"
			       "\"refusal\":\"I can't help with\\nthat.\"},\"finish_reason\":"
			       "\"stop\"}]}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_REFUSED);
	assert_string_equal(r.error, "the model refused: I can't help with that.");
	llm_response_clear(&r);
}

static void test_parse_truncated(void **state)
{
	llm_request req = plain_request();
	llm_response r;

	req.max_tokens = 50;
	assert_int_equal(parse(&req, 200, "{\"choices\":[{\"message\":{\"content\":\"half a "
			       "sent\"},\"finish_reason\":\"length\"}]}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_TRUNCATED);
	assert_string_equal(r.finish_reason, "length");
	assert_non_null(strstr(r.error, "max_tokens 50"));
	llm_response_clear(&r);
}

static void test_parse_http_errors(void **state)
{
	llm_request req = plain_request();
	llm_response r;

	assert_int_equal(parse(&req, 401, "{\"error\":{\"message\":\"Incorrect API key "
			       "provided: sk-proj-abc*********************wxyz. You can find your "
			       "API key at https://platform.openai.com/account/api-keys.\","
			       "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
			       &r), -1);
	assert_int_equal(r.status, LLM_ERR_HTTP);
	assert_int_equal(r.http_status, 401);
	assert_non_null(strstr(r.error, "HTTP 401: Incorrect API key provided"));
	assert_non_null(strstr(r.error, "(check the API key (OPENAI_API_KEY))"));
	assert_null(strstr(r.error, "sk-proj"));
	assert_null(strstr(r.error, "wxyz"));
	llm_response_clear(&r);

	assert_int_equal(parse(&req, 404, "{\"error\":{\"message\":\"The model `gpt-9` does "
			       "not exist\"}}", &r), -1);
	assert_string_equal(r.error, "openai: HTTP 404: The model `gpt-9` does not exist "
			    "(check the endpoint and model name)");
	llm_response_clear(&r);

	assert_int_equal(parse(&req, 400, "{\"error\":{\"message\":\"Invalid schema for "
			       "response_format 'verdict'\"}}", &r), -1);
	assert_string_equal(r.error, "openai: HTTP 400: Invalid schema for response_format "
			    "'verdict'");
	llm_response_clear(&r);

	/* Ollama's shape */
	assert_int_equal(parse(&req, 404, "{\"error\":\"model 'llama9' not found\"}", &r), -1);
	assert_non_null(strstr(r.error, "model 'llama9' not found"));
	llm_response_clear(&r);
}

static void test_parse_non_json_error_body(void **state)
{
	llm_request req = plain_request();
	llm_response r;
	char body[2048];

	snprintf(body, sizeof body, "<html>\r\n<head><title>502 Bad Gateway</title>"
		 "\x1b]0;pwned\x07\x1b[2J</head>\n<body>%0900d</body></html>", 0);
	assert_int_equal(parse(&req, 502, body, &r), -1);
	assert_int_equal(r.status, LLM_ERR_HTTP);
	assert_null(strchr(r.error, '\n'));
	assert_null(strchr(r.error, '\r'));
	assert_null(strchr(r.error, '\x1b'));
	assert_null(strstr(r.error, "pwned"));
	assert_non_null(strstr(r.error, "502 Bad Gateway"));
	assert_true(strlen(r.error) < 250);
	assert_string_equal(r.body, body); /* the transcript keeps the bytes */
	llm_response_clear(&r);

	assert_int_equal(parse(&req, 503, "", &r), -1);
	assert_string_equal(r.error, "openai: HTTP 503: empty reply (the server failed; "
			    "retry later)");
	llm_response_clear(&r);
}

static void test_parse_2xx_that_is_not_the_api(void **state)
{
	llm_request req = plain_request();
	llm_response r;

	assert_int_equal(parse(&req, 200, "<html>hello</html>", &r), -1);
	assert_int_equal(r.status, LLM_ERR_PARSE);
	llm_response_clear(&r);
	assert_int_equal(parse(&req, 200, "{\"object\":\"list\"}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_PARSE);
	llm_response_clear(&r);
	assert_int_equal(parse(&req, 200, "{\"choices\":[{\"message\":{\"content\":42}}]}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_PARSE);
	llm_response_clear(&r);
}

static void test_content_bytes_are_kept_as_received(void **state)
{
	llm_request req = plain_request();
	llm_response r;
	/* invalid UTF-8 (\xff, a lone continuation byte), an OSC title escape,
	 * a CSI clear-screen, a JSON-escaped control character */
	const char *body = "{\"choices\":[{\"message\":{\"content\":\"a\xff\x80 "
			   "\\u001b]0;title\\u0007\x1b[2J\\ttab \\\"q\\\"\"},"
			   "\"finish_reason\":\"stop\"}]}";

	assert_int_equal(parse(&req, 200, body, &r), 0);
	assert_string_equal(r.text, "a\xff\x80 \x1b]0;title\x07\x1b[2J\ttab \"q\"");
	llm_response_clear(&r);
}

/* ---- streaming ---- */

struct feed {
	llm_stream st;
	int rc;
};

static int on_event(void *ud, const char *event, const char *data)
{
	struct feed *f = ud;
	return openai()->stream_event(&f->st, event, data);
}

/* Feed the stream in three pieces cut at a and b, then finish it. */
static int run_stream(const llm_request *req, const char *stream, size_t a, size_t b,
		      llm_response *out)
{
	struct feed f = { 0 };
	llm_sse sse = { 0 };
	size_t len = strlen(stream);
	int rc = 0;

	memset(out, 0, sizeof *out);
	rc |= llm_sse_feed(&sse, stream, a, on_event, &f);
	rc |= llm_sse_feed(&sse, stream + a, b - a, on_event, &f);
	rc |= llm_sse_feed(&sse, stream + b, len - b, on_event, &f);
	llm_sse_clear(&sse);
	assert_int_equal(rc, 0);
	rc = llm_stream_finish(req, &f.st, out);
	llm_stream_clear(&f.st);
	return rc;
}

static const char good_stream[] =
	"data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
	"\"finish_reason\":null}]}\r\n\r\n"
	": keep-alive\n\n"
	"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"{\\\"verdict\\\":\"},"
	"\"finish_reason\":null}]}\n\n"
	"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\"handled\\\"} "
	"caf\xc3\xa9\"},\"finish_reason\":null}]}\n\n"
	"data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
	"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":7}}\n\n"
	"data: [DONE]\n\n";

static void test_stream_at_every_split(void **state)
{
	llm_request req = plain_request();
	size_t len = strlen(good_stream);

	for (size_t a = 0; a <= len; a++) {
		for (size_t b = a; b <= len; b += 13) {
			llm_response r;
			assert_int_equal(run_stream(&req, good_stream, a, b, &r), 0);
			assert_string_equal(r.text, "{\"verdict\":\"handled\"} caf\xc3\xa9");
			assert_string_equal(r.finish_reason, "stop");
			assert_int_equal(r.usage.input_tokens, 20);
			assert_int_equal(r.usage.output_tokens, 7);
			llm_response_clear(&r);
		}
	}
}

static void test_stream_cut_short(void **state)
{
	llm_request req = plain_request();
	llm_response r;
	const char *cut = strstr(good_stream, "data: {\"choices\":[{\"index\":0,\"delta\":{},");
	size_t n = (size_t)(cut - good_stream);
	char *part = strndup(good_stream, n);

	assert_int_equal(run_stream(&req, part, n, n, &r), -1);
	assert_int_equal(r.status, LLM_ERR_TRANSPORT);
	llm_response_clear(&r);
	free(part);
}

static void test_stream_truncated_refused_error(void **state)
{
	llm_request req = plain_request();
	llm_response r;
	const char *len_stream =
		"data: {\"choices\":[{\"delta\":{\"content\":\"half\"},\"finish_reason\":\"length\"}]}\n\n"
		"data: [DONE]\n\n";
	const char *refusal =
		"data: {\"choices\":[{\"delta\":{\"refusal\":\"No.\"},\"finish_reason\":null}]}\n\n"
		"data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
		"data: [DONE]\n\n";
	const char *error = "data: {\"error\":{\"message\":\"server\\nexploded\"}}\n\n";

	assert_int_equal(run_stream(&req, len_stream, 3, 40, &r), -1);
	assert_int_equal(r.status, LLM_ERR_TRUNCATED);
	llm_response_clear(&r);
	assert_int_equal(run_stream(&req, refusal, 10, 20, &r), -1);
	assert_int_equal(r.status, LLM_ERR_REFUSED);
	llm_response_clear(&r);
	assert_int_equal(run_stream(&req, error, 0, 0, &r), -1);
	assert_int_equal(r.status, LLM_ERR_HTTP);
	assert_string_equal(r.error, "error event in the stream: server exploded");
	llm_response_clear(&r);
}

static void test_stream_event_not_json(void **state)
{
	llm_stream st = { 0 };

	assert_int_equal(openai()->stream_event(&st, NULL, "{oops"), -1);
	llm_stream_clear(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_build_plain),
		cmocka_unit_test(test_build_without_key_has_no_auth_header),
		cmocka_unit_test(test_build_schema_stream_temperature),
		cmocka_unit_test(test_parse_good_reply),
		cmocka_unit_test(test_parse_content_parts),
		cmocka_unit_test(test_parse_fenced_json_with_schema),
		cmocka_unit_test(test_parse_reply_not_matching_schema),
		cmocka_unit_test(test_parse_refusal),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_http_errors),
		cmocka_unit_test(test_parse_non_json_error_body),
		cmocka_unit_test(test_parse_2xx_that_is_not_the_api),
		cmocka_unit_test(test_content_bytes_are_kept_as_received),
		cmocka_unit_test(test_stream_at_every_split),
		cmocka_unit_test(test_stream_cut_short),
		cmocka_unit_test(test_stream_truncated_refused_error),
		cmocka_unit_test(test_stream_event_not_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
