/* Structured replies: the schema subset codicil uses, the path named in
 * errors, and unwrapping code fences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "codicil/error.h"
#include "codicil/llm.h"

static const char schema_text[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	" \"required\":[\"summary\",\"cases\"],"
	" \"properties\":{"
	"  \"summary\":{\"type\":\"string\",\"minLength\":3,\"maxLength\":10},"
	"  \"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"maxItems\":2},"
	"  \"cases\":{\"type\":\"array\",\"minItems\":1,\"items\":{"
	"   \"type\":\"object\",\"additionalProperties\":false,"
	"   \"required\":[\"principle\",\"severity\",\"score\"],"
	"   \"properties\":{"
	"    \"principle\":{\"type\":\"string\",\"enum\":[\"privacy\",\"honesty\"]},"
	"    \"severity\":{\"type\":\"string\",\"enum\":[\"low\",\"high\"]},"
	"    \"score\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},"
	"    \"note\":{\"type\":[\"string\",\"null\"]}}}}}}";

static cJSON *schema;

static int setup(void **state)
{
	schema = cJSON_Parse(schema_text);
	return schema ? 0 : -1;
}

static int teardown(void **state)
{
	cJSON_Delete(schema);
	return 0;
}

/* Returns the error path, or "" when valid. */
static void expect_path(const char *value_text, const char *path, const char *reason)
{
	cJSON *v = cJSON_Parse(value_text);
	cd_buf p = CD_BUF_INIT;
	int rc;

	assert_non_null(v);
	rc = llm_schema_validate(schema, v, &p);
	if (!path) {
		if (rc != 0)
			print_error("unexpected: %s\n", cd_err_msg());
		assert_int_equal(rc, 0);
	} else {
		assert_int_equal(rc, -1);
		assert_string_equal(cd_buf_cstr(&p), path);
		if (reason && !strstr(cd_err_msg(), reason)) {
			print_error("message: %s\n", cd_err_msg());
			fail();
		}
	}
	cd_buf_free(&p);
	cJSON_Delete(v);
}

#define CASE(s) "{\"principle\":\"privacy\",\"severity\":\"low\",\"score\":3" s "}"

static void test_valid(void **state)
{
	expect_path("{\"summary\":\"abc\",\"cases\":[" CASE("") "," CASE(",\"note\":null")
		    "," CASE(",\"note\":\"n\"") "]}", NULL, NULL);
	expect_path("{\"summary\":\"h\xc3\xa9h\xc3\xa9\",\"tags\":[],\"cases\":[" CASE("") "]}",
		    NULL, NULL); /* 4 characters, 6 bytes */
}

static void test_missing_required(void **state)
{
	expect_path("{\"cases\":[" CASE("") "]}", "$.summary", "required property is missing");
	expect_path("{\"summary\":\"abc\",\"cases\":[" CASE("") ",{\"principle\":\"privacy\","
		    "\"score\":1}]}", "$.cases[1].severity", "missing");
}

static void test_wrong_enum(void **state)
{
	expect_path("{\"summary\":\"abc\",\"cases\":[" CASE("") "," CASE("") ","
		    "{\"principle\":\"privacy\",\"severity\":\"extreme\",\"score\":3}]}",
		    "$.cases[2].severity", "\"extreme\" is not one of the allowed values (low, high)");
}

static void test_out_of_range(void **state)
{
	expect_path("{\"summary\":\"abc\",\"cases\":[{\"principle\":\"honesty\","
		    "\"severity\":\"high\",\"score\":9}]}", "$.cases[0].score", "above the maximum 5");
	expect_path("{\"summary\":\"abc\",\"cases\":[{\"principle\":\"honesty\","
		    "\"severity\":\"high\",\"score\":0}]}", "$.cases[0].score", "below the minimum 1");
	expect_path("{\"summary\":\"ab\",\"cases\":[" CASE("") "]}", "$.summary", "minLength");
	expect_path("{\"summary\":\"abcdefghijk\",\"cases\":[" CASE("") "]}", "$.summary",
		    "maxLength");
	expect_path("{\"summary\":\"abc\",\"cases\":[]}", "$.cases", "minItems");
	expect_path("{\"summary\":\"abc\",\"tags\":[\"a\",\"b\",\"c\"],\"cases\":[" CASE("") "]}",
		    "$.tags", "maxItems");
}

static void test_wrong_type(void **state)
{
	expect_path("{\"summary\":\"abc\",\"cases\":[{\"principle\":\"honesty\","
		    "\"severity\":\"high\",\"score\":2.5}]}", "$.cases[0].score", "expected integer");
	expect_path("{\"summary\":5,\"cases\":[" CASE("") "]}", "$.summary",
		    "expected string, got a number");
	expect_path("[1]", "$", "expected object, got an array");
	expect_path("{\"summary\":\"abc\",\"cases\":[" CASE(",\"note\":1") "]}",
		    "$.cases[0].note", "not of an allowed type");
	expect_path("{\"summary\":\"abc\",\"tags\":[\"a\",7],\"cases\":[" CASE("") "]}",
		    "$.tags[1]", "expected string");
}

static void test_extra_property(void **state)
{
	expect_path("{\"summary\":\"abc\",\"cases\":[" CASE("") "],\"extra\":1}", "$.extra",
		    "not allowed");
	expect_path("{\"summary\":\"abc\",\"cases\":[" CASE(",\"a b\":1") "]}",
		    "$.cases[0][\"a b\"]", "not allowed");
}

static void test_structured_finish(void **state)
{
	llm_request req = { .schema = schema };
	llm_response r = { 0 };
	const char *good = "{\"summary\":\"abc\",\"cases\":[" CASE("") "]}";

	r.text = strdup("\n```json\n{\"summary\":\"abc\",\"cases\":[" CASE("") "]}\n```\n\n");
	assert_int_equal(llm_structured_finish(&req, &r), 0);
	assert_int_equal(r.status, LLM_OK);
	assert_string_equal(r.text, good);
	assert_non_null(r.json);
	llm_response_clear(&r);

	r.text = strdup(good);
	assert_int_equal(llm_structured_finish(&req, &r), 0);
	assert_string_equal(r.text, good);
	llm_response_clear(&r);

	r.text = strdup("```json\n{\"summary\":\"abc\",\"cases\":[]}\n```");
	assert_int_equal(llm_structured_finish(&req, &r), -1);
	assert_int_equal(r.status, LLM_ERR_INVALID);
	assert_string_equal(r.error, "the reply does not match the schema: $.cases: "
			    "0 items, fewer than the minItems of 1");
	assert_null(r.json);
	llm_response_clear(&r);

	r.text = strdup("{\"summary\": \"abc\", \"cases\": [");
	assert_int_equal(llm_structured_finish(&req, &r), -1);
	assert_int_equal(r.status, LLM_ERR_INVALID);
	assert_non_null(strstr(r.error, "invalid JSON"));
	llm_response_clear(&r);

	r.text = strdup("");
	assert_int_equal(llm_structured_finish(&req, &r), -1);
	llm_response_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_wrong_enum),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_extra_property),
		cmocka_unit_test(test_structured_finish),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
