/* job.c — an engine workflow that talks to the model, run in steps from
 * the event loop (see tui_int.h and codicil/workflow.h).
 *
 * The job's function runs inside the workflow with a store and a client of
 * its own, so that its requests, its run record and its lock are its own;
 * it tells the app how far it is (tui_job_progress) by writing into the
 * job, and what came of it into its own ud, which the app reads between
 * steps and when it has ended: the two never run at once. */
#include "tui_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/runlog.h"
#include "codicil/sanitize.h"
#include "codicil/client_config.h"
#include "codicil/workflow.h"

struct tui_job_ctx {
	store *s;
	config *cfg;
	llm_client *client;
	llm_client *target; /* the model under audit (tui_job_target_client) */
	const char *what; /* the job's name: the command of its run record */
	runlog *run;
	struct tui_job *job;
};

struct tui_job {
	workflow *wf;
	tui_job_ctx ctx;
	char what[48];
	char progress[256];
	const char *workdir;
	tui_job_run_fn run;
	tui_job_done_fn done;
	void *ud;
	void (*free_ud)(void *);
};

/* ---- the workflow's side ---- */

store *tui_job_store(tui_job_ctx *jc) { return jc->s; }
config *tui_job_config(tui_job_ctx *jc) { return jc->cfg; }

llm_client *tui_job_client(tui_job_ctx *jc)
{
	llm_client_opts o = { .repair = 1 };

	if (!jc->client && client_open_configured(jc->cfg, jc->s, &o, &jc->client) < 0) {
		jc->client = NULL;
		cd_err_set("%s (check the settings with 'codicil doctor')", cd_err_msg());
	}
	if (jc->client && llm_client_check_key(jc->client) < 0) {
		llm_client_free(jc->client);
		jc->client = NULL;
	}
	if (jc->client && !jc->run &&
	    runlog_begin(jc->s, jc->cfg, jc->client, jc->what, 0, NULL, &jc->run) < 0) {
		llm_client_free(jc->client); /* a run whose cost nobody would see: not sent */
		jc->client = NULL;
	}
	return jc->client;
}

llm_client *tui_job_target_client(tui_job_ctx *jc)
{
	llm_client_opts o = { .repair = 1 };
	llm_settings set;

	if (!jc->target && (!tui_job_client(jc) ||
			    client_settings_for_target(jc->cfg, jc->s, NULL, &set) < 0 ||
			    llm_client_open(&set, jc->s, &o, &jc->target) < 0)) {
		jc->target = NULL;
		return NULL;
	}
	if (llm_client_check_key(jc->target) < 0) {
		llm_client_free(jc->target);
		jc->target = NULL;
		return NULL;
	}
	runlog_attach(jc->run, jc->target);
	llm_client_share_budget(jc->client, jc->target);
	return jc->target;
}

void tui_job_progress(tui_job_ctx *jc, const char *fmt, ...)
{
	char text[512];
	cd_buf line = CD_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (workflow_cancelled(jc->job->wf))
		return; /* "cancelling" stays */
	cd_sanitize(text, strlen(text), CD_SAN_ONE_LINE, &line);
	snprintf(jc->job->progress, sizeof jc->job->progress, "%s", cd_buf_cstr(&line));
	cd_buf_clear(&line);
}

/* The workflow: open, run the job, and let every answer in before the
 * run record closes (what was paid for is metered), keeping the job's
 * error. */
static int job_main(void *ud)
{
	struct tui_job *j = ud;
	tui_job_ctx *jc = &j->ctx;
	char error[1024] = "";
	int rc = -1;

	if (store_open(j->workdir, &jc->s) == 0)
		rc = j->run(jc, j->ud);
	if (rc < 0)
		snprintf(error, sizeof error, "%s", cd_err_msg()[0] ? cd_err_msg() : "failed");
	if (jc->client)
		workflow_run_client(jc->client);
	if (jc->target)
		workflow_run_client(jc->target);
	runlog_end(jc->run, rc == 0);
	if (jc->client)
		llm_client_free(jc->client);
	if (jc->target)
		llm_client_free(jc->target);
	if (jc->s)
		store_close(jc->s);
	if (rc < 0)
		cd_err_set("%s", error);
	return rc;
}

/* ---- the app's side ---- */

/* The running job; one at a time. */
static const tui_feature job_feature = { "job", NULL };

static struct tui_job *the_job(tui_app *app)
{
	return tui_state(app, &job_feature);
}

int tui_job_running(tui_app *app)
{
	return the_job(app) != NULL;
}

int tui_job_cancelling(tui_app *app)
{
	struct tui_job *j = the_job(app);

	return j && workflow_cancelled(j->wf);
}

static void cancel(void *ud)
{
	tui_app *app = ud;
	struct tui_job *j = the_job(app);

	if (!j || workflow_cancelled(j->wf))
		return;
	workflow_cancel(j->wf);
	snprintf(j->progress, sizeof j->progress, "cancelling");
	tui_redraw(app);
}

static void job_free(struct tui_job *j)
{
	if (j->free_ud)
		j->free_ud(j->ud);
	free(j);
}

/* What the job's client would refuse, said at once rather than when the
 * job has started: settings that do not resolve, no key for a hosted
 * provider. */
static int key_missing(tui_app *app)
{
	llm_client_opts o = { .repair = 1 };
	llm_client *c;
	int missing;

	if (client_open_configured(tui_config(app), tui_store(app), &o, &c) < 0) {
		tui_error(app, "%s (check the settings with 'codicil doctor')", cd_err_msg());
		return 1;
	}
	if ((missing = llm_client_check_key(c) < 0))
		tui_error(app, "%s", cd_err_msg());
	llm_client_free(c);
	return missing;
}

int tui_job_start(tui_app *app, const char *what, tui_job_run_fn run, tui_job_done_fn done,
		  void *ud, void (*free_ud)(void *))
{
	struct tui_job *j;

	if (the_job(app)) {
		tui_error(app, "%s must wait for the running %s (Esc cancels it)", what,
			  the_job(app)->what);
		goto fail;
	}
	if (tui_llm_pending(app)) {
		tui_error(app, "%s must wait for the running LLM job (Esc cancels it)", what);
		goto fail;
	}
	if (key_missing(app))
		goto fail;
	if (!(j = calloc(1, sizeof *j))) {
		tui_error(app, "out of memory");
		goto fail;
	}
	snprintf(j->what, sizeof j->what, "%s", what);
	snprintf(j->progress, sizeof j->progress, "starting");
	j->ctx = (tui_job_ctx){ .cfg = tui_config(app), .what = j->what, .job = j };
	j->workdir = store_workdir(tui_store(app));
	j->run = run;
	j->done = done;
	j->ud = ud;
	j->free_ud = free_ud;
	if (tui_set_state(app, &job_feature, j) < 0) {
		job_free(j);
		return -1;
	}
	if (workflow_begin(job_main, j, &j->wf) < 0) {
		tui_error(app, "cannot start the %s: %s", what, cd_err_msg());
		tui_set_state(app, &job_feature, NULL);
		job_free(j);
		return -1;
	}
	tui_set_jobs(app, 1, 0);
	tui_set_cancel(app, cancel, app);
	return 0; /* the event loop's next turn runs it */
fail:
	if (free_ud)
		free_ud(ud);
	return -1;
}

static void finished(tui_app *app, struct tui_job *j)
{
	int cancelled = workflow_cancelled(j->wf);
	int rc = workflow_end(j->wf);
	enum tui_job_end end = rc == 0 ? TUI_JOB_OK : cancelled ? TUI_JOB_CANCELLED : TUI_JOB_FAILED;
	char *error = cd_sanitize_dup(rc < 0 ? cd_err_msg() : "", CD_SAN_ONE_LINE);

	tui_set_state(app, &job_feature, NULL);
	tui_set_jobs(app, 0, 0);
	tui_set_cancel(app, NULL, NULL);
	j->done(app, j->ud, end, error ? error : "failed");
	free(error);
	job_free(j);
	tui_redraw(app);
}

void tui_job_poll(tui_app *app)
{
	struct tui_job *j = the_job(app);

	if (!j)
		return;
	if (workflow_step(j->wf) == WORKFLOW_DONE) {
		finished(app, j);
		return;
	}
	tui_set_jobs(app, 1, workflow_tokens(j->wf));
}

int tui_job_wait(tui_app *app, int fd, int timeout_ms)
{
	struct tui_job *j = the_job(app);

	return j ? workflow_wait(j->wf, fd, timeout_ms) : 0;
}

void tui_job_close(tui_app *app)
{
	cancel(app);
	while (the_job(app))
		tui_job_poll(app);
}

const char *tui_job_status(tui_app *app, int cols, char *buf, size_t n)
{
	struct tui_job *j = the_job(app);
	char esc[32], hint[48] = "";
	const char *progress;
	size_t fits;
	int room;

	if (!j)
		return NULL;
	progress = j->progress;
	tui_action_keys(app, ACT_CANCEL, esc, sizeof esc);
	esc[strcspn(esc, " ")] = '\0';
	if (esc[0] && !workflow_cancelled(j->wf))
		snprintf(hint, sizeof hint, "  (%s cancels)", esc);
	/* the progress gives way, so that how to cancel stays in sight */
	room = cols - (int)strlen(j->what) - 2 - (int)strlen(hint);
	fits = tui_fit(progress, strlen(progress), room > 1 ? room - 1 : 1, 0, NULL);
	snprintf(buf, n, "%s: %.*s%s%s", j->what, (int)fits, progress,
		 progress[fits] ? "…" : "", hint);
	return buf;
}
