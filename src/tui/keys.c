/* keys.c — what a key does: the search prompt, then the keymap, then the
 * actions every view shares, then the view's own, then "not here". */
#include "core.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static void search(tui_app *app, int dir)
{
	tui_view *v = tui_top(app);

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
	tui_view *v = tui_top(app);

	switch (a) {
	case ACT_QUIT: app->quit = 1; return;
	case ACT_HELP:
		if (v->ops != &tui_view_help)
			tui_push(app, &tui_view_help, NULL);
		return;
	case ACT_PRINCIPLES: case ACT_CASES: case ACT_PROPOSALS: case ACT_HISTORY:
	case ACT_THEORIES:
		tui_switch_base(app, a - ACT_PRINCIPLES);
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
	case ACT_HINTS: app->hints = !app->hints; return;
	case ACT_REFRESH: refresh_view(app, v); return;
	case ACT_CANCEL:
		if (app->cancel && app->jobs) {
			app->cancel(app->cancel_ud);
			tui_message(app, "Cancelling the running jobs");
		} else if (!v->ops->action || !v->ops->action(app, v, a)) {
			tui_message(app, "Nothing to cancel");
		}
		return;
	default: break;
	}
	if (v->ops->action && v->ops->action(app, v, a))
		return;
	if (a == ACT_BACK) {
		if (!tui_back(app))
			app->quit = 1;
		return;
	}
	unavailable(app, a, v);
}

void tui_handle_key(tui_app *app, int key)
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
	if (tui_asking(app)) {
		tui_ask_key(app, key);
		return;
	}
	app->msg[0] = '\0';
	if (tui_top(app)->ops->key && tui_top(app)->ops->key(app, tui_top(app), key))
		return;
	a = tui_keymap_lookup(&app->km, key);
	if (a == ACT_NONE) {
		tui_key_name(key, name, sizeof name);
		tui_message(app, "%s is not bound to anything (? for help)", name);
		return;
	}
	dispatch(app, a);
}

