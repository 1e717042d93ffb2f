/* view_commit.c — one commit: its message, its provenance (the trailers),
 * the files it changed and the word-level redline of the charter, as
 * `codicil review` shows an amendment. */
#include "app.h"
#include "tui_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/history.h"
#include "codicil/redline.h"

#define CONTEXT_LINES 3 /* around each change, as review shows them */

struct commit {
	tui_rich text;
	char id[41];
};

static void format_date(int64_t t, int offset_min, char out[40])
{
	time_t local = (time_t)(t + (int64_t)offset_min * 60);
	int off = abs(offset_min);
	struct tm tm;
	size_t n;

	gmtime_r(&local, &tm);
	n = strftime(out, 40, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(out + n, 40 - n, " %c%02d%02d", offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

/* The message without its trailer paragraph, which is shown apart. */
static size_t message_len(const store_commit_info *ci)
{
	size_t len = strlen(ci->message);
	const char *para;

	while (len && strchr(" \t\r\n", ci->message[len - 1]))
		len--;
	if (!ci->ntrailers)
		return len;
	for (para = ci->message + len; para > ci->message; para--)
		if (para - ci->message >= 2 && para[-1] == '\n' && para[-2] == '\n')
			break;
	if (para == ci->message)
		return len;
	len = (size_t)(para - ci->message);
	while (len && strchr(" \t\r\n", ci->message[len - 1]))
		len--;
	return len;
}

/* One line in one style. */
__attribute__((format(printf, 3, 4)))
static void line(tui_rich *t, int style, const char *fmt, ...)
{
	cd_buf text = CD_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	if (cd_buf_vprintf(&text, fmt, ap) == 0)
		tui_rich_add(t, cd_buf_cstr(&text), text.len, style);
	va_end(ap);
	tui_rich_end(t, 0);
	cd_buf_clear(&text);
}

static void add_header(tui_rich *t, const store_commit_info *ci)
{
	char date[40];
	size_t len = message_len(ci), start = 0;

	format_date(ci->time, ci->offset, date);
	line(t, ST_META, "commit %s", ci->id);
	line(t, ST_NORMAL, "Author: %s <%s>", ci->author_name, ci->author_email);
	line(t, ST_NORMAL, "Date:   %s", date);
	tui_rich_end(t, 0);
	while (start <= len) {
		size_t end = start;
		while (end < len && ci->message[end] != '\n')
			end++;
		line(t, start == 0 ? ST_TITLE : ST_NORMAL, "    %.*s", (int)(end - start),
		     ci->message + start);
		start = end + 1;
	}
	tui_rich_end(t, 0);
}

static void add_provenance(tui_rich *t, const store_commit_info *ci)
{
	if (!ci->ntrailers) {
		line(t, ST_DIM, "Provenance: none recorded (a plain git commit)");
	} else {
		line(t, ST_TITLE, "Provenance:");
		for (size_t i = 0; i < ci->ntrailers; i++)
			line(t, ST_META, "    %s: %s", ci->trailers[i].key, ci->trailers[i].value);
	}
	tui_rich_end(t, 0);
}

static void add_changes(tui_rich *t, const history_diff *d, const char *charter_path)
{
	redline rl;

	line(t, ST_TITLE, "Files changed: %zu", d->nfiles);
	for (size_t i = 0; i < d->nfiles; i++)
		line(t, ST_NORMAL, "    %c %s", d->files[i].status, d->files[i].path);
	tui_rich_end(t, 0);
	if (!d->charter_changed) {
		line(t, ST_DIM, "%s is unchanged in this commit.", charter_path);
		return;
	}
	if (redline_compute(d->charter_before.data, d->charter_before.len, d->charter_after.data,
			    d->charter_after.len, &rl) < 0) {
		line(t, ST_ERROR, "cannot compare the two texts of %s: %s", charter_path,
		     cd_err_msg());
		return;
	}
	line(t, ST_TITLE, "Change to %s (%zu word%s deleted, %zu inserted):", charter_path,
	     rl.deleted_words, rl.deleted_words == 1 ? "" : "s", rl.inserted_words);
	tui_rich_end(t, 0);
	tui_rich_redline(t, &rl, CONTEXT_LINES);
	redline_clear(&rl);
}

static int commit_open(tui_app *app, tui_view *v, const char *arg)
{
	struct commit *c = calloc(1, sizeof *c);
	store_commit_info *ci = NULL;
	history_diff d;
	size_t n = 0;

	if (!c) {
		cd_err_set("out of memory");
		return -1;
	}
	if (store_log(tui_store(app), arg, NULL, 1, &ci, &n) < 0 || n != 1 ||
	    history_commit_diff(tui_store(app), arg, tui_charter_path(app), &d) < 0) {
		if (n != 1 && ci == NULL)
			cd_err_prefix("commit %s", arg);
		store_log_free(ci, n);
		free(c);
		return -1;
	}
	snprintf(c->id, sizeof c->id, "%s", ci->id);
	add_header(&c->text, ci);
	add_provenance(&c->text, ci);
	add_changes(&c->text, &d, tui_charter_path(app));
	history_diff_clear(&d);
	store_log_free(ci, n);
	v->priv = c;
	return 0;
}

static void commit_close(tui_view *v)
{
	struct commit *c = v->priv;

	tui_rich_clear(&c->text);
	free(c);
}

static void commit_draw(tui_app *app, tui_view *v, tui_rect r)
{
	tui_rich_draw(&((struct commit *)v->priv)->text, r);
}

static int commit_action(tui_app *app, tui_view *v, enum tui_action a)
{
	return tui_rich_action(&((struct commit *)v->priv)->text, a);
}

static int commit_search(tui_app *app, tui_view *v, const char *needle, int dir)
{
	return tui_rich_search(&((struct commit *)v->priv)->text, needle, dir);
}

static void commit_position(tui_view *v, char *buf, size_t n)
{
	snprintf(buf, n, "%.10s", ((struct commit *)v->priv)->id);
}

const struct tui_view_ops tui_view_commit = {
	.name = "Commit",
	.kind = TV_COMMIT,
	.open = commit_open,
	.close = commit_close,
	.draw = commit_draw,
	.action = commit_action,
	.search = commit_search,
	.position = commit_position,
};
