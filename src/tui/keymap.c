/* keymap.c — key names, default bindings from actions.h, config overrides. */
#include "keymap.h"
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct tui_action_info tui_actions[ACT_COUNT] = {
#define X_INFO(e, name, keys, views, help) { name, keys, views, help },
	TUI_ACTIONS(X_INFO)
#undef X_INFO
};

static const struct {
	const char *name;
	int key;
} named[] = {
	{ "Enter", '\n' }, { "Space", ' ' }, { "Tab", '\t' }, { "Esc", TUI_KEY_ESC },
	{ "Backspace", TUI_KEY_FN | KEY_BACKSPACE }, { "Up", TUI_KEY_FN | KEY_UP },
	{ "Down", TUI_KEY_FN | KEY_DOWN }, { "Left", TUI_KEY_FN | KEY_LEFT },
	{ "Right", TUI_KEY_FN | KEY_RIGHT }, { "PgUp", TUI_KEY_FN | KEY_PPAGE },
	{ "PgDn", TUI_KEY_FN | KEY_NPAGE }, { "Home", TUI_KEY_FN | KEY_HOME },
	{ "End", TUI_KEY_FN | KEY_END }, { "Del", TUI_KEY_FN | KEY_DC },
	{ "Ins", TUI_KEY_FN | KEY_IC }, { "S-Tab", TUI_KEY_FN | KEY_BTAB },
	{ "Resize", TUI_KEY_FN | KEY_RESIZE },
};

/* One UTF-8 character making up all of s, or -1. */
static int utf8_char(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = p[0] < 0x80 ? 1 : p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	int cp = n == 1 ? p[0] : n == 2 ? p[0] & 0x1f : n == 3 ? p[0] & 0x0f : p[0] & 0x07;

	if (n == 0 || strlen(s) != n)
		return -1;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	return cp > 0x10ffff || cp < 0x20 || cp == 0x7f ? -1 : cp;
}

int tui_key_parse(const char *name, int *key)
{
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (!strcmp(name, named[i].name)) {
			*key = named[i].key;
			return 0;
		}
	if (name[0] == 'C' && name[1] == '-' && name[2] && !name[3]) {
		char c = name[2] >= 'A' && name[2] <= 'Z' ? name[2] + 32 : name[2];
		if ((c >= 'a' && c <= 'z') || c == '[' || c == '\\' || c == ']') {
			*key = c == '[' ? 27 : c == '\\' ? 28 : c == ']' ? 29 : c - 'a' + 1;
			return 0;
		}
		return -1;
	}
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (!*end && n >= 1 && n <= 12) {
			*key = TUI_KEY_FN | KEY_F(n);
			return 0;
		}
	}
	return (*key = utf8_char(name)) < 0 ? -1 : 0;
}

void tui_key_name(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (named[i].key == key) {
			snprintf(buf, n, "%s", named[i].name);
			return;
		}
	if ((key & TUI_KEY_FN) && (key & ~TUI_KEY_FN) >= KEY_F(1) &&
	    (key & ~TUI_KEY_FN) <= KEY_F(12))
		snprintf(buf, n, "F%d", (key & ~TUI_KEY_FN) - KEY_F0);
	else if (key & TUI_KEY_FN)
		snprintf(buf, n, "<%d>", key & ~TUI_KEY_FN);
	else if (key > 0 && key < 32)
		snprintf(buf, n, "C-%c", key == 27 ? '[' : key == 28 ? '\\' : key == 29 ? ']' :
			 'a' + key - 1);
	else {
		char utf8[5];
		tui_utf8_encode(key, utf8);
		snprintf(buf, n, "%s", utf8);
	}
}

size_t tui_utf8_encode(int cp, char out[5])
{
	unsigned c = (unsigned)cp;
	size_t n = 0;

	if (c < 0x80) {
		out[n++] = (char)c;
	} else if (c < 0x800) {
		out[n++] = (char)(0xc0 | c >> 6);
		out[n++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		out[n++] = (char)(0xe0 | c >> 12);
		out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[n++] = (char)(0x80 | (c & 0x3f));
	} else {
		out[n++] = (char)(0xf0 | (c >> 18 & 0x07));
		out[n++] = (char)(0x80 | (c >> 12 & 0x3f));
		out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[n++] = (char)(0x80 | (c & 0x3f));
	}
	out[n] = '\0';
	return n;
}

int tui_key_from_curses(int rc, unsigned wc)
{
	if (rc == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return '\n';
		return TUI_KEY_FN | (int)wc;
	}
	if (wc == '\r')
		return '\n';
	if (wc == 127 || wc == 8)
		return TUI_KEY_FN | KEY_BACKSPACE;
	return (int)wc;
}

static int bind(tui_keymap *km, int key, int action)
{
	struct tui_binding *grown = cd_grow(km->b, km->n, &km->cap, sizeof *grown, 64);
	if (!grown)
		return -1;
	km->b = grown;
	km->b[km->n++] = (struct tui_binding){ key, action };
	return 0;
}

/* Bind every key named in the space-separated list; unknown names are
 * reported with where they came from.  skip_bound: leave keys that are
 * bound already (defaults yield to overrides). */
static int bind_list(tui_keymap *km, int action, const char *list, int skip_bound,
		     const char *origin, cd_buf *warnings)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int key, rc = 0;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, " \t", &save); tok && rc == 0;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (tui_key_parse(tok, &key) < 0) {
			if (warnings)
				cd_buf_printf(warnings, "%s: unknown key name '%s'; ", origin, tok);
			continue;
		}
		if (!skip_bound || tui_keymap_lookup(km, key) == ACT_NONE)
			rc = bind(km, key, action);
	}
	free(copy);
	return rc;
}

int tui_keymap_load(tui_keymap *km, config *cfg, cd_buf *warnings)
{
	const char *over[ACT_COUNT] = { 0 };
	char key[64];

	memset(km, 0, sizeof *km);
	for (int a = 0; a < ACT_COUNT && cfg; a++) {
		snprintf(key, sizeof key, "codicil.key.%s", tui_actions[a].name);
		over[a] = config_get(cfg, key);
		if (over[a] && bind_list(km, a, over[a], 0, key, warnings) < 0)
			return -1;
	}
	for (int a = 0; a < ACT_COUNT; a++)
		if (!over[a] && bind_list(km, a, tui_actions[a].keys, 1, "default", NULL) < 0)
			return -1;
	return 0;
}

void tui_keymap_clear(tui_keymap *km)
{
	free(km->b);
	memset(km, 0, sizeof *km);
}

int tui_keymap_lookup(const tui_keymap *km, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].key == key)
			return km->b[i].action;
	return ACT_NONE;
}

void tui_keymap_keys(const tui_keymap *km, int action, char *buf, size_t n)
{
	size_t len = 0;
	char name[32];

	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < km->n && len + 1 < n; i++) {
		if (km->b[i].action != action || tui_keymap_lookup(km, km->b[i].key) != action)
			continue;
		tui_key_name(km->b[i].key, name, sizeof name);
		len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? " " : "", name);
	}
	if (len >= n && n)
		buf[n - 1] = '\0';
}
