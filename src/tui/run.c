/* run.c — tui_run(): the terminal, the event loop (keyboard and, through
 * the pluggable wait function, anything else) or the test script. */
#include "core.h"
#include "tui_int.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"
#include "codicil/tui.h"

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
		readable = tui_job_running(app) ? tui_job_wait(app, STDIN_FILENO, 100)
			 : app->wait ? app->wait(app->wait_ud, STDIN_FILENO, app->jobs ? 100 : 1000)
			 : poll_wait(NULL, STDIN_FILENO, 1000);
		while (!app->quit && (rc = get_wch(&wc)) != ERR) {
			tui_handle_key(app, tui_key_from_curses(rc, (unsigned)wc));
			got++;
		}
		/* readable but nothing to read, again and again: the terminal is gone */
		tui_job_poll(app);
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
		tui_handle_key(app, key);
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

/* Overrides that did not parse: shown once, not fatal. */
static void show_warnings(tui_app *app, cd_buf *warn)
{
	if (!warn->len)
		return;
	while (warn->len && (warn->data[warn->len - 1] == ' ' || warn->data[warn->len - 1] == ';'))
		warn->data[--warn->len] = '\0';
	tui_error(app, "%s", warn->data);
}

int tui_available(void)
{
	const char *script = getenv("CODICIL_TUI_SCRIPT");

	return (script && *script) || (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO));
}

/* A warning from below (a cache entry not written, ...) goes to the
 * message line: stderr would draw over the screen. */
static void warn_on_screen(void *ud, const char *line)
{
	tui_message(ud, "warning: %s", line);
}

int tui_run(store *s, config *cfg)
{
	return tui_run_opts(s, cfg, NULL);
}

int tui_run_opts(store *s, config *cfg, const tui_opts *o)
{
	const char *script = getenv("CODICIL_TUI_SCRIPT"), *provider;
	tui_app app = { .s = s, .cfg = cfg, .wait = poll_wait, .dirty = 1 };
	cd_buf warn = CD_BUF_INIT;
	tui_term term = { 0 };
	int rc = -1, sig;

	if (!(app.repo_name = repo_name(s)) || tui_keymap_load(&app.km, cfg, &warn) < 0) {
		cd_err_set("out of memory starting the terminal interface");
		goto out;
	}
	if (config_get_bool(cfg, "codicil.keyHints", 1, &app.hints) < 0) {
		cd_buf_printf(&warn, "%s; ", cd_err_msg()); /* shown, with the hints on */
		app.hints = 1;
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
	cd_warn_set_handler(warn_on_screen, &app);
	provider = config_get(cfg, "codicil.provider");
	if (provider && !strcmp(provider, "replay"))
		app.tag = "replay: recorded answers";
	if (tui_switch_base(&app, 0) == 0) {
		if (o && o->welcome)
			tui_message(&app, "%s", o->welcome);
		show_warnings(&app, &warn);
		rc = app.script ? run_script(&app) : (run_terminal(&app), 0);
	}
	tui_job_close(&app);
	tui_ask_free(&app);
	tui_appeals_free(&app);
	tui_llm_close(&app);
	tui_close_all(&app);
	tui_end_states(&app);
	tui_term_end(&term);
	cd_warn_set_handler(NULL, NULL);
	if ((sig = tui_term_stop_signal())) {
		/* die of the signal, as the shell expects, now that the
		 * terminal is restored */
		signal(sig, SIG_DFL);
		raise(sig);
	}
out:
	tui_script_free(app.script);
	tui_keymap_clear(&app.km);
	free(app.repo_name);
	free(app.search);
	cd_buf_clear(&warn);
	return rc;
}
