/* transport.h — HTTP for the llm layer, over curl multi.
 *
 * Many requests, at most `concurrency` in flight, each finished request
 * delivered by callback as it completes, in any order.  Retries with
 * Retry-After or exponential backoff with jitter; a connect timeout, a
 * stall timeout, a minimum transfer rate and a deadline per attempt; a response-size
 * cap enforced in the write callback; cancellation of one job or all.
 * One event loop, xport_step(), serves the CLI and the TUI alike: it can
 * also wait on an extra file descriptor (the keyboard).
 */
#ifndef CODICIL_TRANSPORT_H
#define CODICIL_TRANSPORT_H

#include <stddef.h>

#include "codicil/llm.h"

typedef struct xport xport;

typedef struct xport_opts {
	int concurrency;        /* default 8 */
	int retries;            /* retries after the first attempt, default 4 */
	long connect_timeout_s; /* default 10 */
	long stall_timeout_s;   /* abort when nothing arrives for this long, or
	                           less than min_rate bytes/s arrive on average
	                           over this long; default 60 */
	long min_rate;          /* bytes/s, default 16 */
	long attempt_timeout_s; /* one attempt, start to end, default 600 */
	size_t max_body;        /* default 8 MiB */
	double backoff_base_s;  /* default 1.0 (tests use less) */
	double backoff_cap_s;   /* default 60 */
} xport_opts;

void xport_opts_default(xport_opts *o);

/* Called once per job when it ends (success, final failure, or cancel).
 * resp is owned by the transport and cleared after the call: take what
 * you need (e.g. steal pointers and set them to NULL). */
typedef void (*xport_done_fn)(void *ud, unsigned job, llm_response *resp);

/* Called between attempts, e.g. for progress ("retrying in 2.0 s"). */
typedef void (*xport_retry_fn)(void *ud, unsigned job, int attempt, double delay_s,
			       const char *why);

int xport_new(const xport_opts *o, xport **out);
void xport_free(xport *x); /* cancels what is still running, no callbacks */

/* Queue one request.  The provider parses the answer (or its stream events
 * when req->stream).  http and req are copied as needed; the caller may
 * free them after the call.  *job receives an id > 0. */
int xport_submit(xport *x, const llm_provider *p, const llm_request *req,
		 const llm_http *http, xport_done_fn done, void *ud, unsigned *job);
void xport_set_retry_cb(xport *x, xport_retry_fn fn, void *ud);

/* Attempts in a row, over all jobs, that got no HTTP answer at all; an
 * answer of any status resets it.  The client's breaker reads it. */
size_t xport_connection_failures(const xport *x);

/* Jobs queued or running. */
size_t xport_pending(const xport *x);

/* Run the loop for at most timeout_ms (-1: until something happens),
 * delivering completions.  When extra_fd >= 0 and it becomes readable the
 * call returns 1 at once (the TUI reads the key); otherwise 0; -1 on error. */
int xport_step(xport *x, int extra_fd, int timeout_ms);
/* Wait as xport_step() does, but deliver nothing: for a caller whose
 * steps run elsewhere (workflow.h).  1 when extra_fd is readable. */
int xport_wait(xport *x, int extra_fd, int timeout_ms);
/* Run until no job is pending. */
int xport_run(xport *x);

void xport_cancel(xport *x, unsigned job); /* done callback: LLM_ERR_CANCELLED */
void xport_cancel_all(xport *x);

#endif
