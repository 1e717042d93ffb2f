#include "tmpgit.h"

#include "codicil/file.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char root[256];
static char slots[4][1024];
static int next_slot;

static void die(const char *what)
{
	fprintf(stderr, "tmpgit: %s\n", what);
	abort();
}

const char *tg_root(void)
{
	return root;
}

const char *tg_path(const char *fmt, ...)
{
	char *s = slots[next_slot++ % 4];
	size_t n = (size_t)snprintf(s, sizeof slots[0], "%s/", root);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s + n, sizeof slots[0] - n, fmt, ap);
	va_end(ap);
	return s;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		die("out of memory");
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

int tg_sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int st;

	va_start(ap, fmt);
	cmd = vformat(fmt, ap);
	va_end(ap);
	st = system(cmd);
	free(cmd);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

char *tg_sh_out(size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *cmd, *out = NULL, chunk[4096];
	size_t n = 0, got;
	FILE *p;
	int st;

	va_start(ap, fmt);
	cmd = vformat(fmt, ap);
	va_end(ap);
	if (!(p = popen(cmd, "r")))
		die("popen failed");
	free(cmd);
	while ((got = fread(chunk, 1, sizeof chunk, p)) > 0) {
		if (!(out = realloc(out, n + got + 1)))
			die("out of memory");
		memcpy(out + n, chunk, got);
		n += got;
	}
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		free(out);
		return NULL;
	}
	if (!out && !(out = malloc(1)))
		die("out of memory");
	out[n] = '\0';
	if (len)
		*len = n;
	return out;
}

void tg_write(const char *path, const void *data, size_t len)
{
	if (cd_file_write_atomic(path, data, len) < 0)
		die(path);
}

void tg_write_str(const char *path, const char *text)
{
	tg_write(path, text, strlen(text));
}

int tg_setup(void **state)
{
	snprintf(root, sizeof root, "%s/codicil-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		die("mkdtemp failed");
	mkdir(tg_path("home"), 0755);
	mkdir(tg_path("nosystem"), 0755);
	setenv("HOME", tg_path("home"), 1);
	setenv("XDG_CONFIG_HOME", tg_path("home/.config"), 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("LC_ALL", "C", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_CEILING_DIRECTORIES");
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	/* libgit2 caches where the global config lives: point it here, and
	 * the system config at an empty directory. */
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, tg_path("home"));
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, tg_path("home/.config/git"));
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, tg_path("nosystem"));
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA,
			 tg_path("nosystem"));
	if (tg_sh("git config --global user.name 'Test Reviewer' && "
		  "git config --global user.email reviewer@example.org") != 0)
		die("git config failed");
	return 0;
}

int tg_teardown(void **state)
{
	cd_remove_tree(root);
	git_libgit2_shutdown();
	return 0;
}

char *tg_in_repo(const char *repo, const char *cmd)
{
	char *out = tg_sh_out(NULL, "cd %s && %s", tg_path("%s", repo), cmd);

	if (!out)
		fail_msg("failed in %s: %s", repo, cmd);
	return out;
}

void tg_assert_out(const char *repo, const char *expected, const char *cmd)
{
	char *out = tg_in_repo(repo, cmd);

	assert_string_equal(out, expected);
	free(out);
}
