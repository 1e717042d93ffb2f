/* The anthropic provider: Messages API requests (system field, forced tool
 * for structured output), replies, errors and streamed events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/json.h"
#include "codicil/file.h"
#include "codicil/buf.h"
#include "codicil/llm.h"
#include "codicil/prompt.h"
#include "codicil/sanitize.h"
#include "codicil/schemas.h"

static const char *KEY = "sk-ant-api03-SECRETSECRETSECRET";

static const llm_message msgs[] = {
	{ "system", "You judge cases." },
	{ "user", "Case 1" },
	{ "system", "Answer with the tool." },
	{ "assistant", "Understood." },
	{ "user", "Go." },
};

static const llm_provider *anthropic(void)
{
	const llm_provider *p = llm_provider_find("anthropic");
	assert_non_null(p);
	return p;
}

static llm_request plain_request(void)
{
	llm_request r = { .model = "claude-x", .messages = msgs, .nmessages = 5,
			  .temperature = -1 };
	return r;
}

static cJSON *verdict_schema(void)
{
	return cJSON_Parse("{\"type\":\"object\",\"required\":[\"verdict\",\"confidence\"],"
			   "\"properties\":{\"verdict\":{\"type\":\"string\",\"enum\":"
			   "[\"handled\",\"mishandled\"]},\"confidence\":{\"type\":\"number\","
			   "\"minimum\":0,\"maximum\":1}}}");
}

static int has_header(const llm_http *h, const char *line)
{
	for (char **p = h->headers; *p; p++)
		if (!strcmp(*p, line))
			return 1;
	return 0;
}

static int headers_with(const llm_http *h, const char *needle)
{
	int n = 0;
	for (char **p = h->headers; *p; p++)
		n += strstr(*p, needle) != NULL;
	return n;
}

static void test_registry(void **state)
{
	assert_string_equal(anthropic()->default_base_url, "https://api.anthropic.com/v1");
	assert_string_equal(anthropic()->default_model, "claude-sonnet-4-5");
	assert_string_equal(anthropic()->key_env, "ANTHROPIC_API_KEY");
}

static void test_build_plain(void **state)
{
	llm_endpoint ep = { "anthropic", NULL, KEY };
	llm_request req = plain_request();
	llm_http h;
	cJSON *body, *m;

	assert_int_equal(anthropic()->build(&ep, &req, &h), 0);
	assert_string_equal(h.url, "https://api.anthropic.com/v1/messages");
	assert_true(has_header(&h, "x-api-key: sk-ant-api03-SECRETSECRETSECRET"));
	assert_true(has_header(&h, "anthropic-version: 2023-06-01"));
	assert_true(has_header(&h, "Content-Type: application/json"));
	assert_int_equal(headers_with(&h, KEY), 1);
	assert_null(strstr(h.body, KEY));

	body = cJSON_Parse(h.body);
	assert_string_equal(cd_json_str(body, "model"), "claude-x");
	assert_int_equal((int)cd_json_num(body, "max_tokens", 0), 4096);
	assert_string_equal(cd_json_str(body, "system"), "You judge cases.\n\nAnswer with the tool.");
	m = cJSON_GetObjectItem(body, "messages");
	assert_int_equal(cJSON_GetArraySize(m), 3);
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(m, 0), "content"), "Case 1");
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(m, 1), "role"), "assistant");
	assert_null(cJSON_GetObjectItem(body, "tools"));
	assert_null(cJSON_GetObjectItem(body, "temperature"));
	assert_null(cJSON_GetObjectItem(body, "stream"));
	cJSON_Delete(body);
	llm_http_clear(&h);
}

/* The stable part of the first user message (the charter) is its own
 * block, marked for Anthropic's prompt cache; too short a part is not
 * (the cache would not take it), and the text sent is the same. */
static void test_build_marks_the_stable_prefix(void **state)
{
	llm_endpoint ep = { "anthropic", NULL, KEY };
	cd_buf text = CD_BUF_INIT;
	llm_message m[2] = { { "system", "Judge." }, { "user", NULL } };
	llm_request req = { .model = "claude-x", .messages = m, .nmessages = 2,
			    .temperature = -1 };
	llm_http h;
	cJSON *body, *content, *first;

	(void)state;
	cd_buf_puts(&text, "Read this.\n<charter>\n");
	for (int i = 0; i < 400; i++)
		cd_buf_puts(&text, "# Principle\nBe careful and kind.\n");
	cd_buf_puts(&text, "\n</charter>\n");
	req.stable_len = text.len;
	cd_buf_puts(&text, "<scenario>\nA case.\n</scenario>\n");
	m[1].content = text.data;
	assert_int_equal(prompt_stable_len(text.data), req.stable_len);

	assert_int_equal(anthropic()->build(&ep, &req, &h), 0);
	body = cJSON_Parse(h.body);
	content = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(body, "messages"), 0),
				      "content");
	assert_int_equal(cJSON_GetArraySize(content), 2);
	first = cJSON_GetArrayItem(content, 0);
	assert_string_equal(cd_json_str(cJSON_GetObjectItem(first, "cache_control"), "type"),
			    "ephemeral");
	assert_int_equal(strlen(cd_json_str(first, "text")), req.stable_len);
	assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(content, 1), "cache_control"));
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(content, 1), "text"),
			    text.data + req.stable_len);
	cJSON_Delete(body);
	llm_http_clear(&h);

	req.stable_len = 100; /* under 1,024 tokens: not worth a cache write */
	assert_int_equal(anthropic()->build(&ep, &req, &h), 0);
	body = cJSON_Parse(h.body);
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(body, "messages"), 0),
					"content"), text.data);
	cJSON_Delete(body);
	llm_http_clear(&h);
	cd_buf_clear(&text);
}

static void test_build_tool_for_schema(void **state)
{
	llm_endpoint ep = { "anthropic", "http://localhost:9/v1", NULL };
	llm_request req = plain_request();
	cJSON *schema = verdict_schema(), *body, *tool, *choice;
	llm_http h;

	req.schema = schema;
	req.schema_name = "verdict";
	req.stream = 1;
	req.temperature = 0;
	assert_int_equal(anthropic()->build(&ep, &req, &h), 0);
	assert_string_equal(h.url, "http://localhost:9/v1/messages");
	assert_int_equal(headers_with(&h, "x-api-key"), 0);
	body = cJSON_Parse(h.body);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(body, "stream")));
	assert_true(cd_json_num(body, "temperature", -1) == 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(body, "tools")), 1);
	tool = cJSON_GetArrayItem(cJSON_GetObjectItem(body, "tools"), 0);
	assert_string_equal(cd_json_str(tool, "name"), "verdict");
	assert_non_null(cd_json_str(tool, "description"));
	assert_true(cJSON_Compare(cJSON_GetObjectItem(tool, "input_schema"), schema, 1));
	choice = cJSON_GetObjectItem(body, "tool_choice");
	assert_string_equal(cd_json_str(choice, "type"), "tool");
	assert_string_equal(cd_json_str(choice, "name"), "verdict");
	cJSON_Delete(body);
	cJSON_Delete(schema);
	llm_http_clear(&h);
}

static int parse(const llm_request *req, long status, const char *body, llm_response *out)
{
	memset(out, 0, sizeof *out);
	return anthropic()->parse(req, status, body, strlen(body), out);
}

static void test_parse_text_blocks(void **state)
{
	llm_request req = plain_request();
	llm_response r;

	assert_int_equal(parse(&req, 200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":"
			       "\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Hello \"},"
			       "{\"type\":\"text\",\"text\":\"there \\u001b[31mred\"}],"
			       "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":9,"
			       "\"output_tokens\":4}}", &r), 0);
	assert_string_equal(r.text, "Hello there \x1b[31mred");
	assert_string_equal(r.finish_reason, "end_turn");
	assert_int_equal(r.usage.input_tokens, 9);
	assert_int_equal(r.usage.output_tokens, 4);
	llm_response_clear(&r);

	/* input_tokens leaves out the prompt cache: all input is counted, and
	 * what was read from the cache apart */
	assert_int_equal(parse(&req, 200, "{\"content\":[{\"type\":\"text\",\"text\":\"x\"}],"
			       "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":50,"
			       "\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":3000,"
			       "\"output_tokens\":4}}", &r), 0);
	assert_int_equal(r.usage.input_tokens, 3250);
	assert_int_equal(r.usage.cached_input_tokens, 3000);
	llm_response_clear(&r);
}

static void test_parse_tool_use(void **state)
{
	llm_request req = plain_request();
	cJSON *schema = verdict_schema();
	llm_response r;

	req.schema = schema;
	req.schema_name = "verdict";
	assert_int_equal(parse(&req, 200, "{\"type\":\"message\",\"content\":[{\"type\":"
			       "\"tool_use\",\"id\":\"t1\",\"name\":\"verdict\",\"input\":"
			       "{\"verdict\":\"mishandled\",\"confidence\":0.8}}],\"stop_reason\":"
			       "\"tool_use\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}",
			       &r), 0);
	assert_int_equal(r.status, LLM_OK);
	assert_string_equal(r.text, "{\"verdict\":\"mishandled\",\"confidence\":0.8}");
	assert_string_equal(cd_json_str(r.json, "verdict"), "mishandled");
	llm_response_clear(&r);

	/* out of range: brought into range, and the repair says so */
	req.schema = schema;
	assert_int_equal(parse(&req, 200, "{\"content\":[{\"type\":\"tool_use\",\"name\":"
			       "\"verdict\",\"input\":{\"verdict\":\"handled\",\"confidence\":7}}],"
			       "\"stop_reason\":\"tool_use\"}", &r), 0);
	assert_int_equal(r.status, LLM_OK);
	assert_true(cd_json_num(r.json, "confidence", 0) == 1);
	assert_non_null(r.repairs);
	assert_non_null(strstr(r.repairs, "$.confidence: 7 brought into the allowed range"));
	llm_response_clear(&r);

	/* a verdict no reading can mend: invalid, naming the path */
	assert_int_equal(parse(&req, 200, "{\"content\":[{\"type\":\"tool_use\",\"name\":"
			       "\"verdict\",\"input\":{\"verdict\":\"perhaps\",\"confidence\":1}}],"
			       "\"stop_reason\":\"tool_use\"}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_INVALID);
	assert_non_null(strstr(r.error, "$.verdict"));
	llm_response_clear(&r);

	/* no tool call, but JSON in a fenced text block */
	assert_int_equal(parse(&req, 200, "{\"content\":[{\"type\":\"text\",\"text\":"
			       "\"```\\n{\\\"verdict\\\":\\\"handled\\\",\\\"confidence\\\":1}\\n```\"}],"
			       "\"stop_reason\":\"end_turn\"}", &r), 0);
	assert_string_equal(r.text, "{\"verdict\":\"handled\",\"confidence\":1}");
	llm_response_clear(&r);
	cJSON_Delete(schema);
}

static void test_parse_stop_reasons(void **state)
{
	llm_request req = plain_request();
	llm_response r;

	assert_int_equal(parse(&req, 200, "{\"content\":[{\"type\":\"text\",\"text\":\"half\"}],"
			       "\"stop_reason\":\"max_tokens\"}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_TRUNCATED);
	assert_string_equal(r.finish_reason, "max_tokens");
	llm_response_clear(&r);
	assert_int_equal(parse(&req, 200, "{\"content\":[],\"stop_reason\":\"refusal\"}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_REFUSED);
	llm_response_clear(&r);
}

static void test_parse_errors(void **state)
{
	llm_request req = plain_request();
	llm_response r;

	assert_int_equal(parse(&req, 401, "{\"type\":\"error\",\"error\":{\"type\":"
			       "\"authentication_error\",\"message\":\"invalid x-api-key\"}}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_HTTP);
	assert_string_equal(r.error, "anthropic: HTTP 401: authentication_error: invalid "
			    "x-api-key (check the API key (ANTHROPIC_API_KEY))");
	llm_response_clear(&r);

	assert_int_equal(parse(&req, 529, "{\"type\":\"error\",\"error\":{\"type\":"
			       "\"overloaded_error\",\"message\":\"Overloaded\"}}", &r), -1);
	assert_int_equal(r.http_status, 529);
	assert_non_null(strstr(r.error, "overloaded_error: Overloaded"));
	llm_response_clear(&r);

	assert_int_equal(parse(&req, 500, "Internal\nServer\x1b[5m Error", &r), -1);
	assert_string_equal(r.error, "anthropic: HTTP 500: Internal Server Error "
			    "(the server failed; retry later)");
	llm_response_clear(&r);

	assert_int_equal(parse(&req, 200, "{\"type\":\"error\",\"error\":{\"type\":\"x\","
			       "\"message\":\"y\"}}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_PARSE);
	llm_response_clear(&r);

	assert_int_equal(parse(&req, 200, "{\"choices\":[]}", &r), -1);
	assert_int_equal(r.status, LLM_ERR_PARSE);
	llm_response_clear(&r);
}

/* ---- streaming ---- */

static int on_event(void *ud, const char *event, const char *data)
{
	return anthropic()->stream_event(ud, event, data);
}

static int run_stream(const llm_request *req, const char *stream, size_t a, size_t b,
		      llm_response *out)
{
	llm_stream st = { 0 };
	llm_sse sse = { 0 };
	size_t len = strlen(stream);
	int rc = 0;

	memset(out, 0, sizeof *out);
	rc |= llm_sse_feed(&sse, stream, a, on_event, &st);
	rc |= llm_sse_feed(&sse, stream + a, b - a, on_event, &st);
	rc |= llm_sse_feed(&sse, stream + b, len - b, on_event, &st);
	llm_sse_clear(&sse);
	assert_int_equal(rc, 0);
	rc = llm_stream_finish(req, &st, out);
	llm_stream_clear(&st);
	return rc;
}

static const char tool_stream[] =
	"event: message_start\r\n"
	"data: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"content\":[],"
	"\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\r\n\r\n"
	"event: content_block_start\n"
	"data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
	"{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"verdict\",\"input\":{}}}\n\n"
	"event: ping\n"
	"data: {\"type\": \"ping\"}\n\n"
	"event: content_block_delta\n"
	"data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
	"\"input_json_delta\",\"partial_json\":\"{\\\"verdict\\\": \\\"hand\"}}\n\n"
	"event: content_block_delta\n"
	"data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
	"\"input_json_delta\",\"partial_json\":\"led\\\", \\\"confidence\\\": 0.5}\"}}\n\n"
	"event: content_block_stop\n"
	"data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
	"event: message_delta\n"
	"data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
	"\"usage\":{\"output_tokens\":15}}\n\n"
	"event: message_stop\n"
	"data: {\"type\":\"message_stop\"}\n\n";

static void test_stream_tool_use_at_every_split(void **state)
{
	llm_request req = plain_request();
	cJSON *schema = verdict_schema();
	size_t len = strlen(tool_stream);

	req.schema = schema;
	req.schema_name = "verdict";
	for (size_t a = 0; a <= len; a++) {
		for (size_t b = a; b <= len; b += 17) {
			llm_response r;
			assert_int_equal(run_stream(&req, tool_stream, a, b, &r), 0);
			assert_string_equal(r.text, "{\"verdict\": \"handled\", \"confidence\": 0.5}");
			assert_string_equal(cd_json_str(r.json, "verdict"), "handled");
			assert_string_equal(r.finish_reason, "tool_use");
			assert_int_equal(r.usage.input_tokens, 25);
			assert_int_equal(r.usage.output_tokens, 15);
			llm_response_clear(&r);
		}
	}
	cJSON_Delete(schema);
}

static void test_stream_text_and_errors(void **state)
{
	llm_request req = plain_request();
	llm_response r;
	const char *text =
		"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
		"\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
		"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
		"\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi \\u00e9\"}}\n\n"
		"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
		"{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":3}}\n\n"
		"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
	const char *error =
		"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
		"\"message\":\"Overloaded\"}}\n\n";
	const char *unfinished =
		"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
		"\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n";

	assert_int_equal(run_stream(&req, text, 5, 100, &r), -1);
	assert_int_equal(r.status, LLM_ERR_TRUNCATED);
	assert_string_equal(r.text, "Hi \xc3\xa9");
	llm_response_clear(&r);
	assert_int_equal(run_stream(&req, error, 1, 2, &r), -1);
	assert_int_equal(r.status, LLM_ERR_HTTP);
	assert_non_null(strstr(r.error, "overloaded_error: Overloaded"));
	llm_response_clear(&r);
	assert_int_equal(run_stream(&req, unfinished, 0, 0, &r), -1);
	assert_int_equal(r.status, LLM_ERR_TRANSPORT);
	llm_response_clear(&r);
}

/* A one-line message from a model's reply: no control, DEL or C1 bytes, and
 * valid UTF-8 (../shared/repro/llm-schema-errpath-*.json once broke it). */
static void assert_one_safe_line(const char *s)
{
	size_t n = strlen(s);

	assert_true(cd_utf8_valid(s, n));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		assert_false(c < 0x20 || c == 0x7f);
		assert_false(c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0);
	}
}

static void test_hostile_keys_give_safe_errors(void **state)
{
	static const char *const files[] = { "tests/repro/llm-schema-errpath-DEL.json",
					     "tests/repro/llm-schema-errpath-invalid-utf8.json" };
	static const char *const ids[] = { "truthful", "weigh-risk", "others", "calibrated",
					   "useful", "creative-work", "fairness", "no-moralizing",
					   "candor" };
	llm_request req = plain_request();
	cJSON *schema = schema_generate(ids, 9, CASE_COUNTEREXAMPLE, 3);

	(void)state;
	req.schema = schema;
	req.schema_name = "cases";
	for (size_t i = 0; i < 2; i++) {
		cd_buf body = CD_BUF_INIT;
		llm_response r;

		assert_int_equal(cd_file_read(files[i], &body), 0);
		parse(&req, 200, body.data, &r);
		if (r.error)
			assert_one_safe_line(r.error);
		for (char *line = r.repairs; line && *line;) {
			char *nl = strchr(line, '\n');
			assert_non_null(nl);
			*nl = '\0';
			assert_one_safe_line(line);
			line = nl + 1;
		}
		assert_true(r.error || r.repairs);
		llm_response_clear(&r);
		cd_buf_clear(&body);
	}
	cJSON_Delete(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_build_plain),
		cmocka_unit_test(test_build_marks_the_stable_prefix),
		cmocka_unit_test(test_build_tool_for_schema),
		cmocka_unit_test(test_parse_text_blocks),
		cmocka_unit_test(test_parse_tool_use),
		cmocka_unit_test(test_hostile_keys_give_safe_errors),
		cmocka_unit_test(test_parse_stop_reasons),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_stream_tool_use_at_every_split),
		cmocka_unit_test(test_stream_text_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
