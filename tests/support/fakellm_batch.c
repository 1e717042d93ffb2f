/* fakellm_batch.c — the providers' batch APIs, as the fake plays them.
 *
 * OpenAI: POST /v1/files (multipart, purpose batch) stores a JSONL file;
 * POST /v1/batches answers every line of it at once (through the same
 * script, faults and handler as a single request) into an output file;
 * GET /v1/batches/ID says in_progress until the batch ends (batch_ms after
 * it was made, or at the second poll), then completed with the output
 * file's id; GET /v1/files/ID/content serves a file.  Anthropic: POST
 * /v1/messages/batches takes the requests in its body; GET
 * /v1/messages/batches/ID says in_progress, then ended with results_url;
 * GET .../ID/results serves the results as JSONL.  Results are written in
 * reverse order: a client must match them by custom_id. */
#define _GNU_SOURCE /* memmem */
#include "fakellm_int.h"

#include "codicil/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A stored file, or a batch (a batch's output is its content). */
struct fake_store {
	char id[48];
	int is_batch, anthropic;
	cd_buf content;
	long total, failed;
	int polls;
	double ends_at;   /* monotonic seconds; 0: at the second poll */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void fake_batch_free(struct fakellm_state *st)
{
	for (size_t i = 0; i < st->nfiles; i++)
		cd_buf_clear(&st->files[i].content);
	free(st->files);
}

/* A new entry; the caller holds st->lock. */
static struct fake_store *add(struct fakellm_state *st, const char *prefix)
{
	struct fake_store *more = realloc(st->files, (st->nfiles + 1) * sizeof *more), *e;

	if (!more)
		return NULL;
	st->files = more;
	e = &st->files[st->nfiles];
	memset(e, 0, sizeof *e);
	snprintf(e->id, sizeof e->id, "%s%zu", prefix, st->nfiles + 1);
	st->nfiles++;
	return e;
}

static struct fake_store *find(struct fakellm_state *st, const char *id, size_t n)
{
	for (size_t i = 0; i < st->nfiles; i++)
		if (strlen(st->files[i].id) == n && !strncmp(st->files[i].id, id, n))
			return &st->files[i];
	return NULL;
}

static int json_answer(struct fake_answer *a, int status, cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);

	cJSON_Delete(j);
	a->status = status;
	a->content_type = "application/json";
	if (!text)
		return -1;
	cd_buf_puts(&a->data, text);
	a->end_marker = a->data.len;
	free(text);
	return 0;
}

static int not_found(struct fake_answer *a, const char *what)
{
	cJSON *j = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(j, "error");

	cJSON_AddStringToObject(e, "message", what);
	cJSON_AddStringToObject(e, "type", "not_found_error");
	return json_answer(a, 404, j);
}

/* The "file" part of a multipart body. */
static int file_part(const char *body, size_t len, const char **start, size_t *n)
{
	const char *name = memmem(body, len, "filename=", 9), *data, *end;
	const char *boundary_end = memchr(body, '\r', len);

	if (!name || !boundary_end || !(data = memmem(name, len - (size_t)(name - body),
						       "\r\n\r\n", 4)))
		return -1;
	data += 4;
	/* the part ends at CRLF and the boundary line of the body's first line */
	end = memmem(data, len - (size_t)(data - body), body, (size_t)(boundary_end - body));
	if (!end || end - data < 2)
		return -1;
	*start = data;
	*n = (size_t)(end - data) - 2;
	return 0;
}

static int upload(struct fakellm_state *st, const char *body, size_t len, struct fake_answer *a)
{
	const char *data;
	size_t n;
	struct fake_store *f;
	cJSON *j;

	if (file_part(body, len, &data, &n) < 0)
		return not_found(a, "no file in the upload");
	pthread_mutex_lock(&st->lock);
	f = add(st, "file-");
	if (f)
		cd_buf_append(&f->content, data, n);
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id", f ? f->id : "");
	pthread_mutex_unlock(&st->lock);
	cJSON_AddStringToObject(j, "object", "file");
	cJSON_AddStringToObject(j, "purpose", "batch");
	cJSON_AddNumberToObject(j, "bytes", (double)n);
	return json_answer(a, 200, j);
}

/* One request of a batch answered: its result line (OpenAI or Anthropic). */
static cJSON *result_line(struct fakellm_state *st, struct MHD_Connection *mc, int anthropic,
			  const char *custom_id, const cJSON *params, long *failed)
{
	char *body = cJSON_PrintUnformatted(params);
	struct fake_answer ans = { 0 };
	cJSON *line = cJSON_CreateObject(), *answer, *r;

	fake_compute(st, mc, anthropic ? "/v1/messages" : "/v1/chat/completions",
		     body ? body : "{}", body ? strlen(body) : 2, &ans);
	answer = cJSON_ParseWithLength(ans.data.data ? ans.data.data : "", ans.data.len);
	cJSON_AddStringToObject(line, "custom_id", custom_id);
	if (ans.status != 200)
		(*failed)++;
	if (anthropic) {
		r = cJSON_AddObjectToObject(line, "result");
		cJSON_AddStringToObject(r, "type", ans.status == 200 ? "succeeded" : "errored");
		cJSON_AddItemToObject(r, ans.status == 200 ? "message" : "error",
				      answer ? answer : cJSON_CreateObject());
	} else {
		r = cJSON_AddObjectToObject(line, "response");
		cJSON_AddNumberToObject(r, "status_code", ans.status);
		cJSON_AddStringToObject(r, "request_id", "req_fake");
		cJSON_AddItemToObject(r, "body", answer ? answer : cJSON_CreateObject());
		cJSON_AddNullToObject(line, "error");
	}
	cd_buf_clear(&ans.data);
	free(body);
	return line;
}

/* Answer every request and keep the result lines, last first. */
static int make_batch(struct fakellm_state *st, struct MHD_Connection *mc, int anthropic,
		      cJSON *requests, struct fake_answer *a)
{
	long n = cJSON_GetArraySize(requests), failed = 0;
	cJSON **lines = calloc((size_t)n + 1, sizeof *lines), *it, *j;
	struct fake_store *b;
	long k = 0;

	if (!lines)
		return -1;
	cJSON_ArrayForEach(it, requests)
		lines[k++] = result_line(st, mc, anthropic, cd_json_str(it, "custom_id") ?
					 cd_json_str(it, "custom_id") : "",
					 cJSON_GetObjectItemCaseSensitive(it, anthropic ? "params" : "body"),
					 &failed);
	pthread_mutex_lock(&st->lock);
	st->batches++;
	b = add(st, anthropic ? "msgbatch_" : "batch_");
	if (b) {
		b->is_batch = 1;
		b->anthropic = anthropic;
		b->total = n;
		b->failed = failed;
		b->ends_at = st->batch_ms ? now_s() + st->batch_ms / 1000.0 : 0;
		for (k = n - 1; k >= 0; k--) {
			char *text = cJSON_PrintUnformatted(lines[k]);
			cd_buf_puts(&b->content, text ? text : "{}");
			cd_buf_putc(&b->content, '\n');
			free(text);
		}
	}
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id", b ? b->id : "");
	pthread_mutex_unlock(&st->lock);
	for (k = 0; k < n; k++)
		cJSON_Delete(lines[k]);
	free(lines);
	cJSON_AddStringToObject(j, anthropic ? "processing_status" : "status",
				anthropic ? "in_progress" : "validating");
	return json_answer(a, 200, j);
}

static int create_openai(struct fakellm_state *st, struct MHD_Connection *mc, const char *body,
			 size_t len, struct fake_answer *a)
{
	cJSON *req = cJSON_ParseWithLength(body, len), *requests = cJSON_CreateArray();
	const char *fid = cd_json_str(req, "input_file_id");
	struct fake_store *f;
	cd_buf copy = CD_BUF_INIT;
	int rc;

	pthread_mutex_lock(&st->lock);
	f = fid ? find(st, fid, strlen(fid)) : NULL;
	if (f)
		cd_buf_append(&copy, f->content.data, f->content.len);
	pthread_mutex_unlock(&st->lock);
	cJSON_Delete(req);
	if (!f) {
		cJSON_Delete(requests);
		cd_buf_clear(&copy);
		return not_found(a, "no such input file");
	}
	for (char *p = copy.data, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		cJSON *line;
		nl = strchr(p, '\n');
		if ((line = cJSON_ParseWithLength(p, nl ? (size_t)(nl - p) : strlen(p))))
			cJSON_AddItemToArray(requests, line);
	}
	rc = make_batch(st, mc, 0, requests, a);
	cJSON_Delete(requests);
	cd_buf_clear(&copy);
	return rc;
}

static int create_anthropic(struct fakellm_state *st, struct MHD_Connection *mc,
			    const char *body, size_t len, struct fake_answer *a)
{
	cJSON *req = cJSON_ParseWithLength(body, len);
	int rc = make_batch(st, mc, 1, cJSON_GetObjectItemCaseSensitive(req, "requests"), a);

	cJSON_Delete(req);
	return rc;
}

static int status_of(struct fakellm_state *st, struct MHD_Connection *mc, const char *id,
		     size_t n, struct fake_answer *a)
{
	const char *host = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Host");
	struct fake_store *b;
	cJSON *j = cJSON_CreateObject(), *counts;
	int ended, anthropic;
	long total, failed;
	char url[256], bid[48];

	pthread_mutex_lock(&st->lock);
	b = find(st, id, n);
	if (b && b->is_batch)
		b->polls++;
	ended = b && (b->ends_at ? now_s() >= b->ends_at : b->polls >= 2);
	anthropic = b ? b->anthropic : 0;
	total = b ? b->total : 0;
	failed = b ? b->failed : 0;
	snprintf(bid, sizeof bid, "%s", b ? b->id : "");
	pthread_mutex_unlock(&st->lock);
	if (!b || !b->is_batch) {
		cJSON_Delete(j);
		return not_found(a, "no such batch");
	}
	cJSON_AddStringToObject(j, "id", bid);
	counts = cJSON_AddObjectToObject(j, "request_counts");
	if (anthropic) {
		cJSON_AddStringToObject(j, "processing_status", ended ? "ended" : "in_progress");
		cJSON_AddNumberToObject(counts, "processing", ended ? 0 : (double)total);
		cJSON_AddNumberToObject(counts, "succeeded", ended ? (double)(total - failed) : 0);
		cJSON_AddNumberToObject(counts, "errored", ended ? (double)failed : 0);
		if (ended) {
			snprintf(url, sizeof url, "http://%s/v1/messages/batches/%s/results",
				 host ? host : "127.0.0.1", bid);
			cJSON_AddStringToObject(j, "results_url", url);
		} else {
			cJSON_AddNullToObject(j, "results_url");
		}
	} else {
		cJSON_AddStringToObject(j, "status", ended ? "completed" : "in_progress");
		cJSON_AddNumberToObject(counts, "total", (double)total);
		cJSON_AddNumberToObject(counts, "completed", ended ? (double)(total - failed) : 0);
		cJSON_AddNumberToObject(counts, "failed", ended ? (double)failed : 0);
		if (ended)
			cJSON_AddStringToObject(j, "output_file_id", bid);
	}
	return json_answer(a, 200, j);
}

static int content_of(struct fakellm_state *st, const char *id, size_t n, struct fake_answer *a)
{
	struct fake_store *f;

	pthread_mutex_lock(&st->lock);
	f = find(st, id, n);
	if (f)
		cd_buf_append(&a->data, f->content.data ? f->content.data : "", f->content.len);
	pthread_mutex_unlock(&st->lock);
	if (!f)
		return not_found(a, "no such file");
	a->status = 200;
	a->content_type = "application/jsonl";
	a->end_marker = a->data.len;
	return 0;
}

/* The id after prefix in path, up to the next '/' (or the end). */
static const char *id_after(const char *path, const char *prefix, size_t *n)
{
	const char *at = strstr(path, prefix);

	if (!at)
		return NULL;
	at += strlen(prefix);
	*n = strcspn(at, "/");
	return *n ? at : NULL;
}

int fake_batch_route(struct fakellm_state *st, struct MHD_Connection *mc, const char *method,
		     const char *path, const char *body, size_t len, struct fake_answer *a)
{
	int post = !strcmp(method, "POST");
	const char *id;
	size_t n;

	if (strstr(path, "/messages/batches")) {
		if (post && !id_after(path, "/messages/batches/", &n))
			create_anthropic(st, mc, body, len, a);
		else if ((id = id_after(path, "/messages/batches/", &n)) && strstr(path, "/results"))
			content_of(st, id, n, a);
		else if (id)
			status_of(st, mc, id, n, a);
		else
			not_found(a, "no such route");
		return 1;
	}
	if (strstr(path, "/batches")) {
		if (post)
			create_openai(st, mc, body, len, a);
		else if ((id = id_after(path, "/batches/", &n)))
			status_of(st, mc, id, n, a);
		else
			not_found(a, "no such route");
		return 1;
	}
	if (strstr(path, "/files")) {
		if (post)
			upload(st, body, len, a);
		else if ((id = id_after(path, "/files/", &n)))
			content_of(st, id, n, a);
		else
			not_found(a, "no such route");
		return 1;
	}
	return 0;
}
