/* cases.h — internal to the Cases view (view_cases.c) and its rating flow
 * (cases_rate.c). */
#ifndef CODICIL_TUI_CASES_H
#define CODICIL_TUI_CASES_H

#include "app.h"

#include "codicil/argue.h"
#include "codicil/case.h"
#include "codicil/case_index.h"

enum rate_step {
	RATE_NONE,
	RATE_QUICK,      /* first impression: v / i */
	RATE_ASKING,     /* the model argues both sides */
	RATE_CONSIDERED, /* after reading them: v / i */
	RATE_CONFIDENCE, /* 1..5 */
};

typedef struct rate_flow {
	enum rate_step step;
	tui_app *app;
	char id[32];          /* the case being rated */
	const char *quick, *verdict;
	argue_result args;
	char *args_error;     /* why there are no arguments */
	unsigned call;
	long tokens;
	cJSON *c;             /* the case, as it was when rating began */
	int skip;             /* codicil.argueAbove: no arguments unless asked */
	double p_flip, argue_above; /* why (argue_advise) */
} rate_flow;

#define CASES_WINDOW 128

struct cases {
	struct case_index *ix; /* the library (cases_rows.c) */
	size_t errors_shown; /* unreadable files reported */
	size_t total;        /* library cases, all of them */
	size_t nlib;         /* those that pass the filters: rows 0..nlib-1 */
	cJSON **pend;        /* arriving cases that pass: rows nlib.. */
	size_t npend, npending_all;
	cJSON *win[CASES_WINDOW]; /* library rows win_start.. as their files have them */
	size_t win_start, win_n;
	tui_listview *lv;    /* the generic half: selection, pane, focus */
	tui_app *app;
	int status, kind, min_severity; /* -1 / -1 / 0: any */
	char *principle;     /* NULL: any */
	char **marked;       /* ids */
	size_t nmarked;
	unsigned serial, disk_serial;
	int follow;          /* select the first new case when one arrives */
	rate_flow rate;
};

/* 1 for a case that a running generation brought (not committed yet). */
int cases_is_pending(struct cases *cs, const cJSON *c);
/* The string at key, or def. */
const char *cases_str(const cJSON *o, const char *key, const char *def);

/* cases_amend.c: draft an amendment from the marked or selected cases */
void cases_amend(tui_app *app, struct cases *cs);

/* cases_text.c: the text pane for case c */
void cases_fill_text(tui_app *app, struct cases *cs, const cJSON *c, tui_pager *t);
/* Rebuild the text pane at the next draw. */
void cases_text_stale(struct cases *cs);

/* The selected case, or NULL; valid until the view moves to another
 * window of rows or reloads. */
const cJSON *cases_selected(tui_app *app, struct cases *cs);

/* cases_rows.c: the rows */
int cases_rows_open(tui_app *app, struct cases *cs);  /* the index, up to date */
int cases_rows_filter(tui_app *app, struct cases *cs); /* count what passes */
void cases_rows_close(struct cases *cs);
const cJSON *cases_row(tui_app *app, struct cases *cs, size_t i);
/* The row of case id (it is there only if that row's id is id), or -1. */
long cases_rows_position(struct cases *cs, const char *id);
/* The next row (dir > 0) or the one before whose text has the needle's
 * words, wrapping around; -1 when none. */
long cases_rows_search(tui_app *app, struct cases *cs, const char *needle, int dir,
		       int (*pending_matches)(const cJSON *c, const char *needle));
/* Bring the view in step with the library and the arriving cases. */
int cases_sync(tui_app *app, struct cases *cs);

/* cases_next.c: the id of the case `codicil queue` puts first for the
 * current rater, with a message saying why: 1, or 0 (none left; said) or
 * -1 (the error shown). */
int cases_next_to_rate(tui_app *app, char *id, size_t size);

/* cases_triage.c: a behaviour case's transcript and verdicts; the
 * triage key */
void cases_behaviour_text(tui_pager *t, const cJSON *c);
void cases_triage(tui_app *app, struct cases *cs);

/* cases_rate.c */
void rate_start(tui_app *app, struct cases *cs);
/* An action while rating; 1 when it was the flow's. */
int rate_action(tui_app *app, struct cases *cs, enum tui_action a);
int rate_key(tui_app *app, struct cases *cs, int key);
/* The flow's panel, above the case in the text pane. */
void rate_panel(tui_app *app, struct cases *cs, tui_pager *t);
void rate_end(struct cases *cs);

#endif
