/* tui.h — the interactive front end (`codicil tui`, and `codicil` alone on
 * a terminal).
 *
 * Test harness, after tig's: with CODICIL_TUI_SCRIPT=FILE the keys come
 * from FILE instead of the keyboard and the screen is a virtual
 * xterm-256color of 80x24 whose output goes to /dev/null.  One line each:
 *
 *     j / Enter / C-n / PgDn     a key, named as in the keymap
 *     "some text"                types the characters
 *     :resize 60x20              resizes the screen (columns x rows)
 *     :dump NAME                 writes the screen as text, trailing spaces
 *                                trimmed, to $CODICIL_TUI_DUMP_DIR/NAME.screen
 *     :jobs N TOKENS             shows N running LLM jobs in the status line
 *     :wait                      runs the event loop until no LLM call is
 *                                pending and no job (amend, tensions, ...)
 *                                runs (at most 60 s, then an error)
 *     :sleep MS                  runs the event loop for MS milliseconds
 *     # comment, blank lines     ignored
 *
 * The program quits when the script ends.  CODICIL_TUI_OUTPUT=FILE keeps
 * the bytes curses sent to the virtual terminal, to check what reaches a
 * real one.
 */
#ifndef CODICIL_TUI_H
#define CODICIL_TUI_H

#include "codicil/config.h"
#include "codicil/store.h"

/* Run until the user quits.  A stop signal (SIGINT, SIGTERM, SIGHUP)
 * restores the terminal and then terminates the process by that signal.
 * -1 with cd_err set: no terminal, a bad script, an unreadable charter.
 * With codicil.provider = replay the status line says the answers are
 * recorded ones. */
int tui_run(store *s, config *cfg);

typedef struct tui_opts {
	const char *welcome; /* the first message shown, or NULL */
} tui_opts;
int tui_run_opts(store *s, config *cfg, const tui_opts *o);

/* 1 when tui_run() can run here: a terminal on stdin and stdout, or a
 * CODICIL_TUI_SCRIPT. */
int tui_available(void);

#endif
