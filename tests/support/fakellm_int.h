/* fakellm_int.h — between the fake server (fakellm.c) and the builders of
 * its API bodies (fakellm_api.c). */
#ifndef CODICIL_FAKELLM_INT_H
#define CODICIL_FAKELLM_INT_H

#include <cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "codicil/buf.h"
#include "fakellm.h"

struct queued {
	struct queued *next;
	struct fakellm_reply r;
	char *content, *refusal, *finish;
};

struct body_count {
	uint64_t hash;
	int n;
};

struct path_count {
	char path[128];
	unsigned long n;
};

struct fakellm_state {
	struct MHD_Daemon *d;
	atomic_int stopping;
	atomic_ulong requests;
	atomic_int inflight, max_inflight;
	atomic_int latency_ms;

	pthread_mutex_t lock; /* everything below */
	struct fakellm_reply reply;
	char *reply_content, *reply_refusal, *reply_finish;
	struct fakellm_fault fault;
	struct queued *queue, *queue_tail;
	struct body_count *bodies;
	size_t nbodies, cap_bodies;
	struct path_count paths[32];
	char *last_body;
	cd_buf last_headers;
	fakellm_handler handler;
	void *ud;
	char *require_key;
	uint64_t *prefixes;   /* prompt prefixes seen (fakellm_prefix.c) */
	size_t nprefixes, cap_prefixes;
	struct fake_store *files; /* provider batches and files (fakellm_batch.c) */
	size_t nfiles;
	unsigned long batches;
	int batch_ms;
};

struct fake_answer {
	int status;
	const char *content_type;
	cd_buf data;
	size_t first_event; /* bytes up to the end of the first SSE event */
	size_t end_marker;  /* where the finishing events start (finish
	                       reason, [DONE] / message_delta, message_stop) */
};

/* The answer to one model request, as answer() would send it unstreamed:
 * the script, faults, handler and prompt cache all apply (fakellm.c). */
int fake_compute(struct fakellm_state *st, struct MHD_Connection *mc, const char *path,
		 const char *body, size_t len, struct fake_answer *a);
/* A provider batch API request (files, batches): 1 when path is one and a
 * holds its answer, 0 when it is not (fakellm_batch.c). */
int fake_batch_route(struct fakellm_state *st, struct MHD_Connection *mc, const char *method,
		     const char *path, const char *body, size_t len, struct fake_answer *a);
void fake_batch_free(struct fakellm_state *st);

/* What the provider's prompt cache would give this request: sets
 * r->cache_read_tokens / cache_write_tokens (fakellm_prefix.c). */
void fake_prompt_cache(struct fakellm_state *st, const cJSON *req, int anthropic,
		       struct fakellm_reply *r);

/* A successful (or refused) reply in the request's API, streamed or not. */
int fake_build_reply(const struct fakellm_request *rq, const cJSON *req,
		     const struct fakellm_reply *r, struct fake_answer *out);
/* Cut a built stream after its first event and add an error event. */
int fake_build_stream_error(int anthropic, struct fake_answer *out);
/* The API's error JSON for an HTTP status; message NULL: the API's usual
 * words (a 429 whose message speaks of the quota is OpenAI's
 * insufficient_quota). */
int fake_build_error(int anthropic, int status, const char *message, struct fake_answer *out);

/* fakellm.c: the MHD callbacks */
enum MHD_Result fake_on_request(void *cls, struct MHD_Connection *mc, const char *url,
				const char *method, const char *version,
				const char *upload, size_t *upload_size, void **con_cls);
void fake_on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
		       enum MHD_RequestTerminationCode why);
void fake_free_queued(struct queued *q);

#endif
