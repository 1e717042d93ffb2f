/* app.c — the view stack, the status and message lines, key dispatch and
 * the event loop. */
#include "core.h"

#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"
#include "codicil/tui.h"
#include "codicil/workspace.h"

static const struct tui_view_ops *const base_ops[TUI_BASE_VIEWS] = {
	&tui_view_principles, &tui_view_cases, &tui_view_proposals, &tui_view_history,
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
	cd_buf_free(&clean);
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

static void pop(tui_app *app)
{
	if (app->depth > 1)
		view_close(app->stack[--app->depth]);
}

static int switch_base(tui_app *app, int i)
{
	if (!app->base[i] && !(app->base[i] = view_open(app, base_ops[i], NULL)))
		return -1;
	while (app->depth > 1)
		pop(app);
	app->stack[0] = app->base[i];
	app->depth = 1;
	return 0;
}

static tui_view *top(tui_app *app)
{
	return app->stack[app->depth - 1];
}

/* ---- drawing ---- */

static void draw_status(tui_app *app)
{
	static const char *const ascii = "|/-\\";
	static const char *const braille[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };
	char left[256], right[160] = "", pos[48] = "";
	tui_view *v = top(app);
	int rw;

	if (v->ops->position)
		v->ops->position(v, pos, sizeof pos);
	if (app->jobs) {
		char spin[8];
		if (MB_CUR_MAX > 1)
			snprintf(spin, sizeof spin, "%s", braille[app->spin % 10]);
		else
			snprintf(spin, sizeof spin, "%c", ascii[app->spin % 4]);
		snprintf(right, sizeof right, "%s %u job%s, %ld tokens  %s ", spin, app->jobs,
			 app->jobs == 1 ? "" : "s", app->tokens, pos);
	} else {
		snprintf(right, sizeof right, "%s ", pos);
	}
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

	if (app->prompting || !left || COLS < 1)
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

static void draw_message(tui_app *app)
{
	int y = LINES - 1;
	char help[64], back[64];

	if (y < 1)
		return;
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
	tui_action_keys(app, ACT_HELP, help, sizeof help);
	tui_action_keys(app, ACT_BACK, back, sizeof back);
	help[strcspn(help, " ")] = back[strcspn(back, " ")] = '\0';
	if (help[0] && back[0]) {
		char text[96];
		snprintf(text, sizeof text, "%s help  %s %s", help, back,
			 app->depth > 1 ? "back" : "quit");
		attrset(tui_style(ST_DIM));
		tui_puts(y, 0, text, COLS);
		attrset(A_NORMAL);
	}
}

void tui_draw(tui_app *app)
{
	tui_rect body = { 1, 0, LINES - 1 - message_rows(app), COLS };

	erase();
	if (body.h > 0 && body.w > 0)
		top(app)->ops->draw(app, top(app), body);
	attrset(A_NORMAL);
	if (LINES > 0)
		draw_status(app);
	draw_message(app);
	if (app->prompting && LINES > 1) {
		curs_set(1);
		move(LINES - 1, 1 + tui_width(app->prompt, app->plen));
	} else {
		curs_set(0);
	}
	refresh();
}

/* ---- keys ---- */

static void search(tui_app *app, int dir)
{
	tui_view *v = top(app);

	if (!v->ops->search)
		tui_message(app, "The %s view cannot be searched", v->ops->name);
	else if (!app->search)
		tui_message(app, "No search yet: start one with /");
	else if (v->ops->search(app, v, app->search, dir) < 0)
		tui_message(app, "Not found: %s", app->search);
	else
		tui_message(app, "/%s", app->search);
}

static void prompt_key(tui_app *app, int key)
{
	char utf8[5];

	if (key == TUI_KEY_ESC || key == 3 /* C-c */) {
		app->prompting = 0;
	} else if (key == '\n') {
		app->prompting = 0;
		if (app->plen) {
			free(app->search);
			app->search = strndup(app->prompt, app->plen);
			search(app, 1);
		}
	} else if (key == (TUI_KEY_FN | KEY_BACKSPACE)) {
		while (app->plen && (app->prompt[--app->plen] & 0xc0) == 0x80)
			;
		app->prompt[app->plen] = '\0';
	} else if (key == 21 /* C-u */) {
		app->plen = 0;
		app->prompt[0] = '\0';
	} else if (key >= 32 && key != 127 && !(key & TUI_KEY_FN)) {
		size_t n = tui_utf8_encode(key, utf8);
		if (app->plen + n < sizeof app->prompt) {
			memcpy(app->prompt + app->plen, utf8, n + 1);
			app->plen += n;
		}
	}
}

static void unavailable(tui_app *app, enum tui_action a, tui_view *v)
{
	if (tui_actions[a].views & v->ops->kind)
		tui_message(app, "%s: not available yet in this version of codicil",
			    tui_actions[a].name);
	else
		tui_message(app, "%s does nothing in the %s view", tui_actions[a].name,
			    v->ops->name);
}

static void refresh_view(tui_app *app, tui_view *v)
{
	if (!v->ops->reload)
		tui_message(app, "Nothing to reload in the %s view", v->ops->name);
	else if (v->ops->reload(app, v) < 0)
		tui_error(app, "%s", cd_err_msg());
	else
		tui_message(app, "Reloaded");
}

static void dispatch(tui_app *app, enum tui_action a)
{
	tui_view *v = top(app);

	switch (a) {
	case ACT_QUIT: app->quit = 1; return;
	case ACT_HELP:
		if (v->ops != &tui_view_help)
			tui_push(app, &tui_view_help, NULL);
		return;
	case ACT_PRINCIPLES: case ACT_CASES: case ACT_PROPOSALS: case ACT_HISTORY:
		switch_base(app, a - ACT_PRINCIPLES);
		return;
	case ACT_SEARCH:
		if (!v->ops->search) {
			tui_message(app, "The %s view cannot be searched", v->ops->name);
		} else {
			app->prompting = 1;
			app->plen = 0;
			app->prompt[0] = '\0';
		}
		return;
	case ACT_SEARCH_NEXT: search(app, 1); return;
	case ACT_SEARCH_PREV: search(app, -1); return;
	case ACT_REDRAW: clearok(curscr, TRUE); return;
	case ACT_REFRESH: refresh_view(app, v); return;
	case ACT_CANCEL:
		if (app->cancel && app->jobs) {
			app->cancel(app->cancel_ud);
			tui_message(app, "Cancelling the running jobs");
		} else {
			tui_message(app, "Nothing to cancel");
		}
		return;
	default: break;
	}
	if (v->ops->action && v->ops->action(app, v, a))
		return;
	if (a == ACT_BACK) {
		if (app->depth > 1)
			pop(app);
		else
			app->quit = 1;
		return;
	}
	unavailable(app, a, v);
}

static void handle_key(tui_app *app, int key)
{
	char name[32];
	int a;

	app->dirty = 1;
	if (key == (TUI_KEY_FN | KEY_RESIZE))
		return; /* LINES and COLS are new; the next draw lays out again */
	if (app->prompting) {
		prompt_key(app, key);
		return;
	}
	app->msg[0] = '\0';
	a = tui_keymap_lookup(&app->km, key);
	if (a == ACT_NONE) {
		tui_key_name(key, name, sizeof name);
		tui_message(app, "%s is not bound to anything (? for help)", name);
		return;
	}
	dispatch(app, a);
}

/* ---- the loop ---- */

static int poll_wait(void *ud, int fd, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	(void)ud;
	return poll(&p, 1, timeout_ms) > 0;
}

static void run_terminal(tui_app *app)
{
	int idle_reads = 0;

	while (!app->quit && !tui_term_stop_signal()) {
		int readable, got = 0, rc;
		wint_t wc;

		if (app->dirty) {
			tui_draw(app);
			app->dirty = 0;
		}
		/* finite even when idle: a wait function that retries on EINTR
		 * must not hide a resize or a stop signal for long */
		readable = app->wait(app->wait_ud, STDIN_FILENO, app->jobs ? 100 : 1000);
		while (!app->quit && (rc = get_wch(&wc)) != ERR) {
			handle_key(app, tui_key_from_curses(rc, (unsigned)wc));
			got++;
		}
		/* readable but nothing to read, again and again: the terminal is gone */
		idle_reads = readable && !got ? idle_reads + 1 : 0;
		if (idle_reads > 50)
			app->quit = 1;
		if (app->jobs) {
			app->spin++;
			app->dirty = 1;
		}
	}
}

static int run_script(tui_app *app)
{
	int key, rc = 0;

	while (!app->quit && !tui_term_stop_signal()) {
		if (app->dirty) {
			tui_draw(app);
			app->dirty = 0;
		}
		if ((rc = tui_script_next(app, &key)) <= 0)
			break;
		handle_key(app, key);
	}
	return rc < 0 ? -1 : 0;
}

/* The last component of the work tree's path, made safe to draw. */
static char *repo_name(store *s)
{
	const char *wd = store_workdir(s), *end = wd + strlen(wd), *start;
	char *raw, *clean;

	while (end > wd + 1 && end[-1] == '/')
		end--;
	for (start = end; start > wd && start[-1] != '/'; start--)
		;
	raw = strndup(start, (size_t)(end - start));
	clean = raw ? cd_sanitize_dup(raw, CD_SAN_ONE_LINE) : NULL;
	free(raw);
	return clean;
}

static void close_all(tui_app *app)
{
	while (app->depth > 1)
		pop(app);
	for (int i = 0; i < TUI_BASE_VIEWS; i++)
		view_close(app->base[i]);
	app->depth = 0;
}

/* Overrides that did not parse: shown once, not fatal. */
static void show_warnings(tui_app *app, cd_buf *warn)
{
	if (!warn->len)
		return;
	while (warn->len && (warn->data[warn->len - 1] == ' ' || warn->data[warn->len - 1] == ';'))
		warn->data[--warn->len] = '\0';
	tui_error(app, "%s", warn->data);
}

int tui_run(store *s, config *cfg)
{
	const char *script = getenv("CODICIL_TUI_SCRIPT");
	tui_app app = { .s = s, .cfg = cfg, .wait = poll_wait, .dirty = 1 };
	cd_buf warn = CD_BUF_INIT;
	tui_term term = { 0 };
	int rc = -1, sig;

	if (!(app.repo_name = repo_name(s)) || tui_keymap_load(&app.km, cfg, &warn) < 0) {
		cd_err_set("out of memory starting the terminal interface");
		goto out;
	}
	if (script && *script) {
		if (tui_script_open(&app, script, getenv("CODICIL_TUI_DUMP_DIR")) < 0)
			goto out;
	} else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cd_err_set("the terminal interface needs a terminal on stdin and stdout; "
			   "use the commands (codicil --help) in scripts");
		goto out;
	}
	if (tui_term_init(&term, app.script != NULL) < 0)
		goto out;
	if (switch_base(&app, 0) == 0) {
		show_warnings(&app, &warn);
		rc = app.script ? run_script(&app) : (run_terminal(&app), 0);
	}
	close_all(&app);
	tui_term_end(&term);
	if ((sig = tui_term_stop_signal())) {
		/* die of the signal, as the shell expects, now that the
		 * terminal is restored */
		signal(sig, SIG_DFL);
		raise(sig);
	}
out:
	tui_script_free(app.script);
	tui_keymap_free(&app.km);
	free(app.repo_name);
	free(app.search);
	cd_buf_free(&warn);
	return rc;
}
