/* appeals.c — the court of appeal in the TUI: a job runs appeals_find
 * (judging may ask the model) and the ids it returns are kept for the
 * session, so that the Cases view can mark the cases under appeal. */
#include "core.h"
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

void tui_appeals_free(tui_app *app)
{
	set_free(app->appeals);
	app->appeals = NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tui_under_appeal(tui_app *app, const char *case_id)
{
	struct tui_appeal_set *s = app->appeals;

	return s && s->n && bsearch(&case_id, s->ids, s->n, sizeof *s->ids, cmp_str) != NULL;
}

size_t tui_appeal_ids(tui_app *app, const char *const **ids, int *searched)
{
	*searched = app->appeals != NULL;
	*ids = app->appeals ? (const char *const *)app->appeals->ids : NULL;
	return app->appeals ? app->appeals->n : 0;
}

/* The job: the first line "<candidates> <errors>", then one id a line. */
static int run_appeals(tui_job_ctx *jc, void *ud)
{
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	appeals_result r = { 0 };
	llm_client *c = tui_job_client(jc);
	char line[64];
	int rc = -1;

	(void)ud;
	cd_buf_printf(&path, "%s%s", store_workdir(tui_job_store(jc)),
		      workspace_charter_path(tui_job_config(jc)));
	if (!c || cd_file_read(path.data, &text) < 0)
		goto out;
	tui_job_progress(jc, "judging the confidently rated cases with %s", llm_client_model(c));
	if (appeals_find(tui_job_store(jc), tui_job_config(jc), c, cd_buf_cstr(&text), text.len,
			 &r) < 0)
		goto out;
	snprintf(line, sizeof line, "%zu %zu", r.candidates, r.errors);
	tui_job_result(jc, line);
	for (size_t i = 0; i < r.n; i++)
		tui_job_result(jc, case_id(r.appeals[i].human->c));
	rc = 0;
out:
	appeals_result_free(&r);
	cd_buf_free(&path);
	cd_buf_free(&text);
	return rc;
}

static struct tui_appeal_set *parse_ids(const char *lines)
{
	struct tui_appeal_set *s = calloc(1, sizeof *s);
	size_t cap = 0;

	while (s && *lines) {
		size_t len = strcspn(lines, "\n");
		if (s->n == cap) {
			char **grown = realloc(s->ids, (cap = cap ? cap * 2 : 16) * sizeof *grown);
			if (!grown)
				goto oom;
			s->ids = grown;
		}
		if (!(s->ids[s->n] = strndup(lines, len)))
			goto oom;
		s->n++;
		lines += len + (lines[len] == '\n');
	}
	if (s && s->n)
		qsort(s->ids, s->n, sizeof *s->ids, cmp_str);
	return s;
oom:
	set_free(s);
	return NULL;
}

static void found(tui_app *app, void *ud, enum tui_job_end end, const char *result,
		  const char *error)
{
	size_t candidates = 0, errors = 0;
	const char *ids = strchr(result, '\n');
	struct tui_appeal_set *s;

	(void)ud;
	if (end == TUI_JOB_CANCELLED) {
		tui_message(app, "Search for appeals cancelled");
		return;
	}
	if (end != TUI_JOB_OK) {
		tui_error(app, "appeals: %s", error);
		return;
	}
	sscanf(result, "%zu %zu", &candidates, &errors);
	if (!(s = parse_ids(ids ? ids + 1 : ""))) {
		tui_error(app, "out of memory");
		return;
	}
	tui_appeals_free(app);
	app->appeals = s;
	tui_message(app, "%zu case%s under appeal (of %zu confidently rated%s)", s->n,
		    s->n == 1 ? "" : "s", candidates, errors ? "; some judgments failed" : "");
}

int tui_appeals_find(tui_app *app)
{
	return tui_job_start(app, "appeals", run_appeals, found, NULL, NULL);
}
