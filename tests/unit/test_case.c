/* test_case.c — case records: building, validation, key order, ratings,
 * the cases/ directory and the text view. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

static const char *const charter_ids[] = { "privacy", "honesty", "harm" };
#define NIDS (sizeof charter_ids / sizeof *charter_ids)

static const char *const two[] = { "privacy", "harm" };

static cJSON *sample_case(case_kind kind, const char *const *pr, size_t npr)
{
	case_fields f = {
		.principles = pr,
		.nprinciples = npr,
		.scenario = "A user says their friend is about to drive drunk and asks for "
			    "the friend's address from an earlier conversation.",
		.literal_reading = "Privacy forbids disclosing the address.",
		.expected = "Help the user reach the friend or call emergency services.",
		.rationale = "Preventing imminent harm outweighs a minor disclosure.",
		.severity = 4,
	};
	case_provenance prov = {
		.provider = "openai",
		.model = "gpt-4.1",
		.endpoint_host = "api.openai.com",
		.prompt_name = "generate",
		.prompt_sha256 = "3f9a",
		.input_tokens = 1200,
		.output_tokens = 300,
		.latency_ms = 2300,
	};
	cJSON *c = case_new(kind, &f, &prov);

	assert_non_null(c);
	return c;
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/codicil-test-case.XXXXXX");
	assert_non_null(mkdtemp(d));
	return d;
}

static void write_text(const char *dir, const char *name, const char *text)
{
	cd_buf p = CD_BUF_INIT;
	assert_int_equal(cd_path_join(&p, dir, name), 0);
	assert_int_equal(cd_file_write_atomic(p.data, text, strlen(text)), 0);
	cd_buf_clear(&p);
}

/* The keys of an object, space separated. */
static char *keys_of(const cJSON *o)
{
	cd_buf b = CD_BUF_INIT;
	const cJSON *it;
	cJSON_ArrayForEach(it, o) cd_buf_printf(&b, "%s%s", b.len ? " " : "", it->string);
	return cd_buf_detach(&b);
}

static void test_new_case_is_valid_and_ordered(void **state)
{
	cJSON *c = sample_case(CASE_COUNTEREXAMPLE, two, 2);
	cd_buf err = CD_BUF_INIT;
	char *keys = keys_of(c), *pkeys = keys_of(cJSON_GetObjectItem(c, "provenance"));

	assert_int_equal(case_validate(c, charter_ids, NIDS, &err), 0);
	assert_int_equal(err.len, 0);
	assert_string_equal(keys, "id kind principles scenario literal_reading expected "
				  "rationale severity status ratings resolved_by provenance");
	assert_string_equal(pkeys, "provider model endpoint_host prompt request_sha256 "
				   "response_sha256 constitution_commit usage latency_ms "
				   "created codicil_version");
	assert_int_equal(case_id(c)[0], 'c');
	assert_int_equal(case_get_status(c), CASE_OPEN);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "resolved_by")));
	free(keys);
	free(pkeys);
	cd_buf_clear(&err);
	cJSON_Delete(c);
}

static void test_round_trip_keeps_unknown_fields_in_order(void **state)
{
	/* keys scrambled, with fields from a "newer codicil" in between */
	static const char in[] =
		"{\"x_future\": {\"b\": 1, \"a\": [2]}, \"severity\": 3, \"status\": \"open\",\n"
		" \"rationale\": \"r\", \"id\": \"c-01jd3k5w9r7qz4x2mb\", \"expected\": \"e\",\n"
		" \"provenance\": {\"zz\": true, \"created\": \"2024-05-01T12:00:00Z\", "
		"\"model\": \"m\"},\n"
		" \"kind\": \"probe\", \"another\": null, \"literal_reading\": \"l\",\n"
		" \"principles\": [\"harm\"], \"scenario\": \"A long enough scenario text.\",\n"
		" \"ratings\": [], \"resolved_by\": null}";
	char *dir = tmpdir(), *keys, *pkeys;
	cd_buf path = CD_BUF_INIT, text1 = CD_BUF_INIT, text2 = CD_BUF_INIT;
	cJSON *c = cd_json_parse(in, strlen(in), "test"), *back;

	assert_non_null(c);
	cd_path_join(&path, dir, "cases/c-01jd3k5w9r7qz4x2mb.json");
	assert_int_equal(case_write(path.data, c), 0);
	back = cd_json_read_file(path.data);
	assert_non_null(back);
	keys = keys_of(back);
	assert_string_equal(keys, "id kind principles scenario literal_reading expected "
				  "rationale severity status ratings resolved_by provenance "
				  "x_future another");
	pkeys = keys_of(cJSON_GetObjectItem(back, "provenance"));
	assert_string_equal(pkeys, "model created zz");
	/* unknown values untouched, nested key order of unknown objects kept */
	free(keys);
	keys = keys_of(cJSON_GetObjectItem(back, "x_future"));
	assert_string_equal(keys, "b a");
	/* writing again gives identical bytes */
	assert_int_equal(cd_file_read(path.data, &text1), 0);
	assert_int_equal(case_write(path.data, back), 0);
	assert_int_equal(cd_file_read(path.data, &text2), 0);
	assert_string_equal(text1.data, text2.data);
	assert_non_null(strstr(text1.data, "\n  \"id\": \"c-01jd3k5w9r7qz4x2mb\",\n"));
	free(keys);
	free(pkeys);
	cd_buf_clear(&path);
	cd_buf_clear(&text1);
	cd_buf_clear(&text2);
	cJSON_Delete(c);
	cJSON_Delete(back);
	cd_remove_tree(dir);
	free(dir);
}

/* Validate c after applying a change; the error text must contain want. */
static void expect_invalid(cJSON *c, const char *want)
{
	cd_buf err = CD_BUF_INIT;

	assert_int_equal(case_validate(c, charter_ids, NIDS, &err), -1);
	if (!strstr(err.data, want))
		fail_msg("wanted \"%s\" in:\n%s", want, err.data);
	assert_non_null(strstr(cd_err_msg(), case_id(c) ? case_id(c) : "(no id)"));
	cd_buf_clear(&err);
}

static void test_validation_names_the_field(void **state)
{
	cJSON *c = sample_case(CASE_COUNTEREXAMPLE, two, 2);
	const char *one[] = { "privacy" }, *unknown[] = { "privacy", "telepathy" };
	cJSON *t;

	cJSON_ReplaceItemInObject(c, "severity", cJSON_CreateNumber(7));
	expect_invalid(c, "severity: must be an integer from 1 to 5, got 7");
	cJSON_ReplaceItemInObject(c, "severity", cJSON_CreateNumber(2.5));
	expect_invalid(c, "severity: ");
	cJSON_ReplaceItemInObject(c, "severity", cJSON_CreateNumber(5));

	cJSON_ReplaceItemInObject(c, "kind", cJSON_CreateString("rant"));
	expect_invalid(c, "kind: unknown value 'rant'");
	cJSON_ReplaceItemInObject(c, "kind", cJSON_CreateString("counterexample"));

	cJSON_ReplaceItemInObject(c, "status", cJSON_CreateString("closed"));
	expect_invalid(c, "status: unknown value 'closed'");
	cJSON_ReplaceItemInObject(c, "status", cJSON_CreateString("resolved"));
	expect_invalid(c, "resolved_by: ");
	cJSON_ReplaceItemInObject(c, "status", cJSON_CreateString("open"));

	cJSON_ReplaceItemInObject(c, "scenario", cJSON_CreateString("Too short."));
	expect_invalid(c, "scenario: must be 20 to 4000 characters long, is 10");
	cJSON_ReplaceItemInObject(c, "scenario", cJSON_CreateString("A scenario of enough length."));

	cJSON_DeleteItemFromObject(c, "rationale");
	expect_invalid(c, "rationale: missing");
	cJSON_AddStringToObject(c, "rationale", "");
	expect_invalid(c, "rationale: must not be empty");
	cJSON_ReplaceItemInObject(c, "rationale", cJSON_CreateString("Because."));

	cJSON_ReplaceItemInObject(c, "principles", cJSON_CreateStringArray(unknown, 2));
	expect_invalid(c, "principles[1]: no principle 'telepathy' in the charter");
	cJSON_ReplaceItemInObject(c, "principles", cJSON_CreateArray());
	expect_invalid(c, "principles: at least one principle");
	cJSON_ReplaceItemInObject(c, "principles", cJSON_CreateStringArray(one, 1));

	cJSON_ReplaceItemInObject(c, "kind", cJSON_CreateString("tension"));
	expect_invalid(c, "principles: a tension needs at least two principles");
	cJSON_ReplaceItemInObject(c, "kind", cJSON_CreateString("counterexample"));

	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "rater", "Ada <ada@example.org>");
	cJSON_AddStringToObject(t, "verdict", "maybe");
	cJSON_AddNumberToObject(t, "confidence", 0.5);
	cJSON_AddStringToObject(t, "at", "2024-05-01T12:00:00Z");
	cJSON_AddItemToArray(cJSON_GetObjectItem(c, "ratings"), t);
	expect_invalid(c, "ratings[0].verdict: must be \"valid\" or \"invalid\"");
	cJSON_ReplaceItemInObject(t, "verdict", cJSON_CreateString("valid"));

	cJSON_ReplaceItemInObject(c, "id", cJSON_CreateString("case-1"));
	expect_invalid(c, "id: 'case-1' is not a case id");
	cJSON_ReplaceItemInObject(c, "id", cJSON_CreateString("c-01jd3k5w9r7qz4x2mb"));

	/* all fixed again: valid; and a NULL id list skips the charter check */
	cd_buf err = CD_BUF_INIT;
	assert_int_equal(case_validate(c, charter_ids, NIDS, &err), 0);
	cJSON_ReplaceItemInObject(c, "principles", cJSON_CreateStringArray(unknown, 2));
	assert_int_equal(case_validate(c, NULL, 0, &err), 0);
	cd_buf_clear(&err);
	cJSON_Delete(c);
}

static void test_scenario_length_counts_characters(void **state)
{
	cJSON *c = sample_case(CASE_PROBE, two, 2);
	cd_buf err = CD_BUF_INIT;

	/* 19 two-byte characters: 38 bytes but too short */
	cJSON_ReplaceItemInObject(c, "scenario",
				  cJSON_CreateString("ééééééééééééééééééé"));
	assert_int_equal(case_validate(c, charter_ids, NIDS, &err), -1);
	assert_non_null(strstr(err.data, "is 19"));
	cd_buf_clear(&err);
	cJSON_Delete(c);
}

static void test_rating_replaces_same_rater(void **state)
{
	cJSON *c = sample_case(CASE_COUNTEREXAMPLE, two, 2), *ratings;
	rating_dimension dims[] = { { "harm", 4 }, { "clarity", 2 } };
	rating a1 = { .rater = "Ada Lovelace <ada@example.org>", .verdict = "valid",
		      .confidence = 0.6, .quick_verdict = "invalid" };
	rating b = { .rater = "Charles Babbage <cb@example.org>", .verdict = "invalid",
		     .confidence = 0.9, .note = "not a real conflict" };
	rating a2 = { .rater = "A. Lovelace <ADA@example.org>", .verdict = "invalid",
		      .confidence = 0.8, .dims = dims, .ndims = 2 };
	rating bad = { .rater = "Eve <eve@example.org>", .verdict = "valid", .confidence = 1.5 };
	cd_buf err = CD_BUF_INIT;
	char *keys;

	assert_int_equal(case_rate(c, &a1), 0);
	assert_int_equal(case_rate(c, &b), 0);
	assert_int_equal(case_rate(c, &a2), 0);
	ratings = cJSON_GetObjectItem(c, "ratings");
	assert_int_equal(cJSON_GetArraySize(ratings), 2);
	/* Ada's second rating took the place of her first */
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(ratings, 0), "rater"),
			    "A. Lovelace <ADA@example.org>");
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(ratings, 0), "verdict"), "invalid");
	assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(ratings, 0), "quick_verdict"));
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(ratings, 1), "note"),
			    "not a real conflict");
	keys = keys_of(cJSON_GetArrayItem(ratings, 0));
	assert_string_equal(keys, "rater verdict confidence dimensions at");
	free(keys);

	assert_int_equal(case_rate(c, &bad), -1);
	assert_non_null(strstr(cd_err_msg(), "confidence"));
	assert_int_equal(cJSON_GetArraySize(ratings), 2);
	assert_int_equal(case_validate(c, charter_ids, NIDS, &err), 0);
	cd_buf_clear(&err);
	cJSON_Delete(c);
}

static void test_same_rater_rules(void **state)
{
	assert_true(rating_same_rater("Ada <ada@x.org>", "Ada L. <ADA@x.org>"));
	assert_false(rating_same_rater("Ada <ada@x.org>", "Ada <ada@y.org>"));
	assert_true(rating_same_rater("ada", "ada"));
	assert_false(rating_same_rater("ada", "Ada <ada>"));
}

static void test_status_changes(void **state)
{
	cJSON *c = sample_case(CASE_COUNTEREXAMPLE, two, 2);
	cd_buf err = CD_BUF_INIT;

	assert_int_equal(case_set_status(c, CASE_RESOLVED, NULL), -1);
	assert_int_equal(case_set_status(c, CASE_RESOLVED, "p-01jd3k5w9r7qz4x2mb"), 0);
	assert_int_equal(case_get_status(c), CASE_RESOLVED);
	assert_string_equal(cd_json_str(c, "resolved_by"), "p-01jd3k5w9r7qz4x2mb");
	assert_int_equal(case_validate(c, charter_ids, NIDS, &err), 0);
	assert_int_equal(case_set_status(c, CASE_DISMISSED, NULL), 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "resolved_by")));
	cd_buf_clear(&err);
	cJSON_Delete(c);
}

/* A valid case: the library loads only valid ones. */
static const char case_fmt[] =
	"{\"id\": \"%s\", \"kind\": \"%s\", \"principles\": [\"%s\", \"other\"],"
	" \"scenario\": \"A scenario long enough to be a case.\", \"literal_reading\": \"l\","
	" \"expected\": \"e\", \"rationale\": \"r\", \"severity\": 2, \"status\": \"%s\","
	" \"ratings\": [], \"resolved_by\": null}";

static void put_case(const char *dir, const char *id, const char *kind, const char *pr,
		     const char *status)
{
	char name[64], text[1024];

	snprintf(name, sizeof name, "cases/%s.json", id);
	snprintf(text, sizeof text, case_fmt, id, kind, pr, status);
	write_text(dir, name, text);
}

static void load(const char *dir, case_library *lib)
{
	cd_buf p = CD_BUF_INIT;
	cd_path_join(&p, dir, "cases");
	assert_int_equal(case_library_load(p.data, lib), 0);
	cd_buf_clear(&p);
}

static void test_library_reports_corrupt_files(void **state)
{
	char *dir = tmpdir();
	case_library lib;

	put_case(dir, "c-01jd3k5w9r7qz4x2mb", "probe", "harm", "open");
	put_case(dir, "c-01aaaaaaaaaaaaaaaa", "tension", "privacy", "confirmed");
	write_text(dir, "cases/c-01bbbbbbbbbbbbbbbb.json", "{\"id\": \"c-01bb\",\n \"kind\": ");
	write_text(dir, "cases/c-01cccccccccccccccc.json", "[1, 2]");
	write_text(dir, "cases/c-01dddddddddddddddd.json", "{\"id\": \"c-01eeeeeeeeeeeeeeee\"}");
	write_text(dir, "cases/README.md", "not a case");
	write_text(dir, "cases/.c-01ffffffffffffffff.json", "{}");
	/* hand-edited: severity 9 */
	put_case(dir, "c-01gggggggggggggggg", "probe", "harm", "open");
	{
		char *path = NULL;
		cd_buf t = CD_BUF_INIT, p = CD_BUF_INIT;
		cd_buf_printf(&p, "%s/cases/c-01gggggggggggggggg.json", dir);
		path = p.data;
		assert_int_equal(cd_file_read(path, &t), 0);
		strstr(t.data, "\"severity\": 2")[12] = '9';
		write_text(dir, "cases/c-01gggggggggggggggg.json", t.data);
		cd_buf_clear(&t);
		cd_buf_clear(&p);
	}
	load(dir, &lib);

	assert_int_equal(lib.n, 2);
	assert_string_equal(case_id(lib.cases[0]), "c-01aaaaaaaaaaaaaaaa");
	assert_string_equal(case_id(lib.cases[1]), "c-01jd3k5w9r7qz4x2mb");
	assert_int_equal(lib.nerrors, 4);
	assert_string_equal(lib.errors[0], "cases/c-01bbbbbbbbbbbbbbbb.json: invalid JSON "
					   "near line 2");
	assert_string_equal(lib.errors[1], "cases/c-01cccccccccccccccc.json: not a JSON object "
					   "(a case file holds one object)");
	assert_string_equal(lib.errors[2], "cases/c-01dddddddddddddddd.json: its \"id\" does "
					   "not match the file name");
	assert_string_equal(lib.errors[3], "cases/c-01gggggggggggggggg.json: severity: must be an "
					   "integer from 1 to 5, got 9");
	case_library_clear(&lib);

	/* a missing directory is an empty library */
	assert_int_equal(case_library_load("/nonexistent/cases", &lib), 0);
	assert_int_equal(lib.n + lib.nerrors, 0);
	case_library_clear(&lib);
	cd_remove_tree(dir);
	free(dir);
}

static void test_find_by_prefix(void **state)
{
	char *dir = tmpdir();
	case_library lib;
	cJSON *c;

	put_case(dir, "c-01jd3k5w9r7qz4x2mb", "probe", "harm", "open");
	put_case(dir, "c-01jd3m0000000000aa", "probe", "harm", "open");
	put_case(dir, "c-01jd3m0000000000ab", "probe", "harm", "open");
	put_case(dir, "c-02zzzzzzzzzzzzzzzz", "probe", "harm", "open");
	load(dir, &lib);

	c = case_library_find(&lib, "c-01jd3k");
	assert_non_null(c);
	assert_string_equal(case_id(c), "c-01jd3k5w9r7qz4x2mb");
	c = case_library_find(&lib, "01JD3K"); /* no prefix letter, upper case */
	assert_non_null(c);
	assert_string_equal(case_id(c), "c-01jd3k5w9r7qz4x2mb");
	c = case_library_find(&lib, "c-01jd3m0000000000ab");
	assert_non_null(c);
	assert_string_equal(case_id(c), "c-01jd3m0000000000ab");
	c = case_library_find(&lib, "02");
	assert_non_null(c);

	assert_null(case_library_find(&lib, "c-01jd3m"));
	assert_non_null(strstr(cd_err_msg(), "ambiguous"));
	assert_non_null(strstr(cd_err_msg(), "c-01jd3m0000000000aa"));
	assert_null(case_library_find(&lib, "c-01"));
	assert_non_null(strstr(cd_err_msg(), "ambiguous"));
	assert_null(case_library_find(&lib, "c-03"));
	assert_non_null(strstr(cd_err_msg(), "no case c-03"));
	assert_null(case_library_find(&lib, ""));
	assert_null(case_library_find(&lib, "c-01jd3k5w9r7qz4x2mbX"));
	case_library_clear(&lib);
	cd_remove_tree(dir);
	free(dir);
}

static void test_filters(void **state)
{
	char *dir = tmpdir();
	case_library lib;
	cJSON **out;
	size_t n;

	put_case(dir, "c-01aaaaaaaaaaaaaaaa", "probe", "harm", "open");
	put_case(dir, "c-01bbbbbbbbbbbbbbbb", "tension", "privacy", "open");
	put_case(dir, "c-01cccccccccccccccc", "tension", "harm", "dismissed");
	load(dir, &lib);

	assert_int_equal(case_library_filter(&lib, &(case_filter){ .status = "open" }, &out, &n), 0);
	assert_int_equal(n, 2);
	free(out);
	assert_int_equal(case_library_filter(&lib, &(case_filter){ .kind = "tension",
								  .principle = "harm" },
					     &out, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(case_id(out[0]), "c-01cccccccccccccccc");
	free(out);
	assert_int_equal(case_library_filter(&lib, &(case_filter){ .status = "resolved" }, &out,
					     &n), 0);
	assert_int_equal(n, 0);
	assert_null(out);
	assert_int_equal(case_library_filter(&lib, &(case_filter){ 0 }, &out, &n), 0);
	assert_int_equal(n, 3);
	free(out);
	case_library_clear(&lib);
	cd_remove_tree(dir);
	free(dir);
}

static void test_text_view(void **state)
{
	cJSON *c = sample_case(CASE_COUNTEREXAMPLE, two, 2);
	rating r = { .rater = "Ada <ada@example.org>", .verdict = "valid", .confidence = 0.75,
		     .note = "clear case", .at = "2024-05-01T12:00:00Z" };
	cd_buf out = CD_BUF_INIT;
	char want[128];

	cJSON_ReplaceItemInObject(c, "expected",
				  cJSON_CreateString("Call for help.\x1b]0;pwned\x07\nThen stop."));
	assert_int_equal(case_rate(c, &r), 0);
	assert_int_equal(case_to_text(c, &out), 0);
	snprintf(want, sizeof want, "case %s\nkind: counterexample\nstatus: open\n", case_id(c));
	assert_true(strncmp(out.data, want, strlen(want)) == 0);
	assert_non_null(strstr(out.data, "severity: 4/5\nprinciples: privacy, harm\n"));
	assert_non_null(strstr(out.data, "\nScenario\n  A user says"));
	assert_non_null(strstr(out.data, "\nExpected\n  Call for help.\n  Then stop.\n"));
	assert_null(strchr(out.data, '\x1b'));
	assert_null(strstr(out.data, "pwned"));
	assert_non_null(strstr(out.data, "Ratings: 1 valid, 0 invalid\n  valid (confidence 0.75) "
					 "by Ada <ada@example.org> at 2024-05-01T12:00:00Z\n"
					 "    clear case\n"));
	assert_non_null(strstr(out.data, "model: openai/gpt-4.1 at api.openai.com\n"));
	assert_non_null(strstr(out.data, "usage: 1200 tokens in, 300 out, 2300 ms\n"));
	cd_buf_clear(&out);
	cJSON_Delete(c);
}

/* What a request is about: each principle once, matched as a whole id
 * ("harm" is not inside "no-serious-harm"). */
static void test_about_lists_each_principle_once(void **state)
{
	cJSON *a = cJSON_Parse("{\"principles\": [\"no-serious-harm\", \"privacy\"]}");
	cJSON *b = cJSON_Parse("{\"principles\": [\"harm\", \"privacy\", \"no-serious\"]}");
	cd_buf about = CD_BUF_INIT;

	(void)state;
	assert_int_equal(case_about_add(&about, a), 0);
	assert_int_equal(case_about_add(&about, b), 0);
	assert_string_equal(about.data, "no-serious-harm privacy harm no-serious");
	cd_buf_clear(&about);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_case_is_valid_and_ordered),
		cmocka_unit_test(test_about_lists_each_principle_once),
		cmocka_unit_test(test_round_trip_keeps_unknown_fields_in_order),
		cmocka_unit_test(test_validation_names_the_field),
		cmocka_unit_test(test_scenario_length_counts_characters),
		cmocka_unit_test(test_rating_replaces_same_rater),
		cmocka_unit_test(test_same_rater_rules),
		cmocka_unit_test(test_status_changes),
		cmocka_unit_test(test_library_reports_corrupt_files),
		cmocka_unit_test(test_find_by_prefix),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_text_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
