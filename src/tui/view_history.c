/* view_history.c — the commits, newest first; Enter shows one. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"

#define AUTHOR_W 16

struct history {
	store_commit_info *log;
	size_t n;
	char **line; /* "id date author subject", sanitised */
	tui_list list;
	int rows;
};

static void format_day(int64_t t, int offset_min, char out[16])
{
	time_t local = (time_t)(t + (int64_t)offset_min * 60);
	struct tm tm;

	gmtime_r(&local, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static char *row_text(const store_commit_info *ci)
{
	char *author = cd_sanitize_dup(ci->author_name, CD_SAN_ONE_LINE);
	char *subject = cd_sanitize_dup(ci->subject, CD_SAN_ONE_LINE);
	cd_buf b = CD_BUF_INIT;
	char day[16];
	int aw;
	size_t fit;

	if (!author || !subject) {
		free(author);
		free(subject);
		return NULL;
	}
	format_day(ci->time, ci->offset, day);
	fit = tui_fit(author, strlen(author), AUTHOR_W, 0, &aw);
	cd_buf_printf(&b, "%.7s %s %.*s%*s %s", ci->id, day, (int)fit, author,
		      AUTHOR_W - aw, "", subject);
	if (ci->ntrailers)
		cd_buf_printf(&b, "  [%zu trailer%s]", ci->ntrailers, ci->ntrailers == 1 ? "" : "s");
	free(author);
	free(subject);
	return cd_buf_detach(&b);
}

static void unload(struct history *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->line[i]);
	free(h->line);
	store_log_free(h->log, h->n);
	h->log = NULL;
	h->line = NULL;
	h->n = h->list.n = 0;
}

static int load(tui_app *app, struct history *h)
{
	if (store_log(tui_store(app), NULL, NULL, 0, &h->log, &h->n) < 0)
		return -1;
	if (!(h->line = calloc(h->n ? h->n : 1, sizeof *h->line)))
		goto oom;
	for (size_t i = 0; i < h->n; i++)
		if (!(h->line[i] = row_text(&h->log[i])))
			goto oom;
	h->list.n = h->n;
	return 0;
oom:
	cd_err_set("out of memory reading the history");
	return -1;
}

static int history_open(tui_app *app, tui_view *v, const char *arg)
{
	struct history *h = calloc(1, sizeof *h);

	if (!h || load(app, h) < 0) {
		if (h)
			unload(h);
		else
			cd_err_set("out of memory");
		free(h);
		return -1;
	}
	v->priv = h;
	return 0;
}

static void history_close(tui_view *v)
{
	unload(v->priv);
	free(v->priv);
}

static void history_draw(tui_app *app, tui_view *v, tui_rect r)
{
	struct history *h = v->priv;

	h->rows = r.h;
	tui_list_fit(&h->list, r.h);
	if (!h->n)
		tui_puts(r.y, r.x, "No commits yet.", r.w);
	for (int y = 0; y < r.h && h->list.top + (size_t)y < h->n; y++) {
		size_t i = h->list.top + (size_t)y;
		const char *s = h->line[i];

		if (i == h->list.sel) {
			attrset(tui_style(ST_SELECT));
			tui_fill(r.y + y, r.x, r.w);
			tui_puts(r.y + y, r.x, s, r.w);
		} else {
			attrset(tui_style(ST_META));
			tui_put(r.y + y, r.x, s, 7, r.w);
			attrset(A_NORMAL);
			tui_puts(r.y + y, r.x + 7, s + 7, r.w - 7);
		}
		attrset(A_NORMAL);
	}
}

static int history_action(tui_app *app, tui_view *v, enum tui_action a)
{
	struct history *h = v->priv;

	if (a == ACT_OPEN) {
		if (h->n)
			tui_push(app, &tui_view_commit, h->log[h->list.sel].id);
		return 1;
	}
	return tui_list_action(&h->list, a, h->rows);
}

/* Matches the id, subject, author or any trailer. */
static int matches(const store_commit_info *ci, const char *line, const char *needle)
{
	if (tui_strcasestr(line, strlen(line), needle) ||
	    tui_strcasestr(ci->id, strlen(ci->id), needle) ||
	    tui_strcasestr(ci->message, strlen(ci->message), needle))
		return 1;
	return 0;
}

static int history_search(tui_app *app, tui_view *v, const char *needle, int dir)
{
	struct history *h = v->priv;

	for (size_t k = 1; k <= h->n; k++) {
		size_t i = dir > 0 ? (h->list.sel + k) % h->n : (h->list.sel + h->n - k) % h->n;
		if (matches(&h->log[i], h->line[i], needle)) {
			h->list.sel = i;
			return 0;
		}
	}
	return -1;
}

static int history_refresh(tui_app *app, tui_view *v)
{
	struct history *h = v->priv, fresh = { 0 };

	if (load(app, &fresh) < 0) {
		unload(&fresh);
		return -1;
	}
	unload(h);
	*h = fresh;
	return 0;
}

static void history_position(tui_view *v, char *buf, size_t n)
{
	struct history *h = v->priv;

	if (h->n)
		snprintf(buf, n, "%zu/%zu", h->list.sel + 1, h->n);
}

const struct tui_view_ops tui_view_history = {
	.name = "History",
	.kind = TV_HISTORY,
	.open = history_open,
	.close = history_close,
	.draw = history_draw,
	.action = history_action,
	.search = history_search,
	.reload = history_refresh,
	.position = history_position,
};
