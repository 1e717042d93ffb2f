/* client_batch.c — the client's calls through a provider's batch API
 * (client.h): batched calls become batches within the provider's limits,
 * each batch is created, announced, polled until it ends, and its results
 * answer the calls whose request body they were made from. */
#include "batch_api.h"
#include "client_int.h"

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "codicil/strmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POLL_FAILURES_MAX 5

void llm_client_set_batch_cb(llm_client *c, llm_batch_fn fn, void *ud)
{
	c->batch_cb = fn;
	c->batch_ud = ud;
}

int llm_client_resume_batch(llm_client *c, const char *batch_id)
{
	char **more = realloc(c->resume_batches, (c->nresume_batches + 1) * sizeof *more);

	if (!more || !(more[c->nresume_batches] = strdup(batch_id))) {
		if (more)
			c->resume_batches = more;
		cd_err_set("out of memory");
		return -1;
	}
	c->resume_batches = more;
	c->nresume_batches++;
	return 0;
}

void client_batches_clear(llm_client *c)
{
	for (size_t i = 0; i < c->nresume_batches; i++)
		free(c->resume_batches[i]);
	free(c->resume_batches);
	c->resume_batches = NULL;
	c->nresume_batches = 0;
}

static void announce(llm_client *c, const char *id, const batch_status *st, const char *state)
{
	if (c->batch_cb)
		c->batch_cb(c->batch_ud, id, state ? state : st->state, st ? st->done : 0,
			    st ? st->failed : 0, st ? st->total : 0);
}

static void nap(double seconds)
{
	struct timespec ts = { .tv_sec = (time_t)seconds,
			       .tv_nsec = (long)((seconds - floor(seconds)) * 1e9) };

	nanosleep(&ts, NULL);
}

/* Poll until the batch has ended; 0, or -1 when the provider stopped
 * answering (cd_err). */
static int wait_for(llm_client *c, const llm_endpoint *ep, const char *id, batch_status *st)
{
	int failures = 0;

	for (;;) {
		if (batch_api_poll(c->set.http, ep, id, st) < 0) {
			if (++failures >= POLL_FAILURES_MAX)
				return -1;
		} else {
			failures = 0;
			announce(c, id, st, NULL);
			if (st->ended)
				return 0;
		}
		nap(c->set.batch_poll_s);
	}
}

/* Answer j from its result (the provider's HTTP status and body). */
static void answer_one(llm_client *c, struct cjob *j, long status, const char *body)
{
	llm_response_clear(&j->resp);
	c->set.http->parse(cjob_asked(j), status, body, strlen(body), &j->resp);
	j->resp.http_status = status;
	j->resp.attempts = 1;
	j->resp.from_batch = 1;
	free(j->resp.body);
	j->resp.body = strdup(body);
	client_budget_settle(c, j);
	client_answered(c, j);
}

/* The batched calls, and for each request body (custom_id) the chain of
 * calls made from it: identical requests share one result. */
typedef struct batch_index {
	struct cjob **jobs;
	size_t *next;          /* next call of the same request, or SIZE_MAX */
	size_t n;
	struct strmap first;   /* custom_id -> index of its first call */
} batch_index;

static int index_batched(llm_client *c, unsigned round, batch_index *ix)
{
	memset(ix, 0, sizeof *ix);
	ix->jobs = calloc(c->batched.n + 1, sizeof *ix->jobs);
	ix->next = calloc(c->batched.n + 1, sizeof *ix->next);
	if (!ix->jobs || !ix->next)
		return -1;
	for (struct cjob *j = c->batched.head; j; j = j->next) {
		struct strmap_entry *e;
		if (round && j->batch_round != round)
			continue;
		ix->jobs[ix->n] = j;
		ix->next[ix->n] = SIZE_MAX;
		if ((e = strmap_get(&ix->first, j->request_sha))) {
			size_t k = e->value;
			while (ix->next[k] != SIZE_MAX)
				k = ix->next[k];
			ix->next[k] = ix->n;
		} else if (strmap_put(&ix->first, j->request_sha, ix->n) < 0) {
			return -1;
		}
		ix->n++;
	}
	return 0;
}

static void index_free(batch_index *ix)
{
	free(ix->jobs);
	free(ix->next);
	strmap_clear(&ix->first);
}

/* Every result line answers the calls made from its request. */
static void take_results(llm_client *c, const llm_endpoint *ep, const batch_status *st,
			 unsigned round)
{
	cd_buf text = CD_BUF_INIT;
	batch_index ix;

	if (index_batched(c, round, &ix) < 0 || batch_api_results(c->set.http, ep, st, &text) < 0) {
		index_free(&ix);
		cd_buf_clear(&text);
		return;
	}
	for (char *p = text.data; p && *p;) {
		char *nl = strchr(p, '\n');
		cJSON *line = cJSON_ParseWithLength(p, nl ? (size_t)(nl - p) : strlen(p));
		const char *id;
		long status;
		char *body = NULL;
		struct strmap_entry *e;

		if (line && batch_api_result(c->set.http, line, &id, &status, &body) == 0 &&
		    (e = strmap_get(&ix.first, id)))
			for (size_t k = e->value; k != SIZE_MAX; k = ix.next[k])
				if (ix.jobs[k]->state == CJ_BATCHED)
					answer_one(c, ix.jobs[k], status, body);
		free(body);
		cJSON_Delete(line);
		p = nl ? nl + 1 : NULL;
	}
	index_free(&ix);
	cd_buf_clear(&text);
}

/* Calls of the round the batch did not answer end with why. */
static void fail_unanswered(llm_client *c, unsigned round, llm_status status, const char *why)
{
	struct cjob *j, *next;

	for (j = c->batched.head; j; j = next) {
		next = j->next;
		if (round && j->batch_round != round)
			continue;
		llm_response_clear(&j->resp);
		llm_response_fail(&j->resp, status, "%s", why);
		client_move(c, j, CJ_READY);
	}
}

/* .git/codicil/batches, or NULL outside a repository (appended to out). */
static const char *registry_dir(llm_client *c, cd_buf *out)
{
	if (!c->s || store_local_path(c->s, "batches", out) < 0) {
		cd_err_clear();
		return NULL;
	}
	return out->data;
}

/* Poll a batch to its end and answer what it answers; the calls of round
 * it leaves unanswered fail (a batch made before this run, round 0, leaves
 * them for the next).  0, or -1 when the provider stopped answering: every
 * call waiting fails, and the batch stays open for a later run. */
static int finish_batch(llm_client *c, const llm_endpoint *ep, const char *id, unsigned round)
{
	batch_status st = { 0 };
	cd_buf dir = CD_BUF_INIT;
	char why[512];

	if (wait_for(c, ep, id, &st) < 0) {
		snprintf(why, sizeof why, "lost touch with the provider's batch %s (%s); run it "
			 "again (a batch run with --resume) to ask about it again", id, cd_err_msg());
		fail_unanswered(c, 0, LLM_ERR_TRANSPORT, why);
		batch_status_clear(&st);
		return -1;
	}
	take_results(c, ep, &st, round);
	if (round) {
		snprintf(why, sizeof why, "the provider's batch %s ended (%s) without an answer "
			 "to it", id, st.state);
		fail_unanswered(c, round, LLM_ERR_HTTP, why);
	}
	if (registry_dir(c, &dir))
		batch_registry_remove(dir.data, id);
	cd_buf_clear(&dir);
	batch_status_clear(&st);
	return 0;
}

/* Open batches of this repository (the journal's, and the registry's that
 * hold one of the waiting requests), to be asked before anything new. */
static void find_open_batches(llm_client *c)
{
	struct strmap wanted = { 0 };
	cd_buf dir = CD_BUF_INIT;
	char **ids = NULL;
	size_t n = 0;

	if (!registry_dir(c, &dir)) {
		cd_buf_clear(&dir);
		return;
	}
	for (struct cjob *j = c->batched.head; j; j = j->next)
		strmap_put(&wanted, j->request_sha, 0);
	batch_registry_find(dir.data, c->set.http->name, c->endpoint_host, &wanted, &ids, &n);
	for (size_t i = 0; i < n; i++) {
		int known = 0;
		for (size_t k = 0; k < c->nresume_batches && !known; k++)
			known = !strcmp(c->resume_batches[k], ids[i]);
		if (!known)
			llm_client_resume_batch(c, ids[i]);
		free(ids[i]);
	}
	free(ids);
	strmap_clear(&wanted);
	cd_buf_clear(&dir);
}

/* The next round: batched calls not in a batch yet, up to the provider's
 * limits, one item per distinct request.  NULL when there are none. */
static cJSON *next_round(llm_client *c, unsigned round)
{
	batch_limits lim = batch_api_limits(c->set.http);
	struct strmap seen = { 0 };
	cJSON *items = cJSON_CreateArray();
	size_t n = 0, bytes = 0;

	for (struct cjob *j = c->batched.head; items && j; j = j->next) {
		size_t len = j->body ? strlen(j->body) + 200 : 0;
		cJSON *item;

		if (j->batch_round)
			continue;
		if (strmap_get(&seen, j->request_sha)) {
			j->batch_round = round;
			continue;
		}
		if (n && (n + 1 > lim.max_requests || bytes + len > lim.max_bytes))
			break;
		if (!(item = batch_api_item(c->set.http, j->request_sha, j->body ? j->body : "{}")) ||
		    strmap_put(&seen, j->request_sha, n) < 0) {
			cJSON_Delete(item);
			break;
		}
		cJSON_AddItemToArray(items, item);
		j->batch_round = round;
		n++;
		bytes += len;
	}
	strmap_clear(&seen);
	if (items && !n) {
		cJSON_Delete(items);
		return NULL;
	}
	return items;
}

void client_run_batches(llm_client *c)
{
	llm_endpoint ep = { .provider = c->set.http->name, .base_url = c->set.endpoint,
			    .api_key = c->key };
	cd_buf dir = CD_BUF_INIT;
	cJSON *items;
	char *id;

	/* batches made before a kill: their results first */
	find_open_batches(c);
	for (size_t i = 0; i < c->nresume_batches && c->batched.n; i++)
		if (finish_batch(c, &ep, c->resume_batches[i], 0) < 0)
			return;
	client_batches_clear(c);
	while (c->batched.n && (items = next_round(c, ++c->batch_rounds))) {
		unsigned round = c->batch_rounds;
		int rc = batch_api_create(c->set.http, &ep, items, &id);

		if (rc == 0 && registry_dir(c, &dir) &&
		    batch_registry_add(dir.data, id, c->set.http->name, c->endpoint_host, items) < 0)
			cd_err_clear(); /* the caller's journal may still have it */
		cd_buf_reset(&dir);
		cJSON_Delete(items);
		if (rc < 0) {
			char why[512];
			snprintf(why, sizeof why, "%s", cd_err_msg());
			fail_unanswered(c, round, LLM_ERR_HTTP, why);
			continue;
		}
		announce(c, id, NULL, "created");
		rc = finish_batch(c, &ep, id, round);
		free(id);
		if (rc < 0)
			break;
	}
	cd_buf_clear(&dir);
}

void client_dry_batch_line(llm_client *c, const struct cjob *j)
{
	cJSON *item = batch_api_item(c->set.http, j->request_sha, j->body ? j->body : "{}");

	if (item && cd_json_print_compact(item, &c->dry_batch) == 0)
		cd_buf_putc(&c->dry_batch, '\n');
	cJSON_Delete(item);
}

const char *llm_client_dry_batch(const llm_client *c)
{
	return cd_buf_cstr(&c->dry_batch);
}
