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

static void history_unload(void *data)
{
	struct history *h = data;

	for (size_t i = 0; h->line && i < h->n; i++)
		free(h->line[i]);
	free(h->line);
	store_log_free(h->log, h->n);
}

static long history_load(tui_app *app, tui_listview *lv, void *data, const char *arg)
{
	struct history *h = data;

	if (store_log(tui_store(app), NULL, NULL, 0, &h->log, &h->n) < 0)
		return -1;
	if (!(h->line = calloc(h->n ? h->n : 1, sizeof *h->line)))
		goto oom;
	for (size_t i = 0; i < h->n; i++)
		if (!(h->line[i] = row_text(&h->log[i])))
			goto oom;
	return (long)h->n;
oom:
	cd_err_set("out of memory reading the history");
	return -1;
}

static const char *history_row_id(tui_listview *lv, size_t row)
{
	return ((struct history *)lv->data)->log[row].id;
}

static void history_draw_row(tui_app *app, tui_listview *lv, size_t row, tui_rect r, int sel)
{
	const char *s = ((struct history *)lv->data)->line[row];

	if (sel) {
		tui_puts(r.y, r.x, s, r.w);
		return;
	}
	attrset(tui_style(ST_META));
	tui_put(r.y, r.x, s, 7, r.w);
	attrset(A_NORMAL);
	tui_puts(r.y, r.x + 7, s + 7, r.w - 7);
}

static void history_empty(tui_app *app, tui_listview *lv, tui_rect r)
{
	tui_puts(r.y, r.x, "No commits yet.", r.w);
}

static int history_action(tui_app *app, tui_listview *lv, enum tui_action a)
{
	if (a != ACT_OPEN)
		return 0;
	if (lv->list.n)
		tui_push(app, &tui_view_commit, history_row_id(lv, lv->list.sel));
	return 1;
}

/* Matches the id, subject, author or any trailer. */
static int history_match(tui_listview *lv, size_t row, const char *needle)
{
	struct history *h = lv->data;
	const store_commit_info *ci = &h->log[row];

	return tui_strcasestr(h->line[row], strlen(h->line[row]), needle) ||
	       tui_strcasestr(ci->id, strlen(ci->id), needle) ||
	       tui_strcasestr(ci->message, strlen(ci->message), needle);
}

static const struct tui_list_ops history_ops = {
	.size = sizeof(struct history),
	.load = history_load,
	.unload = history_unload,
	.row_id = history_row_id,
	.draw_row = history_draw_row,
	.draw_empty = history_empty,
	.match = history_match,
	.action = history_action,
};

const struct tui_view_ops tui_view_history = TUI_LIST_VIEW("History", TV_HISTORY, &history_ops);
