/* batch_api.c — the providers' batch APIs, request by request: OpenAI
 * uploads a JSONL file (/v1/files, purpose batch) and creates a batch
 * (/v1/batches) whose output and error files are JSONL; Anthropic takes
 * the requests in one body (/v1/messages/batches) and serves the results
 * as JSONL at results_url.  Both answer in any order, matched by
 * custom_id. */
#include "batch_api.h"

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "llm_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_anthropic(const llm_provider *p)
{
	return !strcmp(p->name, "anthropic");
}

batch_limits batch_api_limits(const llm_provider *p)
{
	/* OpenAI: 50,000 requests and 200 MB a file; Anthropic: 100,000
	 * requests and 256 MB a batch.  A margin under the bytes for the
	 * envelope. */
	if (is_anthropic(p))
		return (batch_limits){ 100000, 250u << 20 };
	return (batch_limits){ 50000, 190u << 20 };
}

cJSON *batch_api_item(const llm_provider *p, const char *custom_id, const char *body)
{
	cJSON *item = cJSON_CreateObject(), *b = cJSON_Parse(body);

	if (!item || !b) {
		cJSON_Delete(item);
		cJSON_Delete(b);
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(b, "stream"); /* a batch answers whole */
	cJSON_DeleteItemFromObjectCaseSensitive(b, "stream_options");
	cJSON_AddStringToObject(item, "custom_id", custom_id);
	if (is_anthropic(p)) {
		cJSON_AddItemToObject(item, "params", b);
	} else {
		cJSON_AddStringToObject(item, "method", "POST");
		cJSON_AddStringToObject(item, "url", "/v1/chat/completions");
		cJSON_AddItemToObject(item, "body", b);
	}
	return item;
}

void batch_status_clear(batch_status *st)
{
	free(st->results);
	free(st->errors);
	memset(st, 0, sizeof *st);
}

static int headers(const llm_provider *p, const llm_endpoint *ep, int json, llm_http *h)
{
	if (ep->api_key && *ep->api_key &&
	    (is_anthropic(p) ? llm_http_add_header(h, "x-api-key: %s", ep->api_key)
			     : llm_http_add_header(h, "Authorization: Bearer %s", ep->api_key)) < 0)
		return -1;
	if (is_anthropic(p) && llm_http_add_header(h, "anthropic-version: 2023-06-01") < 0)
		return -1;
	return json ? llm_http_add_header(h, "Content-Type: application/json") : 0;
}

/* One exchange; the reply parsed as JSON when want_json.  -1 with cd_err
 * naming what failed, the status and the API's message (never a key). */
static int exchange(const llm_provider *p, const llm_endpoint *ep, const char *what,
		    const char *path, const char *body, size_t len, const char *file_name,
		    cd_buf *out, cJSON **json)
{
	llm_http h = { 0 };
	llm_sync_request rq = { .what = what, .body = body, .body_len = len,
				.file_name = file_name };
	long status;
	int rc = -1;

	if (!strncmp(path, "http://", 7) || !strncmp(path, "https://", 8))
		h.url = strdup(path);
	else if (llm_http_set_url(&h, ep->base_url, path) < 0)
		h.url = NULL;
	if (!h.url || headers(p, ep, body && !file_name, &h) < 0) {
		llm_http_clear(&h);
		cd_err_set("out of memory");
		return -1;
	}
	rq.url = h.url;
	rq.headers = h.headers;
	if (llm_http_sync(&rq, &status, out) == 0) {
		if (!llm_is_2xx(status)) {
			cd_buf e = CD_BUF_INIT;
			llm_error_text(out->data ? out->data : "", out->len, 300, &e);
			cd_err_set("%s: HTTP %ld: %s", what, status, e.data ? e.data : "");
			cd_buf_clear(&e);
		} else if (json && !(*json = cJSON_ParseWithLength(out->data ? out->data : "",
								     out->len))) {
			cd_err_set("%s: the answer is not JSON", what);
		} else {
			rc = 0;
		}
	}
	llm_http_clear(&h);
	return rc;
}

static int take_id(cJSON *j, const char *what, char **id)
{
	const char *v = cd_json_str(j, "id");

	if (!v || !*v || strlen(v) > 200 || strspn(v, "abcdefghijklmnopqrstuvwxyz"
						 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(v)) {
		cd_err_set("%s: the answer has no usable id", what);
		return -1;
	}
	return (*id = strdup(v)) ? 0 : -1;
}

static int create_openai(const llm_provider *p, const llm_endpoint *ep, cJSON *items,
			 char **id)
{
	cd_buf file = CD_BUF_INIT, out = CD_BUF_INIT, body = CD_BUF_INIT;
	cJSON *j = NULL, *it, *req = NULL;
	char *file_id = NULL;
	int rc = -1;

	cJSON_ArrayForEach(it, items)
		if (cd_json_print_compact(it, &file) < 0 || cd_buf_putc(&file, '\n') < 0)
			goto out;
	if (exchange(p, ep, "uploading the batch's requests", "/files", file.data, file.len,
		     "codicil-batch.jsonl", &out, &j) < 0 ||
	    take_id(j, "uploading the batch's requests", &file_id) < 0)
		goto out;
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "input_file_id", file_id);
	cJSON_AddStringToObject(req, "endpoint", "/v1/chat/completions");
	cJSON_AddStringToObject(req, "completion_window", "24h");
	cJSON_Delete(j);
	j = NULL;
	cd_buf_reset(&out);
	if (cd_json_print_compact(req, &body) < 0 ||
	    exchange(p, ep, "creating the batch", "/batches", body.data, body.len, NULL, &out,
		     &j) < 0 ||
	    take_id(j, "creating the batch", id) < 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(j);
	cJSON_Delete(req);
	free(file_id);
	cd_buf_clear(&file);
	cd_buf_clear(&out);
	cd_buf_clear(&body);
	return rc;
}

static int create_anthropic(const llm_provider *p, const llm_endpoint *ep, cJSON *items,
			    char **id)
{
	cJSON *req = cJSON_CreateObject(), *j = NULL;
	cd_buf body = CD_BUF_INIT, out = CD_BUF_INIT;
	int rc = -1;

	if (!req)
		return -1;
	cJSON_AddItemReferenceToObject(req, "requests", items);
	if (cd_json_print_compact(req, &body) == 0 &&
	    exchange(p, ep, "creating the batch", "/messages/batches", body.data, body.len, NULL,
		     &out, &j) == 0 &&
	    take_id(j, "creating the batch", id) == 0)
		rc = 0;
	cJSON_Delete(req);
	cJSON_Delete(j);
	cd_buf_clear(&body);
	cd_buf_clear(&out);
	return rc;
}

int batch_api_create(const llm_provider *p, const llm_endpoint *ep, cJSON *items, char **id)
{
	*id = NULL;
	return is_anthropic(p) ? create_anthropic(p, ep, items, id)
			       : create_openai(p, ep, items, id);
}

static char *dup_str(const cJSON *o, const char *key)
{
	const char *v = cd_json_str(o, key);
	return v && *v ? strdup(v) : NULL;
}

int batch_api_poll(const llm_provider *p, const llm_endpoint *ep, const char *id,
		   batch_status *st)
{
	cd_buf path = CD_BUF_INIT, out = CD_BUF_INIT;
	cJSON *j = NULL, *counts;
	const char *state;
	int rc = -1;

	batch_status_clear(st);
	cd_buf_printf(&path, is_anthropic(p) ? "/messages/batches/%s" : "/batches/%s", id);
	if (exchange(p, ep, "asking how the batch is doing", path.data, NULL, 0, NULL, &out,
		     &j) < 0)
		goto out;
	state = cd_json_str(j, is_anthropic(p) ? "processing_status" : "status");
	snprintf(st->state, sizeof st->state, "%s", state ? state : "unknown");
	if (is_anthropic(p)) {
		counts = cJSON_GetObjectItemCaseSensitive(j, "request_counts");
		st->done = cd_json_long(counts, "succeeded", 0);
		st->failed = cd_json_long(counts, "errored", 0) + cd_json_long(counts, "canceled", 0) +
			     cd_json_long(counts, "expired", 0);
		st->total = st->done + st->failed + cd_json_long(counts, "processing", 0);
		st->ended = !strcmp(st->state, "ended");
		st->results = dup_str(j, "results_url");
	} else {
		counts = cJSON_GetObjectItemCaseSensitive(j, "request_counts");
		st->done = cd_json_long(counts, "completed", 0);
		st->failed = cd_json_long(counts, "failed", 0);
		st->total = cd_json_long(counts, "total", 0);
		st->ended = !strcmp(st->state, "completed") || !strcmp(st->state, "failed") ||
			    !strcmp(st->state, "expired") || !strcmp(st->state, "cancelled");
		st->results = dup_str(j, "output_file_id");
		st->errors = dup_str(j, "error_file_id");
	}
	rc = 0;
out:
	cJSON_Delete(j);
	cd_buf_clear(&path);
	cd_buf_clear(&out);
	return rc;
}

int batch_api_results(const llm_provider *p, const llm_endpoint *ep, const batch_status *st,
		      cd_buf *out)
{
	const char *const files[] = { st->results, st->errors };
	cd_buf path = CD_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < 2; i++) {
		if (!files[i])
			continue;
		cd_buf_reset(&path);
		if (is_anthropic(p))
			cd_buf_puts(&path, files[i]);
		else
			cd_buf_printf(&path, "/files/%s/content", files[i]);
		rc = exchange(p, ep, "fetching the batch's results", path.data, NULL, 0, NULL, out,
			      NULL);
		if (rc == 0 && out->len && out->data[out->len - 1] != '\n')
			cd_buf_putc(out, '\n');
	}
	cd_buf_clear(&path);
	return rc;
}

static char *print(const cJSON *j)
{
	cd_buf b = CD_BUF_INIT;

	if (!j || cd_json_print_compact(j, &b) < 0) {
		cd_buf_clear(&b);
		return strdup("{}");
	}
	return cd_buf_detach(&b);
}

int batch_api_result(const llm_provider *p, const cJSON *line, const char **custom_id,
		     long *status, char **body)
{
	*custom_id = cd_json_str(line, "custom_id");
	*body = NULL;
	if (!*custom_id)
		return -1;
	if (is_anthropic(p)) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(line, "result");
		const char *type = cd_json_str(r, "type");
		if (type && !strcmp(type, "succeeded")) {
			*status = 200;
			*body = print(cJSON_GetObjectItemCaseSensitive(r, "message"));
		} else {
			const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
			*status = type && !strcmp(type, "errored") ? 400 : 503;
			*body = e ? print(e) : strdup("{\"error\":{\"message\":\"the batch ended "
						      "before this request was answered\"}}");
		}
	} else {
		const cJSON *resp = cJSON_GetObjectItemCaseSensitive(line, "response");
		const cJSON *err = cJSON_GetObjectItemCaseSensitive(line, "error");
		if (cJSON_IsObject(resp)) {
			*status = cd_json_long(resp, "status_code", 500);
			*body = print(cJSON_GetObjectItemCaseSensitive(resp, "body"));
		} else {
			cJSON *wrap = cJSON_CreateObject();
			cJSON_AddItemToObject(wrap, "error", cJSON_Duplicate(err, 1));
			*status = 500;
			*body = print(wrap);
			cJSON_Delete(wrap);
		}
	}
	return *body ? 0 : -1;
}
