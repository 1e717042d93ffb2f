/* tmpgit.h — a throwaway world for tests that use git: a temp directory
 * with its own HOME (and .gitconfig holding a test identity), no system
 * config for either libgit2 or the git CLI, and helpers that run the real
 * git CLI through the shell.
 *
 * Call tg_setup() before and tg_teardown() after each test (they match
 * cmocka's setup/teardown signature).  Paths handed to the shell are used
 * unquoted inside single quotes: keep test paths free of quotes. */
#ifndef CODICIL_TEST_TMPGIT_H
#define CODICIL_TEST_TMPGIT_H

#include <stddef.h>

int tg_setup(void **state);
int tg_teardown(void **state);

/* The temp directory of the current test, without a trailing '/'. */
const char *tg_root(void);
/* A path under tg_root(); valid until the next tg_path call of the same slot
 * (four slots rotate). */
const char *tg_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command (printf-style); returns its exit status, or -1. */
int tg_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run a shell command and return its stdout (malloc'd, NUL-terminated;
 * *len, if not NULL, gets the byte count), or NULL if it exited non-zero. */
char *tg_sh_out(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The stdout of cmd run in tg_path(repo) (malloc'd); fails the current
 * test if cmd exits non-zero. */
char *tg_in_repo(const char *repo, const char *cmd);
/* Fails the current test unless cmd, run in tg_path(repo), prints exactly
 * expected. */
void tg_assert_out(const char *repo, const char *expected, const char *cmd);

/* Write a file (creating parent directories). */
void tg_write(const char *path, const void *data, size_t len);
void tg_write_str(const char *path, const char *text);

#endif
