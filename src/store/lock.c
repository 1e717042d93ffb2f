/* lock.c — one codicil at a time per repository: .git/codicil/lock holds
 * "pid host\n" of the holder.  A lock left by a process that is gone from
 * this host is stale and taken over. */
#include "store_internal.h"

#include "codicil/error.h"
#include "codicil/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef HOST_NAME_MAX
#define HOST_NAME_MAX 255
#endif

typedef struct lock_owner {
	long pid;
	char host[HOST_NAME_MAX + 1];
} lock_owner;

static void this_host(char host[HOST_NAME_MAX + 1])
{
	if (gethostname(host, HOST_NAME_MAX) < 0)
		strcpy(host, "localhost");
	host[HOST_NAME_MAX] = '\0';
}

/* 0 and the owner when the lock file reads "pid host\n"; -1 otherwise
 * (missing, or half-written by a holder that is still creating it).
 * Allocates nothing. */
static int read_owner(const char *path, lock_owner *o)
{
	char line[HOST_NAME_MAX + 32], *end;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, line, sizeof line - 1);
	close(fd);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	errno = 0;
	o->pid = strtol(line, &end, 10);
	if (errno || o->pid <= 0 || end == line || *end != ' ')
		return -1;
	end++;
	if (!strchr(end, '\n') || strcspn(end, "\n") > HOST_NAME_MAX)
		return -1;
	snprintf(o->host, sizeof o->host, "%.*s", (int)strcspn(end, "\n"), end);
	return 0;
}

static int is_ours(const lock_owner *o)
{
	char host[HOST_NAME_MAX + 1];

	this_host(host);
	return o->pid == (long)getpid() && !strcmp(o->host, host);
}

/* A lock is stale only when we can tell: same host, and no such process. */
static int is_stale(const lock_owner *o)
{
	char host[HOST_NAME_MAX + 1];

	this_host(host);
	return !strcmp(o->host, host) && kill((pid_t)o->pid, 0) < 0 && errno == ESRCH;
}

/* 0: created; 1: it exists already; -1: error. */
static int try_create(const char *path)
{
	char line[HOST_NAME_MAX + 32], host[HOST_NAME_MAX + 1];
	int fd, len, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST)
		return 1;
	if (fd < 0) {
		cd_err_set("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	this_host(host);
	len = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(), host);
	ok = write(fd, line, (size_t)len) == len && fsync(fd) == 0;
	if (close(fd) < 0 || !ok) {
		cd_err_set("cannot write %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

static int held_error(const char *path, const lock_owner *o, int readable)
{
	char host[HOST_NAME_MAX + 1];

	this_host(host);
	if (!readable)
		cd_err_set("another codicil is starting on this repository; wait for it or remove "
			   ".git/codicil/lock if it is gone");
	else if (strcmp(o->host, host))
		cd_err_set("another codicil (pid %ld on %s) is working on this repository; wait for "
			   "it or remove .git/codicil/lock if it is gone", o->pid, o->host);
	else
		cd_err_set("another codicil (pid %ld) is working on this repository; wait for it or "
			   "remove .git/codicil/lock if it is gone", o->pid);
	return -1;
}

int store_lock(store *s)
{
	cd_buf path = CD_BUF_INIT;
	lock_owner o;
	int rc = -1, r;

	if (s->locked) {
		s->locked++; /* an engine function that locks, called by one that has */
		return 0;
	}
	if (store_local_path(s, "lock", &path) < 0)
		return -1;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((r = try_create(path.data)) <= 0) {
			rc = r;
			break;
		}
		if (read_owner(path.data, &o) < 0) {
			held_error(path.data, &o, 0);
			break;
		}
		if (attempt == 1 || !is_stale(&o)) {
			held_error(path.data, &o, 1);
			break;
		}
		if (unlink(path.data) < 0 && errno != ENOENT) {
			cd_err_set("cannot remove the stale lock %s: %s", path.data, strerror(errno));
			break;
		}
	}
	if (rc == 0) {
		s->locked = 1;
		s->lock_path = cd_buf_detach(&path);
	}
	cd_buf_clear(&path);
	if (rc == 0 && store__finish_interrupted(s) < 0) {
		store_unlock(s);
		return -1;
	}
	return rc;
}

void store_unlock(store *s)
{
	lock_owner o;

	if (!s->locked || --s->locked)
		return;
	if (read_owner(s->lock_path, &o) == 0 && is_ours(&o))
		unlink(s->lock_path);
	free(s->lock_path);
	s->lock_path = NULL;
}
