/* Cassettes: record then replay, independence from model and endpoint,
 * tolerance of malformed and cut-short lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/file.h"
#include "codicil/json.h"
#include "codicil/llm.h"
#include "codicil/replay.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	strcpy(dir, "/tmp/codicil-replay-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/run.cassette.jsonl", dir);
	return 0;
}

static int teardown(void **state)
{
	return cd_remove_tree(dir);
}

static const llm_message msgs[] = {
	{ "system", "You judge." },
	{ "user", "Case \"7\":\nline two" },
};

static llm_request request(unsigned sample)
{
	llm_request r = { .model = "gpt-4.1", .messages = msgs, .nmessages = 2,
			  .temperature = -1, .sample = sample };
	return r;
}

static void record(const llm_request *req, const char *text)
{
	llm_response r = { .status = LLM_OK, .usage = { 5, 6 } };

	r.text = strdup(text);
	r.finish_reason = strdup("stop");
	assert_int_equal(cassette_append(path, req, &r), 0);
	llm_response_clear(&r);
}

static void test_key_ignores_model_and_transport(void **state)
{
	llm_request a = request(0), b = request(0);
	char ka[CD_SHA256_HEX], kb[CD_SHA256_HEX];

	b.model = "claude-sonnet-4-5";
	b.stream = 1;
	b.max_tokens = 99;
	b.temperature = 0.7;
	assert_int_equal(replay_key(&a, ka), 0);
	assert_int_equal(replay_key(&b, kb), 0);
	assert_string_equal(ka, kb);
	b.sample = 1;
	assert_int_equal(replay_key(&b, kb), 0);
	assert_string_not_equal(ka, kb);
	b = request(0);
	b.schema_name = "verdict";
	assert_int_equal(replay_key(&b, kb), 0);
	assert_string_not_equal(ka, kb);
}

static void test_record_then_replay(void **state)
{
	llm_request r0 = request(0), r1 = request(1), other = request(0), moved = request(0);
	llm_message m[] = { { "user", "something else" } };
	cassette *c;
	llm_response out = { 0 };

	record(&r0, "answer zero \xff\x1b[1m");
	record(&r1, "answer one");
	assert_int_equal(cassette_open(path, &c), 0);
	assert_int_equal(cassette_count(c), 2);
	assert_int_equal(cassette_skipped(c), 0);

	moved.model = "llama3"; /* another model: the same recorded answer */
	assert_int_equal(cassette_lookup(c, &moved, &out), 1);
	assert_int_equal(out.status, LLM_OK);
	assert_string_equal(out.text, "answer zero \xff\x1b[1m");
	assert_string_equal(out.finish_reason, "stop");
	assert_int_equal(out.usage.input_tokens, 5);
	assert_int_equal(out.usage.output_tokens, 6);
	assert_int_equal(out.attempts, 0);
	assert_int_equal(cassette_lookup(c, &r1, &out), 1);
	assert_string_equal(out.text, "answer one");

	other.messages = m;
	other.nmessages = 1;
	assert_int_equal(cassette_lookup(c, &other, &out), 0);
	assert_int_equal(out.status, LLM_ERR_REPLAY);
	assert_non_null(out.error);
	llm_response_clear(&out);
	cassette_free(c);
	(void)r0;
}

static void test_schema_request_is_validated(void **state)
{
	llm_request req = request(0);
	cJSON *schema = cJSON_Parse("{\"type\":\"object\",\"required\":[\"v\"],"
				    "\"properties\":{\"v\":{\"enum\":[\"a\",\"b\"]}}}");
	cassette *c;
	llm_response out = { 0 };

	req.schema = schema;
	req.schema_name = "v";
	record(&req, "{\"v\":\"a\"}");
	req.sample = 1;
	record(&req, "{\"v\":\"zzz\"}");
	assert_int_equal(cassette_open(path, &c), 0);
	req.sample = 0;
	assert_int_equal(cassette_lookup(c, &req, &out), 1);
	assert_int_equal(out.status, LLM_OK);
	assert_string_equal(cd_json_str(out.json, "v"), "a");
	req.sample = 1;
	assert_int_equal(cassette_lookup(c, &req, &out), 1);
	assert_int_equal(out.status, LLM_ERR_INVALID);
	assert_non_null(strstr(out.error, "$.v"));
	llm_response_clear(&out);
	cassette_free(c);
	cJSON_Delete(schema);
}

static void test_line_format(void **state)
{
	llm_request req = request(2);
	cd_buf data = CD_BUF_INIT;
	cJSON *line, *rq;
	char key[CD_SHA256_HEX];

	record(&req, "text");
	assert_int_equal(cd_file_read(path, &data), 0);
	assert_int_equal(data.data[data.len - 1], '\n');
	assert_null(memchr(data.data, '\n', data.len - 1)); /* one line */
	line = cJSON_Parse(data.data);
	assert_int_equal(replay_key(&req, key), 0);
	assert_string_equal(cd_json_str(line, "key"), key);
	rq = cJSON_GetObjectItem(line, "request");
	assert_int_equal((int)cd_json_num(rq, "sample", -1), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rq, "messages")), 2);
	assert_null(cJSON_GetObjectItem(rq, "model"));
	assert_string_equal(cd_json_str(cJSON_GetObjectItem(line, "response"), "text"), "text");
	cJSON_Delete(line);
	cd_buf_clear(&data);
}

static void test_malformed_and_partial_lines(void **state)
{
	llm_request r0 = request(0), r1 = request(1);
	const char *junk = "not json\n{\"key\":\"short\",\"response\":{\"text\":\"x\"}}\n\n"
			   "{\"key\":\"0000000000000000000000000000000000000000000000000000000000000000\"}\n";
	const char *partial = "{\"key\":\"abc";
	cassette *c;
	llm_response out = { 0 };

	record(&r0, "first");
	assert_int_equal(cd_file_append_line_sync(path, junk, strlen(junk)), 0);
	record(&r1, "second");
	record(&r0, "first, recorded again"); /* the later answer wins */
	assert_int_equal(cd_file_append_line_sync(path, partial, strlen(partial)), 0);

	assert_int_equal(cassette_open(path, &c), 0);
	assert_int_equal(cassette_count(c), 2);
	assert_int_equal(cassette_skipped(c), 3);
	assert_int_equal(cassette_lookup(c, &r0, &out), 1);
	assert_string_equal(out.text, "first, recorded again");
	assert_int_equal(cassette_lookup(c, &r1, &out), 1);
	assert_string_equal(out.text, "second");
	llm_response_clear(&out);
	cassette_free(c);
}

static void test_errors(void **state)
{
	llm_request req = request(0);
	llm_response bad = { .status = LLM_ERR_REFUSED };
	cassette *c = (cassette *)1;

	bad.text = strdup("no");
	assert_int_equal(cassette_append(path, &req, &bad), -1);
	assert_false(cd_file_exists(path));
	assert_int_equal(cassette_open(path, &c), -1); /* missing file */
	assert_null(c);
	llm_response_clear(&bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_ignores_model_and_transport),
		cmocka_unit_test_setup_teardown(test_record_then_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_request_is_validated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_and_partial_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
