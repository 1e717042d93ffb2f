/* app.c — the view stack, the status and message lines, and the services
 * views call (messages, external programs, the LLM job slot). */
#include "core.h"
#include "tui_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

static const struct tui_view_ops *const base_ops[TUI_BASE_VIEWS] = {
	&tui_view_principles, &tui_view_cases, &tui_view_proposals, &tui_view_history,
	&tui_view_theories,
};

store *tui_store(tui_app *app) { return app->s; }
config *tui_config(tui_app *app) { return app->cfg; }
const char *tui_charter_path(tui_app *app) { return workspace_charter_path(app->cfg); }

static void vmessage(tui_app *app, int error, const char *fmt, va_list ap)
{
	char raw[sizeof app->msg];
	cd_buf clean = CD_BUF_INIT;

	vsnprintf(raw, sizeof raw, fmt, ap);
	/* errors may quote file content */
	cd_sanitize(raw, strlen(raw), CD_SAN_ONE_LINE, &clean);
	snprintf(app->msg, sizeof app->msg, "%s", cd_buf_cstr(&clean));
	cd_buf_clear(&clean);
	app->msg_error = error;
	app->dirty = 1;
}

void tui_message(tui_app *app, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(app, 0, fmt, ap);
	va_end(ap);
}

void tui_error(tui_app *app, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(app, 1, fmt, ap);
	va_end(ap);
}

void tui_redraw(tui_app *app)
{
	app->dirty = 1;
}

void *tui_state(tui_app *app, const tui_feature *f)
{
	for (size_t i = 0; i < app->nslots; i++)
		if (app->slots[i].f == f)
			return app->slots[i].state;
	return NULL;
}

int tui_set_state(tui_app *app, const tui_feature *f, void *state)
{
	for (size_t i = 0; i < app->nslots; i++)
		if (app->slots[i].f == f) {
			app->slots[i].state = state;
			return 0;
		}
	if (app->nslots == TUI_SLOTS_MAX) {
		tui_error(app, "internal: no room for the state of %s", f->name);
		return -1;
	}
	app->slots[app->nslots++] = (struct tui_slot){ f, state };
	return 0;
}

/* After the views have closed. */
void tui_end_states(tui_app *app)
{
	while (app->nslots) {
		struct tui_slot *sl = &app->slots[--app->nslots];
		if (sl->state && sl->f->end)
			sl->f->end(sl->state);
	}
}

unsigned tui_cases_serial(tui_app *app, int on_disk)
{
	return on_disk ? app->commits : app->changes;
}

void tui_cases_changed(tui_app *app, int on_disk)
{
	app->changes++;
	if (on_disk)
		app->commits++;
	app->dirty = 1;
}

void tui_repo_changed(tui_app *app)
{
	tui_view *done[TUI_BASE_VIEWS + TUI_STACK_MAX];
	size_t ndone = 0;

	for (int i = 0; i < TUI_BASE_VIEWS + app->depth; i++) {
		tui_view *v = i < TUI_BASE_VIEWS ? app->base[i] : app->stack[i - TUI_BASE_VIEWS];
		int seen = 0;

		for (size_t k = 0; k < ndone; k++)
			seen |= done[k] == v;
		if (!v || seen || !v->ops->reload)
			continue;
		done[ndone++] = v;
		if (v->ops->reload(app, v) < 0)
			tui_error(app, "%s: %s", v->ops->name, cd_err_msg());
	}
	tui_cases_changed(app, 1);
}

void tui_set_jobs(tui_app *app, unsigned running, long tokens)
{
	app->jobs = running;
	app->tokens = tokens;
	app->dirty = 1;
}

void tui_set_wait(tui_app *app, tui_wait_fn fn, void *ud)
{
	app->wait = fn;
	app->wait_ud = ud;
}

void tui_set_cancel(tui_app *app, void (*fn)(void *ud), void *ud)
{
	app->cancel = fn;
	app->cancel_ud = ud;
}

void tui_action_keys(tui_app *app, enum tui_action a, char *buf, size_t n)
{
	tui_keymap_keys(&app->km, a, buf, n);
}

int tui_external(tui_app *app, int (*fn)(void *ud), void *ud)
{
	int rc, pending = tui_term_stop_signal();

	def_prog_mode();
	endwin();
	rc = fn(ud);
	/* C-c typed in the editor reached us too; it was meant for the editor */
	if (!pending && tui_term_stop_signal() == SIGINT)
		tui_term_clear_stop();
	reset_prog_mode();
	clearok(curscr, TRUE);
	app->dirty = 1;
	return rc;
}

static tui_view *view_open(tui_app *app, const struct tui_view_ops *ops, const char *arg)
{
	tui_view *v = calloc(1, sizeof *v);

	if (!v) {
		tui_error(app, "out of memory");
		return NULL;
	}
	v->ops = ops;
	if (ops->open(app, v, arg) < 0) {
		tui_error(app, "%s", cd_err_msg());
		free(v);
		return NULL;
	}
	return v;
}

static void view_close(tui_view *v)
{
	if (v && v->ops->close)
		v->ops->close(v);
	free(v);
}

int tui_push(tui_app *app, const struct tui_view_ops *ops, const char *arg)
{
	tui_view *v;

	if (app->depth >= TUI_STACK_MAX) {
		tui_error(app, "too many views open; press q to go back");
		return -1;
	}
	if (!(v = view_open(app, ops, arg)))
		return -1;
	app->stack[app->depth++] = v;
	return 0;
}

void tui_pop(tui_app *app)
{
	if (app->depth > 1)
		view_close(app->stack[--app->depth]);
}

/* The base view on show, or -1. */
static int current_base(tui_app *app)
{
	for (int i = 0; i < TUI_BASE_VIEWS; i++)
		if (app->depth && app->base[i] && app->stack[0] == app->base[i])
			return i;
	return -1;
}

int tui_switch_base(tui_app *app, int i)
{
	int from = current_base(app);

	if (!app->base[i] && !(app->base[i] = view_open(app, base_ops[i], NULL)))
		return -1;
	/* q goes back to where the user came from, as in tig */
	if (from >= 0 && from != i) {
		if (app->ncame_from == TUI_STACK_MAX) {
			memmove(app->came_from, app->came_from + 1,
				(TUI_STACK_MAX - 1) * sizeof *app->came_from);
			app->ncame_from--;
		}
		app->came_from[app->ncame_from++] = from;
	}
	while (app->depth > 1)
		tui_pop(app);
	app->stack[0] = app->base[i];
	app->depth = 1;
	return 0;
}

int tui_back(tui_app *app)
{
	int to, keep;

	if (app->depth > 1) {
		tui_pop(app);
		return 1;
	}
	if (!app->ncame_from)
		return 0;
	to = app->came_from[--app->ncame_from];
	keep = app->ncame_from;
	if (tui_switch_base(app, to) < 0)
		return 0;
	app->ncame_from = keep; /* going back is not a new step */
	return 1;
}

tui_view *tui_top(tui_app *app)
{
	return app->stack[app->depth - 1];
}

/* ---- drawing ---- */

/* The right end of the status line: running jobs, the replay tag, the
 * position; what does not fit in half the line is left out, the tag
 * first. */
static void status_right(tui_app *app, const char *pos, char *out, size_t n)
{
	static const char *const ascii = "|/-\\";
	static const char *const braille[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };
	char jobs[96] = "", spin[8];

	if (app->jobs) {
		if (MB_CUR_MAX > 1)
			snprintf(spin, sizeof spin, "%s", braille[app->spin % 10]);
		else
			snprintf(spin, sizeof spin, "%c", ascii[app->spin % 4]);
		snprintf(jobs, sizeof jobs, "%s %u job%s, %ld tokens  ", spin, app->jobs,
			 app->jobs == 1 ? "" : "s", app->tokens);
	}
	tui_loop_status(app);
	snprintf(out, n, "%s%s%s%s%s%s ", jobs, app->loop, *app->loop ? "  " : "",
		 app->tag ? app->tag : "", app->tag ? "  " : "", pos);
	if (tui_width(out, strlen(out)) > COLS / 2)
		snprintf(out, n, "%s%s%s%s ", jobs, app->loop, *app->loop ? "  " : "", pos);
	if (tui_width(out, strlen(out)) > COLS / 2)
		snprintf(out, n, "%s%s ", jobs, pos);
}

static void draw_status(tui_app *app)
{
	char left[256], right[192], pos[48] = "";
	tui_view *v = tui_top(app);
	int rw;

	if (v->ops->position)
		v->ops->position(v, pos, sizeof pos);
	status_right(app, pos, right, sizeof right);
	if (COLS >= 40)
		snprintf(left, sizeof left, " codicil: %s - %s", app->repo_name, v->ops->name);
	else
		snprintf(left, sizeof left, " %s", v->ops->name);
	attrset(tui_style(ST_STATUS));
	tui_fill(0, 0, COLS);
	rw = tui_width(right, strlen(right));
	if (rw > COLS / 2)
		rw = 0; /* too narrow for both: the name of the view wins */
	tui_puts(0, 0, left, COLS - rw - 1);
	if (rw)
		tui_puts(0, COLS - rw, right, rw);
	attrset(A_NORMAL);
}

/* A long message (an error naming a path) wraps onto up to three lines. */
static int message_rows(tui_app *app)
{
	const char *m = app->msg;
	size_t left = strlen(m);
	int rows = 0;

	if (app->prompting || tui_asking(app) || !left || COLS < 1)
		return 1;
	while (left && rows < 3 && rows < LINES - 2) {
		size_t take = tui_fit(m, left, COLS, 1, NULL);
		if (!take)
			break;
		m += take, left -= take;
		while (left && *m == ' ')
			m++, left--;
		rows++;
	}
	return rows > 1 ? rows : 1;
}

/* One "KEY name" for the line of hints: the action's first key. */
static int hint(tui_app *app, enum tui_action a, const char *name, char *buf, size_t n)
{
	char keys[64];

	tui_action_keys(app, a, keys, sizeof keys);
	keys[strcspn(keys, " ")] = '\0';
	if (!keys[0])
		return 0;
	snprintf(buf, n, "%s %s  ", keys, name);
	return 1;
}

/* The keys of the current view (its own actions, as many as fit), then
 * help and back, which always show. */
static void draw_hints(tui_app *app, int y)
{
	unsigned kind = tui_top(app)->ops->kind;
	char item[96], tail[192] = "", back[96];
	cd_buf line = CD_BUF_INIT;

	if (hint(app, ACT_HELP, "help", item, sizeof item))
		snprintf(tail, sizeof tail, "%s", item);
	if (hint(app, ACT_BACK, app->depth > 1 || app->ncame_from ? "back" : "quit", back,
		 sizeof back))
		snprintf(tail + strlen(tail), sizeof tail - strlen(tail), "%s", back);
	for (int a = 0; a < ACT_COUNT; a++) {
		if (tui_actions[a].views == TV_ALL || !(tui_actions[a].views & kind) ||
		    !hint(app, (enum tui_action)a, tui_actions[a].name, item, sizeof item))
			continue;
		if (tui_width(line.data ? line.data : "", line.len) + tui_width(item, strlen(item)) +
		    tui_width(tail, strlen(tail)) > COLS)
			break;
		cd_buf_puts(&line, item);
	}
	cd_buf_puts(&line, tail);
	while (line.len && line.data[line.len - 1] == ' ')
		line.data[--line.len] = '\0';
	attrset(tui_style(ST_DIM));
	tui_puts(y, 0, cd_buf_cstr(&line), COLS);
	attrset(A_NORMAL);
	cd_buf_clear(&line);
}

static void draw_message(tui_app *app)
{
	int y = LINES - 1;
	char job[320];

	if (y < 1)
		return;
	if (tui_asking(app)) {
		tui_ask_draw(app, y);
		return;
	}
	if (app->prompting) {
		tui_puts(y, 0, "/", COLS);
		tui_put(y, 1, app->prompt, app->plen, COLS - 2);
		return;
	}
	if (app->msg[0]) {
		const char *m = app->msg;
		size_t left = strlen(m);

		attrset(tui_style(app->msg_error ? ST_ERROR : ST_NORMAL));
		for (y = LINES - message_rows(app); y < LINES && left; y++) {
			size_t take = tui_fit(m, left, COLS, 1, NULL);
			if (!take)
				break;
			tui_put(y, 0, m, take, COLS);
			m += take, left -= take;
			while (left && *m == ' ')
				m++, left--;
		}
		attrset(A_NORMAL);
		return;
	}
	if (tui_job_status(app, COLS, job, sizeof job)) {
		attrset(tui_style(ST_DIM));
		tui_puts(y, 0, job, COLS);
		attrset(A_NORMAL);
		return;
	}
	if (app->hints)
		draw_hints(app, y);

}

void tui_draw(tui_app *app)
{
	tui_rect body = { 1, 0, LINES - 1 - message_rows(app), COLS };

	erase();
	if (body.h > 0 && body.w > 0)
		tui_top(app)->ops->draw(app, tui_top(app), body);
	attrset(A_NORMAL);
	if (LINES > 0)
		draw_status(app);
	draw_message(app);
	if (app->prompting && LINES > 1) {
		curs_set(1);
		move(LINES - 1, 1 + tui_width(app->prompt, app->plen));
	} else if (tui_asking(app) && LINES > 1) {
		curs_set(1);
		move(LINES - 1, tui_ask_draw(app, LINES - 1));
	} else {
		curs_set(0);
	}
	refresh();
}

void tui_close_all(tui_app *app)
{
	while (app->depth > 1)
		tui_pop(app);
	for (int i = 0; i < TUI_BASE_VIEWS; i++)
		view_close(app->base[i]);
	app->depth = 0;
}
