/* gen.c — generating counterexamples from inside the TUI: a job that runs
 * the engine's batch (batch_run, as `codicil generate` does: journal,
 * validation, de-duplication, provenance, one commit at the end).  The
 * Cases view shows each answer's cases as they arrive, and C on another
 * principle while it runs adds that principle to the same run. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/batch.h"
#include "codicil/error.h"
#include "codicil/id.h"

#define GEN_CASES 3      /* cases asked of each request */
#define GEN_MAX_UNITS 64 /* principles in one generation */

struct tui_gen {
	tui_app *app;
	char run[CD_ID_SIZE];
	gen_unit units[GEN_MAX_UNITS];
	const char *targets[GEN_MAX_UNITS]; /* strdup()ed */
	size_t nunits, taken, answered;     /* asked for, handed to the batch, answered */
	cJSON **cases;                      /* copies of the arrived cases, to show */
	size_t ncases, cap;
	batch_result r;
};

/* The running generation; the job owns it and frees it. */
static const tui_feature gen_feature = { "generation", NULL };

static struct tui_gen *running(tui_app *app)
{
	return tui_state(app, &gen_feature);
}

size_t tui_generating(tui_app *app)
{
	struct tui_gen *j = running(app);

	return j ? j->nunits - j->answered : 0;
}

size_t tui_gen_cases(tui_app *app, cJSON *const **cases)
{
	struct tui_gen *j = running(app);

	*cases = j ? j->cases : NULL;
	return j ? j->ncases : 0;
}

static void gen_free(void *ud)
{
	struct tui_gen *j = ud;

	for (size_t i = 0; i < j->ncases; i++)
		cJSON_Delete(j->cases[i]);
	for (size_t i = 0; i < j->nunits; i++)
		free((char *)j->targets[i]);
	free(j->cases);
	batch_result_clear(&j->r);
	free(j);
}

/* ---- inside the job ---- */

static gen_unit *more(void *ud)
{
	struct tui_gen *j = ud;

	return j->taken < j->nunits ? &j->units[j->taken++] : NULL;
}

static void arrived(void *ud, cJSON *const *cases, size_t n)
{
	struct tui_gen *j = ud;

	if (j->ncases + n > j->cap) {
		size_t cap = (j->ncases + n) * 2;
		cJSON **grown = realloc(j->cases, cap * sizeof *grown);
		if (!grown)
			return; /* shown when committed */
		j->cases = grown;
		j->cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		if ((j->cases[j->ncases] = cJSON_Duplicate(cases[i], 1)))
			j->ncases++;
	tui_cases_changed(j->app, 0);
}

static void progress(void *ud, const batch_progress *p)
{
	struct tui_gen *j = ud;

	j->answered = p->done;
	tui_redraw(j->app);
}

static int run_generate(tui_job_ctx *jc, void *ud)
{
	struct tui_gen *j = ud;
	llm_client *c = tui_job_client(jc);
	store *s = tui_job_store(jc);
	batch_opts bo = { .run = j->run, .select = BATCH_NEW, .commit = 1, .more = more,
			  .arrived = arrived, .progress = progress, .ud = j };
	cd_buf name = CD_BUF_INIT, journal = CD_BUF_INIT;
	gen_ctx g;
	int rc = -1;

	if (!c || gen_open(s, tui_job_config(jc), c, &g) < 0)
		return -1;
	cd_buf_printf(&name, "runs/%s.jsonl", j->run);
	if (store_local_path(s, name.data, &journal) == 0) {
		bo.journal_path = journal.data;
		rc = batch_run(&g, &bo, &j->r);
	}
	gen_close(&g);
	cd_buf_clear(&name);
	cd_buf_clear(&journal);
	return rc;
}

/* ---- the app's side ---- */

static const char *target_name(const struct tui_gen *j)
{
	return j->nunits == 1 ? j->targets[0] : "several principles";
}

static void say_how_it_went(tui_app *app, const struct tui_gen *j, int cancelled,
			    const char *error)
{
	const batch_result *r = &j->r;
	cd_buf msg = CD_BUF_INIT;
	size_t failed = r->failed + r->not_sent;

	if (cancelled)
		cd_buf_puts(&msg, "Cancelled. ");
	if (r->ncases && r->commit[0])
		cd_buf_printf(&msg, "Committed %zu new case%s for %s as %.7s", r->ncases,
			      r->ncases == 1 ? "" : "s", target_name(j), r->commit);
	else if (r->ncases) /* the commit failed: they are in the journal */
		cd_buf_printf(&msg, "Could not commit the new cases (%s); 'codicil generate "
			      "--resume --journal .git/codicil/runs/%s.jsonl' commits them", error,
			      j->run);
	else
		cd_buf_printf(&msg, "No new cases for %s", target_name(j));
	if (r->duplicates || r->invalid)
		cd_buf_printf(&msg, " (%zu duplicate%s, %zu invalid dropped)", r->duplicates,
			      r->duplicates == 1 ? "" : "s", r->invalid);
	if (failed)
		cd_buf_printf(&msg, "; %zu request%s failed", failed, failed == 1 ? "" : "s");
	if (r->nfailures && (failed || !r->ncases))
		cd_buf_printf(&msg, ": %s", r->failures[0].why);
	else if (!r->ncases && !cancelled && error && *error)
		cd_buf_printf(&msg, ": %s", error);
	if (failed || (!r->ncases && !cancelled))
		tui_error(app, "%s", cd_buf_cstr(&msg));
	else
		tui_message(app, "%s", cd_buf_cstr(&msg));
	cd_buf_clear(&msg);
}

static void generated(tui_app *app, void *ud, enum tui_job_end end, const char *error)
{
	struct tui_gen *j = ud;

	tui_set_state(app, &gen_feature, NULL); /* the job frees it */
	say_how_it_went(app, j, end == TUI_JOB_CANCELLED, end == TUI_JOB_OK ? NULL : error);
	tui_cases_changed(app, 1);
}

/* Ask for GEN_CASES counterexamples to pid in the run j. */
static int add_unit(struct tui_gen *j, const char *pid)
{
	gen_unit *u = &j->units[j->nunits];

	if (!(j->targets[j->nunits] = strdup(pid))) {
		cd_err_set("out of memory");
		return -1;
	}
	*u = (gen_unit){ .principles = &j->targets[j->nunits], .nprinciples = 1, .n = GEN_CASES,
			 .kind = CASE_COUNTEREXAMPLE };
	gen_unit_key(u);
	j->nunits++;
	return 0;
}

static int add_to_running(tui_app *app, const char *pid)
{
	struct tui_gen *j = running(app);

	if (tui_job_cancelling(app)) { /* the batch takes no more units */
		tui_message(app, "The generation is being cancelled; C again once it has ended");
		return -1;
	}
	for (size_t i = 0; i < j->nunits; i++)
		if (!strcmp(j->targets[i], pid)) {
			tui_message(app, "Already generating for %s", pid);
			return -1;
		}
	if (j->nunits == GEN_MAX_UNITS) {
		tui_message(app, "%d principles at once is the most; wait for these", GEN_MAX_UNITS);
		return -1;
	}
	if (add_unit(j, pid) < 0) {
		tui_error(app, "%s", cd_err_msg());
		return -1;
	}
	tui_job_poll(app); /* the batch takes it now, not at its next answer */
	return 0;
}

static int start(tui_app *app, const char *pid)
{
	struct tui_gen *j;

	if (tui_llm_busy(app, "Generating"))
		return -1;
	if (!(j = calloc(1, sizeof *j)) || add_unit(j, pid) < 0) {
		free(j);
		tui_error(app, "out of memory");
		return -1;
	}
	j->app = app;
	cd_id_new('r', j->run);
	if (tui_set_state(app, &gen_feature, j) < 0) {
		gen_free(j);
		return -1;
	}
	if (tui_job_start(app, "generate", run_generate, generated, j, gen_free) < 0) {
		tui_set_state(app, &gen_feature, NULL);
		return -1;
	}
	return 0;
}

int tui_generate(tui_app *app, const char *pid)
{
	if (running(app) ? add_to_running(app, pid) < 0 : start(app, pid) < 0)
		return -1;
	if (running(app)) /* it may have ended already (answers from the cache) */
		tui_message(app, "Asking the model for %d counterexamples to %s (Esc cancels)",
			    GEN_CASES, pid);
	return 0;
}
