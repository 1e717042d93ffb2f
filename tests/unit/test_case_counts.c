/* test_case_counts.c — per-principle counts of the case files (both
 * layouts) in a real repository's work tree, through the case index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <string.h>

#include "../support/tmpgit.h"
#include "codicil/case_counts.h"
#include "codicil/charter.h"
#include "codicil/store.h"

static const char charter_md[] =
	"# Top {#top}\n\n## Honesty {#honesty}\n\nTell the truth.\n\n"
	"## Kindness {#kindness}\n\nBe kind.\n";

static void load(store **s, charter **ch)
{
	assert_int_equal(store_open(tg_path("r"), s), 0);
	assert_int_equal(charter_parse("CONSTITUTION.md", charter_md, strlen(charter_md), ch), 0);
}

/* A valid case file with these principles (a JSON list's inside). */
static void write_case(const char *rel, const char *id, const char *principles)
{
	char text[1024];

	snprintf(text, sizeof text,
		 "{\"id\":\"%s\",\"kind\":\"counterexample\",\"principles\":[%s],"
		 "\"scenario\":\"A scenario long enough to be a case.\",\"literal_reading\":\"x\","
		 "\"expected\":\"y\",\"rationale\":\"z\",\"severity\":2,\"status\":\"open\","
		 "\"ratings\":[],\"resolved_by\":null,\"provenance\":{}}",
		 id, principles);
	tg_write_str(tg_path(rel), text);
}

static void test_counts(void **state)
{
	case_counts cc;
	charter *ch;
	store *s;

	assert_int_equal(tg_sh("git init -q -b main %s", tg_path("r")), 0);
	/* the flat layout of earlier versions and the fanned-out one */
	write_case("r/cases/c-01aaaaaaaaaaaaaaa1.json", "c-01aaaaaaaaaaaaaaa1",
		   "\"honesty\",\"kindness\"");
	write_case("r/cases/a2/c-01aaaaaaaaaaaaaaa2.json", "c-01aaaaaaaaaaaaaaa2", "\"honesty\"");
	write_case("r/cases/a3/c-01aaaaaaaaaaaaaaa3.json", "c-01aaaaaaaaaaaaaaa3", "\"gone\"");
	tg_write_str(tg_path("r/cases/c-4.json"), "{\"principles\": [\"honesty\"");
	tg_write_str(tg_path("r/cases/c-5.json"), "[\"honesty\"]");
	tg_write_str(tg_path("r/cases/README.md"), "honesty kindness");
	write_case("r/cases/sub/c-01aaaaaaaaaaaaaaa6.json", "c-01aaaaaaaaaaaaaaa6", "\"honesty\"");
	load(&s, &ch);
	assert_int_equal(case_counts_load(s, ch, &cc), 0);
	assert_int_equal(cc.per_principle[charter_index(ch, "top")], 0);
	assert_int_equal(cc.per_principle[charter_index(ch, "honesty")], 2);
	assert_int_equal(cc.per_principle[charter_index(ch, "kindness")], 1);
	assert_int_equal(cc.files, 5); /* not sub/: not a fan-out directory */
	assert_int_equal(cc.unreadable, 2); /* truncated JSON; an array, not a record */
	assert_int_equal(cc.unknown_ids, 1);
	case_counts_clear(&cc);
	charter_free(ch);
	store_close(s);
}

static void test_no_cases_dir(void **state)
{
	case_counts cc;
	charter *ch;
	store *s;

	assert_int_equal(tg_sh("git init -q -b main %s", tg_path("r")), 0);
	load(&s, &ch);
	assert_int_equal(case_counts_load(s, ch, &cc), 0);
	assert_int_equal(cc.files, 0);
	for (size_t i = 0; i < ch->n; i++)
		assert_int_equal(cc.per_principle[i], 0);
	case_counts_clear(&cc);
	charter_free(ch);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts, tg_setup, tg_teardown),
		cmocka_unit_test_setup_teardown(test_no_cases_dir, tg_setup, tg_teardown),
	};

	git_libgit2_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
