/* batch_api.h — private to the llm layer: the providers' batch APIs
 * (OpenAI /v1/files + /v1/batches, Anthropic /v1/messages/batches), the
 * blocking HTTP exchange they use, and the client's use of them
 * (client_batch.c). */
#ifndef CODICIL_LLM_BATCH_API_H
#define CODICIL_LLM_BATCH_API_H

#include <cJSON.h>

#include "codicil/buf.h"
#include "codicil/llm.h"

typedef struct llm_sync_request {
	const char *what;       /* "creating the batch": the start of errors */
	const char *url;
	char *const *headers;   /* NULL-terminated; may hold a key */
	const char *body;       /* NULL: GET */
	size_t body_len;
	const char *file_name;  /* upload body as this file (multipart, purpose batch) */
	long timeout_s;         /* 0: 600 */
} llm_sync_request;
int llm_http_sync(const llm_sync_request *rq, long *status, cd_buf *out);

/* The documented limits of one batch. */
typedef struct batch_limits {
	size_t max_requests, max_bytes;
} batch_limits;
batch_limits batch_api_limits(const llm_provider *p);

/* One request of a batch as the provider wants it in its input (a JSONL
 * line for OpenAI, an element of "requests" for Anthropic): body is the
 * request body the provider's build() made. */
cJSON *batch_api_item(const llm_provider *p, const char *custom_id, const char *body);

typedef struct batch_status {
	char state[32];         /* the provider's word: in_progress, completed, ended, ... */
	int ended;              /* no more results will come */
	long done, failed, total;
	char *results;          /* OpenAI: the output file id; Anthropic: results_url */
	char *errors;           /* OpenAI: the error file id; NULL */
} batch_status;
void batch_status_clear(batch_status *st);

/* Create a batch of items (batch_api_item); *id receives its id. */
int batch_api_create(const llm_provider *p, const llm_endpoint *ep, cJSON *items, char **id);
int batch_api_poll(const llm_provider *p, const llm_endpoint *ep, const char *id,
		   batch_status *st);
/* The results, as JSONL (OpenAI: output and error files one after the other). */
int batch_api_results(const llm_provider *p, const llm_endpoint *ep, const batch_status *st,
		      cd_buf *out);
/* One result line: its custom_id, and the answer as an HTTP status and body
 * for the provider's parse(); *body is allocated (an error's JSON when the
 * request failed inside the batch).  -1 when the line is not a result. */
int batch_api_result(const llm_provider *p, const cJSON *line, const char **custom_id,
		     long *status, char **body);

/* The repository's open provider batches (batch_registry.c): dir is
 * .git/codicil/batches. */
struct strmap;
int batch_registry_add(const char *dir, const char *id, const char *provider, const char *host,
		       const cJSON *items);
void batch_registry_remove(const char *dir, const char *id);
/* The ids of open batches at provider/host that hold a request in wanted. */
int batch_registry_find(const char *dir, const char *provider, const char *host,
			const struct strmap *wanted, char ***ids, size_t *n);

#endif
