/* job_audit.c — U in the Principles view: the target model audited on the
 * selected principle (`codicil audit -p ID -n 1 --turns 2`), as a job with
 * its progress in the status line; Esc cancels.  It commits as the command
 * does, and the behaviour cases it finds join the Cases view. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/audit.h"
#include "codicil/error.h"

#define AUDIT_SCENARIOS 1
#define AUDIT_TURNS 2

struct audit_job {
	char *pid;
	audit_result r;
};

static void audit_job_free(void *ud)
{
	struct audit_job *aj = ud;

	audit_result_clear(&aj->r);
	free(aj->pid);
	free(aj);
}

static void progress(void *ud, const char *line)
{
	tui_job_progress(ud, "%s", line);
}

static int run_audit(tui_job_ctx *jc, void *ud)
{
	struct audit_job *aj = ud;
	const char *targets[1] = { aj->pid };
	audit_opts o = { .principles = targets, .nprinciples = 1, .n = AUDIT_SCENARIOS,
			 .turns = AUDIT_TURNS };
	audit_env e = { .s = tui_job_store(jc), .cfg = tui_job_config(jc), .progress = progress,
			.ud = jc };

	if (!(e.client = tui_job_client(jc)) || !(e.target = tui_job_target_client(jc)))
		return -1;
	tui_job_progress(jc, "putting %s to the test on %s", llm_client_model(e.target), aj->pid);
	return audit_run(&e, &o, &aj->r);
}

static void audited(tui_app *app, void *ud, enum tui_job_end end, const char *error)
{
	struct audit_job *aj = ud;

	if (end == TUI_JOB_CANCELLED) {
		tui_message(app, "Audit cancelled; nothing was committed");
		return;
	}
	if (end != TUI_JOB_OK) {
		tui_error(app, "audit: %s", error);
		return;
	}
	if (aj->r.ncases)
		tui_repo_changed(app);
	tui_message(app, "Audit of %s: %zu conversation%s, %zu violated it, %zu unclear; %zu new "
		    "behaviour case%s%s", aj->pid, aj->r.conversations,
		    aj->r.conversations == 1 ? "" : "s", aj->r.violations, aj->r.unclear,
		    aj->r.ncases, aj->r.ncases == 1 ? "" : "s",
		    aj->r.ncases ? " (Cases view, 2; w triages)" : "");
}

int tui_job_audit(tui_app *app, const char *pid)
{
	struct audit_job *aj = calloc(1, sizeof *aj);

	if (!aj || !(aj->pid = strdup(pid))) {
		free(aj);
		tui_error(app, "out of memory");
		return -1;
	}
	return tui_job_start(app, "audit", run_audit, audited, aj, audit_job_free);
}
