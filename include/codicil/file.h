/* file.h — reading files, and writing them so that a crash never leaves a
 * half-written one: write a temporary file in the same directory, fsync it,
 * rename it over the target, fsync the directory. */
#ifndef CODICIL_FILE_H
#define CODICIL_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "codicil/buf.h"

/* Append the whole file to out; only a regular file, and no more than
 * out->max bytes when out has a cap.  Errors name the path. */
int cd_file_read(const char *path, cd_buf *out);
/* Atomically replace path with data; creates missing parent directories. */
int cd_file_write_atomic(const char *path, const void *data, size_t len);
/* The same rename-into-place, without the fsyncs: a crash of the process
 * never leaves a half-written file, but a power loss may lose the newest
 * writes.  For what can be recomputed or only ever lost, not damaged: the
 * response cache and local transcripts. */
int cd_file_replace(const char *path, const void *data, size_t len);
int cd_file_exists(const char *path);
int cd_dir_exists(const char *path);
/* mkdir -p */
int cd_mkdir_p(const char *path, mode_t mode);
/* rm -rf; a missing path is not an error. */
int cd_remove_tree(const char *path);
/* The names in dir that end in suffix (".json") and do not start with a
 * dot, sorted; a missing dir has none.  Free them with cd_names_free. */
int cd_dir_names(const char *dir, const char *suffix, char ***names, size_t *n);
void cd_names_free(char **names, size_t n);
/* out = a "/" b (b absolute: out = b). */
int cd_path_join(cd_buf *out, const char *a, const char *b);
/* A file too large to build in memory, written atomically all the same:
 * write to a->f, then cd_atomic_commit (fsync, rename over path, fsync
 * the directory) or cd_atomic_abort (the temporary goes, path is as it
 * was).  Either ends it. */
typedef struct cd_atomic {
	FILE *f;
	char *path, *tmp, *dir;
} cd_atomic;
int cd_atomic_open(const char *path, cd_atomic *a);
int cd_atomic_commit(cd_atomic *a);
void cd_atomic_abort(cd_atomic *a);
/* Write what b holds to f: -1 when an append to b failed (cd_err says
 * why) or the write fell short ("cannot write <name>: ..."). */
int cd_file_put_buf(FILE *f, const cd_buf *b, const char *name);
/* Append one line to a file and fsync it (journals).  The line must end
 * with '\n'; a crash leaves the file valid up to its last complete line. */
int cd_file_append_line_sync(const char *path, const char *line, size_t len);

#endif
