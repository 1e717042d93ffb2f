/* xport_test.h — shared by the transport tests: minimal providers (the
 * real ones are tested on their own), a done callback that keeps what it
 * saw, and one fake server plus one transport per test. */
#ifndef CODICIL_XPORT_TEST_H
#define CODICIL_XPORT_TEST_H

#include "codicil/transport.h"
#include "fakellm.h"

#define XT_KEY "sk-test-0123456789SECRET"
#define XT_CHAT "/chat/completions"

/* OpenAI-shaped: parse takes choices[0].message.content (HTTP errors and
 * anything else are LLM_ERR_HTTP / LLM_ERR_PARSE); stream events append
 * delta.content until [DONE]. */
extern const llm_provider xt_openai_provider;
/* Anthropic-shaped streams: text_delta events until message_stop. */
extern const llm_provider xt_anthropic_provider;

/* What the done callback saw; it steals the strings. */
struct xt_outcome {
	int calls;
	unsigned job, done_job;
	llm_status status;
	long http;
	int attempts;
	long latency_ms;
	double retry_after;
	char *text, *error, *body, *finish;
	cJSON *json;
};

/* A fake server and a transport.  Set o before xt_env_start to choose
 * options; left zero, tests get small backoffs and 3 retries. */
struct xt_env {
	struct fakellm *f;
	xport *x;
	xport_opts o;
};

/* What the retry callback saw last. */
struct xt_retry_log {
	int calls;
	double delay_s;
	char why[64];
};

void xt_on_done(void *ud, unsigned job, llm_response *r);
void xt_outcome_clear(struct xt_outcome *o);
double xt_now_ms(void);

void xt_env_start(struct xt_env *e, const struct fakellm_opts *fo);
void xt_env_stop(struct xt_env *e);
/* One chat request with the Authorization header; o receives the result. */
void xt_submit_req(struct xt_env *e, const char *msg, int stream, const cJSON *schema,
		   struct xt_outcome *o);
void xt_submit(struct xt_env *e, const char *msg, struct xt_outcome *o);
/* Until no job is pending. */
void xt_run(struct xt_env *e);
/* One request against a fault plan with `retries`; checks that the error
 * never shows the key.  server_requests: what the fake server counted. */
void xt_one(const struct fakellm_fault *fault, int retries, struct xt_outcome *o,
	    unsigned long *server_requests);

void xt_on_retry(void *ud, unsigned job, int attempt, double delay_s, const char *why);
/* A fakellm handler: the request whose body says "retry-me" gets a 429 on
 * its first attempt, with Retry-After: *(int *)ud. */
void xt_rate_limit_one(void *ud, const struct fakellm_request *req,
		       struct fakellm_reply *reply, struct fakellm_fault *fault);

#endif
