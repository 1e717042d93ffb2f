/* test_case_merge.c — three-way merges of a case file: ratings rater by
 * rater, other fields from the side that changed them, conflicts named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "codicil/case_merge.h"
#include "codicil/json.h"

static cJSON *parse(const char *s)
{
	cJSON *j = cJSON_Parse(s);
	assert_non_null(j);
	return j;
}

#define R(who, v, t) "{\"rater\":\"" who "\",\"verdict\":\"" v "\",\"time\":\"" t "\"}"
#define A "Ann <ann@x.org>"
#define B "Bo <bo@x.org>"
#define C "Cy <cy@x.org>"

/* merge(base, ours, theirs) with the expected conflicts; the result. */
static cJSON *merge(const char *base, const char *ours, const char *theirs, const char *want)
{
	cJSON *b = base ? parse(base) : NULL, *o = parse(ours), *t = parse(theirs), *m;
	cd_buf conflicts = CD_BUF_INIT;

	m = case_merge(b, o, t, &conflicts);
	assert_non_null(m);
	assert_string_equal(cd_buf_cstr(&conflicts), want);
	cd_buf_clear(&conflicts);
	cJSON_Delete(b);
	cJSON_Delete(o);
	cJSON_Delete(t);
	return m;
}

static const char *verdict_of(const cJSON *m, int i)
{
	return cd_json_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(m, "ratings"), i),
			   "verdict");
}

static void test_two_new_ratings_are_both_kept(void **state)
{
	cJSON *m = merge("{\"id\":\"c-1\",\"ratings\":[" R(C, "valid", "1") "]}",
			 "{\"id\":\"c-1\",\"ratings\":[" R(C, "valid", "1") "," R(A, "valid", "2") "]}",
			 "{\"id\":\"c-1\",\"ratings\":[" R(C, "valid", "1") "," R(B, "invalid", "3") "]}",
			 "");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "ratings")), 3);
	assert_string_equal(verdict_of(m, 1), "valid");   /* ours' order first */
	assert_string_equal(verdict_of(m, 2), "invalid"); /* then theirs' new one */
	cJSON_Delete(m);
}

static void test_one_raters_change_wins_and_later_wins_a_tie(void **state)
{
	/* only theirs changed Cy's rating: theirs */
	cJSON *m = merge("{\"ratings\":[" R(C, "valid", "1") "]}",
			 "{\"ratings\":[" R(C, "valid", "1") "]}",
			 "{\"ratings\":[" R(C, "invalid", "2") "]}", "");
	assert_string_equal(verdict_of(m, 0), "invalid");
	cJSON_Delete(m);
	/* both changed it: the later time */
	m = merge("{\"ratings\":[" R(C, "valid", "1") "]}",
		  "{\"ratings\":[" R(C, "invalid", "5") "]}",
		  "{\"ratings\":[" R(C, "valid", "3") "]}", "");
	assert_string_equal(verdict_of(m, 0), "invalid");
	cJSON_Delete(m);
	/* the same rater by email, another display name, added on both sides */
	m = merge(NULL, "{\"ratings\":[" R("Cy <cy@x.org>", "valid", "4") "]}",
		  "{\"ratings\":[" R("Cyrus <cy@x.org>", "invalid", "6") "]}", "");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "ratings")), 1);
	assert_string_equal(verdict_of(m, 0), "invalid");
	cJSON_Delete(m);
}

static void test_a_deleted_rating_stays_deleted(void **state)
{
	cJSON *m = merge("{\"ratings\":[" R(A, "valid", "1") "," R(B, "valid", "1") "]}",
			 "{\"ratings\":[" R(B, "valid", "1") "]}",
			 "{\"ratings\":[" R(A, "valid", "1") "," R(B, "valid", "1") "]}", "");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "ratings")), 1);
	cJSON_Delete(m);
}

static void test_fields_take_the_side_that_changed(void **state)
{
	cJSON *m = merge("{\"status\":\"open\",\"severity\":2,\"x\":1}",
			 "{\"status\":\"confirmed\",\"severity\":2,\"x\":1}",
			 "{\"status\":\"open\",\"severity\":4,\"y\":true}", "");
	assert_string_equal(cd_json_str(m, "status"), "confirmed");
	assert_int_equal(cd_json_int(m, "severity", 0), 4);
	assert_null(cJSON_GetObjectItemCaseSensitive(m, "x")); /* theirs deleted it */
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "y")));
	cJSON_Delete(m);
}

static void test_both_changed_a_field_is_a_conflict(void **state)
{
	cJSON *m = merge("{\"status\":\"open\",\"resolved_by\":null,\"severity\":2}",
			 "{\"status\":\"confirmed\",\"resolved_by\":null,\"severity\":3}",
			 "{\"status\":\"dismissed\",\"resolved_by\":null,\"severity\":3}", "status");
	assert_string_equal(cd_json_str(m, "status"), "confirmed"); /* ours kept */
	assert_int_equal(cd_json_int(m, "severity", 0), 3);       /* the same change: fine */
	cJSON_Delete(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_new_ratings_are_both_kept),
		cmocka_unit_test(test_one_raters_change_wins_and_later_wins_a_tie),
		cmocka_unit_test(test_a_deleted_rating_stays_deleted),
		cmocka_unit_test(test_fields_take_the_side_that_changed),
		cmocka_unit_test(test_both_changed_a_field_is_a_conflict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
