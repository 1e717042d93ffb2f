/* client.h — the one way engine code talks to a model.
 *
 * Ties together: the resolved settings (llm_settings.h: provider,
 * endpoint, model, concurrency, retries, limits), the API key (secret.h;
 * never stored or printed), the response cache (cache.h), cassettes for
 * replay/record (replay.h), the provider (llm.h) and the transport
 * (transport.h).  Every answer — from
 * the network, the cache or a cassette — arrives through the same callback
 * from llm_client_step()/llm_client_run(), so callers need one code path.
 *
 * Structured replies are mended and checked as they arrive (llm.h,
 * llm_structured_finish, and the request's llm_check); one that stays
 * invalid is sent back with its errors (a re-ask), is never cached, and
 * keeps its text and a transcript.  Identical requests in flight at once
 * are sent once (single flight): the others wait and read the cache.
 *
 * Providers by codicil.provider: "openai", "anthropic" (HTTP), "replay"
 * (answers only from the cassette codicil.cassette), "record" (asks
 * codicil.recordProvider over HTTP and appends each answer to the cassette).
 */
#ifndef CODICIL_CLIENT_H
#define CODICIL_CLIENT_H

#include "codicil/llm.h"
#include "codicil/llm_settings.h"
#include "codicil/price.h"
#include "codicil/store.h"
#include "codicil/transport.h"

typedef struct llm_client llm_client;

typedef struct llm_client_opts {
	int no_cache;        /* --no-cache: neither read nor write the cache */
	int repair;          /* send an invalid structured reply back with its
	                        errors, up to codicil.repairAttempts times (1) */
	int no_transcripts;  /* keep no transcripts (bulk generation: the cases
	                        record the request and response hashes) */
	int dry_run;         /* send nothing: a call the cache cannot answer is
	                        estimated (llm_client_estimate_get) and ends
	                        LLM_ERR_NOT_SENT */
	int provider_batch;  /* send through the provider's batch API (about half
	                        the price, answers within 24 h): see below */
} llm_client_opts;

/* What the caller learns about a finished call, besides the response. */
typedef struct llm_call {
	unsigned id;
	const llm_request *req;       /* the request as submitted (client's copy) */
	char request_sha256[65];      /* canonical request body */
	char response_sha256[65];     /* response body (or cached/replayed text) */
	char transcript[65];          /* names .git/codicil/transcripts/<sha>.json; "" if none */
	const char *provider;         /* "openai", ... */
	const char *model;
	const char *endpoint_host;    /* "api.openai.com", "127.0.0.1:8080" */
	size_t request_bytes;         /* of the body last sent; 0 if none */
} llm_call;

/* Runs from llm_client_step()/llm_client_run(), never from submit or
 * cancel.  resp is the client's and is cleared after the call: take what
 * you need (steal pointers and set them to NULL).  A callback may submit
 * and cancel, but not step, run or free the client. */
typedef void (*llm_done_fn)(void *ud, const llm_call *call, llm_response *resp);

/* The client takes what set holds, and leaves set empty, whether it opens
 * or not (client_config.h builds set from the configuration).  s may be
 * NULL (outside a repository: no transcripts, no provider batches). */
int llm_client_open(llm_settings *set, store *s, const llm_client_opts *o, llm_client **out);
void llm_client_free(llm_client *c);

/* Resolved settings, for `codicil doctor` and provenance. */
const char *llm_client_provider(const llm_client *c);
const char *llm_client_endpoint(const llm_client *c);
const char *llm_client_model(const llm_client *c);
const char *llm_client_key_source(const llm_client *c); /* never the key */

/* -1 (cd_err says what to do) when requests would go to a provider's own
 * endpoint without a key: every front end checks this before asking. */
int llm_client_check_key(const llm_client *c);

/* Queue a request (req->model NULL: the configured model).  The request is
 * copied.  *id (may be NULL) receives the call id. */
int llm_client_submit(llm_client *c, const llm_request *req, llm_done_fn done, void *ud,
		      unsigned *id);
size_t llm_client_pending(const llm_client *c);
/* One turn of the event loop (see xport_step): 1 when extra_fd is readable. */
int llm_client_step(llm_client *c, int extra_fd, int timeout_ms);
int llm_client_run(llm_client *c); /* until nothing is pending */
/* Wait as llm_client_step() would, delivering nothing (workflow.h): 1 when
 * extra_fd is readable. */
int llm_client_wait(llm_client *c, int extra_fd, int timeout_ms);
void llm_client_cancel(llm_client *c, unsigned id);
/* The breaker: after codicil.maxConsecutiveFailures (8) attempts in a row
 * that got no HTTP answer, a 401 or 403, or a 429 that says the quota is
 * used up, the client stops sending: every call not yet answered ends
 * LLM_ERR_NOT_SENT, and so does every later one.  Why it stopped, or NULL. */
const char *llm_client_stopped(const llm_client *c);
void llm_client_cancel_all(llm_client *c);
/* Between attempts of a call; fn's job argument is the call id. */
void llm_client_set_retry_cb(llm_client *c, xport_retry_fn fn, void *ud);

/* Totals since open, for progress lines: done (succeeded; cached ones
 * included) and failed calls, cache hits, calls inside the transport and
 * calls not yet handed to it, and the tokens of answers that came over the
 * network. */
typedef struct llm_client_stats {
	size_t done, failed, cached, in_flight, queued;
	long input_tokens, output_tokens, cached_input_tokens;
} llm_client_stats;
void llm_client_stats_get(const llm_client *c, llm_client_stats *out);

/* Every finished call, after its callback: what it cost.  For the run
 * record (runlog.h); resp is read-only. */
typedef void (*llm_meter_fn)(void *ud, const llm_call *call, const llm_response *resp);
void llm_client_set_meter(llm_client *c, llm_meter_fn fn, void *ud);

/* What earlier answers teach about the size of the next ones: bytes of
 * request body per input token, and the mean output tokens of a reply to
 * a schema (NULL or <= 0: unknown).  Without it: 4 bytes a token, and
 * max_tokens for the output. */
typedef struct llm_estimator {
	double bytes_per_token;
	double (*mean_output)(void *ud, const char *schema_name);
	double (*mean_input)(void *ud, const char *schema_name); /* may be NULL */
	void *ud;
} llm_estimator;
void llm_client_set_estimator(llm_client *c, const llm_estimator *e);

/* The budget (codicil.budget, or --budget through it) holds every call
 * that would pass it, counting calls in flight at their maximum (input
 * estimated from the body, output at max_tokens); when one cannot fit
 * even with nothing in flight, sending stops (llm_client_stopped says
 * why) and the rest end LLM_ERR_NOT_SENT.  Spent so far, in tokens and
 * (when the models have prices) dollars: */
typedef struct llm_spend {
	long input_tokens, output_tokens, cached_input_tokens;
	double usd;          /* 0 when no model asked has a price */
	int priced;          /* every paid call had a price */
	size_t paid;         /* calls that were paid for (answered over HTTP) */
} llm_spend;
void llm_client_spend_get(const llm_client *c, llm_spend *out);
/* a and b spend from one budget (the target and the judges of an audit):
 * each admits a call only if it fits with what both have spent and hold.
 * Each still reports its own spend.  Freeing one ends the sharing. */
void llm_client_share_budget(llm_client *a, llm_client *b);
const llm_budget *llm_client_budget(const llm_client *c);

/* Provider batches (opts.provider_batch).  Calls the cache cannot answer
 * are held until nothing else is waiting; then llm_client_step() sends
 * them as one batch per provider limit (OpenAI: /v1/files + /v1/batches;
 * Anthropic: /v1/messages/batches), polls every codicil.batchPollSeconds
 * (30) until the batch has ended, and answers each call from its result,
 * matched by the sha256 of its request body (custom_id), through the same
 * checks, cache and callbacks as any answer.  A re-ask goes over HTTP at
 * once.  step blocks while it waits: this is for runs, not the TUI.
 * The callback hears of each batch as it is created (state "created":
 * journal its id before anything else) and at every poll. */
typedef void (*llm_batch_fn)(void *ud, const char *batch_id, const char *state, long done,
			     long failed, long total);
void llm_client_set_batch_cb(llm_client *c, llm_batch_fn fn, void *ud);
/* Before anything is sent: a batch created earlier (a run killed while
 * it waited) is polled and its results used before any new batch is
 * made; what it does not answer goes into a new one. */
int llm_client_resume_batch(llm_client *c, const char *batch_id);

/* With opts.dry_run and provider_batch: the provider batch's input as it
 * would be uploaded (JSONL, one line per request the cache would not
 * answer; "" if none). */
const char *llm_client_dry_batch(const llm_client *c);

/* With opts.dry_run: what the calls would have cost. */
typedef struct llm_estimate {
	size_t requests;     /* would be sent */
	size_t cached;       /* the cache would answer */
	long input_tokens;   /* estimated from the bodies */
	long output_tokens;  /* expected (mean of earlier answers, else max) */
	long output_max;     /* at max_tokens */
	double usd, usd_max; /* 0 when a model has no price */
	int priced;
} llm_estimate;
void llm_client_estimate_get(const llm_client *c, llm_estimate *out);
/* Add n requests of a kind that a dry run cannot build yet (they depend
 * on answers it does not get: an amendment's consequences, meta-check and
 * regression), at the mean size of earlier ones of that kind, else at
 * input_guess tokens in and max_tokens out. */
void llm_client_estimate_project(llm_client *c, const char *schema_name, size_t n,
				 long input_guess);

#endif
