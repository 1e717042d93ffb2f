/* term.c — curses set-up and tear-down, and the signals that must leave
 * the terminal as it was found: any way out restores it. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static volatile sig_atomic_t stop_signal;
static int active; /* curses is on: the exit paths must call endwin() */

static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGFPE, SIGILL,
			       SIGABRT };
#define NHANDLED (sizeof handled / sizeof *handled)
#define NSTOP 3 /* the first three ask us to stop; the others are crashes */
static struct sigaction saved[NHANDLED];

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* Best effort: endwin() is not async-signal-safe, but a crashed program
 * with its terminal left raw is worse. */
static void on_crash(int sig)
{
	if (active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void restore_at_exit(void)
{
	if (active && !isendwin())
		endwin();
}

static void signals_save(void)
{
	for (size_t i = 0; i < NHANDLED; i++)
		sigaction(handled[i], NULL, &saved[i]);
}

static void signals_install(void)
{
	static int registered;
	struct sigaction sa;

	for (size_t i = 0; i < NHANDLED; i++) {
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		/* stop: no SA_RESTART, so that a waiting poll() wakes up */
		sa.sa_handler = i < NSTOP ? on_stop : on_crash;
		sa.sa_flags = i < NSTOP ? 0 : SA_RESETHAND | SA_NODEFER;
		sigaction(handled[i], &sa, NULL);
	}
	if (!registered && atexit(restore_at_exit) == 0)
		registered = 1;
}

static void signals_restore(void)
{
	for (size_t i = 0; i < NHANDLED; i++)
		sigaction(handled[i], &saved[i], NULL);
}

int tui_term_stop_signal(void)
{
	return stop_signal;
}

void tui_term_clear_stop(void)
{
	stop_signal = 0;
}

static int no_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return nc && *nc;
}

int tui_term_init(tui_term *t, int script)
{
	const char *term = script ? "xterm-256color" : getenv("TERM");

	memset(t, 0, sizeof *t);
	if (script) {
		t->in = fopen("/dev/null", "r");
		const char *capture = getenv("CODICIL_TUI_OUTPUT");
		t->out = fopen(capture && *capture ? capture : "/dev/null", "w");
	} else {
		t->in = stdin;
		t->out = stdout;
	}
	signals_save();
	if (!t->in || !t->out || !(t->screen = newterm(term, t->out, t->in))) {
		cd_err_set("cannot start the terminal interface (TERM=%s); set TERM to your "
			   "terminal's type", term ? term : "unset");
		tui_term_end(t);
		return -1;
	}
	active = 1;
	signals_install();
	if (script)
		resizeterm(24, 80);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	t->color = !no_color() && has_colors() && start_color() == OK;
	if (t->color)
		use_default_colors();
	tui_styles_init(t->color);
	return 0;
}

void tui_term_end(tui_term *t)
{
	if (t->screen) {
		endwin();
		delscreen(t->screen);
	}
	active = 0;
	signals_restore();
	if (t->in && t->in != stdin)
		fclose(t->in);
	if (t->out && t->out != stdout)
		fclose(t->out);
	memset(t, 0, sizeof *t);
}
