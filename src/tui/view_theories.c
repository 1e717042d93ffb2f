/* view_theories.c — the Theories view (5): failure theories with their
 * status and hit rate (confirmed / rated of the cases generated under
 * them, computed now), and the selected one's statement, predictions and
 * supporting cases below.  H asks the model for new theories. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "codicil/theorize.h"

#define STATUS_W 7
#define HITS_W 12

struct theories {
	theory_library tl;
	char **statements; /* sanitised, one line */
};

static void theories_unload(void *data)
{
	struct theories *t = data;

	for (size_t i = 0; t->statements && i < t->tl.n; i++)
		free(t->statements[i]);
	free(t->statements);
	theory_library_clear(&t->tl);
}

static long theories_load(tui_app *app, tui_listview *lv, void *data, const char *arg)
{
	struct theories *t = data;

	if (theorize_list(tui_store(app), tui_config(app), &t->tl) < 0)
		return -1;
	if (!(t->statements = calloc(t->tl.n + 1, sizeof *t->statements))) {
		cd_err_set("out of memory loading the theories");
		return -1;
	}
	for (size_t i = 0; i < t->tl.n; i++) {
		const char *s = cd_json_str(t->tl.cases[i], "statement");
		if (!(t->statements[i] = cd_sanitize_dup(s ? s : "", CD_SAN_ONE_LINE))) {
			cd_err_set("out of memory loading the theories");
			return -1;
		}
	}
	return (long)t->tl.n;
}

static void hits_cell(const cJSON *th, char *buf, size_t n)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(th, "hits");
	double rate = theory_hit_rate(th);
	int confirmed = cd_json_int(h, "confirmed", 0), rated = cd_json_int(h, "rated", 0);

	if (rate < 0)
		snprintf(buf, n, "-  %d/%d", confirmed, rated);
	else
		snprintf(buf, n, "%3.0f%% %d/%d", rate * 100, confirmed, rated);
}

static void add_list(tui_pager *p, const cJSON *th, const char *key, const char *title)
{
	const cJSON *it;

	tui_pager_add(p, "", 0, ST_NORMAL);
	tui_pager_add(p, title, strlen(title), ST_TITLE);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(th, key))
		if (cJSON_GetStringValue(it))
			tui_pager_addf(p, ST_NORMAL, "- %s", cJSON_GetStringValue(it));
}

static void theories_describe(tui_app *app, tui_listview *lv, size_t i, tui_pager *p)
{
	const cJSON *th = ((struct theories *)lv->data)->tl.cases[i];
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(th, "hits");
	const cJSON *ret = cJSON_GetObjectItemCaseSensitive(th, "retired");
	const char *s = cd_json_str(th, "statement");

	tui_pager_add(p, s ? s : "", s ? strlen(s) : 0, ST_TITLE);
	tui_pager_addf(p, ST_META, "%s  %s  generated %d, rated %d, confirmed %d",
		       theory_id(th) ? theory_id(th) : "?",
		       theory_is_active(th) ? "active" : "retired",
		       cd_json_int(h, "generated", 0), cd_json_int(h, "rated", 0),
		       cd_json_int(h, "confirmed", 0));
	if (cJSON_IsObject(ret))
		tui_pager_addf(p, ST_DIM, "retired %s: %s",
			       cd_json_str(ret, "at") ? cd_json_str(ret, "at") : "",
			       cd_json_str(ret, "reason") ? cd_json_str(ret, "reason") : "");
	add_list(p, th, "predictions", "Predicts failures when");
	add_list(p, th, "cases", "Supporting cases");
}

static int theories_header(tui_app *app, tui_listview *lv, tui_rect r)
{
	if (!lv->list.n)
		return 0;
	attrset(tui_style(ST_DIM));
	tui_puts(r.y, r.x, r.w >= 40 ? "Status   Hit rate     Statement" : "Statement", r.w);
	return 1;
}

static void theories_draw_row(tui_app *app, tui_listview *lv, size_t i, tui_rect r, int sel)
{
	struct theories *t = lv->data;
	const cJSON *th = t->tl.cases[i];
	char cell[32];
	int x = r.x;

	if (!sel && !theory_is_active(th))
		attrset(tui_style(ST_DIM));
	if (r.w >= 40) {
		tui_puts(r.y, x, theory_is_active(th) ? "active" : "retired", STATUS_W);
		x += STATUS_W + 2;
		hits_cell(th, cell, sizeof cell);
		tui_puts(r.y, x, cell, HITS_W);
		x += HITS_W + 1;
	}
	tui_puts(r.y, x, t->statements[i], r.x + r.w - x);
}

static void theories_empty(tui_app *app, tui_listview *lv, tui_rect r)
{
	char key[32];

	tui_action_keys(app, ACT_THEORIZE, key, sizeof key);
	key[strcspn(key, " ")] = '\0';
	tui_puts(r.y, r.x, "No failure theories yet.", r.w);
	tui_puts(r.y + 1, r.x, "Press", r.w);
	tui_puts(r.y + 1, r.x + 6, key, r.w - 6);
	tui_puts(r.y + 1, r.x + 7 + tui_width(key, strlen(key)),
		 "to ask the model for theories from the cases.", r.w - 8);
}

static int theories_action(tui_app *app, tui_listview *lv, enum tui_action a)
{
	if (a != ACT_THEORIZE)
		return 0;
	tui_job_theorize(app);
	return 1;
}

static int theories_match(tui_listview *lv, size_t row, const char *needle)
{
	const char *s = ((struct theories *)lv->data)->statements[row];
	return tui_strcasestr(s, strlen(s), needle) != NULL;
}

static const char *theories_row_id(tui_listview *lv, size_t row)
{
	return theory_id(((struct theories *)lv->data)->tl.cases[row]);
}

static const struct tui_list_ops theories_ops = {
	.size = sizeof(struct theories),
	.side_pct = 50,
	.stacked_pct = 50,
	.load = theories_load,
	.unload = theories_unload,
	.row_id = theories_row_id,
	.draw_header = theories_header,
	.draw_row = theories_draw_row,
	.draw_empty = theories_empty,
	.describe = theories_describe,
	.match = theories_match,
	.action = theories_action,
};

const struct tui_view_ops tui_view_theories = TUI_LIST_VIEW("Theories", TV_THEORIES, &theories_ops);
