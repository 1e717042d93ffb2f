/* fakellm.c — the fake LLM server: libmicrohttpd with a thread per
 * connection, the script (queue, default reply, fault plan, handler), the
 * faults themselves and the counters. */
#include "fakellm_int.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* One request in progress (MHD's con_cls). */
struct conn {
	cd_buf body;
	int counted; /* still in the in-flight count */
};

/* The bytes of an answer, sent by MHD through reader(). */
struct sender {
	struct fakellm_state *st;
	cd_buf data;
	size_t limit;    /* send this much, then end */
	int end_error;   /* end by closing the connection */
	size_t stall_at;
	int stall_ms;
	int stalled;
	int trickle_ms;  /* > 0: one byte per trickle_ms */
};

/* Sleeps in small steps so that fakellm_stop never waits long. */
static void nap(struct fakellm_state *st, int ms)
{
	struct timespec step = { 0, 10 * 1000 * 1000 };

	for (int t = 0; t < ms && !atomic_load(&st->stopping); t += 10)
		nanosleep(&step, NULL);
}

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Attempt number of this body (1 the first time); the caller holds lock. */
static int count_attempt(struct fakellm_state *st, const char *body, size_t len)
{
	uint64_t h = fnv1a(body, len);
	struct body_count *b;

	for (size_t i = 0; i < st->nbodies; i++)
		if (st->bodies[i].hash == h)
			return ++st->bodies[i].n;
	if (st->nbodies == st->cap_bodies) {
		size_t cap = st->cap_bodies ? st->cap_bodies * 2 : 64;
		b = realloc(st->bodies, cap * sizeof *b);
		if (!b)
			return 1;
		st->bodies = b;
		st->cap_bodies = cap;
	}
	st->bodies[st->nbodies++] = (struct body_count){ h, 1 };
	return 1;
}

static void count_path(struct fakellm_state *st, const char *path)
{
	size_t i;

	for (i = 0; i < 32 && st->paths[i].path[0]; i++)
		if (!strcmp(st->paths[i].path, path))
			break;
	if (i == 32)
		return;
	if (!st->paths[i].path[0])
		snprintf(st->paths[i].path, sizeof st->paths[i].path, "%s", path);
	st->paths[i].n++;
}

static enum MHD_Result header_line(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	cd_buf_printf(cls, "%s: %s\n", key, value ? value : "");
	return MHD_YES;
}

static void take_queued(struct fakellm_state *st, struct fakellm_reply *r, struct queued **q)
{
	*q = st->queue;
	if (*q) {
		st->queue = (*q)->next;
		if (!st->queue)
			st->queue_tail = NULL;
		*r = (*q)->r;
	} else {
		*r = st->reply;
	}
}

static int fault_applies(const struct fakellm_fault *f, unsigned long n, int attempt)
{
	if (f->kind == FAKELLM_NONE)
		return 0;
	return (f->first > 0 && attempt <= f->first) ||
	       (f->every > 0 && n % (unsigned long)f->every == 0);
}

void fake_free_queued(struct queued *q)
{
	if (!q)
		return;
	free(q->content);
	free(q->refusal);
	free(q->finish);
	free(q);
}

static void leave_flight(struct fakellm_state *st, struct conn *c)
{
	if (c->counted) {
		c->counted = 0;
		atomic_fetch_sub(&st->inflight, 1);
	}
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sender *s = cls;
	size_t end = s->limit, n;

	if (s->stall_ms && !s->stalled && pos >= s->stall_at) {
		s->stalled = 1;
		nap(s->st, s->stall_ms);
	}
	if (atomic_load(&s->st->stopping))
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (pos >= end)
		return s->end_error ? MHD_CONTENT_READER_END_WITH_ERROR
				    : MHD_CONTENT_READER_END_OF_STREAM;
	if (s->stall_ms && !s->stalled && s->stall_at > pos)
		end = s->stall_at < end ? s->stall_at : end;
	n = end - pos < max ? end - pos : max;
	if (s->trickle_ms) {
		nap(s->st, s->trickle_ms);
		n = 1;
	}
	memcpy(buf, s->data.data + pos, n);
	return (ssize_t)n;
}

static void free_sender(void *cls)
{
	struct sender *s = cls;

	cd_buf_clear(&s->data);
	free(s);
}

static const char *const not_json = "<html><body><h1>502 Bad Gateway</h1></body></html>\n";

/* The answer with the fault applied, as an MHD response. */
static struct MHD_Response *make_response(struct fakellm_state *st, struct fake_answer *a,
					  const struct fakellm_fault *f, int stream)
{
	struct sender *s = calloc(1, sizeof *s);
	uint64_t size;

	if (!s)
		return NULL;
	s->st = st;
	s->data = a->data;
	a->data = (cd_buf)CD_BUF_INIT;
	s->limit = s->data.len;
	size = stream ? MHD_SIZE_UNKNOWN : s->data.len;
	switch (f->kind) {
	case FAKELLM_TRUNCATED:
		s->limit = s->data.len / 2;
		s->end_error = 1;
		break;
	case FAKELLM_NO_END:
		s->limit = stream ? a->end_marker : s->data.len / 2;
		size = MHD_SIZE_UNKNOWN;
		break;
	case FAKELLM_STALL:
		s->stall_at = a->first_event;
		s->stall_ms = f->stall_ms > 0 ? f->stall_ms : 5000;
		break;
	case FAKELLM_TRICKLE:
		s->trickle_ms = f->stall_ms > 0 ? f->stall_ms : 500;
		size = MHD_SIZE_UNKNOWN;
		break;
	default:
		break;
	}
	return MHD_create_response_from_callback(size, 64 * 1024, reader, s, free_sender);
}

static int build_answer(const struct fakellm_request *rq, const cJSON *req,
			struct fakellm_reply *r, struct fakellm_fault *f, struct fake_answer *a)
{
	char *big = NULL;
	int rc;

	if (f->kind == FAKELLM_STATUS)
		return fake_build_error(rq->anthropic, f->status ? f->status : 500, NULL, a);
	if (r->status && r->status != 200)
		return fake_build_error(rq->anthropic, r->status, r->content, a);
	if (f->kind == FAKELLM_NOT_JSON) {
		a->status = 200;
		a->content_type = "text/html";
		a->first_event = 1;
		rc = cd_buf_puts(&a->data, not_json);
		a->end_marker = a->data.len;
		return rc;
	}
	if (f->kind == FAKELLM_HOSTILE)
		r->content = FAKELLM_HOSTILE_TEXT;
	if (f->kind == FAKELLM_OVERSIZED) {
		size_t n = f->oversize_bytes ? f->oversize_bytes : (size_t)9 << 20;
		big = malloc(n + 1);
		if (!big)
			return -1;
		memset(big, 'a', n);
		big[n] = '\0';
		r->content = big;
	}
	rc = fake_build_reply(rq, req, r, a);
	if (rc == 0 && f->kind == FAKELLM_STREAM_ERROR && rq->stream)
		rc = fake_build_stream_error(rq->anthropic, a);
	free(big);
	return rc;
}

static enum MHD_Result send_answer(struct fakellm_state *st, struct MHD_Connection *mc,
				   struct fake_answer *a, const struct fakellm_fault *f,
				   int stream)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char n[32];

	resp = make_response(st, a, f, stream && a->status == 200);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", a->content_type);
	if (f->kind == FAKELLM_STATUS && f->retry_after_s > 0) {
		snprintf(n, sizeof n, "%d", f->retry_after_s);
		MHD_add_response_header(resp, "Retry-After", n);
	}
	ret = MHD_queue_response(mc, (unsigned)a->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static int is_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Fills rq, reply and fault for one request from the script. */
static int key_missing(struct fakellm_state *st, struct MHD_Connection *mc, int anthropic)
{
	const char *v;

	if (!st->require_key)
		return 0;
	if (anthropic) {
		v = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "x-api-key");
		return !v || strcmp(v, st->require_key);
	}
	v = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Authorization");
	return !v || strncmp(v, "Bearer ", 7) || strcmp(v + 7, st->require_key);
}

static void script(struct fakellm_state *st, struct MHD_Connection *mc, struct fakellm_request *rq,
		   struct fakellm_reply *r, struct fakellm_fault *f, struct queued **q)
{
	pthread_mutex_lock(&st->lock);
	rq->n = atomic_fetch_add(&st->requests, 1) + 1;
	rq->attempt = count_attempt(st, rq->body, rq->body_len);
	count_path(st, rq->path);
	free(st->last_body);
	st->last_body = strndup(rq->body, rq->body_len);
	cd_buf_reset(&st->last_headers);
	MHD_get_connection_values(mc, MHD_HEADER_KIND, header_line, &st->last_headers);
	take_queued(st, r, q);
	*f = st->fault;
	if (!fault_applies(f, rq->n, rq->attempt))
		f->kind = FAKELLM_NONE;
	if (key_missing(st, mc, rq->anthropic)) {
		f->kind = FAKELLM_STATUS;
		f->status = 401;
		f->retry_after_s = 0;
	}
	pthread_mutex_unlock(&st->lock);
	if (st->handler)
		st->handler(st->ud, rq, r, f);
}

int fake_compute(struct fakellm_state *st, struct MHD_Connection *mc, const char *path,
		 const char *body, size_t len, struct fake_answer *a)
{
	struct fakellm_request rq = { .path = path, .body = body, .body_len = len };
	struct fakellm_reply r;
	struct fakellm_fault f;
	struct queued *q = NULL;
	cJSON *req = cJSON_ParseWithLength(body, len);
	int rc;

	rq.anthropic = is_suffix(path, "/messages");
	script(st, mc, &rq, &r, &f, &q);
	if (req)
		fake_prompt_cache(st, req, rq.anthropic, &r);
	if (f.kind == FAKELLM_RESET || f.kind == FAKELLM_STALL || f.kind == FAKELLM_TRICKLE) {
		f.kind = FAKELLM_STATUS; /* inside a batch, a broken answer is a failed one */
		f.status = 500;
	}
	rc = build_answer(&rq, req, &r, &f, a);
	cJSON_Delete(req);
	fake_free_queued(q);
	return rc;
}

static enum MHD_Result answer(struct fakellm_state *st, struct MHD_Connection *mc,
			      const char *method, const char *path, struct conn *c)
{
	struct fakellm_request rq = { .path = path, .body = cd_buf_cstr(&c->body),
				      .body_len = c->body.len };
	struct fakellm_reply r;
	struct fakellm_fault f;
	struct fake_answer a = { 0 };
	struct queued *q = NULL;
	cJSON *req;
	enum MHD_Result ret = MHD_NO;

	if (fake_batch_route(st, mc, method, path, rq.body, rq.body_len, &a)) {
		f = (struct fakellm_fault){ 0 };
		ret = send_answer(st, mc, &a, &f, 0);
		leave_flight(st, c);
		cd_buf_clear(&a.data);
		return ret;
	}
	rq.anthropic = is_suffix(path, "/messages");
	req = cJSON_ParseWithLength(rq.body, rq.body_len);
	rq.stream = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req, "stream"));
	script(st, mc, &rq, &r, &f, &q);
	if (req)
		fake_prompt_cache(st, req, rq.anthropic, &r);
	nap(st, atomic_load(&st->latency_ms) + r.latency_ms);
	if (f.kind == FAKELLM_RESET)
		goto out;
	if (!rq.anthropic && !is_suffix(path, "/chat/completions")) {
		f.kind = FAKELLM_NONE;
		r.status = 404;
	}
	if (build_answer(&rq, req, &r, &f, &a) == 0)
		ret = send_answer(st, mc, &a, &f, rq.stream);
out:
	leave_flight(st, c);
	cd_buf_clear(&a.data);
	cJSON_Delete(req);
	fake_free_queued(q);
	return ret;
}

enum MHD_Result fake_on_request(void *cls, struct MHD_Connection *mc, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	struct fakellm_state *st = cls;
	struct conn *c = *con_cls;
	int now;

	if (!c) {
		c = calloc(1, sizeof *c);
		if (!c)
			return MHD_NO;
		*con_cls = c;
		c->counted = 1;
		now = atomic_fetch_add(&st->inflight, 1) + 1;
		for (int max = atomic_load(&st->max_inflight);
		     now > max && !atomic_compare_exchange_weak(&st->max_inflight, &max, now);)
			;
		return MHD_YES;
	}
	if (*upload_size) {
		if (cd_buf_append(&c->body, upload, *upload_size) < 0)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(st, mc, method, url, c);
}

void fake_on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	struct conn *c = *con_cls;

	if (!c)
		return;
	leave_flight(cls, c);
	cd_buf_clear(&c->body);
	free(c);
	*con_cls = NULL;
}
