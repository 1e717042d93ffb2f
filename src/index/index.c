/* index.c — opening, creating and rebuilding the case index (see
 * case_index.h). */
#include "index_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/error.h"

/* Bump when the schema or what a row holds changes: an index of another
 * version is deleted and built again. */
#define INDEX_VERSION 4

static const char schema[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	/* what the last scan saw: a directory's mtime (0: look again) */
	"CREATE TABLE dirs(path TEXT PRIMARY KEY, mtime INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE files(path TEXT PRIMARY KEY, dir TEXT NOT NULL, size INTEGER NOT NULL,"
	" mtime INTEGER NOT NULL, ctime INTEGER NOT NULL, ino INTEGER NOT NULL,"
	" blob TEXT NOT NULL);"
	"CREATE INDEX files_dir ON files(dir);"
	/* what lists show first, the long scenario apart: small rows */
	"CREATE TABLE cases(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" path TEXT NOT NULL UNIQUE, kind TEXT, status TEXT, severity INTEGER,"
	" principles TEXT NOT NULL, summary TEXT NOT NULL, created TEXT NOT NULL,"
	" nratings INTEGER NOT NULL, nvalid INTEGER NOT NULL, model TEXT, run TEXT,"
	" exact INTEGER NOT NULL);"
	"CREATE INDEX cases_exact ON cases(exact);"
	"CREATE INDEX cases_status ON cases(status, id);"
	"CREATE TABLE scenarios(rowid INTEGER PRIMARY KEY, scenario TEXT NOT NULL, bands BLOB);"
	/* by principle, then id, with the list's columns: "the cases on p" and
	 * "the newest cases on p" read one range, never the whole table */
	"CREATE TABLE principles(principle TEXT NOT NULL, id TEXT NOT NULL,"
	" case_rowid INTEGER NOT NULL, path TEXT NOT NULL, kind TEXT, status TEXT,"
	" severity INTEGER, principles TEXT NOT NULL, summary TEXT NOT NULL,"
	" created TEXT NOT NULL, nratings INTEGER NOT NULL, nvalid INTEGER NOT NULL,"
	" PRIMARY KEY(principle, id)) WITHOUT ROWID;"
	/* counted as rows come and go: '' all cases, 'p:<id>' a principle's */
	"CREATE TABLE counts(key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TRIGGER cases_in AFTER INSERT ON cases BEGIN INSERT INTO counts VALUES ('', 1)"
	" ON CONFLICT(key) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER cases_out AFTER DELETE ON cases BEGIN"
	" UPDATE counts SET n = n - 1 WHERE key = ''; END;"
	"CREATE TRIGGER principles_in AFTER INSERT ON principles BEGIN INSERT INTO counts"
	" VALUES ('p:' || new.principle, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER principles_out AFTER DELETE ON principles BEGIN"
	" UPDATE counts SET n = n - 1 WHERE key = 'p:' || old.principle; END;"
	"CREATE TABLE bands(band INTEGER NOT NULL, case_rowid INTEGER NOT NULL,"
	" PRIMARY KEY(band, case_rowid)) WITHOUT ROWID;"
	"CREATE TABLE errors(path TEXT PRIMARY KEY, problem TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE VIRTUAL TABLE case_text USING fts5(id, principles, scenario, literal_reading,"
	" expected, rationale, tokenize = 'unicode61 remove_diacritics 2');";

int index__fail(case_index *ix, const char *what)
{
	cd_err_set("case index %s: %s: %s (it is safe to delete; 'codicil index --rebuild' "
		   "builds it again)",
		   ix->path, what, ix->db ? sqlite3_errmsg(ix->db) : "cannot open");
	return -1;
}

int index__exec(case_index *ix, const char *sql)
{
	return sqlite3_exec(ix->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : index__fail(ix, sql);
}

sqlite3_stmt *index__prepare(case_index *ix, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL) != SQLITE_OK) {
		index__fail(ix, "preparing a query");
		return NULL;
	}
	return st;
}

sqlite3_stmt *index__cached(case_index *ix, const char *sql)
{
	size_t i;

	for (i = 0; i < INDEX_CACHED_STATEMENTS && ix->cached[i].sql; i++) {
		if (ix->cached[i].sql == sql) {
			sqlite3_reset(ix->cached[i].st);
			sqlite3_clear_bindings(ix->cached[i].st);
			return ix->cached[i].st;
		}
	}
	if (i == INDEX_CACHED_STATEMENTS) {
		cd_err_set("internal error: more than %d cached statements", INDEX_CACHED_STATEMENTS);
		return NULL;
	}
	if (!(ix->cached[i].st = index__prepare(ix, sql)))
		return NULL;
	ix->cached[i].sql = sql;
	return ix->cached[i].st;
}

static int user_version(case_index *ix)
{
	sqlite3_stmt *st = index__prepare(ix, "PRAGMA user_version");
	int v = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int create_schema(case_index *ix)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", INDEX_VERSION);
	return index__exec(ix, "BEGIN IMMEDIATE") < 0 || index__exec(ix, schema) < 0 ||
			       index__exec(ix, sql) < 0 || index__exec(ix, "COMMIT") < 0
		       ? -1
		       : 0;
}

static void close_db(case_index *ix)
{
	for (size_t i = 0; i < INDEX_CACHED_STATEMENTS && ix->cached[i].sql; i++) {
		sqlite3_finalize(ix->cached[i].st);
		ix->cached[i].sql = NULL;
	}
	sqlite3_close(ix->db);
	ix->db = NULL;
}

static void remove_files(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char name[4096];

	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		snprintf(name, sizeof name, "%s%s", path, suffix[i]);
		unlink(name);
	}
}

/* Open the database file, ready to use: 1 when it is usable as it is, 0
 * when it is new (or was of another version, or unreadable, and so was
 * deleted), -1 on error. */
static int open_db(case_index *ix)
{
	int v;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (sqlite3_open_v2(ix->path, &ix->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
				    NULL) != SQLITE_OK) {
			index__fail(ix, "opening");
			close_db(ix);
			return -1;
		}
		sqlite3_busy_timeout(ix->db, 30000);
		v = user_version(ix);
		if (v == INDEX_VERSION)
			return index__exec(ix, "PRAGMA synchronous = NORMAL; " INDEX_CACHE_PRAGMA) < 0 ? -1 : 1;
		if (v == 0 && index__exec(ix, "PRAGMA journal_mode = WAL") == 0 &&
		    create_schema(ix) == 0)
			return index__exec(ix, "PRAGMA synchronous = NORMAL; " INDEX_CACHE_PRAGMA) < 0 ? -1 : 0;
		/* another version, or not a database: it is derived, so start over */
		close_db(ix);
		remove_files(ix->path);
	}
	cd_err_set("case index %s: cannot create it", ix->path);
	return -1;
}

void case_index_close(case_index *ix)
{
	if (!ix)
		return;
	close_db(ix);
	free(ix->path);
	free(ix);
}

int index__open(store *s, case_index **out, case_index_stats *st, index_open_mode mode)
{
	cd_buf path = CD_BUF_INIT;
	case_index *ix;
	int usable;

	*out = NULL;
	if (store_local_path(s, "index.sqlite", &path) < 0)
		return -1;
	if (!(ix = calloc(1, sizeof *ix))) {
		cd_buf_clear(&path);
		cd_err_set("out of memory");
		return -1;
	}
	ix->s = s;
	ix->path = cd_buf_detach(&path);
	if (mode == INDEX_FRESH)
		remove_files(ix->path);
	/* a new index is built whatever the mode: there is nothing to check */
	if ((usable = open_db(ix)) < 0 ||
	    ((mode != INDEX_AS_IS || !usable) && index__refresh(ix, st) < 0)) {
		case_index_close(ix);
		return -1;
	}
	*out = ix;
	return 0;
}

int case_index_open(store *s, case_index **out, case_index_stats *st)
{
	return index__open(s, out, st, INDEX_REFRESH);
}

int case_index_rebuild(store *s, case_index_stats *st)
{
	case_index *ix;

	if (index__open(s, &ix, st, INDEX_FRESH) < 0)
		return -1;
	case_index_close(ix);
	return 0;
}
