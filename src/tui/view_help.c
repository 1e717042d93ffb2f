/* view_help.c — generated from the action table (actions.h) with the keys
 * in effect, so it is right after codicil.key.* overrides too. */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static const struct {
	unsigned kind;
	const char *title;
} groups[] = {
	{ TV_ALL, "Everywhere" },
	{ TV_PRINCIPLES, "Principles view" },
	{ TV_CASES, "Cases view" },
	{ TV_PROPOSALS, "Proposals view" },
	{ TV_THEORIES, "Theories view" },
};

static void add_action(tui_app *app, tui_pager *t, int a)
{
	char keys[128];
	cd_buf line = CD_BUF_INIT;

	tui_action_keys(app, a, keys, sizeof keys);
	cd_buf_printf(&line, "  %-14s %-12s %s", keys[0] ? keys : "(unbound)",
		      tui_actions[a].name, tui_actions[a].help);
	tui_pager_add(t, line.data, line.len, keys[0] ? ST_NORMAL : ST_DIM);
	cd_buf_clear(&line);
}

static int help_open(tui_app *app, tui_view *v, const char *arg)
{
	tui_pager *t = calloc(1, sizeof *t);

	if (!t) {
		cd_err_set("out of memory");
		return -1;
	}
	tui_pager_add(t, "Keys", 4, ST_TITLE);
	tui_pager_add(t, "Change one with: git config codicil.key.<action> \"KEY...\"", 57,
		      ST_DIM);
	tui_pager_add(t, "Key names: j, N, C-n, Enter, Space, Tab, Esc, Up, PgDn, Home, F5", 64,
		      ST_DIM);
	for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
		tui_pager_add(t, "", 0, ST_NORMAL);
		tui_pager_add(t, groups[g].title, strlen(groups[g].title), ST_TITLE);
		for (int a = 0; a < ACT_COUNT; a++) {
			unsigned views = tui_actions[a].views;
			if (g == 0 ? views == TV_ALL : views != TV_ALL && (views & groups[g].kind))
				add_action(app, t, a);
		}
	}
	v->priv = t;
	return 0;
}

static void help_close(tui_view *v)
{
	tui_pager_clear(v->priv);
	free(v->priv);
}

static void help_draw(tui_app *app, tui_view *v, tui_rect r)
{
	tui_pager_draw(v->priv, r);
}

static int help_action(tui_app *app, tui_view *v, enum tui_action a)
{
	return tui_pager_action(v->priv, a);
}

static int help_search(tui_app *app, tui_view *v, const char *needle, int dir)
{
	return tui_pager_search(v->priv, needle, dir);
}

const struct tui_view_ops tui_view_help = {
	.name = "Help",
	.kind = TV_HELP,
	.open = help_open,
	.close = help_close,
	.draw = help_draw,
	.action = help_action,
	.search = help_search,
};
