/* index_query.c — what lists, filters and counts ask of the case index. */
#include "index_int.h"

#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

/* The words of grep as an FTS5 query: each word a quoted phrase (so no
 * character of it is query syntax), all of them required, the last one a
 * prefix.  Empty when grep has no word. */
static void fts_query(const char *grep, cd_buf *out)
{
	const char *p = grep;

	while (*p) {
		size_t n, letters = 0;

		while (*p && isspace((unsigned char)*p))
			p++;
		for (n = 0; p[n] && !isspace((unsigned char)p[n]); n++)
			letters += isalnum((unsigned char)p[n]) || (unsigned char)p[n] >= 0x80;
		if (letters) {
			cd_buf_puts(out, out->len ? " \"" : "\"");
			for (size_t i = 0; i < n; i++)
				cd_buf_printf(out, p[i] == '"' ? "\"\"" : "%c", p[i]);
			cd_buf_puts(out, "\"");
		}
		p += n;
	}
	if (out->len)
		cd_buf_puts(out, "*");
}

/* SELECT what (from cases c) for q, with its parameters bound. */
static sqlite3_stmt *select_for(case_index *ix, const char *what, const case_query *q,
				int ordered)
{
	cd_buf sql = CD_BUF_INIT, fts = CD_BUF_INIT;
	const char *params[8];
	sqlite3_stmt *st;
	int n = 0;

	/* on a principle, its own table has every column a list shows, in id
	 * order: one range */
	cd_buf_printf(&sql, "SELECT %s FROM %s c WHERE 1", what,
		      q->f.principle ? "principles" : "cases");
	if (q->f.principle) {
		cd_buf_puts(&sql, " AND c.principle = ?");
		params[n++] = q->f.principle;
	}
	if (q->f.status) {
		cd_buf_puts(&sql, " AND c.status = ?");
		params[n++] = q->f.status;
	}
	if (q->f.kind) {
		cd_buf_puts(&sql, " AND c.kind = ?");
		params[n++] = q->f.kind;
	}
	if (q->min_severity)
		cd_buf_printf(&sql, " AND c.severity >= %d", q->min_severity);
	if (q->id_below) {
		cd_buf_puts(&sql, " AND c.id < ?");
		params[n++] = q->id_below;
	}
	if (q->id_above) {
		cd_buf_puts(&sql, " AND c.id > ?");
		params[n++] = q->id_above;
	}
	if (q->grep)
		fts_query(q->grep, &fts);
	if (q->grep && !fts.len) { /* no word in it: nothing has all of them */
		cd_buf_puts(&sql, " AND 0");
	} else if (q->grep) {
		cd_buf_printf(&sql, " AND c.%s IN (SELECT rowid FROM case_text WHERE case_text "
				    "MATCH ?)", q->f.principle ? "case_rowid" : "rowid");
		params[n++] = cd_buf_cstr(&fts);
	}
	if (ordered)
		cd_buf_printf(&sql, " ORDER BY c.id%s", q->newest_first ? " DESC" : "");
	if (ordered && (q->limit || q->offset))
		cd_buf_printf(&sql, " LIMIT %lld OFFSET %zu", q->limit ? (long long)q->limit : -1LL,
			      q->offset);
	if ((st = index__prepare(ix, sql.data)))
		for (int i = 0; i < n; i++)
			sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
	cd_buf_clear(&sql);
	cd_buf_clear(&fts);
	return st;
}

static const char *text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s ? s : "";
}

int case_index_each(case_index *ix, const case_query *q,
		    int (*fn)(const case_row *r, void *arg), void *arg)
{
	sqlite3_stmt *st = select_for(ix, "c.id, c.path, c.kind, c.status, c.principles, "
					  "c.summary, c.created, c.severity, c.nratings, c.nvalid",
				      q, 1);
	int rc = 0, step;

	if (!st)
		return -1;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		case_row r = {
			.id = text(st, 0), .path = text(st, 1), .kind = text(st, 2),
			.status = text(st, 3), .principles = text(st, 4), .summary = text(st, 5),
			.created = text(st, 6), .severity = sqlite3_column_int(st, 7),
			.nratings = sqlite3_column_int(st, 8), .nvalid = sqlite3_column_int(st, 9),
		};
		rc = fn(&r, arg);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = index__fail(ix, "reading");
	sqlite3_finalize(st);
	return rc;
}

/* All cases, or all on a principle: kept count of (the counts table). */
static int kept_count(case_index *ix, const case_query *q, long *n)
{
	sqlite3_stmt *st;
	cd_buf key = CD_BUF_INIT;

	if (q->f.status || q->f.kind || q->grep || q->min_severity || q->id_below || q->id_above)
		return 0;
	cd_buf_printf(&key, "%s%s", q->f.principle ? "p:" : "", q->f.principle ? q->f.principle : "");
	*n = 0;
	if ((st = index__prepare(ix, "SELECT n FROM counts WHERE key = ?"))) {
		sqlite3_bind_text(st, 1, cd_buf_cstr(&key), -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			*n = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	cd_buf_clear(&key);
	return st ? 1 : -1;
}

long case_index_count(case_index *ix, const case_query *q)
{
	sqlite3_stmt *st;
	long n = -1;
	int kept = kept_count(ix, q, &n);

	if (kept)
		return kept < 0 ? -1 : n;
	st = select_for(ix, "count(*)", q, 0);

	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	else if (st)
		index__fail(ix, "counting");
	sqlite3_finalize(st);
	return n;
}

int case_index_each_error(case_index *ix, int (*fn)(const char *path, const char *problem,
						    void *arg), void *arg)
{
	sqlite3_stmt *st = index__prepare(ix, "SELECT path, problem FROM errors ORDER BY path");
	int rc = 0;

	if (!st)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = fn(text(st, 0), text(st, 1), arg);
	sqlite3_finalize(st);
	return rc;
}

int case_index_each_principle(case_index *ix, int (*fn)(const char *id, long n,
							void *arg), void *arg)
{
	sqlite3_stmt *st = index__prepare(
		ix, "SELECT substr(key, 3), n FROM counts WHERE key > 'p:' AND key < 'p;' AND n > 0 "
		    "ORDER BY key");
	int rc = 0;

	if (!st)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = fn(text(st, 0), (long)sqlite3_column_int64(st, 1), arg);
	sqlite3_finalize(st);
	return rc;
}

/* The file of case id is there, but not usable: say why.  1 when so. */
static int unusable_file(case_index *ix, const char *id)
{
	sqlite3_stmt *st = index__cached(ix, "SELECT path, problem FROM errors WHERE path = ?");
	cd_buf path = CD_BUF_INIT;
	int found = 0;

	for (int layout = 0; st && !found && layout < CASE_LAYOUTS; layout++) {
		cd_buf_reset(&path);
		/* a name that is no id of codicil's may still be a file's: only
		 * looked up, never opened */
		if (layout == CASE_LAYOUT_FLAT)
			cd_buf_printf(&path, "cases/%s.json", id);
		else if (case_path_in_layout(id, layout, &path) < 0)
			continue;
		sqlite3_bind_text(st, 1, path.data, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			cd_err_set("%s: %s (fix the file or remove it)", text(st, 0), text(st, 1));
			found = 1;
		}
		sqlite3_reset(st);
	}
	if (!found)
		cd_err_clear();
	cd_buf_clear(&path);
	return found;
}

int case_index_find(case_index *ix, const char *id, cd_buf *id_out, cd_buf *path_out)
{
	sqlite3_stmt *st;
	char key[64], upper[66];
	const char *ids[3] = { 0 };
	char *found_path = NULL;
	int n = 0, ok;

	if (!id || !*id) {
		cd_err_set("no case id given");
		return -1;
	}
	case_id_prefix(id, key, sizeof key);
	snprintf(upper, sizeof upper, "%s\x7f", key);
	if (!(st = index__prepare(ix, "SELECT id, path FROM cases WHERE id >= ? AND id < ? "
				      "ORDER BY id LIMIT 3")))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	while (n < 3 && sqlite3_step(st) == SQLITE_ROW) {
		ids[n] = strdup(text(st, 0));
		if (n++ == 0)
			found_path = strdup(text(st, 1));
	}
	sqlite3_finalize(st);
	ok = n == 1 || (n > 1 && ids[0] && strcmp(ids[0], key) == 0);
	if (n == 0) {
		if (!unusable_file(ix, key))
			cd_err_set("no case %s (run 'codicil cases' to list them)", key);
	} else if (!ok) {
		cd_err_set("case id %s is ambiguous: it matches %s, %s%s (give more of the id)", key,
			   ids[0], ids[1], n > 2 ? ", ..." : "");
	} else {
		if (id_out)
			cd_buf_puts(id_out, ids[0]);
		if (path_out)
			cd_buf_puts(path_out, found_path);
	}
	for (int i = 0; i < 3; i++)
		free((char *)ids[i]);
	free(found_path);
	return ok ? 0 : -1;
}

cJSON *case_index_read_row(store *s, const case_row *r)
{
	cd_buf path = CD_BUF_INIT;
	cJSON *c = NULL;

	if (cd_path_join(&path, store_workdir(s), r->path) == 0)
		c = cd_json_read_file(path.data);
	cd_buf_clear(&path);
	return c;
}
