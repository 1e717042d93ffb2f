/* app.h — internal to src/tui: the application, its views and the helpers
 * they draw with.  A view is an ops table (tig's struct view_ops) plus a
 * private pointer; the app keeps a stack of them, draws the top one into
 * the body between the status line (top) and the message line (bottom),
 * and hands it the actions the keymap resolves. */
#ifndef CODICIL_TUI_APP_H
#define CODICIL_TUI_APP_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stddef.h>

#include "actions.h"
#include "codicil/buf.h"
#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/store.h"

typedef struct tui_app tui_app;
typedef struct tui_view tui_view;

typedef struct tui_rect {
	int y, x, h, w;
} tui_rect;

struct tui_view_ops {
	const char *name;  /* in the status line */
	unsigned kind;     /* TV_*: which actions the help screen lists */
	/* Load the view's data; arg is the view's argument (a commit id) or
	 * NULL.  -1 with cd_err set: the view is not shown. */
	int (*open)(tui_app *app, tui_view *v, const char *arg);
	void (*close)(tui_view *v);
	void (*draw)(tui_app *app, tui_view *v, tui_rect r);
	/* 1 when the view handled the action. */
	int (*action)(tui_app *app, tui_view *v, enum tui_action a);
	/* Move to the next (dir 1) or previous (-1) match; 0 found, -1 none.
	 * NULL: the view cannot be searched. */
	int (*search)(tui_app *app, tui_view *v, const char *needle, int dir);
	/* Reload from the repository (NULL: nothing to reload). */
	int (*reload)(tui_app *app, tui_view *v);
	/* "12/29" for the status line (NULL: nothing). */
	void (*position)(tui_view *v, char *buf, size_t n);
	/* A key before the keymap sees it, for a view that asks a question
	 * whose answers are not actions (a confidence from 1 to 5); 1 when
	 * consumed.  NULL: keys go to the keymap. */
	int (*key)(tui_app *app, tui_view *v, int key);
	/* A list view (TUI_LIST_VIEW): what its rows are; NULL otherwise. */
	const struct tui_list_ops *list;
};

struct tui_view {
	const struct tui_view_ops *ops;
	void *priv;
};

/* ---- the app (app.c) ---- */

/* Waits until fd is readable or timeout_ms passes; 1 when readable.  The
 * LLM code installs llm_client_step() here so that network I/O and the
 * keyboard are served by the same loop. */
typedef int (*tui_wait_fn)(void *ud, int fd, int timeout_ms);

store *tui_store(tui_app *app);
config *tui_config(tui_app *app);
/* The charter's path in the work tree. */
const char *tui_charter_path(tui_app *app);

/* The view on top of the stack. */
tui_view *tui_top(tui_app *app);
/* Show base view i (0 Principles .. 4 Theories; opened on first use)
 * with nothing above it. */
int tui_switch_base(tui_app *app, int i);
/* Open a view on top of the stack; on failure the error is shown. */
int tui_push(tui_app *app, const struct tui_view_ops *ops, const char *arg);
/* Messages on the bottom line until the next key. */
void tui_message(tui_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(tui_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Leave curses mode around fn (an editor); the screen is redrawn after. */
int tui_external(tui_app *app, int (*fn)(void *ud), void *ud);
/* The LLM job slot of the status line: spinner, count, tokens. */
void tui_set_jobs(tui_app *app, unsigned running, long tokens);
void tui_set_wait(tui_app *app, tui_wait_fn fn, void *ud); /* NULL: the keyboard alone */
/* What Esc calls while jobs run. */
void tui_set_cancel(tui_app *app, void (*fn)(void *ud), void *ud);
/* Effective keys of an action, "j Down". */
void tui_action_keys(tui_app *app, enum tui_action a, char *buf, size_t n);

/* The screen needs drawing again (state changed outside a key). */
void tui_redraw(tui_app *app);
/* Something was committed: every open view reloads (errors are shown). */
void tui_repo_changed(tui_app *app);

/* What a feature keeps for the session (the running job, the open
 * question, the session's client, ...): the app holds one pointer per
 * feature without knowing its shape.  A feature names itself with a
 * tui_feature of its own. */
typedef struct tui_feature {
	const char *name;
	/* Frees a state still held when the app ends, after the views have
	 * closed (NULL: the feature ends it itself, earlier). */
	void (*end)(void *state);
} tui_feature;
void *tui_state(tui_app *app, const tui_feature *f);
/* 0, or -1 (shown) when the app holds as many as it can. */
int tui_set_state(tui_app *app, const tui_feature *f, void *state);

/* ---- LLM work (llm.c, gen.c) ---- */

/* The session's LLM client, opened on first use; from then on the event
 * loop waits on the keyboard and the network together.  NULL with the
 * error shown. */
llm_client *tui_llm(tui_app *app);
/* 1 while the session's client has calls in flight. */
int tui_llm_pending(tui_app *app);
/* 1, with a message naming what waits, while an LLM job runs. */
int tui_llm_busy(tui_app *app, const char *what);
/* Cancel what runs, deliver every answer (so a job commits what it has),
 * free the client.  Before the views close. */
void tui_llm_close(tui_app *app);

/* Ask the model for counterexamples to a principle; more principles may
 * join a running generation.  The cases show in the Cases view as they
 * arrive and are committed in one commit when the last answer is in. */
int tui_generate(tui_app *app, const char *pid);
/* Requests of the running generation still waiting for their answer. */
size_t tui_generating(tui_app *app);
/* The cases a running generation has brought so far (not committed). */
size_t tui_gen_cases(tui_app *app, cJSON *const **cases);
/* Switch to the Cases view showing the cases of principle (NULL: as it
 * was), with the selection on the first new case when one arrives. */
int tui_show_cases(tui_app *app, const char *pid);
/* Counters bumped whenever the cases change: on_disk for a commit, else
 * for any change (an arrival too).  Views compare them to reload. */
unsigned tui_cases_serial(tui_app *app, int on_disk);
void tui_cases_changed(tui_app *app, int on_disk);

/* ---- drawing (draw.c); text must already be sanitised UTF-8 ---- */

enum tui_style {
	ST_NORMAL, ST_STATUS, ST_SELECT, ST_SELECT_DIM, ST_TITLE, ST_META, ST_DIM,
	ST_ADD, ST_DEL, ST_HUNK, ST_ERROR, ST_MATCH, ST_COUNT
};
void tui_styles_init(int use_color);
attr_t tui_style(enum tui_style s);
/* Draw s (len bytes) at y, x in at most maxw columns, by display width:
 * wide characters count 2 and are never cut, tabs expand to 8-column stops
 * counted from x, anything unprintable shows as U+FFFD.  Returns the
 * columns drawn. */
int tui_put(int y, int x, const char *s, size_t len, int maxw);
int tui_puts(int y, int x, const char *s, int maxw);
/* Display width of s; the byte length of the longest prefix that fits in
 * maxw columns (*w receives its width), preferring to end after a space
 * when wrap is set and such a break exists. */
int tui_width(const char *s, size_t len);
size_t tui_fit(const char *s, size_t len, int maxw, int wrap, int *w);
/* Paint w spaces with the current attributes. */
void tui_fill(int y, int x, int w);

/* ---- a selectable list (list.c) ---- */

typedef struct tui_list {
	size_t n, sel, top;
} tui_list;
/* Move the selection (up, down, pages, first, last); 1 when handled. */
int tui_list_action(tui_list *l, enum tui_action a, int page);
/* Scroll so the selection is visible in h rows. */
void tui_list_fit(tui_list *l, int h);
/* Select the next (dir 1) or previous (-1) row, wrapping, for which
 * match(ud, row) is true; 0 found, -1 none. */
int tui_list_search(tui_list *l, int dir, int (*match)(void *ud, size_t row), void *ud);
/* "3/12" for the title bar: the selected row of the list; nothing when
 * it is empty. */
void tui_list_position(const tui_list *l, char *buf, size_t n);

/* A list and a text pane: side by side from 100 columns (the list gets
 * side_pct percent of the width), one above the other on a screen of 14
 * rows or more (the list gets stacked_pct percent of the rows), else one
 * pane at a time (both are r).  The rule between them is drawn. */
enum tui_layout { TUI_SIDE, TUI_STACKED, TUI_SINGLE };
enum tui_layout tui_split(tui_rect r, int side_pct, int stacked_pct, tui_rect *list,
			  tui_rect *text);

/* ---- a scrolling, wrapping text (pager.c) ---- */

typedef struct tui_pager_line {
	size_t off, len; /* into text */
	int style;       /* enum tui_style */
	size_t line;     /* for display rows: the logical line */
} tui_pager_line;

typedef struct tui_pager {
	cd_buf text; /* sanitised */
	char *mark;  /* the last search found here: drawn highlighted */
	tui_pager_line *lines, *rows;
	size_t nlines, caplines, nrows;
	int wrap_width; /* rows are valid for this width; 0: recompute */
	size_t top;     /* first display row shown */
	int height;     /* rows shown at the last draw */
} tui_pager;

void tui_pager_clear(tui_pager *p);
/* Sanitise text and append it as lines (split at '\n') in style. */
int tui_pager_add(tui_pager *p, const char *text, size_t len, int style);
int tui_pager_addf(tui_pager *p, int style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tui_pager_draw(tui_pager *p, tui_rect r);
int tui_pager_action(tui_pager *p, enum tui_action a);
int tui_pager_search(tui_pager *p, const char *needle, int dir);
/* Markdown with the soft line breaks of its paragraphs joined, so that a
 * pane wraps prose to its own width; lists, quotes, tables, headings,
 * indented and fenced code keep their lines. */
void tui_reflow(const char *s, size_t len, cd_buf *out);
/* ASCII-case-insensitive substring search. */
const char *tui_strcasestr(const char *hay, size_t len, const char *needle);

/* ---- a list view (listview.c) ----
 *
 * What tig's struct view is to its views: the generic half of a view that
 * is a list of rows with, optionally, a text pane about the selected row.
 * It keeps the selection, scrolls, searches, splits the screen between the
 * list and the pane, moves the focus between them, and keeps the selection
 * on the same row (by its id) across reloads.  A view supplies a
 * tui_list_ops: where its rows come from and how one is drawn. */
typedef struct tui_listview {
	const struct tui_list_ops *ops;
	void *data;          /* the view's own (ops->size bytes) */
	tui_list list;
	tui_pager text;
	size_t text_for;     /* the row the pane was filled for; (size_t)-1: none */
	int focus_text;
	enum tui_layout layout;
	int list_h;          /* rows of the list at the last draw */
	const char *needle;  /* during a search */
} tui_listview;

struct tui_list_ops {
	size_t size;                /* of the view's data, allocated zeroed */
	int side_pct, stacked_pct;  /* the pane's share (tui_split); 0: no pane */
	/* Fill data (zeroed; lv->data is the old data on a reload): the
	 * number of rows, or -1 with cd_err set. */
	long (*load)(tui_app *app, tui_listview *lv, void *data, const char *arg);
	void (*unload)(void *data);
	/* Reload in place instead (set lv->list.n); NULL: load fresh data
	 * and keep it only if that worked. */
	int (*update)(tui_app *app, tui_listview *lv);
	/* Before every draw and action: catch up with changes (NULL: none). */
	void (*prepare)(tui_app *app, tui_listview *lv);
	/* The id of row, to keep the selection on it across reloads; the row
	 * of an id (NULL: a scan with row_id), -1 when it is gone. */
	const char *(*row_id)(tui_listview *lv, size_t row);
	long (*row_of)(tui_listview *lv, const char *id);
	/* A line above the rows; the rows it took (0 or 1).  NULL: none. */
	int (*draw_header)(tui_app *app, tui_listview *lv, tui_rect r);
	/* One row in r (one line high), with the selection's style set when
	 * selected, else A_NORMAL. */
	void (*draw_row)(tui_app *app, tui_listview *lv, size_t row, tui_rect r, int selected);
	/* What to show when there are no rows. */
	void (*draw_empty)(tui_app *app, tui_listview *lv, tui_rect r);
	/* Fill the pane (cleared) for row. */
	void (*describe)(tui_app *app, tui_listview *lv, size_t row, tui_pager *p);
	/* Search: does row have the needle (match), or the next row that has
	 * it in direction dir, -1 if none (find, when the rows are not all in
	 * memory). */
	int (*match)(tui_listview *lv, size_t row, const char *needle);
	long (*find)(tui_app *app, tui_listview *lv, const char *needle, int dir);
	/* The view's own actions and keys; 1 when handled. */
	int (*action)(tui_app *app, tui_listview *lv, enum tui_action a);
	int (*key)(tui_app *app, tui_listview *lv, int key);
	/* For the status line; NULL: "3/12". */
	void (*position)(tui_listview *lv, char *buf, size_t n);
};

/* The generic half, for TUI_LIST_VIEW. */
int tui_lv_open(tui_app *app, tui_view *v, const char *arg);
void tui_lv_close(tui_view *v);
void tui_lv_draw(tui_app *app, tui_view *v, tui_rect r);
int tui_lv_action(tui_app *app, tui_view *v, enum tui_action a);
int tui_lv_search(tui_app *app, tui_view *v, const char *needle, int dir);
int tui_lv_reload(tui_app *app, tui_view *v);
void tui_lv_position(tui_view *v, char *buf, size_t n);
int tui_lv_key(tui_app *app, tui_view *v, int key);

#define TUI_LIST_VIEW(name_, kind_, ops_)                                           \
	{ .name = (name_), .kind = (kind_), .open = tui_lv_open, .close = tui_lv_close,  \
	  .draw = tui_lv_draw, .action = tui_lv_action, .search = tui_lv_search,         \
	  .reload = tui_lv_reload, .position = tui_lv_position, .key = tui_lv_key,       \
	  .list = (ops_) }

/* v's list view, or NULL when v is not one. */
tui_listview *tui_view_list(tui_view *v);
/* Reload (as tui_lv_reload), from a view's own code. */
int tui_lv_reload_list(tui_app *app, tui_listview *lv);
/* Put the selection on the row of id; 0, or -1 when it is not there. */
int tui_lv_select_id(tui_listview *lv, const char *id);

/* ---- the views ---- */
extern const struct tui_view_ops tui_view_principles, tui_view_cases, tui_view_proposals,
	tui_view_history, tui_view_commit, tui_view_help;

#endif
