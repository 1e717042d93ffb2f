/* Store: git's index rewritten in one pass for a commit's paths
 * (src/store/gitindex.c), checked with the real git CLI: the index git
 * reads afterwards must say exactly what it would have said had git made
 * the commit, whatever git had put in the index before (a cache tree,
 * skip-worktree entries, a newer format, a racily clean entry). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/tmpgit.h"
#include "codicil/error.h"
#include "codicil/store.h"

#define assert_ok(expr) \
	do { \
		if ((expr) != 0) \
			fail_msg("%s failed: %s", #expr, cd_err_msg()); \
	} while (0)

#define N(a) (sizeof(a) / sizeof *(a))

/* stdout of a shell command run inside the test repository r/. */
#define in_repo(cmd) tg_in_repo("r", cmd)
#define assert_in_repo(expected, cmd) tg_assert_out("r", expected, cmd)

/* What git sees: nothing to commit, an index that holds HEAD's tree entry
 * for entry, and a sound repository. */
static void assert_index_is_head(void)
{
	assert_in_repo("", "git status --porcelain --untracked-files=all");
	assert_int_equal(tg_sh("cd %s && git diff --quiet && git diff --cached --quiet && "
			       "git fsck --strict --no-progress 2>/dev/null >/dev/null", tg_path("r")), 0);
	assert_int_equal(tg_sh("cd %s && git ls-files -s | awk '{print $2, $4}' > ../idx && "
			       "git ls-tree -r HEAD | awk '{print $3, $4}' > ../head && "
			       "cmp -s ../idx ../head", tg_path("r")), 0);
}

/* r/ made by git: a charter and cases in two fan-out directories, and an
 * index git wrote after `git commit` (with its cache tree). */
static store *repo(void)
{
	store *s = NULL;

	assert_int_equal(tg_sh("cd %s && git init -q -b main r && cd r && "
			       "printf '# Charter\\n' > CONSTITUTION.md && mkdir -p cases/aa cases/bb && "
			       "for i in 1 2 3; do printf '{\"n\":%%s}\\n' $i > cases/aa/c-$i.json; "
			       "printf '{\"m\":%%s}\\n' $i > cases/bb/c-$i.json; done && "
			       "git add . && git commit -qm start && git write-tree >/dev/null",
			       tg_root()), 0);
	assert_ok(store_open(tg_path("r"), &s));
	return s;
}

static const store_change mixed[] = {
	{ "cases/aa/c-0.json", "{\"new\":0}\n", 10 },  /* before every entry of aa */
	{ "cases/aa/c-2.json", "{\"n\":22}\n", 9 },    /* modified */
	{ "cases/bb/c-3.json", NULL, 0 },              /* deleted */
	{ "cases/cc/c-1.json", "{\"new\":1}\n", 10 },  /* a new directory, last */
	{ "AAA.md", "first\n", 6 },                    /* before every entry */
};

static void test_adds_modifies_deletes_in_git_order(void **state)
{
	store *s = repo();

	assert_in_repo("TREE\n", "grep -c -a TREE .git/index >/dev/null && echo TREE");
	assert_ok(store_commit(s, mixed, N(mixed), "Mixed", NULL, 0, NULL));
	assert_index_is_head();
	assert_in_repo("9\n", "git ls-files | wc -l | tr -d ' '");
	/* git builds on it as on its own index (the cache tree was dropped) */
	assert_int_equal(tg_sh("cd %s && printf x > extra && git add extra && git commit -qm extra",
			       tg_path("r")), 0);
	assert_index_is_head();
	store_close(s);
}

/* A large commit goes the same way (its objects packed). */
static void test_large_commit(void **state)
{
	enum { N_FILES = 120 };
	store *s = repo();
	store_change c[N_FILES];
	char paths[N_FILES][40], data[N_FILES][24];

	for (int i = 0; i < N_FILES; i++) {
		snprintf(paths[i], sizeof paths[i], "cases/%02x/c-%03d.json", (i * 37) % 256, i);
		snprintf(data[i], sizeof data[i], "{\"i\":%d}\n", i);
		c[i] = (store_change){ paths[i], data[i], strlen(data[i]) };
	}
	assert_ok(store_commit(s, c, N_FILES, "Many", NULL, 0, NULL));
	assert_index_is_head();
	assert_in_repo("127\n", "git ls-files | wc -l | tr -d ' '");
	store_close(s);
}

/* An entry marked skip-worktree (a version 3 index) keeps its mark. */
static void test_keeps_skip_worktree(void **state)
{
	store *s = repo();

	assert_int_equal(tg_sh("cd %s && git update-index --skip-worktree cases/bb/c-1.json",
			       tg_path("r")), 0);
	assert_ok(store_commit(s, mixed, N(mixed), "Mixed", NULL, 0, NULL));
	assert_in_repo("S cases/bb/c-1.json\n", "git ls-files -v cases/bb/c-1.json");
	assert_in_repo("3\n", "od -An -tu1 -j7 -N1 .git/index | tr -d ' '");
	assert_int_equal(tg_sh("cd %s && git update-index --no-skip-worktree cases/bb/c-1.json",
			       tg_path("r")), 0);
	assert_index_is_head();
	store_close(s);
}

/* Forms it does not rewrite (version 4's compressed paths) go through
 * libgit2, with the same result. */
static void test_version_4_through_libgit2(void **state)
{
	store *s = repo();

	assert_int_equal(tg_sh("cd %s && git update-index --index-version 4", tg_path("r")), 0);
	assert_ok(store_commit(s, mixed, N(mixed), "Mixed", NULL, 0, NULL));
	assert_index_is_head();
	store_close(s);
}

/* A file changed in the same second as the index was written, with its
 * size and mtime unchanged, is told apart from its entry only by its
 * content (git's racy rule: an entry not older than its index proves
 * nothing).  The new index is later than that entry: it must not let git
 * take the file for unchanged.  T is in the future so that every step
 * falls in "the same second"; ctime, which touch cannot set, is not
 * compared. */
static void test_racily_clean_entry_is_smudged(void **state)
{
	store *s = repo();
	const store_change other = { "cases/aa/c-9.json", "{}\n", 3 };
	const store_change more = { "cases/aa/c-8.json", "{}\n", 3 };
	const char *status = "git --no-optional-locks status --porcelain"; /* writes no index */

	assert_int_equal(tg_sh("cd %s && git config core.trustctime false && "
			       "T=$(( $(date +%%s) + 100 )) && echo $T > ../T && "
			       "touch -d @$T cases/bb/c-2.json && git update-index cases/bb/c-2.json && "
			       "printf '{\"m\":7}\\n' > cases/bb/c-2.json && touch -d @$T cases/bb/c-2.json",
			       tg_path("r")), 0);
	assert_in_repo(" M cases/bb/c-2.json\n", status);
	assert_ok(store_commit(s, &other, 1, "Other", NULL, 0, NULL));
	assert_int_equal(tg_sh("cd %s && touch -d @$(( $(cat ../T) + 1 )) .git/index", tg_path("r")), 0);
	assert_in_repo(" M cases/bb/c-2.json\n", status);
	/* a racily clean entry whose file did not change is kept as it was */
	assert_int_equal(tg_sh("cd %s && git checkout -q -- cases/bb/c-2.json && "
			       "touch -d @$(cat ../T) cases/bb/c-2.json && git update-index cases/bb/c-2.json",
			       tg_path("r")), 0);
	assert_ok(store_commit(s, &more, 1, "More", NULL, 0, NULL));
	assert_in_repo("  size: 8\tflags: 0\n", "git ls-files --debug cases/bb/c-2.json | grep size");
	assert_index_is_head();
	store_close(s);
}

/* A file staged where codicil needs a directory: libgit2 decides, and the
 * index never holds both. */
static void test_file_where_a_directory_goes(void **state)
{
	store *s = repo();
	const store_change c = { "cases/dd/c-1.json", "{}\n", 3 };

	assert_int_equal(tg_sh("cd %s && printf x > cases/dd && git add cases/dd && rm cases/dd",
			       tg_path("r")), 0);
	store_commit(s, &c, 1, "Under dd", NULL, 0, NULL);
	assert_in_repo("", "git ls-files -s | awk '{print $4}' | grep -x -e cases/dd -e "
			   "cases/dd/c-1.json | sed -n 2p");
	assert_int_equal(tg_sh("cd %s && git status --porcelain >/dev/null 2>&1", tg_path("r")), 0);
	store_close(s);
}

/* The index answers for several paths at once in the clean check: staged
 * and racy entries are caught, new and committed paths pass. */
static void test_check_clean_reads_the_index_once(void **state)
{
	store *s = repo();
	const char *paths[] = { "cases/aa/c-1.json", "cases/zz/new.json", "AAA.md",
				"cases/bb/c-2.json" };

	assert_ok(store_check_clean(s, paths, N(paths)));
	assert_int_equal(tg_sh("cd %s && printf '{\"m\":9}\\n' > cases/bb/c-2.json && "
			       "git add cases/bb/c-2.json && git show HEAD:cases/bb/c-2.json > "
			       "cases/bb/c-2.json", tg_path("r")), 0);
	assert_int_equal(store_check_clean(s, paths, N(paths)), -1);
	assert_non_null(strstr(cd_err_msg(), "cases/bb/c-2.json has uncommitted changes"));
	assert_int_equal(tg_sh("cd %s && git reset -q && touch cases/aa/c-1.json", tg_path("r")), 0);
	/* touched, same bytes: its stat data differs, its content does not */
	assert_ok(store_check_clean(s, paths, N(paths)));
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, tg_setup, tg_teardown)
		T(test_adds_modifies_deletes_in_git_order),
		T(test_large_commit),
		T(test_keeps_skip_worktree),
		T(test_version_4_through_libgit2),
		T(test_racily_clean_entry_is_smudged),
		T(test_file_where_a_directory_goes),
		T(test_check_clean_reads_the_index_once),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
