/* cases.h — internal to the Cases view (view_cases.c) and its rating flow
 * (cases_rate.c). */
#ifndef CODICIL_TUI_CASES_H
#define CODICIL_TUI_CASES_H

#include "app.h"

#include "codicil/argue.h"
#include "codicil/case.h"

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
} rate_flow;

struct cases {
	case_library lib;    /* cases/ in the work tree */
	size_t errors_shown; /* unreadable files reported */
	cJSON **all;         /* lib's cases, then the ones still arriving */
	size_t nall, nlib;
	cJSON **rows;        /* those that pass the filters */
	tui_list list;
	int status, kind, min_severity; /* -1 / -1 / 0: any */
	char *principle;     /* NULL: any */
	char **marked;       /* ids */
	size_t nmarked;
	tui_pager text;
	const cJSON *text_for;
	int text_stale;      /* rebuild the text pane at the next draw */
	int focus_text;
	enum tui_layout layout;
	const char *needle;  /* during a search */
	int list_h;
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
void cases_fill_text(tui_app *app, struct cases *cs, const cJSON *c);

/* The selected case, or NULL. */
const cJSON *cases_selected(struct cases *cs);
/* Bring the view in step with the library and the arriving cases. */
int cases_sync(tui_app *app, struct cases *cs);

/* cases_rate.c */
void rate_start(tui_app *app, struct cases *cs);
/* An action while rating; 1 when it was the flow's. */
int rate_action(tui_app *app, struct cases *cs, enum tui_action a);
int rate_key(tui_app *app, struct cases *cs, int key);
/* The flow's panel, above the case in the text pane. */
void rate_panel(tui_app *app, struct cases *cs, tui_pager *t);
void rate_end(struct cases *cs);

#endif
