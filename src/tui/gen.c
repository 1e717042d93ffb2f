/* gen.c — generating counterexamples from inside the TUI: requests go
 * through the session's client, each answer's cases are collected by the
 * engine (gen_collect: validated, de-duplicated, with provenance) and shown
 * at once, and when the last answer is in they are committed together the
 * way `codicil generate` commits them (gen_commit). */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/batch.h"
#include "codicil/workspace.h"
#include "codicil/error.h"
#include "codicil/id.h"

#define GEN_CASES 3      /* cases asked of each request */
#define GEN_MAX_UNITS 64 /* principles in one generation */

struct gen_req {
	tui_app *app;
	size_t unit;
	unsigned call;
};

struct tui_gen {
	gen_ctx g;
	char run[CD_ID_SIZE];
	gen_unit units[GEN_MAX_UNITS];
	const char *targets[GEN_MAX_UNITS]; /* strdup()ed */
	struct gen_req reqs[GEN_MAX_UNITS];
	size_t nunits, running, failed, duplicates, invalid;
	cJSON **cases;
	size_t ncases, cap;
	char *first_problem;
	long tokens;
	int cancelled;
};

unsigned tui_cases_serial(tui_app *app, int on_disk)
{
	return on_disk ? app->cases_disk_serial : app->cases_serial;
}

void tui_cases_changed(tui_app *app, int on_disk)
{
	app->cases_serial++;
	if (on_disk)
		app->cases_disk_serial++;
	app->dirty = 1;
}

size_t tui_generating(tui_app *app)
{
	return app->gen ? app->gen->running : 0;
}

size_t tui_gen_cases(tui_app *app, cJSON *const **cases)
{
	*cases = app->gen ? app->gen->cases : NULL;
	return app->gen ? app->gen->ncases : 0;
}

static void gen_destroy(struct tui_gen *j)
{
	for (size_t i = 0; i < j->ncases; i++)
		cJSON_Delete(j->cases[i]);
	for (size_t i = 0; i < j->nunits; i++)
		free((char *)j->targets[i]);
	free(j->cases);
	free(j->first_problem);
	gen_close(&j->g);
	free(j);
}

static void problem(struct tui_gen *j, const char *what)
{
	if (!j->first_problem && what)
		j->first_problem = strdup(what);
}

static const char *target_name(struct tui_gen *j)
{
	return j->nunits == 1 ? j->targets[0] : "several principles";
}

/* A commit that fails leaves the cases as files in the work tree rather
 * than losing them. */
static void commit_cases(tui_app *app, struct tui_gen *j, cd_buf *msg)
{
	char commit[41];
	int rc = gen_commit(&j->g, j->cases, j->ncases, j->run, commit);

	if (rc == 0) {
		cd_buf_printf(msg, "Committed %zu new case%s for %s as %.7s", j->ncases,
			      j->ncases == 1 ? "" : "s", target_name(j), commit);
		return;
	}
	cd_buf_printf(msg, "Could not commit the new cases (%s); ", cd_err_msg());
	for (size_t i = 0; i < j->ncases; i++) {
		cd_buf path = CD_BUF_INIT;
		cd_buf_puts(&path, store_workdir(app->s));
		workspace_record_path(case_id(j->cases[i]), &path);
		rc |= case_write(path.data, j->cases[i]);
		cd_buf_free(&path);
	}
	cd_buf_puts(msg, rc ? "writing them to cases/ failed too" : "they are in cases/, uncommitted");
}

/* The last answer is in: commit, say what happened, end the job. */
static void finish(tui_app *app)
{
	struct tui_gen *j = app->gen;
	cd_buf msg = CD_BUF_INIT;

	if (j->cancelled)
		cd_buf_puts(&msg, "Cancelled. ");
	if (j->ncases)
		commit_cases(app, j, &msg);
	else
		cd_buf_printf(&msg, "No new cases for %s", target_name(j));
	if (j->duplicates || j->invalid)
		cd_buf_printf(&msg, " (%zu duplicate%s, %zu invalid dropped)", j->duplicates,
			      j->duplicates == 1 ? "" : "s", j->invalid);
	if (j->failed)
		cd_buf_printf(&msg, "; %zu request%s failed", j->failed, j->failed == 1 ? "" : "s");
	if (j->first_problem && (j->failed || !j->ncases))
		cd_buf_printf(&msg, ": %s", j->first_problem);
	if (j->failed || (!j->ncases && !j->cancelled))
		tui_error(app, "%s", msg.data);
	else
		tui_message(app, "%s", msg.data);
	cd_buf_free(&msg);
	app->gen = NULL;
	gen_destroy(j);
	tui_set_jobs(app, 0, 0);
	tui_set_cancel(app, NULL, NULL);
	tui_cases_changed(app, 1);
}

static int keep_cases(struct tui_gen *j, gen_outcome *o)
{
	if (j->ncases + o->n > j->cap) {
		size_t cap = (j->ncases + o->n) * 2;
		cJSON **more = realloc(j->cases, cap * sizeof *more);
		if (!more)
			return -1;
		j->cases = more;
		j->cap = cap;
	}
	memcpy(j->cases + j->ncases, o->cases, o->n * sizeof *o->cases);
	j->ncases += o->n;
	o->n = 0; /* taken over */
	return 0;
}

static void collect(struct tui_gen *j, const gen_unit *u, const llm_call *call,
		    const llm_response *resp)
{
	gen_outcome o;

	if (gen_collect(&j->g, u, call, resp, j->run, &o) < 0 || keep_cases(j, &o) < 0) {
		j->failed++;
		problem(j, cd_err_msg());
	} else {
		j->duplicates += o.duplicates;
		j->invalid += o.invalid;
		problem(j, o.first_problem);
	}
	gen_outcome_free(&o);
}

static void answered(void *ud, const llm_call *call, llm_response *resp)
{
	struct gen_req *rq = ud;
	tui_app *app = rq->app;
	struct tui_gen *j = app->gen;

	j->running--;
	j->tokens += resp->usage.input_tokens + resp->usage.output_tokens;
	if (resp->status == LLM_OK)
		collect(j, &j->units[rq->unit], call, resp);
	else if (resp->status == LLM_ERR_CANCELLED)
		j->cancelled = 1;
	else {
		j->failed++;
		problem(j, resp->error ? resp->error : llm_status_name(resp->status));
	}
	tui_cases_changed(app, 0);
	tui_set_jobs(app, (unsigned)j->running, j->tokens);
	if (!j->running)
		finish(app);
}

static void cancel(void *ud)
{
	tui_app *app = ud;

	if (app->client)
		llm_client_cancel_all(app->client);
}

void tui_gen_free(tui_app *app)
{
	if (app->gen) /* answers never delivered: nothing to commit */
		gen_destroy(app->gen);
	app->gen = NULL;
}

static struct tui_gen *gen_start(tui_app *app, llm_client *client)
{
	struct tui_gen *j = calloc(1, sizeof *j);

	if (!j) {
		tui_error(app, "out of memory");
		return NULL;
	}
	if (gen_open(app->s, app->cfg, client, &j->g) < 0) {
		tui_error(app, "%s", cd_err_msg());
		free(j);
		return NULL;
	}
	cd_id_new('r', j->run);
	return j;
}

static int submit(tui_app *app, struct tui_gen *j, const char *pid)
{
	gen_unit *u = &j->units[j->nunits];
	struct gen_req *rq = &j->reqs[j->nunits];
	gen_request req;

	if (!(j->targets[j->nunits] = strdup(pid))) {
		cd_err_set("out of memory");
		return -1;
	}
	u->principles = &j->targets[j->nunits];
	u->nprinciples = 1;
	u->n = GEN_CASES;
	u->kind = CASE_COUNTEREXAMPLE;
	gen_unit_key(u);
	*rq = (struct gen_req){ .app = app, .unit = j->nunits };
	if (gen_build(&j->g, u, &req) < 0)
		goto fail;
	if (llm_client_submit(app->client, &req.req, answered, rq, &rq->call) < 0) {
		gen_request_free(&req);
		goto fail;
	}
	gen_request_free(&req);
	j->nunits++;
	j->running++;
	return 0;
fail:
	free((char *)j->targets[j->nunits]);
	j->targets[j->nunits] = NULL;
	return -1;
}

int tui_generate(tui_app *app, const char *pid)
{
	struct tui_gen *j = app->gen;
	llm_client *client;

	if (!j && tui_llm_busy(app, "Generating"))
		return -1;
	if (!(client = tui_llm(app)))
		return -1;
	if (!j && !(j = gen_start(app, client)))
		return -1;
	app->gen = j;
	for (size_t i = 0; i < j->nunits; i++)
		if (!strcmp(j->targets[i], pid)) {
			tui_message(app, "Already generating for %s", pid);
			return -1;
		}
	if (j->nunits == GEN_MAX_UNITS) {
		tui_message(app, "%d principles at once is the most; wait for these", GEN_MAX_UNITS);
		return -1;
	}
	if (submit(app, j, pid) < 0) {
		tui_error(app, "%s", cd_err_msg());
		if (!j->running) {
			app->gen = NULL;
			gen_destroy(j);
		}
		return -1;
	}
	tui_set_jobs(app, (unsigned)j->running, j->tokens);
	tui_set_cancel(app, cancel, app);
	tui_message(app, "Asking the model for %d counterexamples to %s (Esc cancels)", GEN_CASES,
		    pid);
	return 0;
}
