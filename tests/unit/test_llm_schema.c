/* Structured replies: the schema subset codicil uses, the path named in
 * errors, and unwrapping code fences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
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
	cd_buf_clear(&p);
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

/* Mending toward the schema: each change made, and noted with its path. */
static void expect_mended(const char *in, const char *want, const char *notes)
{
	cJSON *v = cJSON_Parse(in), *w = cJSON_Parse(want);
	cd_buf n = CD_BUF_INIT;

	assert_non_null(v);
	assert_non_null(w);
	llm_schema_repair(schema, v, &n);
	if (!cJSON_Compare(v, w, 1)) {
		char *got = cJSON_PrintUnformatted(v);
		fail_msg("mended to %s, not %s", got, want);
	}
	assert_string_equal(cd_buf_cstr(&n), notes);
	cJSON_Delete(v);
	cJSON_Delete(w);
	cd_buf_clear(&n);
}

#define ONE(fields) "{\"summary\":\"abc\",\"cases\":[{" fields "}]}"

static void test_schema_repair(void **state)
{
	/* nothing to mend: nothing noted */
	expect_mended(ONE("\"principle\":\"privacy\",\"severity\":\"low\",\"score\":2"),
		      ONE("\"principle\":\"privacy\",\"severity\":\"low\",\"score\":2"), "");
	/* an enum value in another case, with spaces; a number as a string,
	 * out of range; a fraction in an integer */
	expect_mended(ONE("\"principle\":\" Privacy \",\"severity\":\"HIGH\",\"score\":\"9\""),
		      ONE("\"principle\":\"privacy\",\"severity\":\"high\",\"score\":5"),
		      "$.cases[0].principle: 'Privacy' read as the allowed value\n"
		      "$.cases[0].severity: 'HIGH' read as the allowed value\n"
		      "$.cases[0].score: the number '9' was given as a string\n"
		      "$.cases[0].score: 9 brought into the allowed range\n");
	expect_mended(ONE("\"principle\":\"honesty\",\"severity\":\"low\",\"score\":2.6"),
		      ONE("\"principle\":\"honesty\",\"severity\":\"low\",\"score\":3"),
		      "$.cases[0].score: 2.6 brought into the allowed range\n");
	/* a property the schema forbids; items past maxItems */
	expect_mended("{\"summary\":\"abc\",\"cases\":[],\"tags\":[\"a\",\"b\",\"c\"],\"x\":1}",
		      "{\"summary\":\"abc\",\"cases\":[],\"tags\":[\"a\",\"b\"]}",
		      "$.tags: kept the first 2 of 3 items\n"
		      "$: dropped the property 'x' the schema does not have\n");
	/* what is not plain stays for the check to refuse */
	expect_mended(ONE("\"principle\":\"safety\",\"severity\":\"low\",\"score\":\"many\""),
		      ONE("\"principle\":\"safety\",\"severity\":\"low\",\"score\":\"many\""), "");
}

static void test_repeated_enum_values_are_dropped(void **state)
{
	cJSON *s = cJSON_Parse("{\"type\":\"array\",\"items\":{\"type\":\"string\","
			       "\"enum\":[\"clarify\",\"privacy\"]}}");
	cJSON *v = cJSON_Parse("[\"clarify\",\"privacy\",\"clarify\",\"Privacy\"]");
	cd_buf n = CD_BUF_INIT;
	char *out;

	llm_schema_repair(s, v, &n);
	out = cJSON_PrintUnformatted(v);
	assert_string_equal(out, "[\"clarify\",\"privacy\"]");
	assert_string_equal(cd_buf_cstr(&n), "$[2]: dropped the repeated 'clarify'\n"
			    "$[3]: 'Privacy' read as the allowed value\n"
			    "$[3]: dropped the repeated 'privacy'\n");
	free(out);
	cd_buf_clear(&n);
	cJSON_Delete(s);
	cJSON_Delete(v);
}

/* One verdict per principle (minItems = maxItems = the enum's size): a
 * principle judged twice keeps its first verdict, a verdict on a principle
 * nobody asked about goes, and the verdicts asked for stay, whatever the
 * order; an array without that shape keeps its items. */
static void test_one_item_per_enum_value(void **state)
{
	cJSON *s = cJSON_Parse("{\"type\":\"array\",\"minItems\":2,\"maxItems\":2,\"items\":"
			       "{\"type\":\"object\",\"properties\":{\"principle\":{\"type\":\"string\","
			       "\"enum\":[\"truthful\",\"harm\"]},\"verdict\":{\"type\":\"string\"}}}}");
	cJSON *v = cJSON_Parse("[{\"principle\":\"truthful\",\"verdict\":\"violates\"},"
			       "{\"principle\":\"truthful\",\"verdict\":\"complies\"},"
			       "{\"principle\":\"privacy\",\"verdict\":\"complies\"},"
			       "{\"principle\":\"harm\",\"verdict\":\"complies\"}]");
	cJSON *open = cJSON_Parse("{\"type\":\"array\",\"minItems\":1,\"maxItems\":5,\"items\":"
				  "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\","
				  "\"enum\":[\"tension\"]}}}}");
	cJSON *two = cJSON_Parse("[{\"kind\":\"tension\"},{\"kind\":\"tension\"}]");
	cd_buf n = CD_BUF_INIT;
	char *out;

	(void)state;
	llm_schema_repair(s, v, &n);
	out = cJSON_PrintUnformatted(v);
	assert_string_equal(out, "[{\"principle\":\"truthful\",\"verdict\":\"violates\"},"
				 "{\"principle\":\"harm\",\"verdict\":\"complies\"}]");
	assert_string_equal(cd_buf_cstr(&n), "$[1]: dropped the repeated item for 'truthful'\n"
			    "$[2]: dropped the item for 'privacy', which was not asked about\n");
	free(out);
	cd_buf_reset(&n);
	llm_schema_repair(open, two, &n);
	assert_int_equal(cJSON_GetArraySize(two), 2);
	assert_string_equal(cd_buf_cstr(&n), "");
	cd_buf_clear(&n);
	cJSON_Delete(s);
	cJSON_Delete(v);
	cJSON_Delete(open);
	cJSON_Delete(two);
}

static void expect_json_at(const char *text, const char *want, const char *how)
{
	size_t a, b;
	const char *got_how;

	assert_int_equal(llm_find_json(text, strlen(text), &a, &b, &got_how), 0);
	assert_int_equal((int)(b - a), (int)strlen(want));
	assert_memory_equal(text + a, want, strlen(want));
	if (how)
		assert_string_equal(got_how, how);
	else
		assert_null(got_how);
}

static void test_find_json(void **state)
{
	size_t a, b;
	const char *how;

	expect_json_at("  {\"a\":1}\n", "{\"a\":1}", NULL);
	expect_json_at("[1,2]", "[1,2]", NULL);
	expect_json_at("Here:\n```json\n{\"a\":[1]}\n```\nThanks", "{\"a\":[1]}", "fence");
	/* braces inside strings do not end the object; an earlier stray brace
	 * that is not JSON is skipped */
	expect_json_at("Sure {not json} and {\"a\":\"}{\\\"\",\"b\":{}} done",
		       "{\"a\":\"}{\\\"\",\"b\":{}}", "prose");
	assert_int_equal(llm_find_json("no json here", 12, &a, &b, &how), -1);
	assert_int_equal(llm_find_json("{\"open\": [", 11, &a, &b, &how), -1);
}

static void test_pattern(void **state)
{
	cJSON *s = cJSON_Parse("{\"type\":[\"string\",\"null\"],\"pattern\":\"^[a-z-]+$\"}");
	cJSON *ok = cJSON_CreateString("new-id"), *bad = cJSON_CreateString("A sentence.");
	cJSON *null = cJSON_CreateNull();
	cd_buf p = CD_BUF_INIT;

	assert_int_equal(llm_schema_validate(s, ok, &p), 0);
	assert_int_equal(llm_schema_validate(s, null, &p), 0);
	assert_int_equal(llm_schema_validate(s, bad, &p), -1);
	assert_string_equal(cd_err_msg(), "$: \"A sentence.\" does not match the pattern ^[a-z-]+$");
	cd_buf_clear(&p);
	cJSON_Delete(s);
	cJSON_Delete(ok);
	cJSON_Delete(bad);
	cJSON_Delete(null);
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
		cmocka_unit_test(test_schema_repair),
		cmocka_unit_test(test_repeated_enum_values_are_dropped),
		cmocka_unit_test(test_one_item_per_enum_value),
		cmocka_unit_test(test_find_json),
		cmocka_unit_test(test_pattern),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
