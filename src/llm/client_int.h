/* client_int.h — the parts of the client (client.h) shared by its files:
 * client.c (queue, event loop, delivery), client_resolve.c (settings),
 * client_call.c (what happens to one answer: cache, cassette, repair,
 * transcript). */
#ifndef CODICIL_CLIENT_INT_H
#define CODICIL_CLIENT_INT_H

#include "codicil/client.h"
#include "codicil/hash.h"
#include "codicil/replay.h"

/* WAITING: for room in the transport; XPORT: inside it; FOLLOWING: for
 * an identical call in flight (single flight), then WAITING again to read
 * its answer from the cache; READY: answered, for its callback; BATCHED:
 * held for the provider's batch API (client_batch.c). */
enum cjob_state { CJ_WAITING, CJ_XPORT, CJ_FOLLOWING, CJ_READY, CJ_BATCHED };

/* One call, from submit until its callback has run. */
struct cjob {
	struct cjob *prev, *next;
	struct llm_client *owner;
	unsigned id;
	enum cjob_state state;
	llm_done_fn done;
	void *ud;
	llm_request req;            /* the caller's request (deep copy) */
	/* a re-ask: req's messages, the invalid reply, the correction */
	int repairing;
	int reasks;                 /* re-asks made so far */
	char *reask_why;            /* the errors the last re-ask sent back */
	int followed;               /* has waited for a twin once: asks itself now */
	llm_request repair;
	llm_message *repair_msgs;
	char *repair_reply, *repair_note;
	int prior_attempts;         /* of the first ask, when repairing */
	long prior_latency_ms;
	llm_usage prior_usage;
	unsigned xjob;              /* the transport's id while in it */
	char *body;                 /* the request body last asked, for the transcript */
	int has_cache_key;
	char cache_key[CD_SHA256_HEX];
	char request_sha[CD_SHA256_HEX];
	char response_sha[CD_SHA256_HEX];
	char transcript[CD_SHA256_HEX];
	int replayed;
	long reserved_tokens;       /* held against the budget while in flight */
	double reserved_usd;
	unsigned batch_round;       /* the provider batch it went into; 0: none yet */
	llm_response resp;
};

struct cjob_list {
	struct cjob *head, *tail;
	size_t n;
};

struct llm_client {
	llm_settings set;
	store *s;
	llm_client_opts o;
	char *endpoint_host;        /* "host[:port]", or "cassette" */
	char *key;                  /* NULL: none; zeroed when freed */
	char key_source[160];
	cassette *cas;              /* replay */
	xport *x;
	struct cjob_list waiting, inflight, following, ready, batched;
	char *stopped;              /* why the breaker stopped sending; NULL: it did not */
	unsigned last_id;
	llm_client_stats st;
	xport_retry_fn retry_fn;
	void *retry_ud;
	llm_meter_fn meter;
	void *meter_ud;
	llm_estimator est_from;     /* history for estimates */
	llm_spend spent;            /* every paid answer, valid or not */
	long reserved_tokens;       /* calls in flight, at their maximum */
	double reserved_usd;
	llm_client *budget_peer;    /* shares the budget (llm_client_share_budget) */
	llm_estimate est;           /* dry run */
	llm_batch_fn batch_cb;      /* provider batches (client_batch.c) */
	void *batch_ud;
	char **resume_batches;
	size_t nresume_batches;
	unsigned batch_rounds;
	cd_buf dry_batch;           /* dry run with provider_batch: the lines */
};

/* client.c: move j to the list of state to. */
void client_move(llm_client *c, struct cjob *j, enum cjob_state to);
/* client.c: an answer is in j->resp: ask again with its errors, or keep
 * it and make j ready. */
void client_answered(llm_client *c, struct cjob *j);

/* client_batch.c: send what is batched through the provider's batch API
 * and answer every batched call (blocks until the batches have ended). */
void client_run_batches(llm_client *c);
void client_batches_clear(llm_client *c);
/* A dry run's provider batch: j's line of the file it would upload. */
void client_dry_batch_line(llm_client *c, const struct cjob *j);

/* client_breaker.c: stop sending (why), without cancelling what is in
 * flight; everything waiting ends not sent. */
void client_stop_sending(llm_client *c, const char *why);
/* client_breaker.c: end j at once, not sent (the client has stopped). */
void client_not_sent(llm_client *c, struct cjob *j);
/* After an attempt without an HTTP answer (last: why); trips the breaker
 * at codicil.maxConsecutiveFailures in a row. */
void client_watch_connections(llm_client *c, const char *last);
/* After an answer: a 401/403 or a used-up quota trips the breaker. */
void client_watch_answer(llm_client *c, const llm_response *r);

/* client_meter.c: budget, spend and estimates.  CM_SEND: send j now;
 * CM_WAIT: not while others are in flight; CM_STOP: it cannot fit (the
 * client has stopped sending). */
enum cm_verdict { CM_SEND, CM_WAIT, CM_STOP };
enum cm_verdict client_budget_admit(llm_client *c, struct cjob *j, size_t body_len);
/* j came back from the transport: release what it held, count its usage. */
void client_budget_settle(llm_client *c, struct cjob *j);
/* Dry run: count what j would cost. */
void client_estimate_add(llm_client *c, const struct cjob *j, size_t body_len);
/* -1 when the budget is in dollars and the model has no price. */
int client_check_budget(llm_client *c);

/* client_resolve.c: what the settings imply: the endpoint's host, the
 * key, the cassette. */
int client_resolve(llm_client *c);

/* client_call.c */
const llm_request *cjob_asked(const struct cjob *j);
int cjob_copy_request(llm_request *dst, const llm_request *src, const char *model);
void cjob_free_request(llm_request *r);
/* The request body as JSON text for the replay provider (no HTTP). */
char *client_replay_body(const llm_request *req);
/* sha256 of the canonical form of a request body (as for the cache key). */
int client_body_sha(const char *body, char out[CD_SHA256_HEX]);
/* Turn j (holding an invalid reply) into its repair request; 0 or -1. */
int cjob_make_repair(struct cjob *j);
/* After an answer succeeded: cache, cassette, hashes, transcript. */
void client_keep_answer(llm_client *c, struct cjob *j);
/* After an answer that was paid for but stays invalid: hashes and a
 * transcript (when transcripts are kept), never the cache. */
void client_keep_invalid(llm_client *c, struct cjob *j);

#endif
