/* cases_amend.c — a in the Cases view: an amendment drafted from the
 * marked cases (or the selected one).  The amend engine asks for the
 * draft, its consequences, the meta-check and the regression, and commits
 * the proposal as pending; it runs as a job (job_amend.c) with its
 * progress in the status line, Esc cancels, and the new proposal opens in
 * the review screen. */
#include "cases.h"
#include "tui_int.h"

#include <stdlib.h>

/* The marked cases, else the selected one; committed ones only. */
static size_t amend_cases(tui_app *app, struct cases *cs, const char **ids)
{
	const cJSON *sel = cases_selected(app, cs);
	size_t n = 0;

	for (size_t i = 0; i < cs->nmarked; i++)
		ids[n++] = cs->marked[i];
	if (!n && sel && !cases_is_pending(cs, sel) && case_id(sel))
		ids[n++] = case_id(sel);
	return n;
}

void cases_amend(tui_app *app, struct cases *cs)
{
	const char **ids = calloc(cs->nmarked + 1, sizeof *ids);
	size_t n;

	if (!ids || !(n = amend_cases(app, cs, ids))) {
		tui_message(app, "Select or mark (Space) the cases an amendment should answer");
	} else if (!tui_llm_busy(app, "Drafting an amendment") &&
		   tui_job_amend(app, ids, n) == 0) {
		/* the proposal will name them; the marks have done their work */
		for (size_t i = 0; i < cs->nmarked; i++)
			free(cs->marked[i]);
		cs->nmarked = 0;
	}
	free(ids);
}
