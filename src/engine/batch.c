/* batch.c — run generation units through the client, journal every
 * attempt, commit the cases the journal holds. */
#include "batch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/utf8.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "codicil/workflow.h"

typedef struct batch_state {
	gen_ctx *g;
	const batch_opts *o;
	batch_result *r;
	journal jn;
	batch_progress prog;
	struct timespec t0;
	size_t ok_since_commit;
	int fatal;              /* the journal could not be written */
} batch_state;

typedef struct slot {
	batch_state *st;
	gen_unit *unit;
} slot;

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static cJSON *unit_line(const batch_state *st, const gen_unit *u)
{
	cJSON *j = cJSON_CreateObject(), *ps;
	char at[CASE_TIME_SIZE];

	case_time_now(at);
	cJSON_AddStringToObject(j, "run", st->r->run);
	cJSON_AddStringToObject(j, "request", u->key);
	if (u->nprinciples)
		cJSON_AddStringToObject(j, "principle", u->principles[0]);
	else
		cJSON_AddNullToObject(j, "principle");
	ps = cJSON_AddArrayToObject(j, "principles");
	for (size_t i = 0; i < u->nprinciples; i++)
		cJSON_AddItemToArray(ps, cJSON_CreateString(u->principles[i]));
	cJSON_AddNumberToObject(j, "sample", u->sample);
	cJSON_AddStringToObject(j, "at", at);
	return j;
}

static void add_outcome(cJSON *line, const char *status, const char *error,
			const llm_call *call, const llm_response *resp, const gen_outcome *out)
{
	cJSON *ids = cJSON_CreateArray(), *records = cJSON_CreateArray(), *usage;

	cJSON_AddStringToObject(line, "status", status);
	if (error)
		cJSON_AddStringToObject(line, "error", error);
	else
		cJSON_AddNullToObject(line, "error");
	for (size_t i = 0; out && i < out->n; i++) {
		cJSON_AddItemToArray(ids, cJSON_CreateString(case_id(out->cases[i])));
		cJSON_AddItemToArray(records, cJSON_Duplicate(out->cases[i], 1));
	}
	cJSON_AddItemToObject(line, "cases", ids);
	cJSON_AddItemToObject(line, "records", records);
	cJSON_AddNumberToObject(line, "duplicates", out ? (double)out->duplicates : 0);
	cJSON_AddNumberToObject(line, "invalid", out ? (double)out->invalid : 0);
	usage = cJSON_AddObjectToObject(line, "usage");
	cJSON_AddNumberToObject(usage, "input_tokens", (double)resp->usage.input_tokens);
	cJSON_AddNumberToObject(usage, "output_tokens", (double)resp->usage.output_tokens);
	cJSON_AddNumberToObject(usage, "cached_input_tokens", (double)resp->usage.cached_input_tokens);
	cJSON_AddNumberToObject(line, "latency_ms", (double)resp->latency_ms);
	cJSON_AddNumberToObject(line, "attempts", resp->attempts);
	cJSON_AddNumberToObject(line, "reasks", resp->reasks);
	cJSON_AddBoolToObject(line, "cached", resp->cached);
	cJSON_AddItemToObject(line, "repairs", cd_json_lines(resp->repairs));
	if (strcmp(status, "ok") && resp->text) { /* paid for: kept, to be checked again */
		cd_buf raw = CD_BUF_INIT; /* a journal line is UTF-8, whatever came */
		if (cd_utf8_mend(resp->text, strlen(resp->text), &raw) == 0)
			cJSON_AddStringToObject(line, "raw", cd_buf_cstr(&raw));
		cd_buf_clear(&raw);
	}
	if (call && call->request_sha256[0])
		cJSON_AddStringToObject(line, "request_sha256", call->request_sha256);
	if (call && call->response_sha256[0])
		cJSON_AddStringToObject(line, "response_sha256", call->response_sha256);
}

/* The repository lock only while it writes: raters and other runs go on
 * while this one waits for the model. */
static int commit_pending(batch_state *st)
{
	int rc;

	if (store_lock(st->g->store) < 0)
		return -1;
	rc = batch_commit_cases(st->g, &st->jn, st->o->commit, st->r);
	store_unlock(st->g->store);
	return rc;
}

static const char *failure_cause(const llm_response *resp, char *buf, size_t size)
{
	switch (resp->status) {
	case LLM_ERR_TRANSPORT: return "no connection";
	case LLM_ERR_NOT_SENT: return "not sent";
	case LLM_ERR_INVALID: return "invalid answer";
	case LLM_ERR_HTTP:
		snprintf(buf, size, "HTTP %ld", resp->http_status);
		return buf;
	case LLM_OK: return "invalid answer"; /* no usable case in it */
	default: return llm_status_name(resp->status);
	}
}

static void record_failure(batch_state *st, const gen_unit *u, const llm_response *resp,
			   const char *why)
{
	batch_result *r = st->r;
	batch_failure *f = realloc(r->failures, (r->nfailures + 1) * sizeof *f);
	cd_buf unit = CD_BUF_INIT;
	char buf[32];

	if (!f)
		return; /* the journal has it; the summary is shorter */
	r->failures = f;
	cd_buf_printf(&unit, "%s sample %u", u->nprinciples ? u->principles[0] : "(charter)",
		      u->sample);
	f[r->nfailures].unit = cd_buf_detach(&unit);
	f[r->nfailures].cause = strdup(failure_cause(resp, buf, sizeof buf));
	f[r->nfailures].why = strdup(why ? why : "");
	r->nfailures++;
}

static void count_ok(batch_state *st, const llm_response *resp, const gen_outcome *out)
{
	st->r->ok++;
	st->prog.ok++;
	st->prog.cases += out->n;
	st->r->mended += resp->repairs != NULL;
	if (st->o->commit_every && ++st->ok_since_commit >= st->o->commit_every) {
		if (commit_pending(st) < 0)
			st->fatal = 1;
		st->ok_since_commit = 0;
	}
}

/* One answer, from the model or from the journal: its line, its cases. */
static void take_answer(batch_state *st, gen_unit *u, const llm_call *call,
			const llm_response *resp)
{
	cJSON *line = unit_line(st, u);
	gen_outcome out = { 0 };
	const char *status = "ok", *error = NULL;

	if (resp->status != LLM_OK) {
		status = resp->status == LLM_ERR_INVALID ? "invalid" :
			 resp->status == LLM_ERR_NOT_SENT ? "not_sent" :
			 resp->status == LLM_ERR_CANCELLED ? "cancelled" : "error";
		error = resp->error ? resp->error : llm_status_name(resp->status);
	} else if (gen_collect(st->g, u, call, resp, st->r->run, &out) < 0) {
		status = "invalid";
		error = cd_err_msg();
	} else if (out.n == 0 && out.invalid > 0) {
		status = "invalid";
		error = out.first_problem;
	}
	add_outcome(line, status, error, call, resp, &out);
	if (journal_append(&st->jn, line) < 0)
		st->fatal = 1;
	st->prog.done++;
	st->prog.tokens += resp->usage.input_tokens + resp->usage.output_tokens;
	st->r->duplicates += out.duplicates;
	st->r->invalid += out.invalid;
	st->r->reasked += resp->reasks > 0;
	if (!strcmp(status, "ok")) {
		count_ok(st, resp, &out);
		if (st->o->arrived && out.n)
			st->o->arrived(st->o->ud, out.cases, out.n);
	} else if (resp->status == LLM_ERR_CANCELLED) {
		st->r->cancelled++;
	} else {
		if (resp->status == LLM_ERR_NOT_SENT)
			st->r->not_sent++;
		else
			st->r->failed++;
		st->prog.failed++;
		record_failure(st, u, resp, error);
	}
	gen_outcome_clear(&out);
	st->prog.elapsed_s = seconds_since(&st->t0);
	if (st->o->progress)
		st->o->progress(st->o->ud, &st->prog);
}

static void on_done(void *ud, const llm_call *call, llm_response *resp)
{
	slot *sl = ud;

	take_answer(sl->st, sl->unit, call, resp);
	free(sl);
}

/* A kept answer that failed its check before: checked again (the check or
 * the charter may have changed), for free.  1: it passes and is taken. */
static int revalidate(batch_state *st, gen_unit *u)
{
	const cJSON *last = journal_last(&st->jn, u->key);
	const char *raw = cd_json_str(last, "raw");
	llm_response resp = { 0 };
	llm_call call = { .provider = llm_client_provider(st->g->client),
			  .model = llm_client_model(st->g->client),
			  .endpoint_host = "journal" };
	gen_request req;
	int taken = 0;

	if (!raw || gen_build(st->g, u, &req) < 0)
		return 0;
	call.req = &req.req;
	snprintf(call.request_sha256, sizeof call.request_sha256, "%s",
		 cd_json_str(last, "request_sha256") ? cd_json_str(last, "request_sha256") : "");
	snprintf(call.response_sha256, sizeof call.response_sha256, "%s",
		 cd_json_str(last, "response_sha256") ? cd_json_str(last, "response_sha256") : "");
	resp.text = strdup(raw);
	if (resp.text && llm_structured_finish(&req.req, &resp) == 0) {
		taken = 1;
		st->r->revalidated++;
		take_answer(st, u, &call, &resp);
	}
	llm_response_clear(&resp);
	gen_request_clear(&req);
	return taken;
}

/* Which units this invocation asks for, given the journal. */
static int wanted(const batch_state *st, const gen_unit *u)
{
	const cJSON *last = journal_last(&st->jn, u->key);
	const char *status = last ? cd_json_str(last, "status") : NULL;

	switch (st->o->select) {
	case BATCH_NEW:
		return 1;
	case BATCH_RESUME:
		return !last || !status || strcmp(status, "ok");
	case BATCH_RETRY_ERRORS:
		return last && (!status || strcmp(status, "ok"));
	}
	return 0;
}

static int dry_run(batch_state *st, gen_unit **todo, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		gen_request req;
		cJSON *j, *ps;
		cd_buf line = CD_BUF_INIT;

		if (gen_build(st->g, todo[i], &req) < 0)
			return -1;
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "request", todo[i]->key);
		ps = cJSON_AddArrayToObject(j, "principles");
		for (size_t k = 0; k < todo[i]->nprinciples; k++)
			cJSON_AddItemToArray(ps, cJSON_CreateString(todo[i]->principles[k]));
		cJSON_AddNumberToObject(j, "sample", todo[i]->sample);
		cJSON_AddStringToObject(j, "kind", case_kind_name(todo[i]->kind));
		cJSON_AddNumberToObject(j, "n", todo[i]->n);
		cJSON_AddStringToObject(j, "model", llm_client_model(st->g->client));
		cJSON_AddNumberToObject(j, "prompt_bytes", (double)req.user.len);
		cd_json_print_compact(j, &line);
		if (!st->o->provider_batch)
			fprintf(st->o->dry_run_out, "%s\n", line.data);
		cd_buf_clear(&line);
		cJSON_Delete(j);
		/* the client, in its dry run, estimates it and sends nothing */
		if (llm_client_submit(st->g->client, &req.req, NULL, NULL, NULL) < 0 ||
		    (llm_client_pending(st->g->client) >= 256 && workflow_run_client(st->g->client) < 0)) {
			gen_request_clear(&req);
			return -1;
		}
		gen_request_clear(&req);
	}
	if (workflow_run_client(st->g->client) < 0)
		return -1;
	if (st->o->provider_batch) /* the file it would upload */
		fputs(llm_client_dry_batch(st->g->client), st->o->dry_run_out);
	return 0;
}

static int submit(batch_state *st, gen_unit *u)
{
	gen_request req;
	slot *sl = calloc(1, sizeof *sl);
	int rc;

	if (!sl) {
		cd_err_set("out of memory");
		return -1;
	}
	sl->st = st;
	sl->unit = u;
	if (gen_build(st->g, u, &req) < 0) {
		free(sl);
		return -1;
	}
	rc = llm_client_submit(st->g->client, &req.req, on_done, sl, NULL);
	gen_request_clear(&req);
	if (rc < 0)
		free(sl);
	return rc;
}

/* The next unit to ask for: the run's, then those a front end added. */
static gen_unit *next_unit(batch_state *st, gen_unit **todo, size_t n, size_t *next)
{
	gen_unit *u;

	if (*next < n)
		return todo[(*next)++];
	if (!st->o->more || !(u = st->o->more(st->o->ud)))
		return NULL;
	st->prog.total++;
	return u;
}

/* Feed the client a window of requests at a time, so that memory stays
 * flat however many units the run has. */
static int pump(batch_state *st, gen_unit **todo, size_t n)
{
	long concurrency = 8;
	size_t next = 0, window;

	if (config_get_setting_long(st->g->cfg, "codicil.concurrency", &concurrency) < 0)
		cd_err_clear(); /* the client has said so already */
	window = (size_t)(concurrency > 0 ? concurrency : 1) * 2;
	if (st->o->provider_batch)
		window = (size_t)-1; /* a provider batch holds the whole run */
	for (;;) {
		gen_unit *u;
		while (!st->fatal && llm_client_pending(st->g->client) < window &&
		       (u = next_unit(st, todo, n, &next))) {
			if (st->o->select != BATCH_NEW && revalidate(st, u))
				continue;
			if (submit(st, u) < 0)
				return -1;
		}
		if (st->fatal || !llm_client_pending(st->g->client))
			break;
		if (workflow_step_client(st->g->client, 1000) < 0)
			return -1;
	}
	if (st->fatal) {
		llm_client_cancel_all(st->g->client);
		return -1;
	}
	return 0;
}

/* A provider batch: journal its id the moment it exists (a kill while it
 * is polled must not lose it: the batch is paid for), then pass on its
 * progress. */
static void on_batch(void *ud, const char *id, const char *state, long done, long failed,
		     long total)
{
	batch_state *st = ud;
	char at[CASE_TIME_SIZE];

	if (!strcmp(state, "created")) {
		cJSON *line = cJSON_CreateObject();
		case_time_now(at);
		cJSON_AddStringToObject(line, "run", st->r->run);
		cJSON_AddStringToObject(line, "provider_batch", id);
		cJSON_AddStringToObject(line, "provider", llm_client_provider(st->g->client));
		cJSON_AddStringToObject(line, "state", state);
		cJSON_AddStringToObject(line, "at", at);
		if (journal_append(&st->jn, line) < 0)
			st->fatal = 1;
	}
	if (st->o->batch_progress)
		st->o->batch_progress(st->o->ud, id, state, done, failed, total);
}

/* A resumed run first asks about the provider batches it made before;
 * resumed without --provider-batch, it would pay for them twice. */
static int resume_batches(batch_state *st)
{
	for (size_t i = 0; i < st->jn.n; i++) {
		const char *id = cd_json_str(st->jn.lines[i], "provider_batch");
		if (!id)
			continue;
		if (!st->o->provider_batch) {
			cd_err_set("this run sent requests in the provider's batch %s: resume it "
				   "with --provider-batch, which asks that batch for its answers "
				   "(without, they would be asked for and paid for again)", id);
			return -1;
		}
		if (llm_client_resume_batch(st->g->client, id) < 0)
			return -1;
	}
	return 0;
}

/* The truth about the run, not only this invocation: which units still
 * have no ok line. */
static void count_remaining(batch_state *st)
{
	st->r->total = st->o->nunits;
	st->r->remaining = 0;
	for (size_t i = 0; i < st->o->nunits; i++) {
		const char *status = cd_json_str(journal_last(&st->jn, st->o->units[i].key), "status");
		st->r->remaining += !status || strcmp(status, "ok");
	}
}

int batch_run(gen_ctx *g, const batch_opts *o, batch_result *r)
{
	batch_state st = { .g = g, .o = o, .r = r };
	gen_unit **todo = NULL;
	size_t ntodo = 0;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (journal_open(o->journal_path, &st.jn) < 0 ||
	    (!o->dry_run && journal_lock(&st.jn) < 0))
		goto out;
	if (o->select == BATCH_NEW && st.jn.n > 0) {
		cd_err_set("journal %s already holds a run; add --resume to continue it, or give "
			   "another --journal", o->journal_path);
		goto out;
	}
	if (o->select != BATCH_NEW && st.jn.n == 0) {
		cd_err_set("journal %s holds no run to resume", o->journal_path);
		goto out;
	}
	if (journal_run(&st.jn))
		snprintf(r->run, sizeof r->run, "%s", journal_run(&st.jn));
	else if (o->run)
		snprintf(r->run, sizeof r->run, "%s", o->run);
	else
		cd_id_new('r', r->run);
	if (batch_remember_journal_cases(g, &st.jn) < 0)
		goto out;
	todo = calloc(o->nunits ? o->nunits : 1, sizeof *todo);
	if (!todo) {
		cd_err_set("out of memory");
		goto out;
	}
	for (size_t i = 0; i < o->nunits; i++) {
		if (wanted(&st, &o->units[i]))
			todo[ntodo++] = &o->units[i];
		else
			r->skipped++;
	}
	if (o->dry_run) {
		rc = dry_run(&st, todo, ntodo);
		goto out;
	}
	st.prog.total = ntodo;
	clock_gettime(CLOCK_MONOTONIC, &st.t0);
	if (o->provider_batch)
		llm_client_set_batch_cb(g->client, on_batch, &st);
	if (o->select != BATCH_NEW && resume_batches(&st) < 0)
		goto out;
	rc = pump(&st, todo, ntodo);
	if (commit_pending(&st) < 0)
		rc = -1;
	count_remaining(&st);
	if (llm_client_stopped(g->client))
		r->stopped = strdup(llm_client_stopped(g->client));
out:
	free(todo);
	journal_clear(&st.jn);
	return rc;
}

void batch_result_clear(batch_result *r)
{
	for (size_t i = 0; i < r->ncases; i++)
		free(r->case_ids[i]);
	for (size_t i = 0; i < r->nfailures; i++) {
		free(r->failures[i].unit);
		free(r->failures[i].cause);
		free(r->failures[i].why);
	}
	free(r->case_ids);
	free(r->failures);
	free(r->stopped);
	memset(r, 0, sizeof *r);
}
