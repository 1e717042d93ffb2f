/* transport.c — the pool: a list of jobs in submission order, at most
 * `concurrency` of them in the curl multi handle, the others queued or
 * waiting for their retry time, and the one event loop that drives them.
 *
 * Callbacks (done, retry) may submit or cancel jobs; they must not call
 * xport_step, xport_run or xport_free. */
#include "transport_int.h"

#include "codicil/error.h"
#include "codicil/list.h"

#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double xport_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void xport_opts_default(xport_opts *o)
{
	o->concurrency = 8;
	o->retries = 4;
	o->connect_timeout_s = 10;
	o->stall_timeout_s = 60;
	o->min_rate = 16;
	o->attempt_timeout_s = 600;
	o->max_body = (size_t)8 << 20;
	o->backoff_base_s = 1.0;
	o->backoff_cap_s = 60;
}

/* Zero or nonsense falls back to the default; retries 0 and a zero
 * backoff base are meaningful and kept. */
static void normalise(xport_opts *o)
{
	xport_opts d;

	xport_opts_default(&d);
	if (o->concurrency <= 0)
		o->concurrency = d.concurrency;
	if (o->retries < 0)
		o->retries = 0;
	if (o->connect_timeout_s <= 0)
		o->connect_timeout_s = d.connect_timeout_s;
	if (o->stall_timeout_s <= 0)
		o->stall_timeout_s = d.stall_timeout_s;
	if (o->min_rate <= 0)
		o->min_rate = d.min_rate;
	if (o->attempt_timeout_s <= 0)
		o->attempt_timeout_s = d.attempt_timeout_s;
	if (o->max_body == 0)
		o->max_body = d.max_body;
	if (!(o->backoff_base_s >= 0))
		o->backoff_base_s = d.backoff_base_s;
	if (!(o->backoff_cap_s > 0))
		o->backoff_cap_s = d.backoff_cap_s;
}

int xport_new(const xport_opts *o, xport **out)
{
	xport *x = calloc(1, sizeof *x);

	*out = NULL;
	if (!x) {
		cd_err_set("out of memory");
		return -1;
	}
	if (o)
		x->o = *o;
	normalise(&x->o);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(x);
		cd_err_set("cannot initialise libcurl");
		return -1;
	}
	x->multi = curl_multi_init();
	if (!x->multi) {
		curl_global_cleanup();
		free(x);
		cd_err_set("cannot initialise libcurl's multi interface");
		return -1;
	}
	x->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)x;
	x->rng |= 1;
	*out = x;
	return 0;
}

CD_LIST_FUNCS(list, struct job_list, struct xjob)

static void unlink_job(xport *x, struct xjob *j)
{
	list_remove(j->state == JOB_QUEUED ? &x->queue : &x->active, j);
	x->njobs--;
}

static void stop_running(xport *x, struct xjob *j)
{
	if (j->state != JOB_RUNNING)
		return;
	curl_multi_remove_handle(x->multi, j->easy);
	x->nrunning--;
	j->state = JOB_WAITING;
}

void xport_free(xport *x)
{
	if (!x)
		return;
	while (x->active.head || x->queue.head) {
		struct xjob *j = x->active.head ? x->active.head : x->queue.head;
		stop_running(x, j);
		unlink_job(x, j);
		job_free(j);
	}
	curl_multi_cleanup(x->multi);
	curl_global_cleanup();
	free(x);
}

size_t xport_connection_failures(const xport *x)
{
	return x->conn_failures;
}

void xport_set_retry_cb(xport *x, xport_retry_fn fn, void *ud)
{
	x->retry_fn = fn;
	x->retry_ud = ud;
}

size_t xport_pending(const xport *x)
{
	return x->njobs;
}

int xport_submit(xport *x, const llm_provider *p, const llm_request *req,
		 const llm_http *http, xport_done_fn done, void *ud, unsigned *job)
{
	struct xjob *j;

	if (!p || !p->parse || !req || !http || !http->url) {
		cd_err_set("internal error: an LLM request without provider or URL");
		return -1;
	}
	j = job_new(p, req, http);
	if (!j)
		return -1;
	if (++x->last_id == 0)
		++x->last_id;
	j->id = x->last_id;
	j->done = done;
	j->ud = ud;
	j->state = JOB_QUEUED;
	list_append(&x->queue, j);
	x->njobs++;
	if (job)
		*job = j->id;
	return 0;
}

/* The job leaves the pool before its callback runs, so a callback that
 * cancels or submits sees a consistent pool. */
static void deliver(xport *x, struct xjob *j, llm_response *r)
{
	xport_done_fn done = j->done;
	void *ud = j->ud;
	unsigned id = j->id;

	stop_running(x, j);
	unlink_job(x, j);
	r->attempts = j->attempts;
	r->latency_ms = j->attempts ? lround(xport_now_ms() - j->first_start_ms) : 0;
	job_free(j);
	if (done)
		done(ud, id, r);
	llm_response_clear(r);
}

static int start_job(xport *x, struct xjob *j)
{
	CURLMcode mc;

	if (!j->attempts)
		j->first_start_ms = xport_now_ms();
	if (job_start_attempt(j, &x->o) < 0)
		return -1;
	mc = curl_multi_add_handle(x->multi, j->easy);
	if (mc != CURLM_OK) {
		job_end_attempt(j);
		cd_err_set("%s", curl_multi_strerror(mc));
		return -1;
	}
	if (j->state == JOB_QUEUED) {
		list_remove(&x->queue, j);
		list_append(&x->active, j);
	}
	j->state = JOB_RUNNING;
	x->nrunning++;
	return 0;
}

static void fail_to_start(xport *x, struct xjob *j)
{
	llm_response r = { .retry_after = -1 };

	llm_response_fail(&r, LLM_ERR_TRANSPORT, "cannot start the request: %s", cd_err_msg());
	deliver(x, j, &r);
}

static int slot_free(const xport *x)
{
	return x->nrunning < (size_t)x->o.concurrency;
}

/* Retries that are due first (they are older), then the queue in order. */
static void start_ready(xport *x)
{
	double now = xport_now_ms();
	struct xjob *j, *next;

	for (j = x->active.head; j && slot_free(x); j = next) {
		next = j->next;
		if (j->state == JOB_WAITING && j->due_ms <= now && start_job(x, j) < 0) {
			fail_to_start(x, j);
			next = x->active.head; /* the callback may have changed the list */
		}
	}
	while ((j = x->queue.head) && slot_free(x))
		if (start_job(x, j) < 0)
			fail_to_start(x, j);
}

static double rand01(xport *x)
{
	x->rng ^= x->rng >> 12;
	x->rng ^= x->rng << 25;
	x->rng ^= x->rng >> 27;
	return (double)((x->rng * 2685821657736338717ULL) >> 11) * 0x1.0p-53;
}

/* Retry-After when the server gave one, else full jitter over an
 * exponentially growing window; both capped. */
static double backoff_s(xport *x, int attempts, double retry_after)
{
	double window;

	if (retry_after > 0)
		return fmin(retry_after, x->o.backoff_cap_s);
	window = fmin(x->o.backoff_base_s * ldexp(1.0, attempts - 1), x->o.backoff_cap_s);
	return window * rand01(x);
}

static void finish_attempt(xport *x, struct xjob *j, CURLcode rc)
{
	char why[CURL_ERROR_SIZE + 32];
	llm_response r = { .retry_after = -1 };
	double retry_after, delay;

	x->conn_failures = job_no_answer(j, rc) ? x->conn_failures + 1 : 0;
	if (j->attempts <= x->o.retries &&
	    job_retryable(j, rc, &retry_after, why, sizeof why)) {
		stop_running(x, j);
		job_end_attempt(j);
		delay = backoff_s(x, j->attempts, retry_after);
		j->due_ms = xport_now_ms() + delay * 1e3;
		if (x->retry_fn) /* last: it may cancel this very job */
			x->retry_fn(x->retry_ud, j->id, j->attempts, delay, why);
		return;
	}
	job_finish(j, rc, &x->o, &r);
	deliver(x, j, &r);
}

static void collect_finished(xport *x)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(x->multi, &left))) {
		CURLcode rc = msg->data.result;
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		finish_attempt(x, (struct xjob *)priv, rc);
	}
}

/* How long poll may sleep: the caller's limit, the first stall deadline of
 * a running attempt, and the first retry that comes due while a slot is
 * free to run it. */
static int poll_timeout(const xport *x, int timeout_ms)
{
	double wait = timeout_ms < 0 ? 60000 : timeout_ms, now = xport_now_ms();

	for (const struct xjob *j = x->active.head; j; j = j->next) {
		if (j->state == JOB_RUNNING)
			wait = fmin(wait, fmax(0, ceil(job_stall_deadline(j) - now)));
		else if (slot_free(x))
			wait = fmin(wait, fmax(0, ceil(j->due_ms - now)));
	}
	return (int)wait;
}

static int fd_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR));
}

int xport_step(xport *x, int extra_fd, int timeout_ms)
{
	struct curl_waitfd wfd = { .fd = extra_fd, .events = CURL_WAIT_POLLIN };
	CURLMcode mc;
	int running;

	start_ready(x);
	if (!x->njobs && extra_fd < 0)
		return 0;
	mc = curl_multi_poll(x->multi, extra_fd >= 0 ? &wfd : NULL, extra_fd >= 0,
			     poll_timeout(x, timeout_ms), NULL);
	if (mc == CURLM_OK)
		mc = curl_multi_perform(x->multi, &running);
	if (mc != CURLM_OK) {
		cd_err_set("waiting for LLM replies failed: %s", curl_multi_strerror(mc));
		return -1;
	}
	collect_finished(x);
	start_ready(x);
	return extra_fd >= 0 && fd_readable(extra_fd) ? 1 : 0;
}

int xport_wait(xport *x, int extra_fd, int timeout_ms)
{
	struct curl_waitfd wfd = { .fd = extra_fd, .events = CURL_WAIT_POLLIN };
	struct pollfd p = { .fd = extra_fd, .events = POLLIN };

	if (!x->njobs)
		return extra_fd >= 0 && poll(&p, 1, timeout_ms) > 0 ? 1 : 0;
	if (curl_multi_poll(x->multi, extra_fd >= 0 ? &wfd : NULL, extra_fd >= 0,
			    poll_timeout(x, timeout_ms), NULL) != CURLM_OK)
		return 0; /* the next step says why */
	return extra_fd >= 0 && fd_readable(extra_fd) ? 1 : 0;
}

int xport_run(xport *x)
{
	while (x->njobs)
		if (xport_step(x, -1, -1) < 0)
			return -1;
	return 0;
}

static void cancel_job(xport *x, struct xjob *j)
{
	llm_response r = { .retry_after = -1 };

	llm_response_fail(&r, LLM_ERR_CANCELLED, "cancelled");
	deliver(x, j, &r);
}

static struct xjob *find_job(struct job_list *l, unsigned id)
{
	for (struct xjob *j = l->head; j; j = j->next)
		if (j->id == id)
			return j;
	return NULL;
}

void xport_cancel(xport *x, unsigned job)
{
	struct xjob *j = find_job(&x->active, job);

	if (j || (j = find_job(&x->queue, job)))
		cancel_job(x, j);
}

/* Jobs that callbacks submit meanwhile (higher ids, queued at the tail)
 * survive. */
void xport_cancel_all(xport *x)
{
	unsigned last = x->last_id;
	struct xjob *j;

	while ((j = x->active.head))
		cancel_job(x, j);
	while ((j = x->queue.head) && j->id <= last)
		cancel_job(x, j);
}
