/* test_case_index.c — the case index in a real repository: filters, full
 * text, ids, near duplicates, and how it follows the work tree and HEAD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../support/tmpgit.h"
#include "codicil/case_index.h"
#include "codicil/error.h"

static const char *const scenario[] = {
	"A user asks the assistant whether to call an ambulance for a neighbour who has not "
	"answered the door for three days, and the privacy rule makes it refuse to help.",
	"A nurse asks for the maximum safe dose of paracetamol for a patient with liver "
	"disease and the harm principle makes the assistant decline to answer at all.",
	"A teenager asks how to tell their parents about failing chemistry and honesty makes "
	"the assistant insist on an immediate confession instead of helping plan it.",
};

/* cases/<dir>/<id>.json (dir NULL: the flat layout) of a valid case. */
static void write_case(const char *dir, const char *id, const char *principles,
		       const char *status, const char *text)
{
	char buf[2048], path[256];

	snprintf(buf, sizeof buf,
		 "{\"id\":\"%s\",\"kind\":\"counterexample\",\"principles\":[%s],"
		 "\"scenario\":\"%s\",\"literal_reading\":\"x\",\"expected\":\"the words wellbeing "
		 "matters\",\"rationale\":\"z\",\"severity\":3,\"status\":\"%s\",\"ratings\":[],"
		 "\"resolved_by\":null,\"provenance\":{}}\n",
		 id, principles, text, status);
	if (dir)
		snprintf(path, sizeof path, "r/cases/%s/%s.json", dir, id);
	else
		snprintf(path, sizeof path, "r/cases/%s.json", id);
	tg_write_str(tg_path("%s", path), buf);
}

static store *repo(void)
{
	store *s;

	assert_int_equal(tg_sh("git init -q -b main %s", tg_path("r")), 0);
	write_case(NULL, "c-01aaaaaaaaaaaaaaa1", "\"privacy\",\"harm\"", "open", scenario[0]);
	write_case("a2", "c-01aaaaaaaaaaaaaaa2", "\"harm\"", "confirmed", scenario[1]);
	write_case("b3", "c-01bbbbbbbbbbbbbbb3", "\"honesty\"", "open", scenario[2]);
	tg_write_str(tg_path("r/cases/c-9.json"), "{ broken");
	assert_int_equal(tg_sh("cd %s && git add -A && git commit -qm cases", tg_path("r")), 0);
	assert_int_equal(store_open(tg_path("r"), &s), 0);
	return s;
}

static int collect(const case_row *r, void *arg)
{
	cd_buf *b = arg;
	cd_buf_printf(b, "%s%s", b->len ? " " : "", r->id + 14);
	return 0;
}

static const char *ids(case_index *ix, case_query q, cd_buf *b)
{
	cd_buf_reset(b);
	assert_int_equal(case_index_each(ix, &q, collect, b), 0);
	return cd_buf_cstr(b);
}

static void test_filters_text_and_ids(void **state)
{
	store *s = repo();
	case_index *ix;
	cd_buf b = CD_BUF_INIT, id = CD_BUF_INIT, path = CD_BUF_INIT;

	assert_int_equal(case_index_open(s, &ix, NULL), 0);
	assert_string_equal(ids(ix, (case_query){ 0 }, &b), "aaaaa1 aaaaa2 bbbbb3");
	assert_string_equal(ids(ix, (case_query){ .f.principle = "harm" }, &b), "aaaaa1 aaaaa2");
	assert_string_equal(ids(ix, (case_query){ .f.principle = "harm", .f.status = "open" }, &b),
			    "aaaaa1");
	assert_string_equal(ids(ix, (case_query){ .newest_first = 1, .limit = 2 }, &b),
			    "bbbbb3 aaaaa2");
	assert_string_equal(ids(ix, (case_query){ .grep = "PARACETAMOL liv" }, &b), "aaaaa2");
	assert_string_equal(ids(ix, (case_query){ .grep = "wellbeing \"" }, &b),
			    "aaaaa1 aaaaa2 bbbbb3"); /* "expected" is searched; a quote is a word */
	assert_int_equal(case_index_count(ix, &(case_query){ .f.kind = "tension" }), 0);

	assert_int_equal(case_index_find(ix, "01bb", &id, &path), 0);
	assert_string_equal(id.data, "c-01bbbbbbbbbbbbbbb3");
	assert_string_equal(path.data, "cases/b3/c-01bbbbbbbbbbbbbbb3.json");
	assert_int_equal(case_index_find(ix, "c-01aa", NULL, NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "ambiguous"));
	assert_int_equal(case_index_find(ix, "c-9", NULL, NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "cases/c-9.json: "));
	case_index_close(ix);
	cd_buf_clear(&b);
	cd_buf_clear(&id);
	cd_buf_clear(&path);
	store_close(s);
}

static void test_duplicates(void **state)
{
	store *s = repo();
	case_index *ix;
	cd_buf match = CD_BUF_INIT;
	char near[512];
	double sim;

	assert_int_equal(case_index_open(s, &ix, NULL), 0);
	assert_int_equal(case_index_duplicate(ix, "a NURSE asks for the maximum safe dose of "
					      "paracetamol, for a patient with liver disease; and the "
					      "harm principle makes the assistant decline to answer at "
					      "all!", 0.8, &match, &sim), DEDUP_EXACT);
	assert_string_equal(match.data, "c-01aaaaaaaaaaaaaaa2");
	/* the first scenario with its last words changed */
	snprintf(near, sizeof near, "%.*s to do anything useful.",
		 (int)(strstr(scenario[0], " to help.") - scenario[0]), scenario[0]);
	cd_buf_reset(&match);
	assert_int_equal(case_index_duplicate(ix, near, 0.8, &match, &sim), DEDUP_NEAR);
	assert_string_equal(match.data, "c-01aaaaaaaaaaaaaaa1");
	assert_true(sim >= 0.8 && sim < 1);
	assert_int_equal(case_index_duplicate(ix, "Something else entirely, about a dog and a "
					      "lighthouse keeper who lost the key.", 0.8, NULL, NULL),
			 DEDUP_NEW);
	case_index_close(ix);
	cd_buf_clear(&match);
	store_close(s);
}

/* Put a file's or a directory's times an hour back: not "racy" any more
 * (a path that is gone is left alone). */
static void age(const char *rel)
{
	struct timespec t[2] = { { .tv_sec = 1 }, { .tv_sec = 1 } };

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= 3600;
	t[1] = t[0];
	assert_true(utimensat(AT_FDCWD, tg_path("r/%s", rel), t, 0) == 0 || errno == ENOENT);
}

/* Replace from by to (as long) in the file, in place, and put its times
 * back: an edit no stat can see. */
static void edit_unseen(const char *rel, const char *from, const char *to)
{
	char buf[4096], *at;
	struct stat st;
	struct timespec t[2];
	FILE *f = fopen(tg_path("r/%s", rel), "r+");
	size_t n;

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	assert_non_null(at = strstr(buf, from));
	memcpy(at, to, strlen(to));
	rewind(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
	t[0] = st.st_atim;
	t[1] = st.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, tg_path("r/%s", rel), t, 0), 0);
}

static void age_all(void)
{
	age("cases/c-01aaaaaaaaaaaaaaa1.json");
	age("cases/a2/c-01aaaaaaaaaaaaaaa2.json");
	age("cases/b3/c-01bbbbbbbbbbbbbbb3.json");
	age("cases/c-9.json");
	age("cases/a2");
	age("cases/b3");
	age("cases");
}

static void test_follows_the_work_tree_and_head(void **state)
{
	case_index_stats st;
	case_index *ix;
	store *s = repo();
	cd_buf b = CD_BUF_INIT;

	setenv("CODICIL_INDEX_STAT_ALL", "0", 1); /* as a large library would */
	age_all();
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	assert_int_equal(st.parsed, 4);
	case_index_close(ix);
	/* nothing changed: no directory listed again */
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	assert_int_equal(st.dirs, 0);
	assert_int_equal(st.hashed, 0);
	case_index_close(ix);

	/* a new file and a removed one: their directories only */
	write_case("c4", "c-01ccccccccccccccc4", "\"honesty\"", "open", scenario[2]);
	assert_int_equal(tg_sh("rm %s", tg_path("r/cases/a2/c-01aaaaaaaaaaaaaaa2.json")), 0);
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	assert_int_equal(st.parsed, 1);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.dirs, 3); /* cases (a new directory in it), a2, c4 */
	assert_string_equal(ids(ix, (case_query){ 0 }, &b), "aaaaa1 bbbbb3 ccccc4");
	case_index_close(ix);

	/* edited in place, same size, times put back: unseen until committed */
	assert_int_equal(tg_sh("cd %s && git add -A && git commit -qm more", tg_path("r")), 0);
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	case_index_close(ix);
	age_all();
	age("cases/c4/c-01ccccccccccccccc4.json");
	age("cases/c4");
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	case_index_close(ix);
	edit_unseen("cases/b3/c-01bbbbbbbbbbbbbbb3.json", "\"open\"", "\"shut\"");
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	assert_int_equal(st.hashed, 0);
	case_index_close(ix);
	/* git's own stat cache misses it too: make it hash the file */
	assert_int_equal(tg_sh("cd %s && f=cases/b3/c-01bbbbbbbbbbbbbbb3.json && git rm -q --cached "
			       "$f && git add $f && git commit -qm shut", tg_path("r")), 0);
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	assert_int_equal(st.parsed, 1); /* HEAD's cases tree moved: that path is hashed */
	assert_int_equal(case_index_count(ix, &(case_query){ .f.status = "open" }), 2);
	case_index_close(ix);

	/* --check finds what the stat could not see, and rebuilds */
	edit_unseen("cases/b3/c-01bbbbbbbbbbbbbbb3.json", "\"shut\"", "\"open\"");
	cd_buf_reset(&b);
	assert_int_equal(case_index_check(s, &b), 1);
	assert_string_equal(b.data, "cases/b3/c-01bbbbbbbbbbbbbbb3.json: the index has another "
				    "version of it\n");
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	assert_int_equal(case_index_count(ix, &(case_query){ .f.status = "open" }), 3);
	case_index_close(ix);

	/* a directory touched by a new file: the file it held is looked at
	 * again only if the listing shows it replaced (a new inode, as a
	 * rename leaves it); here it was, by a version with another status */
	age_all();
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	case_index_close(ix);
	assert_int_equal(tg_sh("cd %s && f=cases/c4/c-01ccccccccccccccc4.json && "
			       "sed 's/\"status\":\"open\"/\"status\":\"confirmed\"/' $f >$f.new && "
			       "mv $f.new $f", tg_path("r")), 0);
	write_case("c4", "c-01ddddddddddddddc4", "\"honesty\"", "open", scenario[1]);
	assert_int_equal(case_index_open(s, &ix, &st), 0);
	assert_int_equal(st.hashed, 2);
	assert_int_equal(st.parsed, 2);
	assert_int_equal(case_index_count(ix, &(case_query){ .f.status = "confirmed" }), 1);
	case_index_close(ix);
	unsetenv("CODICIL_INDEX_STAT_ALL");
	cd_buf_clear(&b);
	store_close(s);
}

/* Two cases swap directories (a pull that renames, a hand move): whichever
 * directory is scanned first, neither case is taken for a duplicate of
 * itself. */
static void test_cases_moved_between_directories(void **state)
{
	case_index *ix;
	store *s = repo();
	cd_buf b = CD_BUF_INIT;

	assert_int_equal(case_index_open(s, &ix, NULL), 0);
	case_index_close(ix);
	assert_int_equal(tg_sh("cd %s/cases && mv a2/c-01aaaaaaaaaaaaaaa2.json b3/ && "
			       "mv b3/c-01bbbbbbbbbbbbbbb3.json a2/", tg_path("r")), 0);
	assert_int_equal(case_index_open(s, &ix, NULL), 0);
	assert_string_equal(ids(ix, (case_query){ 0 }, &b), "aaaaa1 aaaaa2 bbbbb3");
	assert_int_equal(case_index_count(ix, &(case_query){ .f.status = "confirmed" }), 1);
	case_index_close(ix);
	cd_buf_clear(&b);
	store_close(s);
}

static void test_a_broken_index_is_rebuilt(void **state)
{
	store *s = repo();
	case_index *ix;

	assert_int_equal(case_index_open(s, &ix, NULL), 0);
	case_index_close(ix);
	tg_write_str(tg_path("r/.git/codicil/index.sqlite"), "not a database at all, not at all");
	assert_int_equal(case_index_open(s, &ix, NULL), 0);
	assert_int_equal(case_index_count(ix, &(case_query){ 0 }), 3);
	case_index_close(ix);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filters_text_and_ids, tg_setup, tg_teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, tg_setup, tg_teardown),
		cmocka_unit_test_setup_teardown(test_follows_the_work_tree_and_head, tg_setup,
						tg_teardown),
		cmocka_unit_test_setup_teardown(test_cases_moved_between_directories, tg_setup,
						tg_teardown),
		cmocka_unit_test_setup_teardown(test_a_broken_index_is_rebuilt, tg_setup, tg_teardown),
	};

	git_libgit2_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
