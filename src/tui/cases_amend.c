/* cases_amend.c — a in the Cases view: an amendment drafted from the
 * marked cases (or the selected one) by the amend engine, which asks for
 * the draft, its consequences, the meta-check and the regression and
 * commits the proposal as pending. */
#include "cases.h"
#include "core.h"

#include <stdlib.h>

#include "codicil/amend.h"
#include "codicil/error.h"
#include "codicil/json.h"

static void amend_progress(void *ud, amend_step step, const char *detail)
{
	tui_app *app = ud;

	tui_message(app, "Drafting an amendment (%d/4): %s", step + 1 > 4 ? 4 : step + 1, detail);
	tui_draw(app);
}

/* The marked cases, else the selected one; committed ones only. */
static size_t amend_cases(struct cases *cs, const char **ids)
{
	const cJSON *sel = cases_selected(cs);
	size_t n = 0;

	for (size_t i = 0; i < cs->nmarked; i++)
		ids[n++] = cs->marked[i];
	if (!n && sel && !cases_is_pending(cs, sel) && case_id(sel))
		ids[n++] = case_id(sel);
	return n;
}

/* amend_propose asks its questions one after the other and returns when
 * the proposal is committed: the screen shows each step, keys wait. */
void cases_amend(tui_app *app, struct cases *cs)
{
	const char **ids = calloc(cs->nmarked + 1, sizeof *ids);
	amend_env e = { .store = tui_store(app), .cfg = tui_config(app),
			.progress = amend_progress, .progress_ud = app };
	amend_opts o = { .cases = ids };
	amend_outcome out = { 0 };

	if (!ids || !(o.ncases = amend_cases(cs, ids))) {
		tui_message(app, "Select or mark (Space) the cases an amendment should answer");
		goto out;
	}
	if (tui_llm_busy(app, "Drafting an amendment") || !(e.client = tui_llm(app)))
		goto out;
	tui_set_jobs(app, 1, 0);
	amend_progress(app, AMEND_STEP_DRAFT, "asking the model for an amendment");
	if (amend_propose(&e, &o, &out) < 0) {
		tui_error(app, "%s", cd_err_msg());
	} else {
		tui_message(app, "Proposed %s: %s; committed %.7s, pending review (codicil review %s)",
			    cd_json_str(out.proposal, "id") ? cd_json_str(out.proposal, "id") : "?",
			    cd_json_str(out.proposal, "title") ? cd_json_str(out.proposal, "title") : "",
			    out.commit, cd_json_str(out.proposal, "id") ? cd_json_str(out.proposal, "id") : "");
		for (size_t i = 0; i < cs->nmarked; i++)
			free(cs->marked[i]);
		cs->nmarked = 0;
	}
	tui_set_jobs(app, 0, 0);
	tui_cases_changed(app, 1);
	amend_outcome_clear(&out);
out:
	free(ids);
}
