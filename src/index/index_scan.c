/* index_scan.c — bringing the index up to date with the work tree's case
 * files (the rules are in case_index.h). */
#include "index_int.h"

#include <stdio.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/file.h"

typedef struct scan {
	case_index *ix;
	case_index_stats *st;
	long long racy_from; /* a time at or after this may still change unseen */
	int everything;      /* compare every file, whatever its directory says */
	struct strmap suspects, suspect_dirs; /* changed between two HEADs */
	struct strmap dir_mtime;              /* what the index has: dir -> mtime */
} scan;

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* The inode's change time: moves on every write, and no one can set it. */
static long long ctime_ns(const struct stat *st)
{
	return (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
}

/* Store 0 for a time so recent that a change within the same clock tick
 * would leave it as it is (git's "racy" entries): looked at again next time. */
static long long stored_time(const scan *sc, long long t)
{
	return t >= sc->racy_from ? 0 : t;
}


/* ---- what the index has for one directory ---- */

typedef struct known {
	char *path, blob[41];
	long long size, mtime, ctime, ino;
	int seen;
} known;

typedef struct known_dir {
	known *v;
	size_t n;
	struct strmap by_path;
} known_dir;

static void known_free(known_dir *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].path);
	free(k->v);
	strmap_clear(&k->by_path);
	memset(k, 0, sizeof *k);
}

static int known_load(case_index *ix, const char *dir, known_dir *k)
{
	sqlite3_stmt *st = index__prepare(
		ix, "SELECT path, size, mtime, ctime, ino, blob FROM files WHERE dir = ?");
	size_t cap = 0;
	int rc = 0;

	memset(k, 0, sizeof *k);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, dir, -1, SQLITE_STATIC);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		known *e;
		if (k->n == cap) {
			known *p = realloc(k->v, (cap = cap ? 2 * cap : 64) * sizeof *p);
			if (!p) {
				rc = -1;
				break;
			}
			k->v = p;
		}
		e = &k->v[k->n];
		memset(e, 0, sizeof *e);
		e->path = strdup((const char *)sqlite3_column_text(st, 0));
		e->size = sqlite3_column_int64(st, 1);
		e->mtime = sqlite3_column_int64(st, 2);
		e->ctime = sqlite3_column_int64(st, 3);
		e->ino = sqlite3_column_int64(st, 4);
		snprintf(e->blob, sizeof e->blob, "%s", (const char *)sqlite3_column_text(st, 5));
		if (!e->path || strmap_put(&k->by_path, e->path, k->n) < 0)
			rc = -1;
		k->n += e->path != NULL;
	}
	sqlite3_finalize(st);
	if (rc < 0)
		cd_err_set("out of memory");
	return rc;
}

/* ---- one file ---- */

static int record_file(scan *sc, const char *path, const char *dir, const struct stat *st,
		       const char *blob)
{
	sqlite3_stmt *q = index__cached(sc->ix,
					"INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, dir, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)st->st_size);
	sqlite3_bind_int64(q, 4, stored_time(sc, mtime_ns(st)));
	sqlite3_bind_int64(q, 5, ctime_ns(st));
	sqlite3_bind_int64(q, 6, (sqlite3_int64)st->st_ino);
	sqlite3_bind_text(q, 7, blob, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : index__fail(sc->ix, "writing");
	sqlite3_reset(q);
	return rc;
}

/* Look at one file of dir: unchanged by its stat, unchanged by its blob
 * id, or parsed again. */
static int visit_file(scan *sc, const char *dir, const char *name, known_dir *k)
{
	cd_buf path = CD_BUF_INIT, full = CD_BUF_INIT, text = CD_BUF_INIT;
	struct strmap_entry *e;
	known *was = NULL;
	struct stat st;
	char blob[41];
	int rc = 0;

	cd_path_join(&path, dir, name);
	cd_path_join(&full, store_workdir(sc->ix->s), path.data);
	if (stat(full.data, &st) < 0 || !S_ISREG(st.st_mode))
		goto out; /* gone since it was listed, or not a file: not a case */
	if ((e = strmap_get(&k->by_path, path.data)))
		(was = &k->v[e->value])->seen = 1;
	if (was && was->mtime && was->mtime == mtime_ns(&st) && was->ctime == ctime_ns(&st) &&
	    was->size == st.st_size && was->ino == (long long)st.st_ino &&
	    !strmap_get(&sc->suspects, path.data))
		goto out;
	if (cd_file_read(full.data, &text) < 0) { /* unreadable: listed with why */
		rc = index__drop_file(sc->ix, path.data);
		if (rc == 0)
			rc = index__put_error(sc->ix, path.data, cd_err_msg());
		cd_err_clear();
		if (rc == 0)
			rc = record_file(sc, path.data, dir, &st, "");
		goto out;
	}
	sc->st->hashed++;
	store_hash_blob(text.data, text.len, blob);
	if (!was || strcmp(was->blob, blob) != 0) {
		sc->st->parsed++;
		rc = index__put_file(sc->ix, path.data, cd_buf_cstr(&text), text.len);
	}
	if (rc == 0)
		rc = record_file(sc, path.data, dir, &st, blob);
out:
	cd_buf_clear(&path);
	cd_buf_clear(&full);
	cd_buf_clear(&text);
	return rc;
}

static int forget_file(scan *sc, const char *path)
{
	sqlite3_stmt *q;
	int rc = index__drop_file(sc->ix, path);

	if (rc == 0 && (q = index__prepare(sc->ix, "DELETE FROM files WHERE path = ?"))) {
		sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : index__fail(sc->ix, "writing");
		sqlite3_finalize(q);
	} else if (rc == 0) {
		rc = -1;
	}
	sc->st->removed++;
	return rc;
}

static int set_dir_time(scan *sc, const char *dir, long long t)
{
	sqlite3_stmt *q = index__prepare(sc->ix, t < 0 ? "DELETE FROM dirs WHERE path = ?"
						       : "INSERT OR REPLACE INTO dirs VALUES (?, ?)");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, dir, -1, SQLITE_STATIC);
	if (t >= 0)
		sqlite3_bind_int64(q, 2, t);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : index__fail(sc->ix, "writing");
	sqlite3_finalize(q);
	return rc;
}

/* ---- one directory ---- */

/* In a large library, a file the directory listing shows with the inode
 * the index has for it was not replaced, and is not looked at again: the
 * files that were added, replaced or committed are the ones to stat, not
 * every file of a directory that one of them touched (which made the
 * cost of a batch grow with the library).  A file recorded at a racy time
 * is looked at again. */
static int unchanged_entry(scan *sc, const char *dir, const struct dirent *e, known_dir *k)
{
	cd_buf path = CD_BUF_INIT;
	struct strmap_entry *m;
	known *was;
	int same = 0;

	if (sc->everything)
		return 0;
	cd_path_join(&path, dir, e->d_name);
	if (path.data && (m = strmap_get(&k->by_path, path.data))) {
		was = &k->v[m->value];
		same = was->mtime && was->ino == (long long)e->d_ino &&
		       !strmap_get(&sc->suspects, path.data);
		was->seen |= same;
	}
	cd_buf_clear(&path);
	return same;
}

/* List dir again: every case file it holds now, every one it no longer
 * does.  The top directory (cases) holds the old flat layout's files; its
 * fan-out directories are visited on their own. */
static int scan_dir(scan *sc, const char *dir, long long dir_time)
{
	cd_buf full = CD_BUF_INIT;
	known_dir k;
	struct dirent *e;
	DIR *d;
	int rc;

	if (known_load(sc->ix, dir, &k) < 0)
		return -1;
	sc->st->dirs++;
	cd_path_join(&full, store_workdir(sc->ix->s), dir);
	d = opendir(full.data);
	rc = d || errno == ENOENT ? 0 : -1;
	if (rc < 0)
		cd_err_set("cannot read %s: %s", full.data, strerror(errno));
	while (rc == 0 && d && (e = readdir(d)))
		if (case_file_name(e->d_name) && !unchanged_entry(sc, dir, e, &k))
			rc = visit_file(sc, dir, e->d_name, &k);
	if (d)
		closedir(d);
	for (size_t i = 0; rc == 0 && i < k.n; i++)
		if (!k.v[i].seen)
			rc = forget_file(sc, k.v[i].path);
	if (rc == 0)
		rc = set_dir_time(sc, dir, d ? stored_time(sc, dir_time) : -1);
	known_free(&k);
	cd_buf_clear(&full);
	return rc;
}

/* Forget the files of dir the index knows and the directory no longer
 * holds.  Done for every changed directory before any is scanned, so
 * that a case moved from one directory to another is never found under
 * both (the second would be refused as a duplicate id). */
static int forget_gone(scan *sc, const char *dir)
{
	cd_buf full = CD_BUF_INIT, path = CD_BUF_INIT;
	struct strmap_entry *m;
	known_dir k;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (known_load(sc->ix, dir, &k) < 0)
		return -1;
	cd_path_join(&full, store_workdir(sc->ix->s), dir);
	if ((d = opendir(full.data))) {
		while ((e = readdir(d))) {
			cd_buf_reset(&path);
			cd_path_join(&path, dir, e->d_name);
			if (path.data && (m = strmap_get(&k.by_path, path.data)))
				k.v[m->value].seen = 1;
		}
		closedir(d);
	}
	for (size_t i = 0; rc == 0 && i < k.n; i++)
		if (!k.v[i].seen)
			rc = forget_file(sc, k.v[i].path);
	known_free(&k);
	cd_buf_clear(&full);
	cd_buf_clear(&path);
	return rc;
}

/* ---- the whole library ---- */

static int load_dir_times(scan *sc)
{
	sqlite3_stmt *st = index__prepare(sc->ix, "SELECT path, mtime FROM dirs");
	int rc = 0;

	if (!st)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		if (strmap_put(&sc->dir_mtime, (const char *)sqlite3_column_text(st, 0),
			       (size_t)sqlite3_column_int64(st, 1)) < 0)
			rc = -1;
	sqlite3_finalize(st);
	if (rc < 0)
		cd_err_set("out of memory");
	return rc;
}

/* A directory to look at, and its time now (-1: it is gone). */
typedef struct todo {
	char *dir;
	long long mtime;
} todo;

typedef struct todo_list {
	todo *v;
	size_t n, cap;
} todo_list;

static int todo_add(todo_list *t, const char *dir, long long mtime)
{
	if (t->n == t->cap) {
		todo *p = realloc(t->v, (t->cap = t->cap ? 2 * t->cap : 64) * sizeof *p);
		if (!p)
			return -1;
		t->v = p;
	}
	if (!(t->v[t->n].dir = strdup(dir)))
		return -1;
	t->v[t->n++].mtime = mtime;
	return 0;
}

static int needs_look(scan *sc, const char *dir, long long mtime)
{
	struct strmap_entry *e = strmap_get(&sc->dir_mtime, dir);
	int look = sc->everything || !e || e->value == 0 || (long long)e->value != mtime ||
		   strmap_get(&sc->suspect_dirs, dir);

	if (e)
		e->value = (size_t)-1; /* present on disk */
	return look;
}

/* The directories that changed: cases itself, its fan-out directories,
 * and those the index knows that are gone. */
static int find_work(scan *sc, todo_list *t)
{
	cd_buf top = CD_BUF_INIT, sub = CD_BUF_INIT;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int rc = 0;

	cd_path_join(&top, store_workdir(sc->ix->s), "cases");
	if ((d = opendir(top.data)) && fstat(dirfd(d), &st) == 0 &&
	    needs_look(sc, "cases", mtime_ns(&st)))
		rc = todo_add(t, "cases", mtime_ns(&st));
	while (rc == 0 && d && (e = readdir(d))) {
		if (!case_fan_dir_name(e->d_name))
			continue;
		cd_buf_reset(&sub);
		cd_buf_printf(&sub, "%s/%s", top.data, e->d_name);
		if (stat(sub.data, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		cd_buf_reset(&sub);
		cd_buf_printf(&sub, "cases/%s", e->d_name);
		if (needs_look(sc, sub.data, mtime_ns(&st)))
			rc = todo_add(t, sub.data, mtime_ns(&st));
	}
	if (d)
		closedir(d);
	for (size_t i = 0; rc == 0 && i < sc->dir_mtime.cap; i++) {
		struct strmap_entry *x = &sc->dir_mtime.e[i];
		if (x->key && x->value != (size_t)-1)
			rc = todo_add(t, x->key, -1);
	}
	if (rc < 0)
		cd_err_set("out of memory");
	cd_buf_clear(&top);
	cd_buf_clear(&sub);
	return rc;
}

/* CASE_INDEX_STAT_ALL, or $CODICIL_INDEX_STAT_ALL (so that tests reach
 * what only a large library does). */
static long stat_all_below(void)
{
	const char *env = getenv("CODICIL_INDEX_STAT_ALL");
	return env && *env ? atol(env) : CASE_INDEX_STAT_ALL;
}

/* How many files the index knows, counting no further than at_most. */
static long known_files(case_index *ix, long at_most)
{
	sqlite3_stmt *st = index__prepare(ix, "SELECT count(*) FROM (SELECT 1 FROM files LIMIT ?)");
	long n = -1;

	if (st) {
		sqlite3_bind_int64(st, 1, at_most);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

static int set_head(case_index *ix, const char *head)
{
	sqlite3_stmt *q = index__prepare(ix, "INSERT OR REPLACE INTO meta VALUES ('head_cases', ?)");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, head, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : index__fail(ix, "writing");
	sqlite3_finalize(q);
	return rc;
}

/* Files parsed per transaction: each directory's files and its time go in
 * together, so a kill between two commits loses nothing (the next scan
 * goes on from the directories not yet recorded), and the write-ahead log
 * stays small enough to be checkpointed while a large library is built. */
#define FILES_PER_COMMIT 20000

static case_index_progress_fn *progress;
static void *progress_arg;

void case_index_set_progress(case_index_progress_fn *fn, void *arg)
{
	progress = fn;
	progress_arg = arg;
}

/* Directories from which a refresh says how far it is. */
#define PROGRESS_FROM 64

static int apply(scan *sc, const todo_list *t, const char *head)
{
	int big = t->n >= PROGRESS_FROM, say = progress && big;
	int rc = big ? index__exec(sc->ix, INDEX_BUILD_CACHE_PRAGMA) : 0;
	size_t since = sc->st->parsed;

	if (rc == 0)
		rc = index__exec(sc->ix, "BEGIN IMMEDIATE");
	for (size_t i = 0; rc == 0 && i < t->n; i++)
		rc = forget_gone(sc, t->v[i].dir);
	for (size_t i = 0; rc == 0 && i < t->n; i++) {
		if (say && i % 32 == 0)
			progress(i, t->n, sc->st->parsed, progress_arg);
		rc = scan_dir(sc, t->v[i].dir, t->v[i].mtime);
		if (rc == 0 && sc->st->parsed - since >= FILES_PER_COMMIT) {
			rc = index__exec(sc->ix, "COMMIT");
			if (rc == 0)
				rc = index__exec(sc->ix, "BEGIN IMMEDIATE");
			since = sc->st->parsed;
		}
	}
	if (say)
		progress(t->n, t->n, sc->st->parsed, progress_arg);
	if (rc == 0)
		rc = set_head(sc->ix, head);
	if (rc == 0)
		rc = index__exec(sc->ix, "COMMIT");
	else
		sqlite3_exec(sc->ix->db, "ROLLBACK", NULL, NULL, NULL);
	if (big) /* the queries that follow keep the usual cache */
		sqlite3_exec(sc->ix->db, INDEX_CACHE_PRAGMA, NULL, NULL, NULL);
	return rc < 0 ? -1 : 0;
}

int index__refresh(case_index *ix, case_index_stats *st)
{
	case_index_stats unused;
	scan sc = { .ix = ix, .st = st ? st : &unused };
	todo_list t = { 0 };
	struct timespec now;
	char head[41];
	long files;
	int rc;

	memset(sc.st, 0, sizeof *sc.st);
	clock_gettime(CLOCK_REALTIME, &now);
	sc.racy_from = (long long)now.tv_sec * 1000000000LL + now.tv_nsec - 2000000000LL;
	rc = index__head_changes(ix, &sc.suspects, &sc.suspect_dirs, &sc.everything, head);
	if (rc >= 0 && (files = known_files(ix, stat_all_below())) >= 0 && files < stat_all_below())
		sc.everything = 1;
	if (rc >= 0 && (load_dir_times(&sc) < 0 || find_work(&sc, &t) < 0))
		rc = -1;
	if (rc >= 0 && (t.n || rc == 1))
		rc = apply(&sc, &t, head);
	if (rc >= 0) {
		if (st) /* counting a million rows takes a while: only when asked */
			st->files = (size_t)known_files(ix, -1);
		rc = 0;
	}
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i].dir);
	free(t.v);
	strmap_clear(&sc.suspects);
	strmap_clear(&sc.suspect_dirs);
	strmap_clear(&sc.dir_mtime);
	return rc;
}
