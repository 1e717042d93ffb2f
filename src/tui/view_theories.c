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

#define STACKED_MIN_ROWS 12
#define STATUS_W 7
#define HITS_W 12

struct theories {
	theory_library tl;
	char **statements; /* sanitised, one line */
	tui_list list;
	tui_pager text;
	size_t text_for;
	int focus_text, stacked, list_h;
};

static void unload(struct theories *t)
{
	for (size_t i = 0; t->statements && i < t->tl.n; i++)
		free(t->statements[i]);
	free(t->statements);
	theory_library_clear(&t->tl);
	tui_pager_clear(&t->text);
	t->statements = NULL;
	t->list.n = 0;
	t->text_for = (size_t)-1;
}

static int load(tui_app *app, struct theories *t)
{
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
	t->list.n = t->tl.n;
	t->text_for = (size_t)-1;
	return 0;
}

static int theories_open(tui_app *app, tui_view *v, const char *arg)
{
	struct theories *t = calloc(1, sizeof *t);

	(void)arg;
	if (!t) {
		cd_err_set("out of memory");
		return -1;
	}
	if (load(app, t) < 0) {
		unload(t);
		free(t);
		return -1;
	}
	v->priv = t;
	return 0;
}

static void theories_close(tui_view *v)
{
	unload(v->priv);
	free(v->priv);
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

static void fill_text(struct theories *t, size_t i)
{
	const cJSON *th = t->tl.cases[i], *h = cJSON_GetObjectItemCaseSensitive(th, "hits");
	const cJSON *ret = cJSON_GetObjectItemCaseSensitive(th, "retired");
	const char *s = cd_json_str(th, "statement");

	tui_pager_clear(&t->text);
	t->text_for = i;
	tui_pager_add(&t->text, s ? s : "", s ? strlen(s) : 0, ST_TITLE);
	tui_pager_addf(&t->text, ST_META, "%s  %s  generated %d, rated %d, confirmed %d",
		       theory_id(th) ? theory_id(th) : "?",
		       theory_is_active(th) ? "active" : "retired",
		       cd_json_int(h, "generated", 0), cd_json_int(h, "rated", 0),
		       cd_json_int(h, "confirmed", 0));
	if (cJSON_IsObject(ret))
		tui_pager_addf(&t->text, ST_DIM, "retired %s: %s",
			       cd_json_str(ret, "at") ? cd_json_str(ret, "at") : "",
			       cd_json_str(ret, "reason") ? cd_json_str(ret, "reason") : "");
	add_list(&t->text, th, "predictions", "Predicts failures when");
	add_list(&t->text, th, "cases", "Supporting cases");
}

static void draw_list(struct theories *t, tui_rect r)
{
	char cell[32];

	attrset(tui_style(ST_DIM));
	tui_puts(r.y, r.x, r.w >= 40 ? "Status   Hit rate     Statement" : "Statement", r.w);
	attrset(A_NORMAL);
	r.y++, r.h--;
	t->list_h = r.h;
	tui_list_fit(&t->list, r.h);
	for (int y = 0; y < r.h && t->list.top + (size_t)y < t->list.n; y++) {
		size_t i = t->list.top + (size_t)y;
		const cJSON *th = t->tl.cases[i];
		int x = r.x;

		attrset(i == t->list.sel ? tui_style(t->focus_text ? ST_SELECT_DIM : ST_SELECT)
					 : theory_is_active(th) ? A_NORMAL : tui_style(ST_DIM));
		if (i == t->list.sel)
			tui_fill(r.y + y, r.x, r.w);
		if (r.w >= 40) {
			tui_puts(r.y + y, x, theory_is_active(th) ? "active" : "retired", STATUS_W);
			x += STATUS_W + 2;
			hits_cell(th, cell, sizeof cell);
			tui_puts(r.y + y, x, cell, HITS_W);
			x += HITS_W + 1;
		}
		tui_puts(r.y + y, x, t->statements[i], r.x + r.w - x);
	}
	attrset(A_NORMAL);
}

static void theories_draw(tui_app *app, tui_view *v, tui_rect r)
{
	struct theories *t = v->priv;
	tui_rect list = r, text = r;
	char key[32];

	if (!t->list.n) {
		tui_action_keys(app, ACT_THEORIZE, key, sizeof key);
		key[strcspn(key, " ")] = '\0';
		tui_puts(r.y, r.x, "No failure theories yet.", r.w);
		tui_puts(r.y + 1, r.x, "Press", r.w);
		tui_puts(r.y + 1, r.x + 6, key, r.w - 6);
		tui_puts(r.y + 1, r.x + 7 + tui_width(key, strlen(key)),
			 "to ask the model for theories from the cases.", r.w - 8);
		return;
	}
	if (t->text_for != t->list.sel)
		fill_text(t, t->list.sel);
	t->stacked = r.h >= STACKED_MIN_ROWS;
	if (t->stacked) {
		list.h = (r.h - 1) / 2;
		text.y = r.y + list.h + 1;
		text.h = r.h - list.h - 1;
		attrset(tui_style(ST_DIM));
		for (int x = 0; x < r.w; x++)
			tui_puts(r.y + list.h, r.x + x, MB_CUR_MAX > 1 ? "─" : "-", 1);
		attrset(A_NORMAL);
	}
	if (t->stacked || !t->focus_text)
		draw_list(t, list);
	if (t->stacked || t->focus_text)
		tui_pager_draw(&t->text, text);
}

static int theories_action(tui_app *app, tui_view *v, enum tui_action a)
{
	struct theories *t = v->priv;

	switch (a) {
	case ACT_THEORIZE:
		tui_job_theorize(app);
		return 1;
	case ACT_OPEN:
		t->focus_text = !t->focus_text;
		return 1;
	case ACT_BACK:
		if (!t->focus_text)
			return 0;
		t->focus_text = 0;
		return 1;
	default:
		break;
	}
	if (t->focus_text)
		return tui_pager_action(&t->text, a);
	return tui_list_action(&t->list, a, t->list_h);
}

static int theories_search(tui_app *app, tui_view *v, const char *needle, int dir)
{
	struct theories *t = v->priv;
	size_t n = t->list.n;

	if (t->focus_text)
		return tui_pager_search(&t->text, needle, dir);
	for (size_t k = 1; k <= n; k++) {
		size_t i = dir > 0 ? (t->list.sel + k) % n : (t->list.sel + n - k) % n;
		if (tui_strcasestr(t->statements[i], strlen(t->statements[i]), needle)) {
			t->list.sel = i;
			return 0;
		}
	}
	return -1;
}

static int theories_reload(tui_app *app, tui_view *v)
{
	struct theories *t = v->priv, fresh = { .text_for = (size_t)-1 };
	const char *keep = t->list.n ? theory_id(t->tl.cases[t->list.sel]) : NULL;

	if (load(app, &fresh) < 0) {
		unload(&fresh);
		return -1;
	}
	for (size_t i = 0; keep && i < fresh.list.n; i++)
		if (theory_id(fresh.tl.cases[i]) && !strcmp(theory_id(fresh.tl.cases[i]), keep))
			fresh.list.sel = i;
	fresh.list.top = t->list.top;
	fresh.focus_text = t->focus_text && fresh.list.n;
	unload(t);
	*t = fresh;
	return 0;
}

static void theories_position(tui_view *v, char *buf, size_t n)
{
	tui_list_position(&((struct theories *)v->priv)->list, buf, n);
}

const struct tui_view_ops tui_view_theories = {
	.name = "Theories",
	.kind = TV_THEORIES,
	.open = theories_open,
	.close = theories_close,
	.draw = theories_draw,
	.action = theories_action,
	.search = theories_search,
	.reload = theories_reload,
	.position = theories_position,
};
