/* workflow.c — engine workflows in steps (see workflow.h for why a thread
 * that never runs at the same time as its caller).
 *
 * The hand-over: `turn` says who may run.  workflow_step() gives the turn
 * to the workflow and sleeps until it comes back; the workflow gives it
 * back when it waits for the model (suspend) or when its function returns.
 * The mutex around every change of turn also orders the memory each side
 * wrote before it, so the other side sees it. */
#include "codicil/workflow.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

enum turn { TURN_CALLER, TURN_WORKFLOW };

struct workflow {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	enum turn turn;
	int done, cancelled;
	workflow_fn fn;
	void *ud;
	int rc;
	char error[1024];
	llm_client *client; /* what it waits on while it waits, else NULL */
	int wake_ms;        /* and at most how long (-1: no limit) */
	long tokens;
};

static _Thread_local workflow *self; /* in a workflow's thread: that workflow */

static void give_turn(workflow *w, enum turn to)
{
	w->turn = to;
	pthread_cond_broadcast(&w->cv);
}

static void await_turn(workflow *w, enum turn mine)
{
	while (w->turn != mine)
		pthread_cond_wait(&w->cv, &w->mu);
}

static void *thread_main(void *arg)
{
	workflow *w = arg;
	int rc = -1;

	pthread_mutex_lock(&w->mu);
	await_turn(w, TURN_WORKFLOW);
	pthread_mutex_unlock(&w->mu);
	self = w;
	cd_err_clear();
	if (!w->cancelled)
		rc = w->fn(w->ud);
	else
		cd_err_set("cancelled");
	pthread_mutex_lock(&w->mu);
	w->rc = rc;
	snprintf(w->error, sizeof w->error, "%s", rc < 0 ? cd_err_msg() : "");
	w->done = 1;
	w->client = NULL;
	give_turn(w, TURN_CALLER);
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Signals are the caller's (the TUI's resize, its stop signals); faults
 * stay where they happen, so that a crash handler sees them. */
static void block_async_signals(sigset_t *old)
{
	static const int sync_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP };
	sigset_t set;

	sigfillset(&set);
	for (size_t i = 0; i < sizeof sync_signals / sizeof *sync_signals; i++)
		sigdelset(&set, sync_signals[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

int workflow_begin(workflow_fn fn, void *ud, workflow **out)
{
	workflow *w = calloc(1, sizeof *w);
	sigset_t old;
	int err;

	*out = NULL;
	if (!w) {
		cd_err_set("out of memory");
		return -1;
	}
	w->fn = fn;
	w->ud = ud;
	w->wake_ms = -1;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	block_async_signals(&old); /* the new thread inherits the mask */
	err = pthread_create(&w->thread, NULL, thread_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		cd_err_set("cannot start the workflow: %s", strerror(err));
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return -1;
	}
	*out = w;
	return 0;
}

enum workflow_state workflow_step(workflow *w)
{
	pthread_mutex_lock(&w->mu);
	if (!w->done) {
		give_turn(w, TURN_WORKFLOW);
		await_turn(w, TURN_CALLER);
	}
	pthread_mutex_unlock(&w->mu);
	return w->done ? WORKFLOW_DONE : WORKFLOW_WAITING;
}

int workflow_wait(workflow *w, int extra_fd, int timeout_ms)
{
	struct pollfd p = { .fd = extra_fd, .events = POLLIN };

	if (w->wake_ms >= 0 && (timeout_ms < 0 || w->wake_ms < timeout_ms))
		timeout_ms = w->wake_ms;
	if (w->done || !w->client || w->cancelled)
		timeout_ms = 0; /* the next step has something to do */
	if (w->client)
		return llm_client_wait(w->client, extra_fd, timeout_ms);
	return extra_fd >= 0 && poll(&p, 1, timeout_ms) > 0;
}

void workflow_cancel(workflow *w)
{
	w->cancelled = 1; /* the workflow does not run now: it reads it when it does */
}

int workflow_cancelled(const workflow *w)
{
	return w->cancelled;
}

long workflow_tokens(const workflow *w)
{
	return w->tokens;
}

int workflow_end(workflow *w)
{
	int rc;

	if (!w)
		return 0;
	if (!w->done)
		workflow_cancel(w);
	while (workflow_step(w) != WORKFLOW_DONE)
		;
	pthread_join(w->thread, NULL);
	rc = w->rc;
	if (rc < 0)
		cd_err_set("%s", w->error[0] ? w->error : "failed");
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
	return rc;
}

/* ---- inside a workflow ---- */

/* Give the turn back until the caller steps again. */
static void suspend(workflow *w, llm_client *c, int wake_ms)
{
	llm_client_stats st;

	llm_client_stats_get(c, &st);
	pthread_mutex_lock(&w->mu);
	w->client = c;
	w->wake_ms = wake_ms;
	w->tokens = st.input_tokens + st.output_tokens;
	give_turn(w, TURN_CALLER);
	await_turn(w, TURN_WORKFLOW);
	w->client = NULL;
	w->wake_ms = -1;
	pthread_mutex_unlock(&w->mu);
}

/* Cancelled: every request ends (their callbacks see LLM_ERR_CANCELLED,
 * and what was paid for is metered), then the workflow unwinds. */
static int stop(llm_client *c)
{
	llm_client_cancel_all(c);
	llm_client_run(c);
	cd_err_set("cancelled");
	return -1;
}

int workflow_step_client(llm_client *c, int timeout_ms)
{
	int rc;

	if (!self)
		return llm_client_step(c, -1, timeout_ms);
	if (self->cancelled)
		return stop(c);
	if ((rc = llm_client_step(c, -1, 0)) < 0)
		return rc;
	if (llm_client_pending(c))
		suspend(self, c, timeout_ms);
	return self->cancelled ? stop(c) : 0;
}

int workflow_run_client(llm_client *c)
{
	if (!self)
		return llm_client_run(c);
	while (llm_client_pending(c))
		if (workflow_step_client(c, -1) < 0)
			return -1;
	return 0;
}
