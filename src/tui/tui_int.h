/* tui_int.h — internal to src/tui: what the proposal, review and theory
 * views, the LLM jobs and the one-line questions offer the other views.
 *
 * Jobs: an engine workflow that talks to the model (amend, rebase,
 * tensions / vagueness / probe, theorize, appeals) runs as a workflow
 * (codicil/workflow.h) with a store and a client of its own.  The event
 * loop waits on the job's client and the keyboard at once and steps the
 * job whenever its answers arrive, so the screen stays live (spinner,
 * progress in the status and message lines), and Esc cancels it at its
 * next wait for the model: a workflow never waits while it commits, so a
 * cancelled job leaves nothing half-written.  One job runs at a time. */
#ifndef CODICIL_TUI_INT_H
#define CODICIL_TUI_INT_H

#include "app.h"
#include "codicil/case.h"
#include "codicil/client.h"

/* ---- what an action would cost (llm.c) ---- */

/* A client that sends nothing and estimates (llm_client_estimate_get),
 * taught by the repository's earlier runs.  NULL after showing why. */
typedef struct tui_dry tui_dry;
tui_dry *tui_dry_open(tui_app *app);
llm_client *tui_dry_client(tui_dry *d);
void tui_dry_close(tui_dry *d);
/* 1 when est is above codicil.confirmAbove ($1 when the model has a price,
 * else 200k tokens); what gets "~$1.31, 232 requests, ~506,731 tokens"
 * (short: it goes on the message line).
 * -1 on a bad setting (shown). */
int tui_costs_too_much(tui_app *app, const llm_client *dry, char *what, size_t size);

/* ---- a question on the message line (ask.c) ---- */

/* answer: what was typed (may be ""), or NULL when Esc cancelled. */
typedef void (*tui_ask_fn)(tui_app *app, void *ud, const char *answer);
/* Ask label on the message line; every key goes to the answer until
 * Enter or Esc.  required: Enter on an empty answer is refused.  ud is
 * passed to done (which owns it from then on). */
int tui_ask(tui_app *app, const char *label, int required, tui_ask_fn done, void *ud);
/* 1 while a question is open. */
int tui_asking(tui_app *app);
/* From the key handler and the message line (keys.c, app.c). */
void tui_ask_key(tui_app *app, int key);
/* Draws the question on row y; returns the cursor's column. */
int tui_ask_draw(tui_app *app, int y);
void tui_ask_free(tui_app *app);

/* ---- jobs (job.c) ---- */

typedef struct tui_job_ctx tui_job_ctx; /* the workflow's side */

/* In the workflow: do the work; 0, or -1 with cd_err set. */
typedef int (*tui_job_run_fn)(tui_job_ctx *jc, void *ud);
enum tui_job_end { TUI_JOB_OK, TUI_JOB_FAILED, TUI_JOB_CANCELLED };
/* In the app when the job has ended: what the job found is in ud (the
 * job's function wrote it there), error is its error. */
typedef void (*tui_job_done_fn)(tui_app *app, void *ud, enum tui_job_end end,
				const char *error);

/* Start a job named what ("amend"); ud is freed with free_ud (may be
 * NULL) after done.  -1 with the reason shown when one is running. */
int tui_job_start(tui_app *app, const char *what, tui_job_run_fn run, tui_job_done_fn done,
		  void *ud, void (*free_ud)(void *));
int tui_job_running(tui_app *app);
/* 1 while the running job is being cancelled (Esc was pressed). */
int tui_job_cancelling(tui_app *app);
/* The event loop: run the job until it waits for the model again, and
 * report it when it has ended. */
void tui_job_poll(tui_app *app);
/* Wait up to timeout_ms for the job's client to have work or for fd
 * (>= 0, the keyboard) to be readable: 1 when fd is. */
int tui_job_wait(tui_app *app, int fd, int timeout_ms);
/* "amend: judging 12 cases  (Esc cancels)" while a job runs, else NULL;
 * the progress is shortened to fit cols columns. */
const char *tui_job_status(tui_app *app, int cols, char *buf, size_t n);
/* Cancel a running job and wait for it (when the TUI quits). */
void tui_job_close(tui_app *app);

/* The workflow's side. */
store *tui_job_store(tui_job_ctx *jc);
config *tui_job_config(tui_job_ctx *jc);
/* The job's client (opened on first use); NULL with cd_err set. */
llm_client *tui_job_client(tui_job_ctx *jc);
/* The model under audit (codicil.target.*), opened on first use after the
 * job's client and metered into the same run; NULL with cd_err set. */
llm_client *tui_job_target_client(tui_job_ctx *jc);
void tui_job_progress(tui_job_ctx *jc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- the jobs the views start (job_amend.c, job_explore.c) ---- */

/* Draft an amendment that resolves the cases (ids or unique prefixes),
 * with the progress in the status line; Esc cancels; on success the
 * review screen of the new proposal opens.  For the Cases view's `a`. */
int tui_job_amend(tui_app *app, const char *const *case_ids, size_t n);
/* Carry pending proposal id to the charter at HEAD (regression again). */
int tui_job_rebase(tui_app *app, const char *id);
/* Tensions, vagueness or probe cases involving principle pid. */
int tui_job_explore(tui_app *app, case_kind kind, const char *pid);
/* Ask for failure theories from the cases (`codicil theorize`). */
int tui_job_theorize(tui_app *app);
/* Audit the target model on principle pid (`codicil audit -p ID -n 1
 * --turns 2`, job_audit.c). */
int tui_job_audit(tui_app *app, const char *pid);

/* ---- appeals (appeals.c) ---- */

/* Find the cases where the judge and the confident raters disagree (a
 * job: judging may ask the model); the Cases view marks them. */
int tui_appeals_find(tui_app *app);
/* 1 when the last search put case id under appeal. */
int tui_under_appeal(tui_app *app, const char *case_id);
/* The ids under appeal (sorted), and whether a search has run. */
size_t tui_appeal_ids(tui_app *app, const char *const **ids, int *searched);
void tui_appeals_free(tui_app *app);

/* ---- proposals (view_proposals.c, view_review.c, proposal_act.c) ---- */

extern const struct tui_view_ops tui_view_review, tui_view_theories;

/* Open the review screen of proposal id. */
int tui_open_review(tui_app *app, const char *id);
/* y, x, b on a proposal: ask for the note / reason, then accept, reject
 * or start the rebase.  The views reload when something was committed. */
void tui_proposal_accept(tui_app *app, const char *id);
void tui_proposal_reject(tui_app *app, const char *id);
void tui_proposal_rebase(tui_app *app, const char *id);
/* The last refusal of an accept (stale proposal), for the review screen;
 * NULL when the last accept of id was not refused. */
const char *tui_proposal_refusal(tui_app *app, const char *id);
/* Remember (msg) or forget (NULL) the refusal of id. */
void tui_proposal_refused(tui_app *app, const char *id, const char *msg);

/* ---- styled text that wraps (rich.c) ---- */

typedef struct tui_span {
	size_t off, len; /* into text */
	int style;
} tui_span;

typedef struct tui_rich_line {
	size_t off, len;       /* into text */
	size_t span, nspans;   /* into spans */
	int indent;            /* wrapped rows after the first start here */
} tui_rich_line;

typedef struct tui_rich_row {
	size_t line, off, len; /* a piece of line */
	int x;                 /* indent */
} tui_rich_row;

typedef struct tui_rich {
	cd_buf text;
	tui_span *spans;
	size_t nspans, capspans;
	tui_rich_line *lines;
	size_t nlines, caplines;
	tui_rich_row *rows;
	size_t nrows;
	int wrap_width;
	size_t top;
	int height;
	int open; /* a line is being built */
} tui_rich;

void tui_rich_clear(tui_rich *r);
/* Append text (sanitised here) in style to the current line. */
int tui_rich_add(tui_rich *r, const char *s, size_t len, int style);
int tui_rich_addf(tui_rich *r, int style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* End the current line; wrapped rows of it are indented by indent. */
int tui_rich_end(tui_rich *r, int indent);
/* A whole line (one style; newlines in s start new lines). */
int tui_rich_text(tui_rich *r, const char *s, int style, int indent);
void tui_rich_draw(tui_rich *r, tui_rect rc);
int tui_rich_action(tui_rich *r, enum tui_action a);
int tui_rich_search(tui_rich *r, const char *needle, int dir);

/* The changed lines of a redline (context < 0: every line) with their
 * words styled RS_DELETE / RS_INSERT (rich_redline.c). */
struct redline;
int tui_rich_redline(tui_rich *out, const struct redline *r, int context);

/* Extra styles of the redline and verdicts, on top of tui_style(). */
attr_t tui_rich_style(int style);
enum { RS_INSERT = ST_COUNT + 1, RS_DELETE, RS_PASS, RS_FAIL };

#endif
