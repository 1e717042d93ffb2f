/* transport_int.h — what transport.c (the pool and its loop) and
 * transport_job.c (one job: its copies, its attempts, its result) share. */
#ifndef CODICIL_TRANSPORT_INT_H
#define CODICIL_TRANSPORT_INT_H

#include <curl/curl.h>
#include <stdint.h>

#include "codicil/transport.h"

enum job_state {
	JOB_QUEUED,  /* waiting for a free slot */
	JOB_RUNNING, /* an attempt is in the multi handle */
	JOB_WAITING, /* between attempts, until due_ms */
};

struct xjob {
	struct xjob *prev, *next; /* in the pool's queue or active list */
	size_t streamed;          /* stream text handed to req.on_text so far */
	double attempt_start_ms;  /* this attempt's; for the deadline's message */
	long deadline_s, min_rate;
	unsigned id;
	enum job_state state;
	const llm_provider *p;
	xport_done_fn done;
	void *ud;

	llm_request req;      /* deep copy: strings live in arena */
	llm_message *msgs;
	char *arena;
	char *url;
	struct curl_slist *headers;
	char *body;
	size_t body_len;

	CURL *easy;
	int attempts;
	double first_start_ms;
	double due_ms;
	cd_buf reply;         /* raw bytes of the current attempt, capped */
	llm_sse sse;
	llm_stream stream;
	size_t nevents;
	int too_large;
	int stream_bad;       /* the provider rejected a stream event */
	int stalled;          /* no byte moved for stall_ms */
	double stall_ms;
	double last_activity_ms;
	curl_off_t moved;     /* bytes up and down so far */
	char errbuf[CURL_ERROR_SIZE];
};

struct job_list {
	struct xjob *head, *tail;
	size_t n;
};

/* Queued jobs wait in `queue` (FIFO); running jobs and those waiting for a
 * retry are in `active`, so the loop's scans stay short however many jobs
 * are queued. */
struct xport {
	xport_opts o;
	CURLM *multi;
	struct job_list queue, active;
	size_t njobs, nrunning;
	unsigned last_id;
	uint64_t rng;
	xport_retry_fn retry_fn;
	void *retry_ud;
	size_t conn_failures;   /* attempts in a row that got no HTTP answer */
};

double xport_now_ms(void);

struct xjob *job_new(const llm_provider *p, const llm_request *req, const llm_http *http);
void job_free(struct xjob *j);
/* A fresh easy handle for the next attempt, buffers reset. */
int job_start_attempt(struct xjob *j, const xport_opts *o);
void job_end_attempt(struct xjob *j);

/* After an attempt ended with rc: 1 when another attempt may help, with the
 * server's Retry-After (seconds, -1 none) and a short reason for the user. */
/* When this running attempt counts as stalled (monotonic ms). */
double job_stall_deadline(const struct xjob *j);
int job_retryable(struct xjob *j, CURLcode rc, double *retry_after, char *why, size_t whylen);
/* 1 when the attempt ended without any HTTP answer (refused, reset, DNS,
 * timeout, stall). */
int job_no_answer(const struct xjob *j, CURLcode rc);
/* The final answer of the job from its last attempt. */
void job_finish(struct xjob *j, CURLcode rc, const xport_opts *o, llm_response *r);

#endif
