/* index_row.c — one case file in and out of the index: its row, its
 * principles, its near-duplicate bands, its text for full-text search. */
#include "index_int.h"

#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"

/* Run a statement (a string literal: it is prepared once) with text and
 * integer parameters: each of fmt's
 * characters is one: 't' text (NULL binds null), 'i' sqlite3_int64,
 * 'b' a blob (pointer, then size_t length). */
static int run(case_index *ix, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st = index__cached(ix, sql);
	va_list ap;
	int rc, i = 1;

	if (!st)
		return -1;
	va_start(ap, fmt);
	for (const char *f = fmt; *f; f++, i++) {
		if (*f == 't') {
			sqlite3_bind_text(st, i, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
		} else if (*f == 'i') {
			sqlite3_bind_int64(st, i, va_arg(ap, sqlite3_int64));
		} else {
			const void *p = va_arg(ap, const void *);
			sqlite3_bind_blob(st, i, p, (int)va_arg(ap, size_t), SQLITE_TRANSIENT);
		}
	}
	va_end(ap);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_CONSTRAINT ? 1 : index__fail(ix, "writing");
}

/* ---- taking a row out ---- */

static int drop_principles(case_index *ix, const char *id, const char *principles)
{
	char *copy = strdup(principles ? principles : ""), *save = NULL;
	int rc = copy ? 0 : -1;

	for (char *p = copy ? strtok_r(copy, " ", &save) : NULL; p && rc == 0;
	     p = strtok_r(NULL, " ", &save))
		rc = run(ix, "DELETE FROM principles WHERE principle = ? AND id = ?", "tt", p, id);
	free(copy);
	return rc;
}

static int drop_bands(case_index *ix, sqlite3_int64 rowid, const void *blob, int len)
{
	const unsigned char *b = blob;
	int rc = 0;

	for (int i = 0; rc == 0 && i + 8 <= len; i += 8) {
		sqlite3_int64 v;
		memcpy(&v, b + i, 8);
		rc = run(ix, "DELETE FROM bands WHERE band = ? AND case_rowid = ?", "ii", v, rowid);
	}
	return rc;
}

int index__drop_file(case_index *ix, const char *path)
{
	sqlite3_stmt *st = index__cached(
		ix, "SELECT c.rowid, c.principles, s.bands, c.id FROM cases c JOIN scenarios s ON "
		    "s.rowid = c.rowid WHERE c.path = ?");
	int rc = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);

		rc = drop_principles(ix, (const char *)sqlite3_column_text(st, 3),
				     (const char *)sqlite3_column_text(st, 1));
		if (rc == 0)
			rc = drop_bands(ix, rowid, sqlite3_column_blob(st, 2),
					sqlite3_column_bytes(st, 2));
		if (rc == 0)
			rc = run(ix, "DELETE FROM case_text WHERE rowid = ?", "i", rowid);
		if (rc == 0)
			rc = run(ix, "DELETE FROM scenarios WHERE rowid = ?", "i", rowid);
		if (rc == 0)
			rc = run(ix, "DELETE FROM cases WHERE rowid = ?", "i", rowid);
	}
	sqlite3_reset(st);
	return rc == 0 ? run(ix, "DELETE FROM errors WHERE path = ?", "t", path) : rc;
}

/* ---- putting one in ---- */

static void ratings_count(const cJSON *c, long *n, long *valid)
{
	const cJSON *r;

	*n = *valid = 0;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(c, "ratings")) {
		const char *v = cd_json_str(r, "verdict");
		++*n;
		*valid += v && !strcmp(v, "valid");
	}
}

static void principles_text(const cJSON *c, cd_buf *out)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
		if (cJSON_IsString(p) && !strchr(p->valuestring, ' '))
			cd_buf_printf(out, "%s%s", out->len ? " " : "", p->valuestring);
}

static const char *str_or_empty(const cJSON *c, const char *key)
{
	const char *s = cd_json_str(c, key);
	return s ? s : "";
}

/* What a case's rows hold, worked out once. */
typedef struct row {
	const cJSON *c;
	const char *id, *path, *kind, *status, *created;
	long severity, nratings, nvalid;
	cd_buf principles; /* space-separated */
	cd_buf summary;    /* the scenario's first CASE_SUMMARY_BYTES + 1 bytes */
	dedup_digest digest;
	uint64_t bands[DEDUP_BANDS];
} row;

static int row_make(row *r, const char *path, const cJSON *c)
{
	const cJSON *prov = cJSON_GetObjectItemCaseSensitive(c, "provenance");
	const char *scenario = str_or_empty(c, "scenario");

	memset(r, 0, sizeof *r);
	r->c = c;
	r->id = case_id(c);
	r->path = path;
	r->kind = cd_json_str(c, "kind");
	r->status = cd_json_str(c, "status");
	r->created = str_or_empty(prov, "created");
	r->severity = cd_json_int(c, "severity", 0);
	ratings_count(c, &r->nratings, &r->nvalid);
	principles_text(c, &r->principles);
	cd_buf_append(&r->summary, scenario, strnlen(scenario, CASE_SUMMARY_BYTES + 1));
	if (dedup_digest_make(scenario, &r->digest) < 0) {
		cd_err_set("out of memory");
		return -1;
	}
	dedup_bands(&r->digest, r->bands);
	return 0;
}

static void row_free(row *r)
{
	cd_buf_clear(&r->principles);
	cd_buf_clear(&r->summary);
	dedup_digest_clear(&r->digest);
}

static int insert_case(case_index *ix, const row *r)
{
	const cJSON *prov = cJSON_GetObjectItemCaseSensitive(r->c, "provenance");

	return run(ix,
		   "INSERT INTO cases(id, path, kind, status, severity, principles, summary, "
		   "created, nratings, nvalid, model, run, exact) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   "ttttitttiitti", r->id, r->path, r->kind, r->status, (sqlite3_int64)r->severity,
		   cd_buf_cstr(&r->principles), cd_buf_cstr(&r->summary), r->created,
		   (sqlite3_int64)r->nratings, (sqlite3_int64)r->nvalid, cd_json_str(prov, "model"),
		   cd_json_str(r->c, "run"), (sqlite3_int64)r->digest.exact);
}

/* One row per principle the case cites, with what a list shows, so that
 * a principle's cases are read as one range in id order. */
static int insert_principles(case_index *ix, const row *r, sqlite3_int64 rowid)
{
	const cJSON *p;
	int rc = 0;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r->c, "principles"))
		if (rc == 0 && cJSON_IsString(p) && !strchr(p->valuestring, ' '))
			rc = run(ix,
				 "INSERT OR IGNORE INTO principles(principle, id, case_rowid, path, "
				 "kind, status, severity, principles, summary, created, nratings, "
				 "nvalid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				 "ttitttitttii", p->valuestring, r->id, rowid, r->path, r->kind,
				 r->status, (sqlite3_int64)r->severity, cd_buf_cstr(&r->principles),
				 cd_buf_cstr(&r->summary), r->created, (sqlite3_int64)r->nratings,
				 (sqlite3_int64)r->nvalid);
	return rc;
}

/* The text as a terminal shows it (cd_sanitize: escape sequences gone), so
 * that a search finds the words a person reads. */
static void shown(const cJSON *c, const char *key, cd_buf *out)
{
	const char *s = str_or_empty(c, key);
	cd_sanitize(s, strlen(s), 0, out);
}

static int insert_text(case_index *ix, sqlite3_int64 rowid, const cJSON *c,
		       const char *principles)
{
	static const char *const keys[] = { "scenario", "literal_reading", "expected",
					    "rationale" };
	cd_buf text[4] = { CD_BUF_INIT, CD_BUF_INIT, CD_BUF_INIT, CD_BUF_INIT };
	int rc;

	for (int i = 0; i < 4; i++)
		shown(c, keys[i], &text[i]);
	rc = run(ix, "INSERT INTO case_text(rowid, id, principles, scenario, literal_reading, "
		     "expected, rationale) VALUES (?, ?, ?, ?, ?, ?, ?)",
		 "itttttt", rowid, case_id(c), principles, cd_buf_cstr(&text[0]),
		 cd_buf_cstr(&text[1]), cd_buf_cstr(&text[2]), cd_buf_cstr(&text[3]));
	for (int i = 0; i < 4; i++)
		cd_buf_clear(&text[i]);
	return rc;
}

static int insert_parts(case_index *ix, const row *r)
{
	sqlite3_int64 rowid = sqlite3_last_insert_rowid(ix->db);
	int rc = insert_principles(ix, r, rowid);

	if (rc == 0)
		rc = run(ix, "INSERT INTO scenarios(rowid, scenario, bands) VALUES (?, ?, ?)", "itb",
			 rowid, str_or_empty(r->c, "scenario"), (const void *)r->bands,
			 (size_t)(DEDUP_BANDS * sizeof *r->bands));
	for (int b = 0; rc == 0 && b < DEDUP_BANDS; b++)
		rc = run(ix, "INSERT OR IGNORE INTO bands VALUES (?, ?)", "ii",
			 (sqlite3_int64)r->bands[b], rowid);
	if (rc == 0)
		rc = insert_text(ix, rowid, r->c, cd_buf_cstr(&r->principles));
	return rc;
}

int index__put_error(case_index *ix, const char *path, const char *problem)
{
	return run(ix, "INSERT OR REPLACE INTO errors VALUES (?, ?)", "tt", path, problem);
}

static int put_case(case_index *ix, const char *path, const cJSON *c)
{
	row r;
	int rc = row_make(&r, path, c);

	if (rc == 0)
		rc = insert_case(ix, &r);
	if (rc == 1) /* the id is taken: two files hold one case */
		rc = index__put_error(ix, path, "another file holds the same case id; remove one");
	else if (rc == 0)
		rc = insert_parts(ix, &r);
	row_free(&r);
	return rc;
}

int index__put_file(case_index *ix, const char *path, const char *text, size_t len)
{
	cd_buf why = CD_BUF_INIT;
	const char *problem;
	cJSON *j;
	int rc;

	if (index__drop_file(ix, path) < 0)
		return -1;
	if (!(j = cd_json_parse(text, len, path)))
		problem = cd_err_msg() + strlen(path) + 2; /* drop "path: " */
	else if (!(problem = case_file_problem(j, path, &why)) && case_id(j)[0] != 'c')
		problem = "not a case (its id does not start with c-)";
	if (cd_buf_failed(&why)) /* out of memory: never recorded as the file's fault */
		rc = -1;
	else
		rc = problem ? index__put_error(ix, path, problem) : put_case(ix, path, j);
	cJSON_Delete(j);
	cd_buf_clear(&why);
	return rc;
}
