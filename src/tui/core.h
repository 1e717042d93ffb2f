/* core.h — internal to the app's own files (app.c, keys.c, run.c,
 * script.c, term.c): the application state and the terminal plumbing
 * behind it.  Views and features see only app.h: what a feature keeps for
 * the session it keeps through tui_state(). */
#ifndef CODICIL_TUI_CORE_H
#define CODICIL_TUI_CORE_H

#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "app.h"
#include "keymap.h"

#define TUI_STACK_MAX 16
#define TUI_SLOTS_MAX 16
#define TUI_BASE_VIEWS 5 /* principles, cases, proposals, history, theories: keys 1-5 */

typedef struct tui_script tui_script;

struct tui_app {
	store *s;
	config *cfg;
	char *repo_name;
	tui_keymap km;
	tui_view *base[TUI_BASE_VIEWS]; /* opened on first use, kept open */
	tui_view *stack[TUI_STACK_MAX]; /* stack[0] is one of base[] */
	int depth;
	int came_from[TUI_STACK_MAX];   /* the base views q goes back to, last on top */
	int ncame_from;
	char msg[512];
	int msg_error;
	char *search;        /* the last search confirmed */
	int prompting;
	char prompt[256];    /* UTF-8, what is typed after '/' */
	size_t plen;
	unsigned jobs;
	long tokens;
	unsigned spin;
	tui_wait_fn wait;
	void *wait_ud;
	void (*cancel)(void *ud);
	void *cancel_ud;
	int quit, dirty;
	int hints;           /* the key-hint line is shown (codicil.keyHints, F2) */
	tui_script *script;
	const char *tag;     /* "replay: recorded answers", or NULL */
	char loop[64];       /* "loop: round 2, 48k tokens" while one runs (loop_status.c) */
	time_t loop_read;    /* when the loop's state was last read */
	unsigned changes, commits; /* tui_cases_serial() */
	struct tui_slot {
		const tui_feature *f;
		void *state;
	} slots[TUI_SLOTS_MAX];    /* what features keep (tui_state) */
	size_t nslots;
};

/* term.c */
typedef struct tui_term {
	SCREEN *screen;
	FILE *in, *out; /* script mode: /dev/null; otherwise stdin/stdout */
	int color;
} tui_term;
/* script: a virtual xterm-256color of 80x24 writing to /dev/null. */
int tui_term_init(tui_term *t, int script);
void tui_term_end(tui_term *t);
/* The signal that asked us to stop (SIGINT, SIGTERM, SIGHUP), or 0. */
int tui_term_stop_signal(void);
void tui_term_clear_stop(void);

/* script.c: CODICIL_TUI_SCRIPT lines -> keys and commands */
int tui_script_open(tui_app *app, const char *path, const char *dump_dir);
void tui_script_free(tui_script *sc);
/* The next key (1), end of script (0), or an error (-1).  :dump and
 * :resize are carried out here; :resize returns the Resize key. */
int tui_script_next(tui_app *app, int *key);

/* loop_status.c: app->loop, from the loop's state at most every 2 s */
void tui_loop_status(tui_app *app);

/* app.c */
void tui_draw(tui_app *app);
void tui_pop(tui_app *app);
/* q: pop a pushed view, else back to the base view the user came from;
 * 0 when there is nowhere to go back to (then q quits). */
int tui_back(tui_app *app);
void tui_close_all(tui_app *app);
/* End what features still hold (tui_feature.end), last first. */
void tui_end_states(tui_app *app);

/* keys.c */
void tui_handle_key(tui_app *app, int key);

#endif
