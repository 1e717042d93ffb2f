/* test_history.c — the files a commit changed and its charter diff, on a
 * repository written with the git CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <string.h>

#include "../support/tmpgit.h"
#include "codicil/error.h"
#include "codicil/history.h"
#include "codicil/store.h"

static store *make_repo(void)
{
	char r[512];
	store *s;

	snprintf(r, sizeof r, "%s", tg_path("r")); /* tg_path's slots rotate */
	assert_int_equal(tg_sh("git init -q -b main %s", r), 0);
	tg_write_str(tg_path("r/CONSTITUTION.md"), "# A {#a}\n\nOne.\n");
	tg_write_str(tg_path("r/notes.txt"), "x\n");
	assert_int_equal(tg_sh("cd %s && git add . && git commit -q -m one", r), 0);
	tg_write_str(tg_path("r/CONSTITUTION.md"), "# A {#a}\n\nTwo.\n");
	tg_write_str(tg_path("r/cases/c-1.json"), "{}\n");
	assert_int_equal(tg_sh("cd %s && git rm -q notes.txt && git add . && "
			       "git commit -q -m two", r), 0);
	tg_write_str(tg_path("r/cases/c-1.json"), "{\"x\":1}\n");
	assert_int_equal(tg_sh("cd %s && git commit -q -am three", r), 0);
	assert_int_equal(store_open(r, &s), 0);
	return s;
}

static void test_root_commit(void **state)
{
	store *s = make_repo();
	history_diff d;

	assert_int_equal(history_commit_diff(s, "HEAD~2", "CONSTITUTION.md", &d), 0);
	assert_int_equal(d.nfiles, 2);
	assert_int_equal(d.files[0].status, 'A');
	assert_string_equal(d.files[0].path, "CONSTITUTION.md");
	assert_true(d.charter_changed);
	assert_string_equal(d.charter_before.data, ""); /* it did not exist */
	assert_non_null(strstr(d.charter_after.data, "\nOne.\n"));
	history_diff_clear(&d);
	store_close(s);
}

static void test_change_and_delete(void **state)
{
	store *s = make_repo();
	history_diff d;

	assert_int_equal(history_commit_diff(s, "HEAD~1", "CONSTITUTION.md", &d), 0);
	assert_int_equal(d.nfiles, 3);
	assert_int_equal(d.files[0].status, 'M');
	assert_string_equal(d.files[1].path, "cases/c-1.json");
	assert_int_equal(d.files[1].status, 'A');
	assert_string_equal(d.files[2].path, "notes.txt");
	assert_int_equal(d.files[2].status, 'D');
	assert_true(d.charter_changed);
	assert_non_null(strstr(d.charter_before.data, "\nOne.\n"));
	assert_non_null(strstr(d.charter_after.data, "\nTwo.\n"));
	assert_null(strstr(d.charter_after.data, "One."));
	history_diff_clear(&d);
	store_close(s);
}

static void test_charter_untouched_and_bad_rev(void **state)
{
	store *s = make_repo();
	history_diff d;

	assert_int_equal(history_commit_diff(s, "HEAD", "CONSTITUTION.md", &d), 0);
	assert_int_equal(d.nfiles, 1);
	assert_false(d.charter_changed);
	assert_int_equal(d.charter_after.len, 0);
	history_diff_clear(&d);
	assert_int_equal(history_commit_diff(s, "no-such-rev", "CONSTITUTION.md", &d), -1);
	assert_string_equal(cd_err_msg(), "unknown commit 'no-such-rev'");
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_root_commit, tg_setup, tg_teardown),
		cmocka_unit_test_setup_teardown(test_change_and_delete, tg_setup, tg_teardown),
		cmocka_unit_test_setup_teardown(test_charter_untouched_and_bad_rev, tg_setup,
						tg_teardown),
	};

	git_libgit2_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
