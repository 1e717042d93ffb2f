/* cases_rows.c — the Cases view's rows: the library's, counted, searched
 * and read through the case index with only a window of them in memory
 * (so a library of a million cases opens as fast as one of ten), then the
 * cases a running generation brings, in memory until they are committed. */
#include "cases.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

static case_query query(const struct cases *cs)
{
	case_query q = {
		.f.status = cs->status >= 0 ? case_status_name(cs->status) : NULL,
		.f.kind = cs->kind >= 0 ? case_kind_name(cs->kind) : NULL,
		.f.principle = cs->principle,
		.min_severity = cs->min_severity,
	};
	return q;
}

static void window_clear(struct cases *cs)
{
	for (size_t i = 0; i < cs->win_n; i++)
		cJSON_Delete(cs->win[i]);
	cs->win_n = 0;
}

void cases_rows_close(struct cases *cs)
{
	window_clear(cs);
	case_index_close(cs->ix);
	cs->ix = NULL;
	free(cs->pend);
	cs->pend = NULL;
	cs->npend = 0;
}

static int first_error(const char *path, const char *problem, void *arg)
{
	cd_buf *b = arg;
	if (!b->len)
		cd_buf_printf(b, "%s: %s", path, problem);
	return 0;
}

static int count_error(const char *path, const char *problem, void *arg)
{
	++*(size_t *)arg;
	return 0;
}

int cases_rows_open(tui_app *app, struct cases *cs)
{
	case_query all = { 0 };
	cd_buf first = CD_BUF_INIT;
	size_t nerrors = 0;
	long total;

	window_clear(cs);
	case_index_close(cs->ix);
	cs->ix = NULL;
	if (case_index_open(tui_store(app), &cs->ix, NULL) < 0 ||
	    (total = case_index_count(cs->ix, &all)) < 0)
		return -1;
	cs->total = (size_t)total;
	case_index_each_error(cs->ix, count_error, &nerrors);
	if (nerrors && nerrors != cs->errors_shown) { /* once, not at every reload */
		case_index_each_error(cs->ix, first_error, &first);
		tui_error(app, "%s (%zu file%s in cases/ skipped)", cd_buf_cstr(&first), nerrors,
			  nerrors == 1 ? "" : "s");
	}
	cs->errors_shown = nerrors;
	cd_buf_clear(&first);
	return 0;
}

static int passes(const struct cases *cs, const cJSON *c)
{
	case_query q = query(cs);

	if (cs->min_severity && cd_json_num(c, "severity", 0) < cs->min_severity)
		return 0;
	return case_matches(c, &q.f);
}

int cases_rows_filter(tui_app *app, struct cases *cs)
{
	case_query q = query(cs);
	cJSON *const *pending;
	size_t n = tui_gen_cases(app, &pending);
	long nlib = cs->ix ? case_index_count(cs->ix, &q) : 0;
	cJSON **pend = calloc(n ? n : 1, sizeof *pend);

	if (nlib < 0 || !pend) {
		free(pend);
		if (!pend)
			cd_err_set("out of memory");
		return -1;
	}
	window_clear(cs);
	cs->nlib = (size_t)nlib;
	free(cs->pend);
	cs->pend = pend;
	cs->npend = 0;
	for (size_t i = 0; i < n; i++)
		if (passes(cs, pending[i]))
			pend[cs->npend++] = pending[i];
	cs->npending_all = n;
	cs->lv->list.n = cs->nlib + cs->npend;
	return 0;
}

/* ---- the window ---- */

typedef struct loading {
	struct cases *cs;
	store *s;
} loading;

/* The case as its file has it; a file that changed under the index (or
 * went) still shows as a row with its id. */
static int load_row(const case_row *r, void *arg)
{
	loading *l = arg;
	cJSON *c = case_index_read_row(l->s, r);

	cd_err_clear();
	if (!c || !case_id(c)) {
		cJSON_Delete(c);
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "id", r->id);
		cJSON_AddStringToObject(c, "status", r->status);
	}
	l->cs->win[l->cs->win_n++] = c;
	return 0;
}

static int window_load(tui_app *app, struct cases *cs, size_t i)
{
	case_query q = query(cs);
	loading l = { cs, tui_store(app) };

	window_clear(cs);
	cs->win_start = i > CASES_WINDOW / 4 ? i - CASES_WINDOW / 4 : 0;
	q.limit = CASES_WINDOW;
	q.offset = cs->win_start;
	return case_index_each(cs->ix, &q, load_row, &l);
}

const cJSON *cases_row(tui_app *app, struct cases *cs, size_t i)
{
	if (i >= cs->lv->list.n)
		return NULL;
	if (i >= cs->nlib)
		return cs->pend[i - cs->nlib];
	if (i < cs->win_start || i >= cs->win_start + cs->win_n) {
		if (window_load(app, cs, i) < 0 || i >= cs->win_start + cs->win_n) {
			tui_error(app, "%s", cd_err_msg());
			return NULL;
		}
	}
	return cs->win[i - cs->win_start];
}

long cases_rows_position(struct cases *cs, const char *id)
{
	case_query q = query(cs);
	long pos;

	for (size_t i = 0; i < cs->npend; i++)
		if (case_id(cs->pend[i]) && !strcmp(case_id(cs->pend[i]), id))
			return (long)(cs->nlib + i);
	if (!cs->ix)
		return -1;
	q.id_below = id; /* its position: how many come before it */
	if ((pos = case_index_count(cs->ix, &q)) < 0 || (size_t)pos >= cs->nlib)
		return -1;
	return pos; /* the caller checks that the row there is id */
}

/* ---- search ---- */

typedef struct found {
	char id[64];
} found;

static int take_id(const case_row *r, void *arg)
{
	snprintf(((found *)arg)->id, sizeof ((found *)arg)->id, "%s", r->id);
	return 1;
}

/* The next library row after (dir > 0) or before the case id whose text
 * has the needle's words (case_index grep), wrapping around. */
static long search_library(struct cases *cs, const char *needle, const char *id, int dir)
{
	case_query q = query(cs);
	found f = { "" };

	q.grep = needle;
	q.limit = 1;
	q.newest_first = dir < 0;
	if (id) {
		if (dir > 0)
			q.id_above = id;
		else
			q.id_below = id;
		if (case_index_each(cs->ix, &q, take_id, &f) < 0)
			return -1;
		q.id_above = q.id_below = NULL;
	}
	if (!*f.id && case_index_each(cs->ix, &q, take_id, &f) < 0)
		return -1;
	return *f.id ? cases_rows_position(cs, f.id) : -1;
}

/* The next arriving case (after row from, in dir) that matches. */
static long search_pending(struct cases *cs, const char *needle, size_t from, int dir,
			   int (*matches)(const cJSON *c, const char *needle))
{
	for (size_t k = 1; k <= cs->npend; k++) {
		size_t j = (from + (dir > 0 ? k : cs->npend - k)) % cs->npend;
		if (matches(cs->pend[j], needle))
			return (long)(cs->nlib + j);
	}
	return -1;
}

long cases_rows_search(tui_app *app, struct cases *cs, const char *needle, int dir,
		       int (*pending_matches)(const cJSON *c, const char *needle))
{
	size_t sel = cs->lv->list.sel;
	const cJSON *c = cases_row(app, cs, sel);
	long at = -1;

	if (sel >= cs->nlib) /* among the arriving cases: look there first */
		at = search_pending(cs, needle, sel - cs->nlib, dir, pending_matches);
	if (at < 0 && cs->nlib)
		at = search_library(cs, needle, sel < cs->nlib && c ? case_id(c) : NULL, dir);
	if (at < 0 && sel < cs->nlib && cs->npend)
		at = search_pending(cs, needle, cs->npend - 1, 1, pending_matches);
	return at;
}
