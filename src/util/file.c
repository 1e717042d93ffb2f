#include "codicil/file.h"
#include "codicil/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cd_file_read(const char *path, cd_buf *out)
{
	char chunk[65536];
	ssize_t n;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		cd_err_set("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* a device or a pipe named in a file or a setting would be read
	 * without end (/dev/zero) or hang (a FIFO) */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		cd_err_set("cannot read %s: not a regular file", path);
		close(fd);
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cd_err_set("cannot read %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (cd_buf_append(out, chunk, (size_t)n) < 0) {
			if (out->max)
				cd_err_set("cannot read %s: larger than %zu bytes", path, out->max);
			close(fd);
			return -1;
		}
	}
	close(fd);
	if (!out->data)
		cd_buf_append(out, "", 0);
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static char *parent_dir(const char *path)
{
	char *copy = strdup(path), *dir;

	if (!copy)
		return NULL;
	dir = strdup(dirname(copy));
	free(copy);
	return dir;
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int write_atomic(const char *path, const void *data, size_t len, int durable);

int cd_file_write_atomic(const char *path, const void *data, size_t len)
{
	return write_atomic(path, data, len, 1);
}

int cd_file_replace(const char *path, const void *data, size_t len)
{
	return write_atomic(path, data, len, 0);
}

static int write_atomic(const char *path, const void *data, size_t len, int durable)
{
	cd_buf tmp = CD_BUF_INIT;
	char *dir = parent_dir(path);
	int fd = -1, rc = -1;
	struct stat st;
	mode_t mode = 0644;

	if (!dir) {
		cd_err_set("out of memory writing %s", path);
		goto out;
	}
	if (cd_mkdir_p(dir, 0755) < 0)
		goto out;
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	if (cd_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0)
		goto out;
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		cd_err_set("cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (write_all(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
		cd_err_set("cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		cd_err_set("cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp.data, path) < 0) {
		cd_err_set("cannot replace %s: %s", path, strerror(errno));
		goto out;
	}
	if (durable)
		fsync_dir(dir);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp.data)
		unlink(tmp.data);
	cd_buf_clear(&tmp);
	free(dir);
	return rc;
}

int cd_file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int cd_dir_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cd_mkdir_p(const char *path, mode_t mode)
{
	char *p, *s;

	if (cd_dir_exists(path))
		return 0;
	p = strdup(path);

	if (!p) {
		cd_err_set("out of memory");
		return -1;
	}
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST) {
				cd_err_set("cannot create directory %s: %s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	if (!cd_dir_exists(path)) {
		cd_err_set("cannot create directory %s: a file is in the way", path);
		return -1;
	}
	return 0;
}

int cd_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		cd_buf child = CD_BUF_INIT;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		cd_path_join(&child, path, e->d_name);
		if (cd_remove_tree(child.data) < 0)
			rc = -1;
		cd_buf_clear(&child);
	}
	closedir(d);
	if (rmdir(path) < 0)
		rc = -1;
	return rc;
}

int cd_path_join(cd_buf *out, const char *a, const char *b)
{
	if (b[0] == '/' || !a || !a[0])
		return cd_buf_puts(out, b);
	if (cd_buf_puts(out, a) < 0)
		return -1;
	if (out->len && out->data[out->len - 1] != '/' && cd_buf_putc(out, '/') < 0)
		return -1;
	return cd_buf_puts(out, b);
}

int cd_file_append_line_sync(const char *path, const char *line, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0) {
		cd_err_set("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (write_all(fd, line, len) < 0 || fdatasync(fd) < 0) {
		cd_err_set("cannot append to %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int wanted_name(const char *name, const char *suffix)
{
	size_t len = strlen(name), slen = strlen(suffix);

	return name[0] != '.' && len > slen && !strcmp(name + len - slen, suffix);
}

int cd_dir_names(const char *dir, const char *suffix, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	int rc = 0;

	*names = NULL;
	*n = 0;
	if (!d) {
		if (errno == ENOENT)
			return 0;
		cd_err_set("cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		if (!wanted_name(e->d_name, suffix))
			continue;
		char **more = cd_grow(*names, *n, &cap, sizeof *more, 32);
		if (!more) {
			rc = -1;
			break;
		}
		*names = more;
		if (!((*names)[*n] = strdup(e->d_name)))
			rc = -1;
		else
			(*n)++;
	}
	closedir(d);
	if (rc < 0) {
		cd_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		cd_err_set("out of memory");
		return -1;
	}
	if (*n)
		qsort(*names, *n, sizeof **names, by_name);
	return 0;
}

void cd_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void atomic_free(cd_atomic *a)
{
	free(a->path);
	free(a->tmp);
	free(a->dir);
	memset(a, 0, sizeof *a);
}

int cd_atomic_open(const char *path, cd_atomic *a)
{
	cd_buf tmp = CD_BUF_INIT;
	int fd;

	memset(a, 0, sizeof *a);
	if (!(a->path = strdup(path)) || !(a->dir = parent_dir(path)) ||
	    cd_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0 ||
	    !(a->tmp = cd_buf_detach(&tmp))) {
		cd_buf_clear(&tmp);
		atomic_free(a);
		cd_err_set("out of memory writing %s", path);
		return -1;
	}
	if (cd_mkdir_p(a->dir, 0755) < 0)
		goto fail;
	fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
		cd_err_set("cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(a->tmp);
		goto fail;
	}
	return 0;
fail:
	atomic_free(a);
	return -1;
}

int cd_atomic_commit(cd_atomic *a)
{
	int ok = fflush(a->f) == 0 && fsync(fileno(a->f)) == 0;

	ok = fclose(a->f) == 0 && ok;
	a->f = NULL;
	if (!ok || rename(a->tmp, a->path) < 0) {
		cd_err_set("cannot write %s: %s", a->path, strerror(errno));
		unlink(a->tmp);
		atomic_free(a);
		return -1;
	}
	fsync_dir(a->dir);
	atomic_free(a);
	return 0;
}

void cd_atomic_abort(cd_atomic *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	atomic_free(a);
}

int cd_file_put_buf(FILE *f, const cd_buf *b, const char *name)
{
	if (cd_buf_failed(b))
		return -1;
	if (b->len && fwrite(b->data, 1, b->len, f) != b->len) {
		cd_err_set("cannot write %s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}
