/* job_explore.c — the deeper searches from the Principles view (T, V, P:
 * tensions, vagueness, probes involving the selected principle) and
 * theorize from the Theories view, as jobs with their progress in the
 * status line.  Each commits as its command does. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/explore.h"
#include "codicil/theorize.h"

#define EXPLORE_CASES 3 /* cases asked for, as `codicil tensions` */

struct explore_job {
	case_kind kind;
	char *pid;
	batch_result r; /* what came of it */
};

static void explore_job_free(void *ud)
{
	struct explore_job *ej = ud;

	batch_result_clear(&ej->r);
	free(ej->pid);
	free(ej);
}

static const char *kind_plural(case_kind k)
{
	return k == CASE_TENSION ? "tensions" : k == CASE_VAGUENESS ? "vague terms" : "probes";
}

static void explore_progress(void *ud, const batch_progress *p)
{
	tui_job_ctx *jc = ud;

	tui_job_progress(jc, "%zu of %zu request%s answered, %zu case%s", p->done, p->total,
			 p->total == 1 ? "" : "s", p->cases, p->cases == 1 ? "" : "s");
}

static int run_explore(tui_job_ctx *jc, void *ud)
{
	struct explore_job *ej = ud;
	const char *targets[1] = { ej->pid };
	explore_opts o = { .kind = ej->kind, .principles = targets, .nprinciples = 1,
			   .n = EXPLORE_CASES, .commit = 1, .progress = explore_progress, .ud = jc };
	llm_client *c = tui_job_client(jc);

	if (!c)
		return -1;
	tui_job_progress(jc, "asking %s for %s involving %s", llm_client_model(c),
			 kind_plural(ej->kind), ej->pid);
	return explore_run(tui_job_store(jc), tui_job_config(jc), c, &o, &ej->r);
}

static void explored(tui_app *app, void *ud, enum tui_job_end end, const char *error)
{
	struct explore_job *ej = ud;
	size_t n = ej->r.ncases;
	const char *commit = ej->r.commit;

	if (end == TUI_JOB_CANCELLED) {
		tui_message(app, "Search for %s cancelled; nothing was committed",
			    kind_plural(ej->kind));
		return;
	}
	if (end != TUI_JOB_OK) {
		tui_error(app, "%s: %s", kind_plural(ej->kind), error);
		return;
	}
	if (n)
		tui_repo_changed(app);
	if (!n && ej->r.nfailures)
		tui_error(app, "No new %s for %s: %s", kind_plural(ej->kind), ej->pid,
			  ej->r.failures[0].why);
	else
		tui_message(app, "%zu new case%s (%s) for %s%s%.10s; the Cases view (2) lists them",
			    n, n == 1 ? "" : "s", kind_plural(ej->kind), ej->pid,
			    commit[0] ? ", commit " : "", commit);
}

int tui_job_explore(tui_app *app, case_kind kind, const char *pid)
{
	struct explore_job *ej = calloc(1, sizeof *ej);
	const char *what = kind == CASE_TENSION ? "tensions" : kind == CASE_VAGUENESS ? "vagueness"
										     : "probe";

	if (!ej || !(ej->pid = strdup(pid))) {
		free(ej);
		tui_error(app, "out of memory");
		return -1;
	}
	ej->kind = kind;
	return tui_job_start(app, what, run_explore, explored, ej, explore_job_free);
}

static void theorize_job_free(void *ud)
{
	theorize_result_clear(ud);
	free(ud);
}

static int run_theorize(tui_job_ctx *jc, void *ud)
{
	theorize_opts o = { .ask = 1 };
	llm_client *c = tui_job_client(jc);

	if (!c)
		return -1;
	tui_job_progress(jc, "asking %s for failure theories from the cases",
			 llm_client_model(c));
	return theorize_run(tui_job_store(jc), tui_job_config(jc), c, &o, ud);
}

static void theorized(tui_app *app, void *ud, enum tui_job_end end, const char *error)
{
	const theorize_result *r = ud;

	if (end == TUI_JOB_CANCELLED) {
		tui_message(app, "Theorize cancelled; nothing was committed");
		return;
	}
	if (end != TUI_JOB_OK) {
		tui_error(app, "%s", error); /* the engine's error names theorize */
		return;
	}
	if (r->commit[0])
		tui_repo_changed(app);
	tui_message(app, "%zu new theor%s, %zu retired%s%.10s", r->nadded,
		    r->nadded == 1 ? "y" : "ies", r->nretired,
		    r->commit[0] ? "; commit " : "; nothing to commit", r->commit);
}

int tui_job_theorize(tui_app *app)
{
	theorize_result *r = calloc(1, sizeof *r);

	if (!r) {
		tui_error(app, "out of memory");
		return -1;
	}
	return tui_job_start(app, "theorize", run_theorize, theorized, r, theorize_job_free);
}
