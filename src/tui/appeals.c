/* appeals.c — the court of appeal in the TUI: a job runs appeals_find
 * (judging may ask the model) and the ids it returns are kept for the
 * session, so that the Cases view can mark the cases under appeal. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/appeals.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/workspace.h"

struct tui_appeal_set {
	char **ids; /* sorted */
	size_t n;
};

static void set_free(struct tui_appeal_set *s)
{
	for (size_t i = 0; s && i < s->n; i++)
		free(s->ids[i]);
	if (s)
		free(s->ids);
	free(s);
}

/* The cases found under appeal; NULL until a search has ended. */
static const tui_feature appeals_feature = { "appeals", NULL };

static struct tui_appeal_set *under_appeal(tui_app *app)
{
	return tui_state(app, &appeals_feature);
}

void tui_appeals_free(tui_app *app)
{
	set_free(under_appeal(app));
	tui_set_state(app, &appeals_feature, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tui_under_appeal(tui_app *app, const char *case_id)
{
	struct tui_appeal_set *s = under_appeal(app);

	return s && s->n && bsearch(&case_id, s->ids, s->n, sizeof *s->ids, cmp_str) != NULL;
}

size_t tui_appeal_ids(tui_app *app, const char *const **ids, int *searched)
{
	struct tui_appeal_set *s = under_appeal(app);

	*searched = s != NULL;
	*ids = s ? (const char *const *)s->ids : NULL;
	return s ? s->n : 0;
}

/* What the job found: the ids under appeal, sorted. */
struct appeals_job {
	struct tui_appeal_set *set;
	size_t candidates, errors;
};

static void appeals_job_free(void *ud)
{
	struct appeals_job *aj = ud;

	set_free(aj->set);
	free(aj);
}

static int keep_ids(struct appeals_job *aj, const appeals_result *r)
{
	if (!(aj->set = calloc(1, sizeof *aj->set)) ||
	    (r->n && !(aj->set->ids = calloc(r->n, sizeof *aj->set->ids))))
		goto oom;
	for (; aj->set->n < r->n; aj->set->n++)
		if (!(aj->set->ids[aj->set->n] = strdup(case_id(r->appeals[aj->set->n].human->c))))
			goto oom;
	qsort(aj->set->ids, aj->set->n, sizeof *aj->set->ids, cmp_str);
	aj->candidates = r->candidates;
	aj->errors = r->errors;
	return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}

static int run_appeals(tui_job_ctx *jc, void *ud)
{
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	appeals_result r = { 0 };
	llm_client *c = tui_job_client(jc);
	int rc = -1;

	cd_buf_printf(&path, "%s%s", store_workdir(tui_job_store(jc)),
		      workspace_charter_path(tui_job_config(jc)));
	if (!c || cd_file_read(path.data, &text) < 0)
		goto out;
	tui_job_progress(jc, "judging the confidently rated cases with %s", llm_client_model(c));
	if (appeals_find(tui_job_store(jc), tui_job_config(jc), c, cd_buf_cstr(&text), text.len, 0,
			 &r) == 0)
		rc = keep_ids(ud, &r);
out:
	appeals_result_clear(&r);
	cd_buf_clear(&path);
	cd_buf_clear(&text);
	return rc;
}

static void found(tui_app *app, void *ud, enum tui_job_end end, const char *error)
{
	struct appeals_job *aj = ud;
	struct tui_appeal_set *s = aj->set;

	if (end == TUI_JOB_CANCELLED) {
		tui_message(app, "Search for appeals cancelled");
		return;
	}
	if (end != TUI_JOB_OK) {
		tui_error(app, "appeals: %s", error);
		return;
	}
	tui_appeals_free(app);
	if (tui_set_state(app, &appeals_feature, s) < 0)
		return;
	aj->set = NULL; /* the app's now */
	tui_message(app, "%zu case%s under appeal (of %zu confidently rated%s)", s->n,
		    s->n == 1 ? "" : "s", aj->candidates,
		    aj->errors ? "; some judgments failed" : "");
}

int tui_appeals_find(tui_app *app)
{
	struct appeals_job *aj = calloc(1, sizeof *aj);

	if (!aj) {
		tui_error(app, "out of memory");
		return -1;
	}
	return tui_job_start(app, "appeals", run_appeals, found, aj, appeals_job_free);
}
