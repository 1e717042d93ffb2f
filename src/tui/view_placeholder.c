/* view_placeholder.c — the Proposals view (3) until the proposal workflow
 * lands: it says so plainly and shows only what is really there (how many
 * record files exist). */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static int placeholder_open(tui_app *app, tui_view *v, const char *what, const char *dir,
			    const char *about)
{
	tui_pager *t = calloc(1, sizeof *t);
	char **paths = NULL;
	size_t n = 0;

	if (!t) {
		cd_err_set("out of memory");
		return -1;
	}
	if (store_list_dir(tui_store(app), dir, &paths, &n) < 0)
		n = 0;
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	tui_pager_addf(t, ST_TITLE, "%s: not yet available", what);
	tui_pager_add(t, "", 0, ST_NORMAL);
	tui_pager_add(t, about, strlen(about), ST_NORMAL);
	tui_pager_add(t, "", 0, ST_NORMAL);
	tui_pager_addf(t, ST_DIM, "%s/ holds %zu file%s in this repository.", dir, n,
		       n == 1 ? "" : "s");
	v->priv = t;
	return 0;
}

static int proposals_open(tui_app *app, tui_view *v, const char *arg)
{
	return placeholder_open(app, v, "Proposals", "proposals",
		"This version of codicil cannot review proposals (amendments drafted "
		"from cases) in the terminal interface yet. Accepted amendments appear "
		"in the History view (4) with their provenance.");
}

static void placeholder_close(tui_view *v)
{
	tui_pager_clear(v->priv);
	free(v->priv);
}

static void placeholder_draw(tui_app *app, tui_view *v, tui_rect r)
{
	tui_pager_draw(v->priv, r);
}

static int placeholder_action(tui_app *app, tui_view *v, enum tui_action a)
{
	return tui_pager_action(v->priv, a);
}

const struct tui_view_ops tui_view_proposals = {
	.name = "Proposals",
	.kind = TV_PROPOSALS,
	.open = proposals_open,
	.close = placeholder_close,
	.draw = placeholder_draw,
	.action = placeholder_action,
};
