/* Store: atomic commits, the uncommitted-work check and the repository
 * lock, checked against the real git CLI in throwaway repositories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void assert_repo_sound(void)
{
	assert_in_repo("", "git status --porcelain --untracked-files=all");
	assert_int_equal(tg_sh("cd %s && git fsck --strict --no-progress 2>&1 >/dev/null",
			       tg_path("r")), 0);
	assert_int_equal(tg_sh("cd %s && git diff --quiet && git diff --cached --quiet",
			       tg_path("r")), 0);
}

/* r/ with one plain-git commit holding a charter, a case and an executable. */
static store *repo_with_charter(void)
{
	store *s = NULL;

	assert_int_equal(tg_sh("cd %s && git init -q -b main r && cd r && "
			       "printf '# Charter\\n' > CONSTITUTION.md && mkdir cases && "
			       "printf '{\"id\":1}\\n' > cases/c-01.json && "
			       "printf '#!/bin/sh\\n' > run.sh && chmod +x run.sh && "
			       "git add . && git commit -qm start", tg_root()), 0);
	assert_ok(store_open(tg_path("r"), &s));
	return s;
}

static const store_trailer case_trailers[] = {
	{ "Codicil-Proposal", "p-01" },
	{ "Codicil-Case", "c-01" },
	{ "Codicil-Case", "c-02" },
	{ "Reviewed-by", "Test Reviewer <reviewer@example.org>" },
};

static void test_commit_adds_modifies_deletes(void **state)
{
	static const char transcript[] = "{\"request\": \"\\u0000\"}\r\n\xff";
	store *s = repo_with_charter();
	const store_change changes[] = {
		{ "CONSTITUTION.md", "# Charter\n\nAmended.\n", 21 },
		{ "cases/c-01.json", NULL, 0 },
		{ "cases/c-02.json", "{\"id\":2}\n", 9 },
		{ "transcripts/ab/x.json", transcript, sizeof transcript - 1 },
		{ "run.sh", "#!/bin/sh\nexit 0\n", 17 },
	};
	char id[41], *head;

	assert_ok(store_commit(s, changes, N(changes), "Amend charter\n\nBecause it was wrong.",
			       case_trailers, N(case_trailers), id));
	head = in_repo("git rev-parse HEAD");
	assert_memory_equal(id, head, 40);
	free(head);
	assert_in_repo("2\n", "git rev-list --count HEAD");
	assert_in_repo("start\n", "git log -1 --format=%s HEAD~1");
	assert_repo_sound();

	/* the commit has exactly the new content, byte for byte */
	assert_in_repo("# Charter\n\nAmended.\n", "git show HEAD:CONSTITUTION.md");
	assert_int_equal(tg_sh("cd %s && git show HEAD:transcripts/ab/x.json | "
			       "cmp -s - transcripts/ab/x.json", tg_path("r")), 0);
	assert_in_repo("9\n", "git cat-file -s HEAD:cases/c-02.json | tr -d ' '");
	assert_in_repo("CONSTITUTION.md\ncases/c-02.json\nrun.sh\ntranscripts/ab/x.json\n",
		       "git ls-tree -r --name-only HEAD");
	assert_in_repo("100755\n", "git ls-tree HEAD run.sh | cut -c1-6");
	assert_int_equal(tg_sh("test -e %s", tg_path("r/cases/c-01.json")), 1);
	assert_int_equal(tg_sh("test -x %s", tg_path("r/run.sh")), 0);
	assert_in_repo("D\tcases/c-01.json\n", "git diff --name-status HEAD~1 HEAD -- cases/c-01.json");

	/* message: one trailing newline, trailers a final paragraph git reads */
	assert_in_repo("Amend charter\n\nBecause it was wrong.\n\nCodicil-Proposal: p-01\n"
		       "Codicil-Case: c-01\nCodicil-Case: c-02\n"
		       "Reviewed-by: Test Reviewer <reviewer@example.org>\n",
		       "git cat-file commit HEAD | sed '1,/^$/d'");
	assert_in_repo("c-01\nc-02\n\n",
		       "git log -1 --format='%(trailers:key=Codicil-Case,valueonly)'");
	assert_in_repo("Codicil-Proposal: p-01\nCodicil-Case: c-01\nCodicil-Case: c-02\n"
		       "Reviewed-by: Test Reviewer <reviewer@example.org>\n",
		       "git log -1 --format=%B | git interpret-trailers --parse");
	assert_in_repo("Test Reviewer <reviewer@example.org> / "
		       "Test Reviewer <reviewer@example.org>\n",
		       "git log -1 --format='%an <%ae> / %cn <%ce>'");
	store_close(s);
}

static void test_commit_after_plain_git_commit(void **state)
{
	store *s = repo_with_charter();
	const store_change one = { "cases/c-03.json", "{}\n", 3 };
	const store_change two = { "CONSTITUTION.md", "# Charter v3\n", 13 };
	const store_trailer t = { "Codicil-Case", "c-03" };
	char id[41];

	assert_ok(store_commit(s, &one, 1, "Add case c-03", &t, 1, id));
	/* the user edits and commits with plain git, codicil goes on */
	assert_int_equal(tg_sh("cd %s && printf '# Charter v2\\n' > CONSTITUTION.md && "
			       "git commit -qam 'by hand' -m 'Codicil-Case: c-hand'", tg_path("r")), 0);
	assert_ok(store_commit(s, &two, 1, "Amend again\n\n\n", &t, 1, NULL));
	assert_in_repo("Amend again\nby hand\nAdd case c-03\nstart\n", "git log --format=%s");
	assert_in_repo("c-03\n\nc-hand\n\nc-03\n\n\n",
		       "git log --format='%(trailers:key=Codicil-Case,valueonly)'");
	assert_in_repo("# Charter v3\n", "git show HEAD:CONSTITUTION.md");
	assert_in_repo("# Charter v2\n", "git show HEAD~1:CONSTITUTION.md");
	assert_in_repo("Amend again\n\nCodicil-Case: c-03\n",
		       "git cat-file commit HEAD | sed '1,/^$/d'");
	assert_repo_sound();
	store_close(s);
}

/* A large commit (STORE_PACK_MIN files or more) writes its objects as one
 * pack; the repository stays sound, the branch and reflog move as with a
 * small commit, and the next commit (through the same store) builds on it. */
static void large_commit(store *s, int first, const char *msg)
{
	enum { N_FILES = 100 };
	store_change c[N_FILES];
	char paths[N_FILES][32], data[N_FILES][32];

	for (int i = 0; i < N_FILES; i++) {
		snprintf(paths[i], sizeof paths[i], "cases/c-%03d.json", first + i);
		snprintf(data[i], sizeof data[i], "{\"n\": %d}\n", first + i);
		c[i].path = paths[i];
		c[i].data = data[i];
		c[i].len = strlen(data[i]);
	}
	assert_ok(store_commit(s, c, N_FILES, msg, case_trailers, N(case_trailers), NULL));
}

static void test_large_commit_is_packed(void **state)
{
	store *s = repo_with_charter();
	const store_change small = { "CONSTITUTION.md", "# Charter v2\n", 13 };
	char *out;

	large_commit(s, 100, "Add 100 cases");
	assert_repo_sound();
	assert_in_repo("{\"n\": 142}\n", "git show HEAD:cases/c-142.json");
	assert_in_repo("101\n", "git ls-tree HEAD cases/ | wc -l | tr -d ' '");
	/* the 100 blobs, the trees and the commit are in one pack, not loose */
	out = in_repo("git count-objects -v | sed -n 's/^in-pack: //p'");
	assert_true(atoi(out) >= 103);
	free(out);
	assert_in_repo("commit: Add 100 cases\n", "git reflog -1 --format=%gs");
	assert_in_repo("c-01\nc-02\n", "git log -1 --format='%(trailers:key=Codicil-Case,valueonly)' | sed '/^$/d'");
	/* later commits, small and large, build on it through the same handle */
	assert_ok(store_commit(s, &small, 1, "Edit", NULL, 0, NULL));
	large_commit(s, 200, "Add 100 more");
	assert_in_repo("Add 100 more\nEdit\nAdd 100 cases\nstart\n", "git log --format=%s");
	assert_in_repo("{\"n\": 100}\n", "git show HEAD:cases/c-100.json");
	assert_repo_sound();
	store_close(s);
}

/* Files with the same content share one blob: the pack holds it once (a
 * pack that lists an object twice is one git refuses to index). */
static void test_large_commit_of_equal_files(void **state)
{
	enum { N_FILES = 80 };
	store *s = repo_with_charter();
	store_change c[N_FILES];
	char paths[N_FILES][32];

	for (int i = 0; i < N_FILES; i++) {
		snprintf(paths[i], sizeof paths[i], "cases/%02d/c-%03d.json", i % 4, i);
		c[i] = (store_change){ paths[i], "{}\n", 3 };
	}
	assert_ok(store_commit(s, c, N_FILES, "Add equal cases", NULL, 0, NULL));
	assert_repo_sound();
	assert_in_repo("{}\n", "git show HEAD:cases/03/c-079.json");
	/* the commit, the root tree, cases/, its four directories and one blob */
	assert_in_repo("8\n", "git verify-pack -v .git/objects/pack/*.pack | "
			       "grep -c -E ' (commit|tree|blob) '");
	store_close(s);
}

static void test_large_commit_on_unborn_branch(void **state)
{
	store *s = NULL;

	assert_int_equal(tg_sh("git init -q -b trunk %s", tg_path("r")), 0);
	assert_ok(store_open(tg_path("r"), &s));
	large_commit(s, 0, "Start big");
	assert_in_repo("1\n", "git rev-list --count trunk");
	assert_in_repo("commit (initial): Start big\n", "git reflog -1 --format=%gs");
	assert_repo_sound();
	store_close(s);
}

static void test_commit_on_unborn_branch(void **state)
{
	store *s = NULL;
	const store_change c[] = {
		{ "CONSTITUTION.md", "# First\n", 8 },
		{ "cases/deep/er/c.json", "{}", 2 },
	};

	assert_int_equal(tg_sh("git init -q -b trunk %s", tg_path("r")), 0);
	assert_ok(store_open(tg_path("r"), &s));
	assert_ok(store_commit(s, c, N(c), "Start", NULL, 0, NULL));
	assert_in_repo("1\n", "git rev-list --count trunk");
	assert_in_repo("Start\n", "git cat-file commit HEAD | sed '1,/^$/d'");
	assert_in_repo("{}", "git show HEAD:cases/deep/er/c.json");
	assert_repo_sound();
	store_close(s);
}

static void test_commit_message_keeps_existing_trailer_block(void **state)
{
	store *s = repo_with_charter();
	const store_change c = { "META.md", "meta\n", 5 };
	const store_trailer t = { "Codicil-Model", "openai/gpt-4.1" };

	assert_ok(store_commit(s, &c, 1, "  Subject\r\n\n\nBody line\n\nSigned-off-by: A <a@b.c>\n\n",
			       &t, 1, NULL));
	/* as git's stripspace does: CR and trailing blank lines go, runs of
	 * blank lines become one, leading spaces stay */
	assert_in_repo("  Subject\n\nBody line\n\nSigned-off-by: A <a@b.c>\n"
		       "Codicil-Model: openai/gpt-4.1\n",
		       "git cat-file commit HEAD | sed '1,/^$/d'");
	assert_in_repo("Signed-off-by: A <a@b.c>\nCodicil-Model: openai/gpt-4.1\n",
		       "git log -1 --format=%B | git interpret-trailers --parse");
	store_close(s);
}

static void test_commit_refuses_bad_input(void **state)
{
	store *s = repo_with_charter();
	const store_change dotdot = { "../outside.md", "x", 1 };
	const store_change gitdir = { ".git/config", "x", 1 };
	const store_change twice[] = { { "a.md", "1", 1 }, { "a.md", "2", 1 } };
	const store_change ok = { "a.md", "1", 1 };
	const store_trailer multiline = { "Codicil-Case", "c-1\nInjected: yes" };
	const store_trailer badkey = { "Bad Key", "v" };
	char *head = in_repo("git rev-parse HEAD");

	assert_int_equal(store_commit(s, &dotdot, 1, "x", NULL, 0, NULL), -1);
	assert_int_equal(tg_sh("test -e %s", tg_path("outside.md")), 1);
	assert_int_equal(store_commit(s, &gitdir, 1, "x", NULL, 0, NULL), -1);
	assert_int_equal(store_commit(s, twice, 2, "x", NULL, 0, NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "changed twice"));
	assert_int_equal(store_commit(s, &ok, 1, "x", &multiline, 1, NULL), -1);
	assert_int_equal(store_commit(s, &ok, 1, "x", &badkey, 1, NULL), -1);
	assert_int_equal(store_commit(s, &ok, 1, " \n\n", NULL, 0, NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "empty commit message"));
	assert_int_equal(store_commit(s, &ok, 0, "x", NULL, 0, NULL), -1);
	assert_in_repo(head, "git rev-parse HEAD");
	assert_int_equal(tg_sh("test -e %s", tg_path("r/a.md")), 1);
	free(head);
	store_close(s);
}

static void test_commit_refuses_detached_head(void **state)
{
	store *s = repo_with_charter();
	const store_change c = { "CONSTITUTION.md", "changed\n", 8 };

	assert_int_equal(tg_sh("cd %s && git checkout -q --detach", tg_path("r")), 0);
	assert_int_equal(store_commit(s, &c, 1, "x", NULL, 0, NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "HEAD is detached"));
	assert_in_repo("# Charter\n", "cat CONSTITUTION.md");
	assert_repo_sound();
	store_close(s);
}

static void test_commit_without_identity(void **state)
{
	store *s = repo_with_charter();
	const store_change c = { "CONSTITUTION.md", "changed\n", 8 };
	char *name, *email;

	assert_ok(store_identity(s, &name, &email));
	assert_string_equal(name, "Test Reviewer");
	assert_string_equal(email, "reviewer@example.org");
	free(name);
	free(email);
	store_close(s);

	assert_int_equal(tg_sh("rm %s", tg_path("home/.gitconfig")), 0);
	assert_ok(store_open(tg_path("r"), &s));
	assert_int_equal(store_identity(s, &name, &email), -1);
	assert_null(name);
	assert_int_equal(store_commit(s, &c, 1, "x", NULL, 0, NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "git config --global user.name"));
	assert_non_null(strstr(cd_err_msg(), "git config --global user.email"));
	assert_in_repo("# Charter\n", "cat CONSTITUTION.md");
	assert_in_repo("1\n", "git rev-list --count HEAD");
	store_close(s);
}

static void test_check_clean(void **state)
{
	store *s = repo_with_charter();
	const char *charter[] = { "CONSTITUTION.md" };
	const char *some[] = { "cases/c-01.json", "not/yet/there.json", "run.sh" };
	const char *untracked[] = { "cases/new.json" };
	const store_change c = { "CONSTITUTION.md", "new\n", 4 };

	assert_ok(store_check_clean(s, some, N(some)));

	tg_write_str(tg_path("r/CONSTITUTION.md"), "# Charter\nlocal edit\n");
	assert_int_equal(store_check_clean(s, charter, 1), -1);
	assert_string_equal(cd_err_msg(), "CONSTITUTION.md has uncommitted changes; commit or "
			    "stash them first (git stash), then run the command again");
	assert_int_equal(store_commit(s, &c, 1, "x", NULL, 0, NULL), -1);
	assert_string_equal(cd_err_msg(), "CONSTITUTION.md has uncommitted changes; commit or "
			    "stash them first (git stash), then run the command again");
	assert_in_repo("# Charter\nlocal edit\n", "cat CONSTITUTION.md");
	assert_in_repo("1\n", "git rev-list --count HEAD");

	/* staged, with the work tree back as committed */
	assert_int_equal(tg_sh("cd %s && git add CONSTITUTION.md && "
			       "printf '# Charter\\n' > CONSTITUTION.md", tg_path("r")), 0);
	assert_int_equal(store_check_clean(s, charter, 1), -1);
	assert_non_null(strstr(cd_err_msg(), "CONSTITUTION.md has uncommitted changes"));
	assert_int_equal(tg_sh("cd %s && git reset -q", tg_path("r")), 0);
	assert_ok(store_check_clean(s, charter, 1));

	/* deleted in the work tree only */
	assert_int_equal(tg_sh("rm %s", tg_path("r/cases/c-01.json")), 0);
	assert_int_equal(store_check_clean(s, some, N(some)), -1);
	assert_non_null(strstr(cd_err_msg(), "cases/c-01.json has uncommitted changes"));
	assert_int_equal(tg_sh("cd %s && git checkout -q -- cases", tg_path("r")), 0);

	tg_write_str(tg_path("r/cases/new.json"), "mine");
	assert_int_equal(store_check_clean(s, untracked, 1), -1);
	assert_string_equal(cd_err_msg(), "cases/new.json is not committed and would be "
			    "overwritten; commit it or move it away first, then run the command again");
	store_close(s);
}

static void test_commit_over_untracked_file(void **state)
{
	store *s = repo_with_charter();
	const store_change same = { "cases/new.json", "mine", 4 };
	const store_change other = { "cases/other.json", "theirs", 6 };

	tg_write_str(tg_path("r/cases/other.json"), "mine");
	assert_int_equal(store_commit(s, &other, 1, "x", NULL, 0, NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "cases/other.json is not committed"));
	assert_in_repo("mine", "cat cases/other.json");
	assert_int_equal(tg_sh("rm %s", tg_path("r/cases/other.json")), 0);

	/* the same bytes codicil was about to write: nothing to lose */
	tg_write_str(tg_path("r/cases/new.json"), "mine");
	assert_ok(store_commit(s, &same, 1, "Add new", NULL, 0, NULL));
	assert_in_repo("mine", "git show HEAD:cases/new.json");
	assert_repo_sound();
	store_close(s);
}

static void test_failed_write_restores_the_work_tree(void **state)
{
	store *s = repo_with_charter();
	const store_change c[] = {
		{ "CONSTITUTION.md", "# Changed\n", 10 },
		{ "zz/new.json", "{}", 2 },
		/* a file is in the way of this directory: the write fails */
		{ "run.sh/inside.json", "{}", 2 },
	};

	assert_int_equal(store_commit(s, c, N(c), "x", NULL, 0, NULL), -1);
	assert_in_repo("# Charter\n", "cat CONSTITUTION.md");
	assert_int_equal(tg_sh("test -e %s", tg_path("r/zz")), 1);
	assert_in_repo("1\n", "git rev-list --count HEAD");
	assert_repo_sound();
	store_close(s);
}

static void test_delete_prunes_empty_directories(void **state)
{
	store *s = repo_with_charter();
	const store_change del = { "cases/c-01.json", NULL, 0 };
	const store_change absent = { "cases/never.json", NULL, 0 };

	assert_ok(store_commit(s, &del, 1, "Drop the only case", NULL, 0, NULL));
	assert_int_equal(tg_sh("test -e %s", tg_path("r/cases")), 1);
	assert_in_repo("CONSTITUTION.md\nrun.sh\n", "git ls-tree --name-only HEAD");
	/* deleting what is not there is a no-op change, not an error */
	assert_ok(store_commit(s, &absent, 1, "Nothing", NULL, 0, NULL));
	assert_repo_sound();
	store_close(s);
}

/* ---- the lock ---- */

static char *lock_path(void)
{
	static char p[1024];
	snprintf(p, sizeof p, "%s/.git/codicil/lock", tg_path("r"));
	return p;
}

static void write_lock(long pid, const char *host)
{
	char line[512];
	snprintf(line, sizeof line, "%ld %s\n", pid, host);
	tg_write_str(lock_path(), line);
}

static const char *hostname(void)
{
	static char h[256];
	gethostname(h, sizeof h - 1);
	return h;
}

/* The pid of a process that has exited and been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	/* exec rather than _exit: a forked copy of this test would report the
	 * parent's heap as leaked under valgrind */
	if (pid == 0) {
		execlp("true", "true", (char *)NULL);
		_exit(0);
	}
	assert_true(pid > 0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void test_lock_and_unlock(void **state)
{
	store *a = repo_with_charter(), *b = NULL;
	char expected[512], *content;

	assert_ok(store_open(tg_path("r"), &b));
	assert_ok(store_lock(a));
	content = in_repo("cat .git/codicil/lock");
	snprintf(expected, sizeof expected, "%ld %s\n", (long)getpid(), hostname());
	assert_string_equal(content, expected);
	free(content);

	assert_int_equal(store_lock(b), -1);
	snprintf(expected, sizeof expected, "another codicil (pid %ld) is working on this "
		 "repository; wait for it or remove .git/codicil/lock if it is gone", (long)getpid());
	assert_string_equal(cd_err_msg(), expected);

	store_unlock(b); /* not b's: stays */
	assert_int_equal(tg_sh("test -e %s", lock_path()), 0);
	store_unlock(a);
	assert_int_equal(tg_sh("test -e %s", lock_path()), 1);
	assert_ok(store_lock(b));
	store_close(b); /* closing releases */
	assert_int_equal(tg_sh("test -e %s", lock_path()), 1);
	store_close(a);
}

/* An engine function that locks, called by one that has locked: the lock
 * stays until the outer one lets go, and closing releases it however deep. */
static void test_lock_nests(void **state)
{
	store *s = repo_with_charter();

	assert_ok(store_lock(s));
	assert_ok(store_lock(s));
	store_unlock(s);
	assert_int_equal(tg_sh("test -e %s", lock_path()), 0);
	store_unlock(s);
	assert_int_equal(tg_sh("test -e %s", lock_path()), 1);
	store_unlock(s); /* one too many: nothing */
	assert_ok(store_lock(s));
	assert_ok(store_lock(s));
	store_close(s);
	assert_int_equal(tg_sh("test -e %s", lock_path()), 1);
}

static void test_lock_held_by_live_process(void **state)
{
	store *s = repo_with_charter();
	char expected[512];
	pid_t child = fork();

	if (child == 0) {
		execlp("sleep", "sleep", "60", (char *)NULL);
		_exit(0);
	}
	assert_true(child > 0);
	write_lock(child, hostname());
	assert_int_equal(store_lock(s), -1);
	snprintf(expected, sizeof expected, "another codicil (pid %ld) is working",
		 (long)child);
	assert_non_null(strstr(cd_err_msg(), expected));
	assert_int_equal(tg_sh("test -e %s", lock_path()), 0);

	/* the holder dies: its lock is now stale and taken over */
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_ok(store_lock(s));
	store_unlock(s);
	store_close(s);
}

static void test_stale_lock_is_taken_over(void **state)
{
	store *s = repo_with_charter();
	char expected[512], *content;
	pid_t gone = dead_pid();

	write_lock(gone, hostname());
	assert_ok(store_lock(s));
	content = in_repo("cat .git/codicil/lock");
	snprintf(expected, sizeof expected, "%ld %s\n", (long)getpid(), hostname());
	assert_string_equal(content, expected);
	free(content);
	store_unlock(s);
	store_close(s);
}

static void test_lock_from_other_host_or_unreadable_is_held(void **state)
{
	store *s = repo_with_charter();
	char expected[512];
	pid_t gone = dead_pid();

	/* no such process here says nothing about a process on another host */
	write_lock(gone, "some-other-host.example");
	assert_int_equal(store_lock(s), -1);
	snprintf(expected, sizeof expected, "(pid %ld on some-other-host.example)", (long)gone);
	assert_non_null(strstr(cd_err_msg(), expected));

	/* a lock still being written, or left empty by a crash */
	tg_write_str(lock_path(), "");
	assert_int_equal(store_lock(s), -1);
	assert_non_null(strstr(cd_err_msg(), "remove .git/codicil/lock"));
	assert_int_equal(tg_sh("test -e %s", lock_path()), 0);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, tg_setup, tg_teardown)
		T(test_commit_adds_modifies_deletes),
		T(test_commit_after_plain_git_commit),
		T(test_commit_on_unborn_branch),
		T(test_large_commit_is_packed),
		T(test_large_commit_of_equal_files),
		T(test_large_commit_on_unborn_branch),
		T(test_commit_message_keeps_existing_trailer_block),
		T(test_commit_refuses_bad_input),
		T(test_commit_refuses_detached_head),
		T(test_commit_without_identity),
		T(test_check_clean),
		T(test_commit_over_untracked_file),
		T(test_failed_write_restores_the_work_tree),
		T(test_delete_prunes_empty_directories),
		T(test_lock_and_unlock),
		T(test_lock_nests),
		T(test_lock_held_by_live_process),
		T(test_stale_lock_is_taken_over),
		T(test_lock_from_other_host_or_unreadable_is_held),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
