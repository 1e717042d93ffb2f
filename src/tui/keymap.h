/* keymap.h — internal to src/tui: key names and the action bindings.
 *
 * A key is an int: a Unicode character (control keys as their code: C-n
 * is 14, Enter '\n', Tab '\t', Esc 27), or TUI_KEY_FN | an ncurses KEY_*
 * code for the keys that have no character. */
#ifndef CODICIL_TUI_KEYMAP_H
#define CODICIL_TUI_KEYMAP_H

#include <stddef.h>

#include "actions.h"
#include "codicil/buf.h"
#include "codicil/config.h"

#define TUI_KEY_FN 0x1000000
#define TUI_KEY_ESC 27

struct tui_binding {
	int key;
	int action;
};

typedef struct tui_keymap {
	struct tui_binding *b;
	size_t n, cap;
} tui_keymap;

/* "j", "N", "C-n", "Enter", "Space", "Tab", "Esc", "Backspace", "Up",
 * "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End", "Del", "Ins",
 * "S-Tab", "F1".."F12", or one UTF-8 character.  -1 for anything else. */
int tui_key_parse(const char *name, int *key);
void tui_key_name(int key, char *buf, size_t n);
/* The key get_wch() reported, in the form above (Enter and keypad Enter
 * are one key; so are the Backspace variants). */
int tui_key_from_curses(int rc, unsigned wc);

/* UTF-8 for a code point (at most 4 bytes, NUL-terminated); its length. */
size_t tui_utf8_encode(int cp, char out[5]);

/* Defaults of the action table, each replaced by git config
 * codicil.key.<action> when set (cfg may be NULL).  A key an override
 * takes is removed from the action that had it by default.  Problems with
 * the overrides (unknown key names) go to warnings; they are not fatal. */
int tui_keymap_load(tui_keymap *km, config *cfg, cd_buf *warnings);
void tui_keymap_clear(tui_keymap *km);
int tui_keymap_lookup(const tui_keymap *km, int key); /* ACT_NONE if unbound */
/* "j Down": every key bound to action. */
void tui_keymap_keys(const tui_keymap *km, int action, char *buf, size_t n);

#endif
