/* job_amend.c — drafting an amendment (amend_propose) and rebasing a
 * proposal (amend_rebase) as jobs: the engine's progress in the status
 * line, Esc cancels until it commits, and a drafted proposal opens in the
 * review screen. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/amend.h"
#include "codicil/error.h"
#include "codicil/proposal.h"

struct amend_job {
	char **ids;
	size_t n;
	char *rebase;  /* the proposal, for a rebase */
	char id[64];   /* what came of it: the proposal */
	char commit[41]; /* and its commit ("" when a rebase had nothing to do) */
};

static void amend_job_free(void *ud)
{
	struct amend_job *aj = ud;

	for (size_t i = 0; i < aj->n; i++)
		free(aj->ids[i]);
	free(aj->ids);
	free(aj->rebase);
	free(aj);
}

static const char *const step_names[] = {
	"draft", "consequences", "meta-check", "regression", "commit",
};

static void progress(void *ud, amend_step step, const char *detail)
{
	tui_job_ctx *jc = ud;

	tui_job_progress(jc, "[%s] %s", step <= AMEND_STEP_COMMIT ? step_names[step] : "?",
			 detail);
}

static int run(tui_job_ctx *jc, void *ud)
{
	struct amend_job *aj = ud;
	amend_env e = { .store = tui_job_store(jc), .cfg = tui_job_config(jc),
			.progress = progress, .progress_ud = jc };
	amend_opts o = { .cases = (const char *const *)aj->ids, .ncases = aj->n };
	amend_outcome out = { 0 };
	int rc;

	if (!(e.client = tui_job_client(jc)))
		return -1;
	tui_job_progress(jc, "[draft] asking %s", llm_client_model(e.client));
	rc = aj->rebase ? amend_rebase(&e, aj->rebase, &out) : amend_propose(&e, &o, &out);
	if (rc == 0) {
		snprintf(aj->id, sizeof aj->id, "%s", proposal_id(out.proposal));
		snprintf(aj->commit, sizeof aj->commit, "%s", out.commit);
	}
	amend_outcome_clear(&out);
	return rc;
}

static void drafted(tui_app *app, void *ud, enum tui_job_end end, const char *error)
{
	struct amend_job *aj = ud;

	if (end == TUI_JOB_CANCELLED) {
		tui_message(app, "Amendment cancelled; nothing was committed");
		return;
	}
	if (end != TUI_JOB_OK) {
		tui_error(app, "amend: %s", error);
		return;
	}
	tui_repo_changed(app);
	if (tui_open_review(app, aj->id) == 0)
		tui_message(app, "Proposed %s (commit %.10s): y accepts, x rejects", aj->id,
			    aj->commit);
}

static void rebased(tui_app *app, void *ud, enum tui_job_end end, const char *error)
{
	struct amend_job *aj = ud;

	if (end == TUI_JOB_CANCELLED) {
		tui_message(app, "Rebase of %s cancelled; nothing was committed", aj->rebase);
		return;
	}
	if (end != TUI_JOB_OK) {
		tui_error(app, "rebase: %s", error);
		return;
	}
	tui_proposal_refused(app, aj->id, NULL);
	tui_repo_changed(app);
	if (aj->commit[0])
		tui_message(app, "Rebased %s onto HEAD (commit %.10s); review it again, then y "
			    "accepts", aj->id, aj->commit);
	else
		tui_message(app, "%s is based on HEAD already; nothing to rebase", aj->id);
}

static void confirmed(tui_app *app, void *ud, const char *answer)
{
	struct amend_job *aj = ud;

	if (!answer || strcmp(answer, "yes")) {
		tui_message(app, "Not drafted; nothing was sent");
		amend_job_free(aj);
		return;
	}
	tui_job_start(app, "amend", run, drafted, aj, amend_job_free);
}

/* Above codicil.confirmAbove, the estimate first and an explicit yes. */
static int start_amend(tui_app *app, struct amend_job *aj)
{
	amend_opts o = { .cases = (const char *const *)aj->ids, .ncases = aj->n };
	tui_dry *dry = tui_dry_open(app);
	char what[160], label[256];
	int over;

	if (!dry) {
		amend_job_free(aj);
		return -1;
	}
	{
		amend_env e = { .store = tui_store(app), .cfg = tui_config(app),
				.client = tui_dry_client(dry) };
		amend_estimate(&e, &o);
	}
	over = tui_costs_too_much(app, tui_dry_client(dry), what, sizeof what);
	tui_dry_close(dry);
	if (over < 0) {
		amend_job_free(aj);
		return -1;
	}
	if (!over)
		return tui_job_start(app, "amend", run, drafted, aj, amend_job_free);
	snprintf(label, sizeof label, "Drafting: %s. Type yes to go on:", what);
	return tui_ask(app, label, 0, confirmed, aj);
}

int tui_job_amend(tui_app *app, const char *const *case_ids, size_t n)
{
	struct amend_job *aj = calloc(1, sizeof *aj);

	if (!n) {
		free(aj);
		tui_message(app, "Mark the cases to resolve first");
		return -1;
	}
	if (!aj || !(aj->ids = calloc(n, sizeof *aj->ids)))
		goto oom;
	for (; aj->n < n; aj->n++)
		if (!(aj->ids[aj->n] = strdup(case_ids[aj->n])))
			goto oom;
	return start_amend(app, aj);
oom:
	if (aj)
		amend_job_free(aj);
	tui_error(app, "out of memory");
	return -1;
}

int tui_job_rebase(tui_app *app, const char *id)
{
	struct amend_job *aj = calloc(1, sizeof *aj);

	if (!aj || !(aj->rebase = strdup(id))) {
		free(aj);
		tui_error(app, "out of memory");
		return -1;
	}
	return tui_job_start(app, "rebase", run, rebased, aj, amend_job_free);
}
