/* view_cases.c — the case library: a filtered list (status, kind, minimum
 * severity, principle) and the selected case in full.  Cases that a
 * running generation brings appear at the end as they arrive, marked
 * "new" until they are committed.  Space marks cases; r rates the
 * selected one (cases_rate.c).  Layouts as in the Principles view. */
#include "cases.h"
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/id.h"
#include "codicil/rate.h"
#include "codicil/workspace.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"


static const char *const kind_short[] = { "counterex", "tension", "vague", "probe", "conseq",
					   "behaviour" };

const cJSON *cases_selected(tui_app *app, struct cases *cs)
{
	return cs->lv->list.n ? cases_row(app, cs, cs->lv->list.sel) : NULL;
}

int cases_is_pending(struct cases *cs, const cJSON *c)
{
	for (size_t i = 0; i < cs->npend; i++)
		if (cs->pend[i] == c)
			return 1;
	return 0;
}

static int is_marked(struct cases *cs, const char *id)
{
	for (size_t i = 0; id && i < cs->nmarked; i++)
		if (!strcmp(cs->marked[i], id))
			return 1;
	return 0;
}

/* Rows again after a change of filters or cases, keeping the selection on
 * the same case when it is still shown. */
static int refilter(tui_app *app, struct cases *cs)
{
	tui_list *l = &cs->lv->list;
	const cJSON *sel = cases_selected(app, cs);
	char keep[64] = "";

	if (sel && case_id(sel))
		snprintf(keep, sizeof keep, "%s", case_id(sel));
	if (cases_rows_filter(app, cs) < 0)
		return -1;
	tui_lv_select_id(cs->lv, keep[0] ? keep : NULL);
	if (l->sel >= l->n)
		l->sel = l->n ? l->n - 1 : 0;
	cases_text_stale(cs);
	return 0;
}

int cases_sync(tui_app *app, struct cases *cs)
{
	unsigned serial = tui_cases_serial(app, 0), disk = tui_cases_serial(app, 1);

	if (serial == cs->serial && cs->ix)
		return 0;
	/* the arriving cases may be gone (committed, freed): forget them first */
	cs->npend = 0;
	cs->lv->list.n = cs->nlib;
	if ((disk != cs->disk_serial || !cs->ix) && cases_rows_open(app, cs) < 0)
		return -1;
	cs->serial = serial;
	cs->disk_serial = disk;
	if (refilter(app, cs) < 0)
		return -1;
	if (cs->follow && cs->npend) {
		cs->lv->list.sel = cs->nlib;
		cs->follow = 0;
	}
	return 0;
}

int tui_show_cases(tui_app *app, const char *pid)
{
	struct cases *cs;

	if (tui_switch_base(app, 1) < 0)
		return -1;
	cs = tui_view_list(tui_top(app))->data;
	if (cases_sync(app, cs) < 0)
		return -1;
	if (pid && cs->rate.step == RATE_NONE) {
		char *copy = strdup(pid);
		if (copy) {
			free(cs->principle);
			cs->principle = copy;
		}
		cs->lv->focus_text = 0;
	}
	cs->follow = 1;
	return refilter(app, cs);
}

static long cases_load(tui_app *app, tui_listview *lv, void *data, const char *arg)
{
	struct cases *cs = data;

	cs->lv = lv;
	cs->app = app;
	cs->status = cs->kind = -1;
	cs->disk_serial = tui_cases_serial(app, 1) - 1; /* load now */
	return cases_sync(app, cs) < 0 ? -1 : (long)lv->list.n;
}

static void cases_unload(void *data)
{
	struct cases *cs = data;

	rate_end(cs);
	for (size_t i = 0; i < cs->nmarked; i++)
		free(cs->marked[i]);
	free(cs->marked);
	free(cs->principle);
	cases_rows_close(cs);
}

/* ---- drawing ---- */

static void filter_line(tui_app *app, struct cases *cs, cd_buf *b)
{
	const char *const *ids;
	int searched;
	size_t appeals = tui_appeal_ids(app, &ids, &searched);

	cd_buf_printf(b, "status: %s  kind: %s  severity: ",
		      cs->status >= 0 ? case_status_name(cs->status) : "any",
		      cs->kind >= 0 ? case_kind_name(cs->kind) : "any");
	if (cs->min_severity)
		cd_buf_printf(b, "%d+", cs->min_severity);
	else
		cd_buf_puts(b, "any");
	cd_buf_printf(b, "  principle: %s", cs->principle ? cs->principle : "any");
	if (cs->nmarked)
		cd_buf_printf(b, "  (%zu marked)", cs->nmarked);
	if (searched)
		cd_buf_printf(b, "  (%zu under appeal: A)", appeals);
}

/* Once appeals were searched for, a second mark column: A under appeal. */
static void row_text(tui_app *app, struct cases *cs, const cJSON *c, cd_buf *b)
{
	const char *const *ids;
	int searched;

	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(c, "principles");
	const cJSON *first = cJSON_GetArrayItem(ps, 0);
	int kind = case_get_kind(c), nps = cJSON_GetArraySize(ps);
	char first_id[40];

	snprintf(first_id, sizeof first_id, "%s%s", cJSON_IsString(first) ? first->valuestring : "?",
		 nps > 1 ? "+" : "");
	tui_appeal_ids(app, &ids, &searched);
	cd_buf_putc(b, is_marked(cs, case_id(c)) ? '*' : ' ');
	if (searched)
		cd_buf_putc(b, case_id(c) && tui_under_appeal(app, case_id(c)) ? 'A' : ' ');
	cd_buf_printf(b, " %-9s %-9s %d %-16.16s ",
		      cases_is_pending(cs, c) ? "new" : cases_str(c, "status", "?"),
		      kind >= 0 ? kind_short[kind] : "?", cd_json_int(c, "severity", 0), first_id);
	cd_sanitize(cases_str(c, "scenario", ""), strlen(cases_str(c, "scenario", "")), CD_SAN_ONE_LINE, b);
}

static int cases_header(tui_app *app, tui_listview *lv, tui_rect r)
{
	cd_buf line = CD_BUF_INIT;

	filter_line(app, lv->data, &line);
	attrset(tui_style(ST_DIM));
	tui_put(r.y, r.x, line.data, line.len, r.w);
	cd_buf_clear(&line);
	return 1;
}

static void cases_empty(tui_app *app, tui_listview *lv, tui_rect r)
{
	struct cases *cs = lv->data;

	tui_puts(r.y, r.x, tui_generating(app) ? "Waiting for the model's cases..."
			   : cs->total + cs->npending_all ? "No case passes the filters (c shows every case)."
			   : "No cases yet: C on a principle asks the model for some.", r.w);
}

static void cases_draw_row(tui_app *app, tui_listview *lv, size_t i, tui_rect r, int sel)
{
	struct cases *cs = lv->data;
	const cJSON *c = cases_row(app, cs, i);
	cd_buf line = CD_BUF_INIT;

	if (!c)
		return;
	row_text(app, cs, c, &line);
	if (!sel && i >= cs->nlib)
		attrset(tui_style(ST_ADD));
	tui_put(r.y, r.x, line.data, line.len, r.w);
	cd_buf_clear(&line);
}

static void cases_describe(tui_app *app, tui_listview *lv, size_t row, tui_pager *p)
{
	const cJSON *c = cases_row(app, lv->data, row);

	if (c)
		cases_fill_text(app, lv->data, c, p);
}

/* The view follows the library and the arriving cases. */
static void cases_prepare(tui_app *app, tui_listview *lv)
{
	if (cases_sync(app, lv->data) < 0)
		tui_error(app, "%s", cd_err_msg());
}

/* ---- actions ---- */

static void cycle(int *value, int count)
{
	*value = *value + 1 < count ? *value + 1 : -1;
}

static void toggle_principle(tui_app *app, struct cases *cs)
{
	const cJSON *sel = cases_selected(app, cs);
	const cJSON *first = sel ? cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(sel, "principles"), 0) : NULL;

	if (cs->principle) {
		free(cs->principle);
		cs->principle = NULL;
	} else if (cJSON_IsString(first)) {
		cs->principle = strdup(first->valuestring);
	} else {
		tui_message(app, "Select a case first: p shows only the cases on its principle");
	}
}

static void toggle_mark(tui_app *app, struct cases *cs)
{
	const cJSON *sel = cases_selected(app, cs);
	const char *id = sel ? case_id(sel) : NULL;
	char **more;

	if (!id)
		return;
	for (size_t i = 0; i < cs->nmarked; i++)
		if (!strcmp(cs->marked[i], id)) {
			free(cs->marked[i]);
			cs->marked[i] = cs->marked[--cs->nmarked];
			return;
		}
	if ((more = realloc(cs->marked, (cs->nmarked + 1) * sizeof *more))) {
		cs->marked = more;
		if ((more[cs->nmarked] = strdup(id)))
			cs->nmarked++;
	}
}

/* g here: the principle filter, else the selected case's first principle. */
static void generate(tui_app *app, struct cases *cs)
{
	const cJSON *sel = cases_selected(app, cs);
	const cJSON *first = sel ? cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(sel, "principles"), 0) : NULL;

	if (cs->principle)
		tui_generate(app, cs->principle);
	else if (cJSON_IsString(first))
		tui_generate(app, first->valuestring);
	else
		tui_message(app, "Select a principle in the Principles view (1) and press g there");
}

static int filter_action(struct cases *cs, enum tui_action a)
{
	switch (a) {
	case ACT_BY_STATUS: cycle(&cs->status, CASE_STATUS_COUNT); break;
	case ACT_BY_KIND: cycle(&cs->kind, CASE_KIND_COUNT); break;
	case ACT_BY_SEVERITY: /* any, 5, 4+, 3+, 2+, any */
		cs->min_severity = !cs->min_severity ? 5 : cs->min_severity > 2 ? cs->min_severity - 1 : 0;
		break;
	case ACT_SHOW_ALL:
		cs->status = cs->kind = -1;
		cs->min_severity = 0;
		free(cs->principle);
		cs->principle = NULL;
		break;
	default: return 0;
	}
	return 1;
}

struct decision {
	char id[CD_ID_SIZE + 8];
	case_status status;
};

static void decided(tui_app *app, void *ud, const char *note)
{
	struct decision *d = ud;
	cd_buf who = CD_BUF_INIT;
	char commit[41];

	if (!note) {
		tui_message(app, "Cancelled: %s stays as it was", d->id);
	} else if (rate_rater(tui_store(app), &who) < 0 ||
		   case_status_commit(tui_store(app), d->id, d->status, who.data, note, commit) < 0) {
		tui_error(app, "%s", cd_err_msg());
	} else {
		tui_message(app, "%s is %s; committed %.7s", d->id, case_status_name(d->status), commit);
		tui_cases_changed(app, 1);
	}
	cd_buf_clear(&who);
	free(d);
}

/* y confirms the selected case, x dismisses it, after an optional note. */
static void decide(tui_app *app, struct cases *cs, case_status st)
{
	const cJSON *c = cases_selected(app, cs);
	struct decision *d;

	if (!c || !case_id(c)) {
		tui_message(app, "No case here to %s", st == CASE_CONFIRMED ? "confirm" : "dismiss");
		return;
	}
	if (!(d = calloc(1, sizeof *d))) {
		tui_error(app, "out of memory");
		return;
	}
	snprintf(d->id, sizeof d->id, "%s", case_id(c));
	d->status = st;
	tui_ask(app, st == CASE_CONFIRMED ? "Confirm. Note (optional, Enter confirms, Esc cancels):"
					  : "Dismiss. Note (optional, Enter dismisses, Esc cancels):",
		0, decided, d);
}

/* Select the case to rate next, showing every case if a filter hides it. */
static void select_next_to_rate(tui_app *app, struct cases *cs)
{
	char id[64];

	if (cases_next_to_rate(app, id, sizeof id) <= 0)
		return;
	if (tui_lv_select_id(cs->lv, id) < 0) {
		filter_action(cs, ACT_SHOW_ALL);
		refilter(app, cs);
		tui_lv_select_id(cs->lv, id);
	}
	cs->lv->focus_text = 0;
	cases_text_stale(cs);
}

static int cases_action(tui_app *app, tui_listview *lv, enum tui_action a)
{
	struct cases *cs = lv->data;

	if (rate_action(app, cs, a))
		return 1;
	if (filter_action(cs, a)) {
		refilter(app, cs);
		return 1;
	}
	switch (a) {
	case ACT_BY_PRINCIPLE: toggle_principle(app, cs); refilter(app, cs); return 1;
	case ACT_MARK: toggle_mark(app, cs); tui_list_action(&lv->list, ACT_DOWN, 1); return 1;
	case ACT_RATE:
		if (cases_selected(app, cs))
			rate_start(app, cs);
		return 1;
	case ACT_GENERATE: generate(app, cs); return 1;
	case ACT_AMEND: cases_amend(app, cs); return 1;
	case ACT_APPEALS: tui_appeals_find(app); return 1;
	case ACT_RATE_NEXT: select_next_to_rate(app, cs); return 1;
	case ACT_TRIAGE: cases_triage(app, cs); return 1;
	case ACT_ACCEPT: decide(app, cs, CASE_CONFIRMED); return 1;
	case ACT_REJECT: decide(app, cs, CASE_DISMISSED); return 1;
	case ACT_VALID: case ACT_INVALID:
		tui_message(app, "%s answers a question of the rating: press r to rate the case",
			    tui_actions[a].name);
		return 1;
	default: return 0;
	}
}

static int cases_key(tui_app *app, tui_listview *lv, int key)
{
	return rate_key(app, lv->data, key);
}

static int matches(const cJSON *c, const char *needle)
{
	static const char *const keys[] = { "id", "scenario", "literal_reading", "expected",
					    "rationale" };
	const cJSON *p;

	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		const char *s = cd_json_str(c, keys[k]);
		if (s && tui_strcasestr(s, strlen(s), needle))
			return 1;
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
		if (cJSON_IsString(p) && tui_strcasestr(p->valuestring, strlen(p->valuestring), needle))
			return 1;
	return 0;
}

static long cases_find(tui_app *app, tui_listview *lv, const char *needle, int dir)
{
	return cases_rows_search(app, lv->data, needle, dir, matches);
}

static const char *cases_row_id(tui_listview *lv, size_t row)
{
	struct cases *cs = lv->data;
	const cJSON *c = cases_row(cs->app, cs, row);

	return c ? case_id(c) : NULL;
}

/* The row of a case: the index says where it would be; it is there only
 * if that row is the case. */
static long cases_row_of(tui_listview *lv, const char *id)
{
	struct cases *cs = lv->data;
	long at = cases_rows_position(cs, id);
	const char *there = at >= 0 ? cases_row_id(lv, (size_t)at) : NULL;

	return there && !strcmp(there, id) ? at : -1;
}

static int cases_update(tui_app *app, tui_listview *lv)
{
	struct cases *cs = lv->data;

	cs->disk_serial = tui_cases_serial(app, 1) - 1;
	cs->serial = tui_cases_serial(app, 0) - 1;
	return cases_sync(app, cs);
}

static void cases_position(tui_listview *lv, char *buf, size_t n)
{
	struct cases *cs = lv->data;
	size_t all = cs->total + cs->npending_all;

	if (lv->list.n && lv->list.n != all)
		snprintf(buf, n, "%zu/%zu of %zu", lv->list.sel + 1, lv->list.n, all);
	else if (lv->list.n)
		snprintf(buf, n, "%zu/%zu", lv->list.sel + 1, lv->list.n);
	else
		snprintf(buf, n, "0/%zu", all);
}

static const struct tui_list_ops cases_ops = {
	.size = sizeof(struct cases),
	.side_pct = 55,
	.stacked_pct = 40,
	.load = cases_load,
	.unload = cases_unload,
	.update = cases_update,
	.prepare = cases_prepare,
	.row_id = cases_row_id,
	.row_of = cases_row_of,
	.draw_header = cases_header,
	.draw_row = cases_draw_row,
	.draw_empty = cases_empty,
	.describe = cases_describe,
	.find = cases_find,
	.action = cases_action,
	.key = cases_key,
	.position = cases_position,
};

const struct tui_view_ops tui_view_cases = TUI_LIST_VIEW("Cases", TV_CASES, &cases_ops);
