/* index_check.c — `codicil index --check`: the index against a full read
 * of every case file. */
#include "index_int.h"

#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"

typedef struct checker {
	case_index *ix;
	cd_buf *problems;
	long n;
	struct strmap seen;
} checker;

static void problem(checker *c, const char *path, const char *what)
{
	cd_buf_printf(c->problems, "%s: %s\n", path, what);
	c->n++;
}

/* The blob id the index has for path; "" when none. */
static void indexed_blob(case_index *ix, const char *path, char out[41])
{
	sqlite3_stmt *st = index__prepare(ix, "SELECT blob FROM files WHERE path = ?");

	out[0] = '\0';
	if (!st)
		return;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, 41, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static int check_file(checker *c, const char *path)
{
	cd_buf full = CD_BUF_INIT, text = CD_BUF_INIT;
	char want[41], have[41];
	int rc = 0;

	cd_path_join(&full, store_workdir(c->ix->s), path);
	if (cd_file_read(full.data, &text) == 0) {
		store_hash_blob(text.data, text.len, want);
		indexed_blob(c->ix, path, have);
		if (!*have)
			problem(c, path, "not in the index");
		else if (strcmp(have, want) != 0)
			problem(c, path, "the index has another version of it");
	}
	if (strmap_put(&c->seen, path, 1) < 0)
		rc = -1;
	cd_buf_clear(&full);
	cd_buf_clear(&text);
	return rc;
}

/* Every case file of dir (relative), and of its fan-out directories when
 * top is set. */
static int check_dir(checker *c, const char *dir, int top)
{
	cd_buf full = CD_BUF_INIT, sub = CD_BUF_INIT;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	cd_path_join(&full, store_workdir(c->ix->s), dir);
	d = opendir(full.data);
	while (rc == 0 && d && (e = readdir(d))) {
		cd_buf_reset(&sub);
		cd_buf_printf(&sub, "%s/%s", dir, e->d_name);
		if (case_file_name(e->d_name))
			rc = check_file(c, sub.data);
		else if (top && case_fan_dir_name(e->d_name))
			rc = check_dir(c, sub.data, 0);
	}
	if (d)
		closedir(d);
	cd_buf_clear(&full);
	cd_buf_clear(&sub);
	return rc;
}

static void check_gone(checker *c)
{
	sqlite3_stmt *st = index__prepare(c->ix, "SELECT path FROM files ORDER BY path");

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 0);
		if (!strmap_get(&c->seen, path))
			problem(c, path, "in the index, but not in the work tree");
	}
	sqlite3_finalize(st);
}

static void check_integrity(checker *c)
{
	sqlite3_stmt *st = index__prepare(c->ix, "PRAGMA quick_check");
	const char *r;

	if (st && sqlite3_step(st) == SQLITE_ROW && (r = (const char *)sqlite3_column_text(st, 0)) &&
	    strcmp(r, "ok") != 0)
		problem(c, c->ix->path, r);
	sqlite3_finalize(st);
}

long case_index_check(store *s, cd_buf *problems)
{
	checker c = { .problems = problems };
	int rc;

	if (index__open(s, &c.ix, NULL, INDEX_AS_IS) < 0)
		return -1;
	check_integrity(&c);
	rc = check_dir(&c, "cases", 1);
	if (rc == 0)
		check_gone(&c);
	else
		cd_err_set("out of memory");
	case_index_close(c.ix);
	strmap_clear(&c.seen);
	if (rc == 0 && c.n && case_index_rebuild(s, NULL) < 0)
		return -1;
	return rc < 0 ? -1 : c.n;
}
