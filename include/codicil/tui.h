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
 * -1 with cd_err set: no terminal, a bad script, an unreadable charter. */
int tui_run(store *s, config *cfg);

#endif
