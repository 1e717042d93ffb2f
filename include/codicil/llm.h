/* llm.h — the types every part of the llm layer shares, and the provider
 * interface.
 *
 * Providers are pure: they turn an llm_request into an HTTP request and an
 * HTTP response (or stream events) into an llm_response, with no I/O.  The
 * transport (transport.h) moves bytes; the client (client.h) ties provider,
 * cache, secrets and transport together.  Text from a model is untrusted:
 * it is data, stored as received, and sanitised only when displayed.
 */
#ifndef CODICIL_LLM_H
#define CODICIL_LLM_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/buf.h"

typedef struct llm_message {
	const char *role;    /* "system", "user" or "assistant" */
	const char *content;
} llm_message;

/* What the caller knows of a structured reply beyond its schema.  Both run
 * when the reply arrives (from the network, the cache or a cassette),
 * before it is cached or delivered; ud must live until the call's callback
 * has run.  A reply that fails validate is never cached; the client asks
 * again with the errors (codicil.repairAttempts). */
typedef struct llm_check {
	/* Mend what can be mended, in place, before the schema is checked:
	 * one line per change appended to notes.  May be NULL. */
	void (*repair)(void *ud, cJSON *reply, cd_buf *notes);
	/* After the schema holds: 0, or -1 with one line per problem appended
	 * to errors.  May be NULL. */
	int (*validate)(void *ud, const cJSON *reply, cd_buf *errors);
	void *ud;
} llm_check;

typedef struct llm_request {
	const char *model;
	const llm_message *messages;
	size_t nmessages;
	const char *schema_name; /* structured output: a short [a-z_] name */
	const cJSON *schema;     /* JSON schema of the reply; NULL: free text */
	int max_tokens;          /* 0: 4096 */
	double temperature;      /* < 0: the provider's default */
	int stream;              /* ask for a streamed (SSE) reply */
	unsigned sample;         /* sample index: in the cache key; sent as the seed
	                            where the provider takes one */
	const llm_check *check;  /* may be NULL; not copied: see llm_check */
	/* A streamed reply's text as it arrives (may be NULL; ud must live
	 * until the call's callback).  After a failed attempt the next one
	 * starts again from its first byte. */
	void (*on_text)(void *ud, const char *text, size_t len);
	void *text_ud;
	/* What the request is about, for the cost report: principle ids
	 * separated by spaces ("honesty harm.privacy"); may be NULL.  Copied;
	 * not part of the request body or the cache key. */
	const char *about;
	/* The first stable_len bytes of the first user message are shared by
	 * many requests (the charter, prompt_stable_len): a provider whose
	 * prompt cache must be asked for (Anthropic's cache_control) marks
	 * them; 0: nothing to mark. */
	size_t stable_len;
} llm_request;

typedef enum llm_status {
	LLM_OK = 0,
	LLM_ERR_TRANSPORT, /* connection refused/reset, DNS, timeout, stall */
	LLM_ERR_HTTP,      /* a non-2xx answer; see http_status and error */
	LLM_ERR_PARSE,     /* a 2xx answer that is not what the API promises */
	LLM_ERR_REFUSED,   /* the model refused */
	LLM_ERR_TRUNCATED, /* stopped at the token limit: never half a result */
	LLM_ERR_INVALID,   /* structured reply does not match the schema */
	LLM_ERR_TOO_LARGE, /* body over the size cap */
	LLM_ERR_CANCELLED,
	LLM_ERR_REPLAY,    /* no recorded answer in the cassette */
	LLM_ERR_NOT_SENT,  /* never sent: the run stopped (see llm_client's breaker) */
} llm_status;

typedef struct llm_usage {
	long input_tokens;        /* all of it, read from a prompt cache or not */
	long output_tokens;
	long cached_input_tokens; /* of input_tokens, read from the provider's
	                             prompt cache (billed lower) */
} llm_usage;

typedef struct llm_response {
	llm_status status;
	long http_status;     /* 0 when no HTTP answer */
	char *text;           /* reply text; for a schema request, the JSON text */
	cJSON *json;          /* parsed structured reply, or NULL */
	char *error;          /* one line for the user, never containing a key */
	char *finish_reason;  /* as the provider said it ("stop", "end_turn", ...) */
	llm_usage usage;
	long latency_ms;
	int attempts;         /* HTTP attempts made (0 for cache and replay) */
	int cached;           /* answered from the cache */
	double retry_after;   /* seconds the server asked to wait (429/503), or -1 */
	char *body;           /* the raw response body, for transcripts */
	char *repairs;        /* what was mended in a structured reply, one change
	                         per line; NULL when nothing was */
	int reasks;           /* times the reply was sent back with its errors */
	int from_batch;       /* answered through a provider's batch API */
} llm_response;

void llm_response_clear(llm_response *r); /* frees members, zeroes */
const char *llm_status_name(llm_status s);
/* Set status and a one-line error (printf-style); returns -1. */
int llm_response_fail(llm_response *r, llm_status s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An HTTP request as a provider builds it. */
typedef struct llm_http {
	char *url;
	char **headers;   /* "Name: value", NULL-terminated; may hold a key:
	                     never print or store them */
	char *body;       /* JSON */
	size_t body_len;
} llm_http;
void llm_http_clear(llm_http *h);

typedef struct llm_endpoint {
	const char *provider; /* "openai", "anthropic", "replay" */
	const char *base_url; /* "https://api.openai.com/v1" */
	const char *api_key;  /* may be NULL (local servers) */
} llm_endpoint;

/* Incremental state while a streamed reply arrives. */
typedef struct llm_stream {
	cd_buf text;         /* text deltas (or tool-input JSON deltas) so far */
	char *finish_reason;
	llm_usage usage;
	int done;            /* [DONE] / message_stop seen */
	char *error;         /* an error event */
	int refused;
} llm_stream;
void llm_stream_clear(llm_stream *s);
/* After the last event: move what the stream gathered into out and finish
 * it as a whole reply is finished (error event, refusal, a stream cut short,
 * truncation, structured output).  Returns 0 when out->status is LLM_OK. */
int llm_stream_finish(const llm_request *req, llm_stream *st, llm_response *out);

typedef struct llm_provider {
	const char *name;
	const char *default_base_url;
	const char *default_model;
	const char *key_env; /* "OPENAI_API_KEY" */
	int (*build)(const llm_endpoint *ep, const llm_request *req, llm_http *out);
	/* Parse a complete (non-streamed) answer.  Sets out->status; on HTTP
	 * errors extracts {"error": {"message": ...}} into out->error. */
	int (*parse)(const llm_request *req, long http_status, const char *body,
		     size_t len, llm_response *out);
	/* One SSE event (event name may be NULL, data without "data: "). */
	int (*stream_event)(llm_stream *st, const char *event, const char *data);
} llm_provider;

/* The registry: "openai", "anthropic"; NULL if unknown. */
const llm_provider *llm_provider_find(const char *name);

/* Structured replies: find the JSON in the text (bare, in a ```json fence,
 * or the first balanced object inside prose; out->text stays as received),
 * parse it, mend it toward the schema (llm_schema_repair) and with
 * req->check's repair, check it against the schema subset codicil uses
 * (type, properties, required, items, enum, pattern, minimum/maximum,
 * minLength/maxLength, minItems/maxItems, additionalProperties false), then
 * with req->check's validate.  What was mended goes to out->repairs.  On
 * failure out->status = LLM_ERR_INVALID with an error naming the offending
 * path ("$.cases[2].severity") or the caller's problems. */
int llm_structured_finish(const llm_request *req, llm_response *out);
/* The span [*start, *end) of the JSON object or array in a reply: the
 * whole text, a fenced block, or the first balanced {...} in prose.  *how
 * is NULL, "fence" or "prose".  -1 when there is none. */
int llm_find_json(const char *text, size_t len, size_t *start, size_t *end, const char **how);
/* Mend v toward schema, in place, where the intent is plain: whitespace
 * around enum values and a different case, numbers given as strings,
 * integers with a fraction, numbers out of [minimum, maximum] (clamped),
 * repeated values in arrays of enum strings, items past maxItems,
 * properties that additionalProperties false forbids.  One line per change
 * to notes ("$.cases[0].principles[2]: dropped the repeated 'privacy'"). */
void llm_schema_repair(const cJSON *schema, cJSON *v, cd_buf *notes);
int llm_schema_validate(const cJSON *schema, const cJSON *value, cd_buf *err_path);

/* SSE framing: feed bytes as they arrive; calls on_event for each complete
 * event (blank-line terminated), joining multi-line data with '\n'. */
typedef struct llm_sse {
	cd_buf line;
	cd_buf data;
	char *event;
} llm_sse;
int llm_sse_feed(llm_sse *s, const char *bytes, size_t len,
		 int (*on_event)(void *ud, const char *event, const char *data), void *ud);
void llm_sse_clear(llm_sse *s);

#endif
