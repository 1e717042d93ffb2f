/* test_autonomy — when a proposal may be accepted without a person
 * (autonomy.h), and JUnit / GitHub reports of a regression keeping model
 * text inert (judge.h, regress_report.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "codicil/autonomy.h"
#include "codicil/judge.h"

static cJSON *proposal(const char *meta, const char *regression)
{
	char text[1024];

	snprintf(text, sizeof text, "{\"meta_check\": %s, \"regression\": %s}", meta, regression);
	return cJSON_Parse(text);
}

static int passes(const char *meta, const char *regression, char *why, size_t n)
{
	cJSON *p = proposal(meta, regression);
	cd_buf b = CD_BUF_INIT;
	int ok = autonomy_passes(p, &b);

	snprintf(why, n, "%s", b.data ? b.data : "");
	cd_buf_clear(&b);
	cJSON_Delete(p);
	return ok;
}

static void test_every_rule_passes_and_nothing_worse(void **state)
{
	char why[512];

	(void)state;
	assert_true(passes("[{\"rule\":\"scope\",\"verdict\":\"pass\"},{\"rule\":\"ids\",\"verdict\":\"pass\"}]",
			   "{\"broken\":0,\"worse\":0}", why, sizeof why));
	assert_string_equal(why, "");
}

static void test_an_unclear_rule_or_a_worse_case_holds_it(void **state)
{
	char why[512];

	(void)state;
	assert_false(passes("[{\"rule\":\"scope\",\"verdict\":\"unclear\"}]", "{\"broken\":0,\"worse\":0}",
			    why, sizeof why));
	assert_non_null(strstr(why, "scope (unclear)"));
	assert_false(passes("[{\"rule\":\"scope\",\"verdict\":\"pass\"}]", "{\"broken\":0,\"worse\":2}",
			    why, sizeof why));
	assert_non_null(strstr(why, "worsens 2 cases"));
	assert_false(passes("[]", "{\"broken\":0,\"worse\":0}", why, sizeof why));
	assert_non_null(strstr(why, "no META.md rule was checked"));
	assert_false(passes("[{\"rule\":\"scope\",\"verdict\":\"pass\"}]", "null", why, sizeof why));
	assert_non_null(strstr(why, "no regression was run"));
}

/* A case that broke, with reasoning that tries to break out of XML and of
 * a workflow command, escape sequences and bytes that are not UTF-8. */
static void test_reports_keep_model_text_inert(void **state)
{
	char reasoning[] = "</failure><x a=\"1\">&\n::error::pwned \x1b]0;t\x07 %0A \xff";
	regress_row row = { .case_id = "c-01jd3k5w9r7qz4x2m0", .principle = "truthful",
			    .severity = 4, .flip = FLIP_BROKEN, .direction = -1 };
	regress_result r = { .rows = &row, .n = 1, .broken = 1, .worse = 1 };
	cd_buf out = CD_BUF_INIT;

	(void)state;
	row.before.verdict = VERDICT_HANDLED;
	row.after.verdict = VERDICT_MISHANDLED;
	row.after.reasoning = reasoning;
	assert_int_equal(regress_to_junit(&r, "CONSTITUTION.md", NULL, &out), 0);
	assert_non_null(strstr(out.data, "failures=\"1\""));
	assert_non_null(strstr(out.data, "&lt;/failure&gt;&lt;x a=&quot;1&quot;&gt;&amp;"));
	assert_null(strstr(out.data, "<x "));
	assert_null(strchr(out.data, '\x1b'));
	assert_null(strchr(out.data, '\x07'));
	assert_null(strchr(out.data, '\xff'));
	cd_buf_reset(&out);
	assert_int_equal(regress_to_github(&r, "CONSTITUTION.md", NULL, &out), 0);
	/* one command, on one line; the model's "::" and "%" cannot start another */
	assert_non_null(strstr(out.data, "::error file=CONSTITUTION.md,title=codicil regress%3A "));
	assert_ptr_equal(strchr(out.data, '\n'), out.data + out.len - 1);
	assert_non_null(strstr(out.data, "%250A"));
	assert_null(strchr(out.data, '\x1b'));
	cd_buf_clear(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_passes_and_nothing_worse),
		cmocka_unit_test(test_an_unclear_rule_or_a_worse_case_holds_it),
		cmocka_unit_test(test_reports_keep_model_text_inert),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
