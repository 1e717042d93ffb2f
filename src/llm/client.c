/* client.c — the client's queue and event loop.
 *
 * A call waits in `waiting` until the transport has room (at most twice
 * the concurrency inside it, since the transport copies every request),
 * is then answered from the cassette or the cache or handed to the
 * transport (`inflight`), and once answered sits in `ready` until
 * llm_client_step() runs its callback.  Callbacks therefore never run
 * inside submit or cancel, and every answer takes the same path. */
#include "client_int.h"

#include "codicil/cache.h"
#include "codicil/error.h"
#include "codicil/list.h"
#include "codicil/sanitize.h"
#include "codicil/secret.h"
#include "llm_internal.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

CD_LIST_FUNCS(list, struct cjob_list, struct cjob)

static struct cjob_list *list_of(llm_client *c, const struct cjob *j)
{
	switch (j->state) {
	case CJ_WAITING: return &c->waiting;
	case CJ_XPORT: return &c->inflight;
	case CJ_FOLLOWING: return &c->following;
	case CJ_BATCHED: return &c->batched;
	default: return &c->ready;
	}
}

void client_move(llm_client *c, struct cjob *j, enum cjob_state to)
{
	list_remove(list_of(c, j), j);
	j->state = to;
	if (to == CJ_WAITING && j->repairing)
		list_prepend(&c->waiting, j); /* a repair goes first */
	else
		list_append(list_of(c, j), j);
}

static void cjob_free(struct cjob *j)
{
	if (!j)
		return;
	cjob_free_request(&j->req);
	free(j->repair_msgs);
	free(j->repair_reply);
	free(j->repair_note);
	free(j->reask_why);
	free(j->body);
	llm_response_clear(&j->resp);
	free(j);
}

static void on_retry(void *ud, unsigned xjob, int attempt, double delay_s, const char *why)
{
	llm_client *c = ud;

	for (struct cjob *j = c->inflight.head; j; j = j->next) {
		if (j->xjob == xjob) {
			if (c->retry_fn)
				c->retry_fn(c->retry_ud, j->id, attempt, delay_s, why);
			break;
		}
	}
	client_watch_connections(c, why); /* last: it cancels this very job */
}

int llm_client_open(llm_settings *set, store *s, const llm_client_opts *o, llm_client **out)
{
	llm_client *c = calloc(1, sizeof *c);

	*out = NULL;
	if (!c) {
		llm_settings_clear(set);
		cd_err_set("out of memory");
		return -1;
	}
	c->set = *set;
	memset(set, 0, sizeof *set);
	c->s = s;
	if (o)
		c->o = *o;
	cd_err_clear();
	if (client_resolve(c) < 0 || client_check_budget(c) < 0 ||
	    xport_new(&c->set.xo, &c->x) < 0) {
		if (!*cd_err_msg())
			cd_err_set("out of memory");
		llm_client_free(c);
		return -1;
	}
	xport_set_retry_cb(c->x, on_retry, c);
	*out = c;
	return 0;
}

void llm_client_free(llm_client *c)
{
	if (!c)
		return;
	if (c->budget_peer)
		c->budget_peer->budget_peer = NULL;
	xport_free(c->x); /* no callbacks */
	struct cjob_list *lists[] = { &c->waiting, &c->inflight, &c->following, &c->ready,
				      &c->batched };
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		struct cjob *j;
		while ((j = lists[i]->head)) {
			list_remove(lists[i], j);
			cjob_free(j);
		}
	}
	client_batches_clear(c);
	secret_free(c->key);
	cassette_free(c->cas);
	llm_settings_clear(&c->set);
	free(c->endpoint_host);
	free(c->stopped);
	cd_buf_clear(&c->dry_batch);
	free(c);
}

const char *llm_client_provider(const llm_client *c)
{
	return c->set.provider;
}

const char *llm_client_endpoint(const llm_client *c)
{
	return c->set.endpoint;
}

const char *llm_client_model(const llm_client *c)
{
	return c->set.model;
}

const char *llm_client_key_source(const llm_client *c)
{
	return c->key_source;
}

int llm_client_check_key(const llm_client *c)
{
	if (!c->set.http || c->key || strcmp(c->set.endpoint, c->set.http->default_base_url))
		return 0;
	cd_err_set("no API key for %s: export %s (or set codicil.apiKeyCommand), or point "
		   "codicil.endpoint at a local server", c->set.http->name, c->set.http->key_env);
	return -1;
}

void llm_client_set_retry_cb(llm_client *c, xport_retry_fn fn, void *ud)
{
	c->retry_fn = fn;
	c->retry_ud = ud;
}

/* JSON is UTF-8: text that is not would reach the server as a bad body. */
static int request_is_utf8(const llm_request *req)
{
	for (size_t i = 0; i < req->nmessages; i++) {
		const char *t = req->messages[i].content ? req->messages[i].content : "";
		if (!cd_utf8_valid(t, strlen(t))) {
			cd_err_set("the request holds text that is not UTF-8 (message %zu): a charter "
				   "or case file in another encoding? convert it with iconv; nothing "
				   "was sent", i + 1);
			return 0;
		}
	}
	return 1;
}

int llm_client_submit(llm_client *c, const llm_request *req, llm_done_fn done, void *ud,
		      unsigned *id)
{
	struct cjob *j;

	if (!request_is_utf8(req))
		return -1;
	j = calloc(1, sizeof *j);

	if (!j || cjob_copy_request(&j->req, req, c->set.model) < 0) {
		free(j);
		cd_err_set("out of memory while queueing an LLM request");
		return -1;
	}
	if (++c->last_id == 0)
		++c->last_id;
	j->id = c->last_id;
	j->owner = c;
	j->done = done;
	j->ud = ud;
	j->state = CJ_WAITING;
	list_append(&c->waiting, j);
	if (id)
		*id = j->id;
	return 0;
}

size_t llm_client_pending(const llm_client *c)
{
	return c->waiting.n + c->inflight.n + c->following.n + c->ready.n + c->batched.n;
}

/* The provider's hint names its own variable; the key may have come from
 * elsewhere. */
static void say_where_the_key_came_from(llm_client *c, llm_response *r)
{
	char *was = r->error;

	r->error = NULL;
	llm_response_fail(r, r->status, "%s; the key used came from %s",
			  was ? was : "rejected", c->key ? c->key_source : "nowhere (no key is set)");
	free(was);
}

/* The errors sent back, first among the repairs of the final answer. */
static void note_reasks(struct cjob *j)
{
	cd_buf notes = CD_BUF_INIT;

	cd_buf_printf(&notes, "$: asked again %d time%s, after: %s\n%s", j->reasks,
		      j->reasks == 1 ? "" : "s", j->reask_why ? j->reask_why : "",
		      j->resp.repairs ? j->resp.repairs : "");
	free(j->resp.repairs);
	j->resp.repairs = cd_buf_detach(&notes);
}

/* Calls waiting for j's twin: back to the queue, where the cache answers
 * them if j's answer was kept, or they ask themselves. */
static void release_followers(llm_client *c, const struct cjob *leader)
{
	struct cjob *f, *next;

	for (f = c->following.head; f; f = next) {
		next = f->next;
		if (!strcmp(f->cache_key, leader->cache_key))
			client_move(c, f, CJ_WAITING);
	}
}

static void mask_json(cJSON *v, const char *key)
{
	for (cJSON *it = v; it; it = it->next) {
		if (cJSON_IsString(it))
			secret_mask(it->valuestring, key);
		mask_json(it->child, key);
	}
}

/* A key the server or the model echoed never goes further. */
static void mask_key(const llm_client *c, llm_response *r)
{
	if (!c->key)
		return;
	secret_mask(r->text, c->key);
	secret_mask(r->body, c->key);
	secret_mask(r->error, c->key);
	mask_json(r->json, c->key);
}

/* An answer is in j->resp: ask again with its errors, or keep it and make
 * it ready. */
void client_answered(llm_client *c, struct cjob *j)
{
	mask_key(c, &j->resp);
	if (j->resp.status == LLM_ERR_INVALID && c->o.repair && c->set.http && !c->stopped &&
	    j->reasks < c->set.repair_attempts && j->resp.text) {
		if (cjob_make_repair(j) == 0) {
			client_move(c, j, CJ_WAITING);
			return;
		}
		llm_response_fail(&j->resp, LLM_ERR_INVALID, "%s", cd_err_msg());
	}
	if (j->reasks) {
		j->resp.attempts += j->prior_attempts;
		j->resp.latency_ms += j->prior_latency_ms;
		j->resp.usage.input_tokens += j->prior_usage.input_tokens;
		j->resp.usage.output_tokens += j->prior_usage.output_tokens;
		j->resp.usage.cached_input_tokens += j->prior_usage.cached_input_tokens;
		j->resp.reasks = j->reasks;
		note_reasks(j);
	}
	if (j->resp.status == LLM_ERR_CANCELLED && c->stopped)
		llm_response_fail(&j->resp, LLM_ERR_NOT_SENT, "stopped: %s", c->stopped);
	if (j->resp.status == LLM_OK)
		client_keep_answer(c, j);
	else if (j->resp.status == LLM_ERR_INVALID && j->resp.text && !j->resp.cached)
		client_keep_invalid(c, j);
	else if (j->resp.http_status == 401 || j->resp.http_status == 403)
		say_where_the_key_came_from(c, &j->resp);
	if (c->set.http)
		client_watch_answer(c, &j->resp);
	client_move(c, j, CJ_READY);
	if (j->has_cache_key)
		release_followers(c, j);
}

static void on_xport_done(void *ud, unsigned xjob, llm_response *resp)
{
	struct cjob *j = ud;
	llm_client *c = j->owner;

	(void)xjob;
	llm_response_clear(&j->resp);
	j->resp = *resp;
	memset(resp, 0, sizeof *resp); /* stolen: the transport clears nothing */
	client_budget_settle(c, j);
	client_answered(c, j);
}

static void fail_now(llm_client *c, struct cjob *j, llm_status st, const char *what)
{
	llm_response_clear(&j->resp);
	llm_response_fail(&j->resp, st, "%s: %s", what, cd_err_msg());
	client_move(c, j, CJ_READY);
}

static void answer_from_cassette(llm_client *c, struct cjob *j)
{
	const llm_request *req = cjob_asked(j);

	free(j->body);
	j->body = client_replay_body(req);
	if (!j->body || client_body_sha(j->body, j->request_sha) < 0) {
		fail_now(c, j, LLM_ERR_REPLAY, "cannot hash the request");
		return;
	}
	j->replayed = 1;
	if (cassette_lookup(c->cas, req, &j->resp) == 0)
		llm_response_fail(&j->resp, LLM_ERR_REPLAY,
				  "no recorded answer for this request: the recorded answers "
				  "(%s) fit the requests they were recorded from, and a changed "
				  "charter or case library asks other ones.  To go on, connect a "
				  "model (git config codicil.provider openai, a key in "
				  "OPENAI_API_KEY; check with 'codicil doctor'), or record answers "
				  "(codicil.provider record)", c->set.cassette);
	client_answered(c, j);
}

/* 1: j->resp holds a valid cached answer. */
static int from_cache(llm_client *c, struct cjob *j)
{
	const llm_request *req = cjob_asked(j);

	if (cache_get(c->set.cache_dir, j->cache_key, &j->resp) != 1) {
		llm_response_clear(&j->resp);
		return 0;
	}
	if (req->schema)
		llm_structured_finish(req, &j->resp);
	if (j->resp.status != LLM_OK) {
		llm_response_clear(&j->resp);
		return 0;
	}
	j->resp.cached = 1;
	return 1;
}

/* The first ask of a call sets its hashes and may be answered from the
 * cache; a repair is always asked. */
static int first_ask(llm_client *c, struct cjob *j, const llm_endpoint *ep,
		     const llm_http *http)
{
	if (client_body_sha(j->body, j->request_sha) < 0)
		return -1;
	if (c->o.no_cache || cache_key(ep, &j->req, http, j->cache_key) < 0)
		return 0;
	j->has_cache_key = 1;
	return from_cache(c, j);
}

/* Single flight: an identical request (same cache key) already asked and
 * not yet answered.  A call follows a twin once at most. */
static int twin_in_flight(llm_client *c, struct cjob *j)
{
	if (!j->has_cache_key || j->followed || j->repairing || c->o.no_cache)
		return 0;
	for (struct cjob *t = c->inflight.head; t; t = t->next)
		if (t->has_cache_key && !t->repairing && !strcmp(t->cache_key, j->cache_key)) {
			j->followed = 1;
			return 1;
		}
	return 0;
}

/* A dry run ends every call here, sent or not: nothing is answered. */
static void dry_run_end(llm_client *c, struct cjob *j, int cached, size_t body_len)
{
	if (cached)
		c->est.cached++;
	else
		client_estimate_add(c, j, body_len);
	if (!cached && c->o.provider_batch && c->set.http)
		client_dry_batch_line(c, j);
	llm_response_clear(&j->resp);
	llm_response_fail(&j->resp, LLM_ERR_NOT_SENT, "dry run: %s",
			  cached ? "the cache would answer" : "not sent");
	if (j->state != CJ_READY)
		client_move(c, j, CJ_READY);
}

/* 1 when j must wait for calls in flight (the budget), else 0. */
static int ask_over_http(llm_client *c, struct cjob *j)
{
	const llm_request *req = cjob_asked(j);
	llm_endpoint ep = { .provider = c->set.http->name, .base_url = c->set.endpoint,
			    .api_key = c->key };
	llm_http http = { 0 };
	int hit = 0;
	enum cm_verdict v;

	if (c->set.http->build(&ep, req, &http) < 0) {
		llm_http_clear(&http);
		fail_now(c, j, LLM_ERR_PARSE, "cannot build the request");
		return 0;
	}
	free(j->body);
	j->body = strndup(http.body ? http.body : "", http.body_len);
	if (!j->body || (!j->repairing && (hit = first_ask(c, j, &ep, &http)) < 0)) {
		llm_http_clear(&http);
		fail_now(c, j, LLM_ERR_PARSE, "cannot hash the request");
		return 0;
	}
	if (c->o.dry_run) {
		dry_run_end(c, j, hit, http.body_len);
		llm_http_clear(&http);
		return 0;
	}
	if (hit) {
		llm_http_clear(&http);
		client_answered(c, j);
		return 0;
	}
	if (twin_in_flight(c, j)) {
		llm_http_clear(&http);
		client_move(c, j, CJ_FOLLOWING);
		return 0;
	}
	if (c->o.provider_batch && !j->repairing) {
		llm_http_clear(&http);
		client_move(c, j, CJ_BATCHED);
		return 0;
	}
	v = client_budget_admit(c, j, http.body_len);
	if (v != CM_SEND) {
		llm_http_clear(&http);
		return v == CM_WAIT;
	}
	if (xport_submit(c->x, c->set.http, req, &http, on_xport_done, j, &j->xjob) < 0) {
		llm_http_clear(&http); /* wipes the key */
		client_budget_settle(c, j);
		fail_now(c, j, LLM_ERR_TRANSPORT, "cannot queue the request");
		return 0;
	}
	llm_http_clear(&http);
	client_move(c, j, CJ_XPORT);
	return 0;
}

/* Hand waiting calls on while fewer than 2 x concurrency are in the
 * transport or waiting for delivery. */
static void feed(llm_client *c)
{
	size_t room = 2 * (size_t)c->set.xo.concurrency;
	struct cjob *j;

	while ((j = c->waiting.head) && xport_pending(c->x) + c->ready.n < room) {
		if (c->stopped)
			client_not_sent(c, j);
		else if (!c->set.http && c->o.dry_run)
			dry_run_end(c, j, 1, 0);
		else if (!c->set.http)
			answer_from_cassette(c, j);
		else if (ask_over_http(c, j))
			break; /* the budget: wait for what is in flight */
	}
}

/* Tokens count whenever they were paid for, valid answer or not. */
static void count(llm_client *c, const struct cjob *j)
{
	if (j->resp.status != LLM_OK)
		c->st.failed++;
	else
		c->st.done++;
	if (j->resp.cached) {
		c->st.cached++;
	} else if (!j->replayed) {
		c->st.input_tokens += j->resp.usage.input_tokens;
		c->st.output_tokens += j->resp.usage.output_tokens;
		c->st.cached_input_tokens += j->resp.usage.cached_input_tokens;
	}
}

/* A callback may submit or cancel; it must not step, run or free. */
static void deliver_ready(llm_client *c)
{
	struct cjob *j;

	while ((j = c->ready.head)) {
		llm_call call = {
			.id = j->id,
			.req = &j->req,
			.provider = c->set.http ? c->set.http->name : c->set.provider,
			.model = j->req.model,
			.endpoint_host = c->endpoint_host,
			.request_bytes = j->body ? strlen(j->body) : 0,
		};

		list_remove(&c->ready, j);
		count(c, j);
		memcpy(call.request_sha256, j->request_sha, sizeof call.request_sha256);
		memcpy(call.response_sha256, j->response_sha, sizeof call.response_sha256);
		memcpy(call.transcript, j->transcript, sizeof call.transcript);
		if (c->meter)
			c->meter(c->meter_ud, &call, &j->resp);
		if (j->done)
			j->done(j->ud, &call, &j->resp);
		cjob_free(j);
	}
}

int llm_client_step(llm_client *c, int extra_fd, int timeout_ms)
{
	int rc = 0;

	feed(c);
	if (c->batched.n && !c->waiting.n && !xport_pending(c->x) && !c->ready.n)
		client_run_batches(c); /* blocks until the provider's batches end */
	if (c->ready.n)
		timeout_ms = 0;
	if (xport_pending(c->x) || extra_fd >= 0)
		rc = xport_step(c->x, extra_fd, timeout_ms);
	deliver_ready(c);
	feed(c);
	return rc;
}

int llm_client_wait(llm_client *c, int extra_fd, int timeout_ms)
{
	if (c->ready.n || (!xport_pending(c->x) && (c->waiting.n || c->batched.n)))
		timeout_ms = 0; /* the next step has work without waiting */
	return xport_wait(c->x, extra_fd, timeout_ms);
}

int llm_client_run(llm_client *c)
{
	while (llm_client_pending(c))
		if (llm_client_step(c, -1, -1) < 0)
			return -1;
	return 0;
}

static void cancel_job(llm_client *c, struct cjob *j)
{
	if (j->state == CJ_XPORT) {
		xport_cancel(c->x, j->xjob); /* its callback makes it ready */
		return;
	}
	if (j->state == CJ_WAITING || j->state == CJ_FOLLOWING || j->state == CJ_BATCHED) {
		llm_response_clear(&j->resp);
		llm_response_fail(&j->resp, LLM_ERR_CANCELLED, "cancelled");
		client_move(c, j, CJ_READY);
	}
}

void llm_client_cancel(llm_client *c, unsigned id)
{
	struct cjob_list *lists[] = { &c->waiting, &c->inflight, &c->following, &c->batched };

	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		for (struct cjob *j = lists[i]->head; j; j = j->next) {
			if (j->id == id) {
				cancel_job(c, j);
				return;
			}
		}
	}
}

void llm_client_cancel_all(llm_client *c)
{
	while (c->batched.head)
		cancel_job(c, c->batched.head);
	while (c->waiting.head)
		cancel_job(c, c->waiting.head);
	while (c->following.head)
		cancel_job(c, c->following.head);
	xport_cancel_all(c->x);
}

void llm_client_stats_get(const llm_client *c, llm_client_stats *out)
{
	*out = c->st;
	out->in_flight = c->inflight.n + c->batched.n;
	out->queued = c->waiting.n;
}
