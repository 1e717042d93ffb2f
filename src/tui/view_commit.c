/* view_commit.c — one commit: its message, its provenance (the trailers),
 * the files it changed and the diff of the charter. */
#include "app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/history.h"

struct commit {
	tui_pager text;
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

static void add_header(tui_pager *t, const store_commit_info *ci)
{
	char date[40];
	size_t len = message_len(ci), start = 0;
	cd_buf line = CD_BUF_INIT;

	format_date(ci->time, ci->offset, date);
	tui_pager_addf(t, ST_META, "commit %s", ci->id);
	cd_buf_printf(&line, "Author: %s <%s>", ci->author_name, ci->author_email);
	tui_pager_add(t, line.data, line.len, ST_NORMAL);
	tui_pager_addf(t, ST_NORMAL, "Date:   %s", date);
	tui_pager_add(t, "", 0, ST_NORMAL);
	while (start <= len) {
		size_t end = start;
		while (end < len && ci->message[end] != '\n')
			end++;
		cd_buf_reset(&line);
		cd_buf_puts(&line, "    ");
		cd_buf_append(&line, ci->message + start, end - start);
		tui_pager_add(t, line.data, line.len, start == 0 ? ST_TITLE : ST_NORMAL);
		start = end + 1;
	}
	tui_pager_add(t, "", 0, ST_NORMAL);
	cd_buf_free(&line);
}

static void add_provenance(tui_pager *t, const store_commit_info *ci)
{
	if (!ci->ntrailers) {
		tui_pager_add(t, "Provenance: none recorded (a plain git commit)", 46, ST_DIM);
	} else {
		tui_pager_add(t, "Provenance:", 11, ST_TITLE);
		for (size_t i = 0; i < ci->ntrailers; i++)
			tui_pager_addf(t, ST_META, "    %s: %s", ci->trailers[i].key,
				       ci->trailers[i].value);
	}
	tui_pager_add(t, "", 0, ST_NORMAL);
}

static int diff_style(const char *line, size_t len)
{
	if (len >= 2 && !strncmp(line, "@@", 2))
		return ST_HUNK;
	if ((len >= 3 && (!strncmp(line, "+++", 3) || !strncmp(line, "---", 3))) ||
	    (len >= 4 && !strncmp(line, "diff", 4)))
		return ST_TITLE;
	if (len && line[0] == '+')
		return ST_ADD;
	if (len && line[0] == '-')
		return ST_DEL;
	return ST_NORMAL;
}

static void add_changes(tui_pager *t, const history_diff *d, const char *charter_path)
{
	const char *s = d->charter_diff.data, *end = s + d->charter_diff.len;

	tui_pager_addf(t, ST_TITLE, "Files changed: %zu", d->nfiles);
	for (size_t i = 0; i < d->nfiles; i++)
		tui_pager_addf(t, ST_NORMAL, "    %c %s", d->files[i].status, d->files[i].path);
	tui_pager_add(t, "", 0, ST_NORMAL);
	if (!d->charter_diff.len) {
		cd_buf line = CD_BUF_INIT;
		cd_buf_printf(&line, "%s is unchanged in this commit.", charter_path);
		tui_pager_add(t, line.data, line.len, ST_DIM);
		cd_buf_free(&line);
	}
	while (s && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		tui_pager_add(t, s, len, diff_style(s, len));
		s += len + 1;
	}
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
	history_diff_free(&d);
	store_log_free(ci, n);
	v->priv = c;
	return 0;
}

static void commit_close(tui_view *v)
{
	struct commit *c = v->priv;

	tui_pager_clear(&c->text);
	free(c);
}

static void commit_draw(tui_app *app, tui_view *v, tui_rect r)
{
	tui_pager_draw(&((struct commit *)v->priv)->text, r);
}

static int commit_action(tui_app *app, tui_view *v, enum tui_action a)
{
	return tui_pager_action(&((struct commit *)v->priv)->text, a);
}

static int commit_search(tui_app *app, tui_view *v, const char *needle, int dir)
{
	return tui_pager_search(&((struct commit *)v->priv)->text, needle, dir);
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
