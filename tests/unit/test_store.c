/* Store: opening, creating, reading and history, checked against the real
 * git CLI in throwaway repositories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../support/tmpgit.h"
#include "codicil/error.h"
#include "codicil/store.h"

#define assert_ok(expr) \
	do { \
		if ((expr) != 0) \
			fail_msg("%s failed: %s", #expr, cd_err_msg()); \
	} while (0)

/* stdout of a shell command, which must succeed. */
static char *sh(const char *cmd)
{
	char *out = tg_sh_out(NULL, "%s", cmd);
	if (!out)
		fail_msg("command failed: %s", cmd);
	return out;
}

static void assert_sh_out(const char *expected, const char *cmd)
{
	char *out = sh(cmd);
	assert_string_equal(out, expected);
	free(out);
}

static void assert_repo_sound(const char *repo)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "git -C %s status --porcelain --untracked-files=all", repo);
	assert_sh_out("", cmd);
	assert_int_equal(tg_sh("git -C %s fsck --strict --no-progress 2>&1 >/dev/null", repo), 0);
}

/* A template folder: a charter, nested files, a binary file, a script. */
static const char *make_template(void)
{
	static const char bin[] = { 'a', 0, 'b', '\r', '\n', (char)0xff, 0 };

	tg_write_str(tg_path("tpl/rights/CONSTITUTION.md"), "# Rights {#rights}\n\nBe kind.\n");
	tg_write_str(tg_path("tpl/rights/META.md"), "name: rights\n");
	tg_write_str(tg_path("tpl/rights/cases/deep/c-01.json"), "{\n  \"id\": \"c-01\"\n}\n");
	tg_write(tg_path("tpl/rights/blob.bin"), bin, sizeof bin);
	tg_write_str(tg_path("tpl/rights/hook.sh"), "#!/bin/sh\necho hi\n");
	chmod(tg_path("tpl/rights/hook.sh"), 0755);
	return tg_path("tpl/rights");
}

static void test_open_errors(void **state)
{
	store *s = (store *)1;
	char expected[512];

	assert_int_equal(store_open(tg_path("missing"), &s), -1);
	assert_null(s);
	snprintf(expected, sizeof expected, "%s: no such directory", tg_path("missing"));
	assert_string_equal(cd_err_msg(), expected);

	tg_sh("mkdir -p %s", tg_path("plain"));
	assert_int_equal(store_open(tg_path("plain"), &s), -1);
	snprintf(expected, sizeof expected,
		 "not a git repository: %s (run 'codicil init %s' to create one)",
		 tg_path("plain"), tg_path("plain"));
	assert_string_equal(cd_err_msg(), expected);

	assert_int_equal(tg_sh("git init -q -b main --bare %s", tg_path("bare.git")), 0);
	assert_int_equal(store_open(tg_path("bare.git"), &s), -1);
	assert_non_null(strstr(cd_err_msg(), "bare"));
}

static void test_open_from_subdirectory(void **state)
{
	store *s = NULL;
	cd_buf p = CD_BUF_INIT;
	char expected[512];

	assert_int_equal(tg_sh("git init -q -b main %s && mkdir -p %s", tg_path("r"),
			       tg_path("r/a/b")), 0);
	assert_ok(store_open(tg_path("r/a/b"), &s));
	snprintf(expected, sizeof expected, "%s/", tg_path("r"));
	assert_string_equal(store_workdir(s), expected);
	snprintf(expected, sizeof expected, "%s/.git/", tg_path("r"));
	assert_string_equal(store_gitdir(s), expected);
	assert_non_null(store_repo(s));
	assert_ok(store_local_path(s, "cache/ab/cd", &p));
	snprintf(expected, sizeof expected, "%s/.git/codicil/cache/ab/cd", tg_path("r"));
	assert_string_equal(p.data, expected);
	assert_int_equal(tg_sh("test -d %s/.git/codicil/cache/ab", tg_path("r")), 0);
	cd_buf_clear(&p);
	store_close(s);
}

static void test_init_template_copies_every_file(void **state)
{
	const char *tpl = make_template();
	const char *files[] = { "CONSTITUTION.md", "META.md", "cases/deep/c-01.json", "blob.bin",
				"hook.sh" };
	store *s = NULL;

	assert_ok(store_init_template(tg_path("new/repo"), tpl, &s));
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		assert_int_equal(tg_sh("cmp -s %s/%s %s/%s", tpl, files[i], tg_path("new/repo"),
				       files[i]), 0);
		assert_int_equal(tg_sh("git -C %s show HEAD:%s | cmp -s - %s/%s",
				       tg_path("new/repo"), files[i], tpl, files[i]), 0);
	}
	assert_int_equal(tg_sh("test -x %s/hook.sh", tg_path("new/repo")), 0);
	assert_int_equal(tg_sh("test -x %s/META.md", tg_path("new/repo")), 1);
	assert_sh_out("100755\n", "git -C $HOME/../new/repo ls-tree HEAD hook.sh | cut -c1-6");
	assert_sh_out("100644\n", "git -C $HOME/../new/repo ls-tree HEAD META.md | cut -c1-6");
	assert_sh_out("6\n", "git -C $HOME/../new/repo ls-tree -r HEAD | wc -l | tr -d ' '");
	assert_sh_out("Initial constitution from template rights\n",
		      "git -C $HOME/../new/repo cat-file commit HEAD | sed '1,/^$/d'");
	assert_sh_out("Test Reviewer <reviewer@example.org>\n",
		      "git -C $HOME/../new/repo log --format='%an <%ae>'");
	assert_sh_out("main\n", "git -C $HOME/../new/repo symbolic-ref --short HEAD");
	assert_repo_sound(tg_path("new/repo"));
	store_close(s);
}

static void test_init_honours_default_branch(void **state)
{
	store *s = NULL;

	assert_int_equal(tg_sh("git config --global init.defaultBranch trunk"), 0);
	assert_ok(store_init_template(tg_path("r"), make_template(), &s));
	assert_sh_out("trunk\n", "git -C $HOME/../r symbolic-ref --short HEAD");
	assert_repo_sound(tg_path("r"));
	store_close(s);
}

static void test_init_from_file_is_byte_identical(void **state)
{
	static const char md[] = "# Charter\r\n\r\nCaf\xc3\xa9 \t rule\r\n\nno final newline";
	store *s = NULL;

	tg_write(tg_path("src/My Charter.md"), md, sizeof md - 1);
	assert_int_equal(tg_sh("mkdir -p %s", tg_path("empty")), 0);
	assert_ok(store_init_from_file(tg_path("empty"), tg_path("src/My Charter.md"), &s));
	assert_int_equal(tg_sh("git -C %s show HEAD:CONSTITUTION.md | cmp -s - '%s'",
			       tg_path("empty"), tg_path("src/My Charter.md")), 0);
	assert_int_equal(tg_sh("cmp -s %s/CONSTITUTION.md '%s'", tg_path("empty"),
			       tg_path("src/My Charter.md")), 0);
	assert_sh_out("Import My Charter.md\n",
		      "git -C $HOME/../empty cat-file commit HEAD | sed '1,/^$/d'");
	assert_sh_out(".gitattributes\nCONSTITUTION.md\n", "git -C $HOME/../empty ls-tree --name-only HEAD");
	assert_repo_sound(tg_path("empty"));
	store_close(s);
}

static void test_init_refusals_leave_nothing(void **state)
{
	const char *tpl = make_template();
	store *s = NULL;

	tg_write_str(tg_path("full/x.txt"), "x");
	assert_int_equal(store_init_template(tg_path("full"), tpl, &s), -1);
	assert_non_null(strstr(cd_err_msg(), "is not empty"));
	assert_int_equal(tg_sh("test -e %s/.git", tg_path("full")), 1);

	assert_int_equal(tg_sh("git init -q -b main %s", tg_path("existing")), 0);
	assert_int_equal(store_init_template(tg_path("existing"), tpl, &s), -1);
	assert_non_null(strstr(cd_err_msg(), "already a git repository"));

	assert_int_equal(store_init_template(tg_path("r"), tg_path("nope"), &s), -1);
	assert_non_null(strstr(cd_err_msg(), "no such template"));
	assert_int_equal(store_init_from_file(tg_path("r"), tg_path("nope.md"), &s), -1);
	assert_non_null(strstr(cd_err_msg(), "no such file"));
	assert_int_equal(tg_sh("test -e %s", tg_path("r")), 1);

	/* an empty template: the half-made repository is removed again */
	tg_sh("mkdir -p %s", tg_path("tpl/empty/sub"));
	assert_int_equal(store_init_template(tg_path("r"), tg_path("tpl/empty"), &s), -1);
	assert_non_null(strstr(cd_err_msg(), "has no files"));
	assert_int_equal(tg_sh("test -e %s", tg_path("r")), 1);
	assert_null(s);
}

static void test_init_without_identity(void **state)
{
	store *s = NULL;

	assert_int_equal(tg_sh("rm %s", tg_path("home/.gitconfig")), 0);
	assert_int_equal(store_init_template(tg_path("r"), make_template(), &s), -1);
	assert_string_equal(cd_err_msg(),
			    "set your identity: git config --global user.name 'Your Name' && "
			    "git config --global user.email you@example.org");
	assert_int_equal(tg_sh("test -e %s", tg_path("r")), 1);
}

/* A repository with three plain-git commits changing CONSTITUTION.md. */
static store *three_commit_repo(void)
{
	store *s = NULL;

	assert_int_equal(tg_sh("cd %s && git init -q -b main r && cd r && "
			       "printf 'v1\\n' > CONSTITUTION.md && git add . && git commit -qm one && "
			       "printf 'v2\\n' > CONSTITUTION.md && mkdir cases && "
			       "printf '{}' > cases/b.json && printf '[]' > cases/a.json && "
			       "git add . && git commit -qm two && "
			       "printf 'v3\\n' > CONSTITUTION.md && git commit -qam three",
			       tg_root()), 0);
	assert_ok(store_open(tg_path("r"), &s));
	return s;
}

static void test_read_at_revisions(void **state)
{
	store *s = three_commit_repo();
	cd_buf b = CD_BUF_INIT;
	char id[41], *git_id;

	assert_ok(store_read(s, NULL, "CONSTITUTION.md", &b));
	assert_string_equal(b.data, "v3\n");
	cd_buf_reset(&b);
	assert_ok(store_read(s, "HEAD~1", "CONSTITUTION.md", &b));
	assert_string_equal(b.data, "v2\n");
	cd_buf_reset(&b);
	assert_ok(store_read(s, "HEAD~2", "CONSTITUTION.md", &b));
	assert_string_equal(b.data, "v1\n");
	cd_buf_reset(&b);
	assert_ok(store_read(s, "main", "cases/b.json", &b));
	assert_string_equal(b.data, "{}");
	cd_buf_reset(&b);

	assert_int_equal(store_read(s, "HEAD~2", "cases/b.json", &b), -1);
	assert_string_equal(cd_err_msg(), "cases/b.json does not exist at HEAD~2");
	assert_int_equal(store_read(s, "nosuchrev", "CONSTITUTION.md", &b), -1);
	assert_non_null(strstr(cd_err_msg(), "unknown revision 'nosuchrev'"));
	assert_int_equal(store_read(s, NULL, "cases", &b), -1);
	assert_int_equal(store_read(s, NULL, "../etc/passwd", &b), -1);

	assert_ok(store_resolve(s, "HEAD~1", id));
	git_id = sh("git -C $HOME/../r rev-parse HEAD~1");
	assert_memory_equal(id, git_id, 40);
	free(git_id);

	assert_ok(store_blob_id(s, "HEAD~1", "CONSTITUTION.md", id));
	git_id = sh("git -C $HOME/../r rev-parse HEAD~1:CONSTITUTION.md");
	assert_memory_equal(id, git_id, 40);
	free(git_id);

	tg_write_str(tg_path("r/CONSTITUTION.md"), "edited\n");
	assert_ok(store_read_worktree(s, "CONSTITUTION.md", &b));
	assert_string_equal(b.data, "edited\n");
	assert_ok(store_blob_id(s, "WORKTREE", "CONSTITUTION.md", id));
	git_id = sh("cd $HOME/../r && git hash-object CONSTITUTION.md");
	assert_memory_equal(id, git_id, 40);
	free(git_id);
	assert_int_equal(store_blob_id(s, "WORKTREE", "gone.md", id), -1);

	cd_buf_clear(&b);
	store_close(s);
}

static void test_read_unborn_head(void **state)
{
	store *s = NULL;
	cd_buf b = CD_BUF_INIT;

	assert_int_equal(tg_sh("git init -q -b main %s", tg_path("r")), 0);
	assert_ok(store_open(tg_path("r"), &s));
	assert_int_equal(store_read(s, NULL, "CONSTITUTION.md", &b), -1);
	assert_non_null(strstr(cd_err_msg(), "no commits yet"));
	cd_buf_clear(&b);
	store_close(s);
}

static void test_list_dir(void **state)
{
	store *s = three_commit_repo();
	char **paths;
	size_t n;

	tg_write_str(tg_path("r/cases/c.json"), "{}");
	tg_sh("mkdir -p %s", tg_path("r/cases/subdir"));
	assert_ok(store_list_dir(s, "cases", &paths, &n));
	assert_int_equal(n, 3);
	assert_string_equal(paths[0], "cases/a.json");
	assert_string_equal(paths[1], "cases/b.json");
	assert_string_equal(paths[2], "cases/c.json");
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);

	assert_ok(store_list_dir(s, "proposals", &paths, &n));
	assert_int_equal(n, 0);
	assert_null(paths);
	store_close(s);
}

static void test_parse_trailers(void **state)
{
	store_trailer *t;
	size_t n;

	assert_ok(store_parse_trailers("Amend privacy\n\nBecause.\n\n"
				       "Codicil-Case: c-1\nCodicil-Case: c-2\n"
				       "Reviewed-by: Ada <ada@example.org>\n", &t, &n));
	assert_int_equal(n, 3);
	assert_string_equal(t[0].key, "Codicil-Case");
	assert_string_equal(t[0].value, "c-1");
	assert_string_equal(t[1].value, "c-2");
	assert_string_equal(t[2].key, "Reviewed-by");
	assert_string_equal(t[2].value, "Ada <ada@example.org>");
	store_trailers_free(t, n);

	assert_ok(store_parse_trailers("Just a subject\n", &t, &n));
	assert_int_equal(n, 0);
	store_trailers_free(t, n);
}

/* Compare store_log's ids with git log's, one per line. */
static void assert_log_matches_git(store *s, const char *path, const char *git_cmd)
{
	store_commit_info *log;
	size_t n;
	char *git = sh(git_cmd), *line = git;

	assert_ok(store_log(s, NULL, path, 0, &log, &n));
	for (size_t i = 0; i < n; i++) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		assert_string_equal(log[i].id, line);
		line = nl + 1;
	}
	assert_string_equal(line, "");
	store_log_free(log, n);
	free(git);
}

static void test_log_with_path_filter(void **state)
{
	store *s = three_commit_repo();
	store_commit_info *log;
	size_t n;

	/* delete and re-add cases/a.json; touch only META.md in between */
	assert_int_equal(tg_sh("cd %s && git rm -q cases/a.json && git commit -qm 'drop a' && "
			       "echo m > META.md && git add META.md && "
			       "git commit -qm meta -m 'Codicil-Case: c-9' && "
			       "printf '[1]' > cases/a.json && git add . && git commit -qm 'readd a'",
			       tg_path("r")), 0);
	assert_log_matches_git(s, "cases/a.json", "git -C $HOME/../r log --format=%H -- cases/a.json");
	assert_log_matches_git(s, "CONSTITUTION.md",
			       "git -C $HOME/../r log --format=%H -- CONSTITUTION.md");
	assert_log_matches_git(s, NULL, "git -C $HOME/../r log --format=%H");

	assert_ok(store_log(s, NULL, "cases/a.json", 0, &log, &n));
	assert_int_equal(n, 3);
	assert_string_equal(log[0].subject, "readd a");
	assert_string_equal(log[1].subject, "drop a");
	assert_string_equal(log[2].subject, "two");
	store_log_free(log, n);

	assert_ok(store_log(s, "HEAD~1", NULL, 1, &log, &n));
	assert_int_equal(n, 1);
	assert_string_equal(log[0].subject, "meta");
	assert_string_equal(log[0].message, "meta\n\nCodicil-Case: c-9\n");
	assert_string_equal(log[0].author_name, "Test Reviewer");
	assert_string_equal(log[0].author_email, "reviewer@example.org");
	assert_true(log[0].time > 1600000000);
	assert_int_equal(log[0].ntrailers, 1);
	assert_string_equal(log[0].trailers[0].key, "Codicil-Case");
	assert_string_equal(log[0].trailers[0].value, "c-9");
	store_log_free(log, n);

	assert_ok(store_log(s, NULL, "never/there.md", 0, &log, &n));
	assert_int_equal(n, 0);
	store_log_free(log, n);
	assert_int_equal(store_log(s, "nosuchrev", NULL, 0, &log, &n), -1);
	store_close(s);
}

/* A merge counts as touching a path when it differs from its first parent. */
static void test_log_through_a_merge(void **state)
{
	store *s = NULL;
	store_commit_info *log;
	size_t n;

	assert_int_equal(tg_sh("cd %s && git init -q -b main r && cd r && "
			       "echo 1 > f && git add f && git commit -qm A && "
			       "git checkout -qb side && echo 2 > f && git commit -qam B && "
			       "git checkout -q main && echo g > g && git add g && git commit -qm C && "
			       "git merge -q --no-ff -m M side", tg_root()), 0);
	assert_ok(store_open(tg_path("r"), &s));
	assert_ok(store_log(s, NULL, "f", 0, &log, &n));
	assert_int_equal(n, 3);
	assert_string_equal(log[0].subject, "M");
	assert_string_equal(log[1].subject, "B");
	assert_string_equal(log[2].subject, "A");
	store_log_free(log, n);
	assert_ok(store_log(s, NULL, "g", 0, &log, &n));
	assert_int_equal(n, 1);
	assert_string_equal(log[0].subject, "C");
	store_log_free(log, n);
	store_close(s);
}

/* 5,000 commits made with git fast-import, every 7th touching the file
 * codicil asks about.  Prints the time store_log takes (not asserted). */
static void test_log_on_long_history(void **state)
{
	const int commits = 5000;
	FILE *fi;
	store *s = NULL;
	struct timespec t0, t1;
	store_commit_info *log;
	size_t n;

	assert_int_equal(tg_sh("git init -q -b main %s", tg_path("big")), 0);
	fi = popen("git -C $HOME/../big fast-import --quiet", "w");
	assert_non_null(fi);
	for (int i = 1; i <= commits; i++) {
		fprintf(fi, "commit refs/heads/main\nmark :%d\n"
			"committer T <t@example.org> %d +0000\ndata <<EOF\nc%d\nEOF\n",
			i, 1600000000 + i, i);
		if (i > 1)
			fprintf(fi, "from :%d\n", i - 1);
		fprintf(fi, "M 644 inline cases/n%d.json\ndata <<EOF\n%d\nEOF\n", i % 50, i);
		if (i % 7 == 1)
			fprintf(fi, "M 644 inline CONSTITUTION.md\ndata <<EOF\nv%d\nEOF\n", i);
	}
	assert_int_equal(pclose(fi), 0);
	assert_int_equal(tg_sh("git -C %s reset -q --hard", tg_path("big")), 0);
	assert_ok(store_open(tg_path("big"), &s));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_ok(store_log(s, NULL, "CONSTITUTION.md", 0, &log, &n));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(n, (commits + 6) / 7);
	assert_string_equal(log[0].subject, "c4999");
	assert_string_equal(log[n - 1].subject, "c1");
	store_log_free(log, n);
	fprintf(stderr, "    store_log(path) over %d commits: %.1f ms\n", commits,
		(double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	assert_log_matches_git(s, "CONSTITUTION.md",
			       "git -C $HOME/../big log --format=%H -- CONSTITUTION.md");
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, tg_setup, tg_teardown)
		T(test_open_errors),
		T(test_open_from_subdirectory),
		T(test_init_template_copies_every_file),
		T(test_init_honours_default_branch),
		T(test_init_from_file_is_byte_identical),
		T(test_init_refusals_leave_nothing),
		T(test_init_without_identity),
		T(test_read_at_revisions),
		T(test_read_unborn_head),
		T(test_list_dir),
		T(test_parse_trailers),
		T(test_log_with_path_filter),
		T(test_log_through_a_merge),
		T(test_log_on_long_history),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
