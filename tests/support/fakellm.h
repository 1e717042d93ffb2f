/* fakellm.h — a fake LLM server on 127.0.0.1 for tests and benchmarks.
 *
 * Speaks the OpenAI Chat Completions API (any path ending in
 * "/chat/completions") and the Anthropic Messages API (any path ending in
 * "/messages"), plain and streamed (SSE, when the request has
 * "stream": true).  For Anthropic requests with "tools", a reply whose
 * content is JSON comes back as a tool_use block (forced-tool structured
 * output).  Each connection has its own thread, so a slow reply never
 * holds up the others.
 *
 * What it answers is scripted: a default reply, a queue of canned replies
 * used first, an optional handler called for every request, and a fault
 * plan.  Counters let a test check what the client did.
 */
#ifndef CODICIL_FAKELLM_H
#define CODICIL_FAKELLM_H

#include <stddef.h>

/* Control bytes a hostile model might send: clear screen, set the window
 * title, invalid UTF-8. */
#define FAKELLM_HOSTILE_TEXT "before \x1b[2J\x1b]0;pwned\x07 \xff\xfe\xc3( after"

enum fakellm_fault_kind {
	FAKELLM_NONE = 0,
	FAKELLM_STATUS,    /* answer `status` with the API's error JSON */
	FAKELLM_RESET,     /* close the connection without an answer */
	FAKELLM_TRUNCATED, /* connection closed mid-body: fewer bytes than
	                      Content-Length, or a stream cut mid-way */
	FAKELLM_NO_END,    /* a clean HTTP end, but the JSON cut in half or the
	                      stream without its finishing events (finish
	                      reason and [DONE]; message_delta, message_stop) */
	FAKELLM_NOT_JSON,  /* 200 with an HTML page */
	FAKELLM_STALL,     /* headers and the first bytes (event), then nothing
	                      for stall_ms, then the rest */
	FAKELLM_OVERSIZED, /* 200 with a valid reply of about oversize_bytes */
	FAKELLM_HOSTILE,   /* 200 whose content is FAKELLM_HOSTILE_TEXT */
	FAKELLM_STREAM_ERROR, /* streams: the first event, then the API's error
	                         event ("Overloaded"), then the end */
	FAKELLM_TRICKLE,   /* the body one byte every stall_ms (default 500) */
};

struct fakellm_fault {
	enum fakellm_fault_kind kind;
	int status;            /* FAKELLM_STATUS: 429, 500, 503, 401, 404, ... */
	int retry_after_s;     /* > 0: send "Retry-After: N" with the status */
	/* When the fault applies (either condition):
	 * first: to the first `first` attempts of each distinct request body,
	 * every: to every `every`-th request the server receives. */
	int first;
	int every;
	int stall_ms;          /* FAKELLM_STALL, default 5000 */
	size_t oversize_bytes; /* FAKELLM_OVERSIZED, default 9 MiB */
};

struct fakellm_reply {
	const char *content;       /* text, or JSON text; NULL: "ok" */
	const char *refusal;       /* non-NULL: the model refuses with this text */
	const char *finish_reason; /* NULL: "stop" / "end_turn" ("tool_use") */
	long input_tokens;         /* 0: about a token per 4 bytes of the request */
	long output_tokens;        /* 0: about a token per 4 bytes */
	int latency_ms;            /* extra wait before answering */
	long cache_read_tokens;    /* of the input, read from the prompt cache */
	long cache_write_tokens;   /* Anthropic: of the input, written to it */
	int status;                /* 0: 200; else the API's error JSON, with
	                              content as its message when given */
};

/* What a handler sees of one request. */
struct fakellm_request {
	const char *path;
	const char *body;
	size_t body_len;
	int anthropic;         /* 0: OpenAI */
	int stream;
	unsigned long n;       /* 1-based, among all requests */
	int attempt;           /* 1-based, among requests with the same body */
};

/* Called in a server thread for each request, after the queue and the fault
 * plan have filled reply and fault: change them as needed.  Strings set in
 * reply must live until the answer is built: use storage owned by ud or
 * thread-local storage (each request has its own thread while it lasts).
 * Several threads may run the handler at once. */
typedef void (*fakellm_handler)(void *ud, const struct fakellm_request *req,
				struct fakellm_reply *reply, struct fakellm_fault *fault);

struct fakellm_opts {
	int port;                   /* 0: an ephemeral port */
	int latency_ms;             /* before every answer */
	struct fakellm_reply reply; /* the default reply */
	struct fakellm_fault fault; /* the fault plan */
	fakellm_handler handler;
	void *ud;
	/* Non-NULL: answer 401 unless the request carries this key, as
	 * "Authorization: Bearer KEY" (OpenAI) or "x-api-key: KEY" (Anthropic). */
	const char *require_key;
	/* Provider batches (fakellm_batch.c) end this many ms after they were
	 * created; 0: at the second poll. */
	int batch_ms;
};

struct fakellm_state;

struct fakellm {
	int port;
	char base_url[64];   /* "http://127.0.0.1:PORT" */
	char v1_url[64];     /* "http://127.0.0.1:PORT/v1" */
	struct fakellm_state *st;
};

/* NULL (and a line on stderr) when the server cannot start. */
struct fakellm *fakellm_start(const struct fakellm_opts *o);
void fakellm_stop(struct fakellm *f);

/* Canned replies, used in order before the default reply; strings copied. */
void fakellm_push_reply(struct fakellm *f, const struct fakellm_reply *r);
void fakellm_set_reply(struct fakellm *f, const struct fakellm_reply *r);
void fakellm_set_fault(struct fakellm *f, const struct fakellm_fault *fault);
void fakellm_set_latency(struct fakellm *f, int ms);

unsigned long fakellm_requests(struct fakellm *f);
/* Provider batches created (OpenAI /v1/batches, Anthropic
 * /v1/messages/batches) and files uploaded. */
unsigned long fakellm_batches(struct fakellm *f);
/* Distinct request bodies that arrived more than once (a retry, or a
 * request a resumed run sent again). */
unsigned long fakellm_repeated(struct fakellm *f);
unsigned long fakellm_path_requests(struct fakellm *f, const char *path);
int fakellm_inflight(struct fakellm *f);     /* requests being answered */
int fakellm_max_inflight(struct fakellm *f); /* the most at any one time */
/* Copies (free them) of the last request's body and of one of its headers
 * (name case-insensitive); NULL when none. */
char *fakellm_last_body(struct fakellm *f);
char *fakellm_last_header(struct fakellm *f, const char *name);
/* Counters, attempt counts per body, last request: all forgotten. */
void fakellm_reset_counters(struct fakellm *f);

#endif
