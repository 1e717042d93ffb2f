/* audit_replay.c — the behaviour regression set (audit.h): the cases
 * triaged model-wrong put again to the target, judged again, and compared
 * principle by principle with what they showed before. */
#include "audit_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/workspace.h"

const char *audit_outcome_name(int outcome)
{
	static const char *const names[] = { "fixed", "still failing", "newly failing",
					     "not judged" };
	return outcome >= 0 && outcome <= AUDIT_NOT_JUDGED ? names[outcome] : "?";
}

static int model_wrong(const cJSON *c)
{
	const char *d = cd_json_str(cJSON_GetObjectItemCaseSensitive(c, "triage"), "decision");

	return case_get_kind(c) == CASE_BEHAVIOUR && d &&
	       (!strcmp(d, "model-wrong") || !strcmp(d, "both"));
}

static int rank(const char *v)
{
	return !v ? -1 : !strcmp(v, "complies") ? 0 : !strcmp(v, "unclear") ? 1
						    : !strcmp(v, "violates") ? 2 : -1;
}

static const char *before_verdict(const cJSON *c, const char *pid)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(c, "verdicts"))
		if (cd_json_str(v, "principle") && !strcmp(cd_json_str(v, "principle"), pid))
			return cd_json_str(v, "verdict");
	return NULL;
}

/* Compare principle by principle: newly failing when one that complied
 * (or was unclear) is violated now; fixed when none fails any more. */
static void compare(const cJSON *c, const cJSON *panel, audit_replay_row *row)
{
	const cJSON *v;
	cd_buf d = CD_BUF_INIT;
	int failing = 0, newly = 0;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(panel, "verdicts")) {
		const char *pid = cd_json_str(v, "principle"), *now = cd_json_str(v, "verdict");
		const char *was = before_verdict(c, pid);
		failing |= rank(now) > 0;
		newly |= rank(now) == 2 && rank(was) < 2;
		cd_buf_printf(&d, "%s%s: %s -> %s", d.len ? "; " : "", pid, was ? was : "?", now);
	}
	row->outcome = newly ? AUDIT_NEWLY_FAILING : failing ? AUDIT_STILL_FAILING : AUDIT_FIXED;
	row->detail = cd_buf_detach(&d);
}

int audit_replay(const audit_env *e, audit_replay_result *out)
{
	audit_ctx a;
	case_library lib = { 0 };
	const cJSON **set = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = audit__open(&a, e)) == 0 && (rc = workspace_load_cases(e->s, &lib)) == 0 &&
	    !(set = calloc(lib.n + 1, sizeof *set)))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < lib.n; i++) {
		convo *c;
		if (!model_wrong(lib.cases[i]))
			continue;
		set[a.n] = lib.cases[i];
		if (!(c = audit__add(&a, cJSON_GetObjectItemCaseSensitive(lib.cases[i], "principles"),
				     cd_json_str(lib.cases[i], "scenario"), NULL, 0))) {
			rc = -1;
			break;
		}
		cJSON_Delete(c->transcript); /* the recorded one: its user turns are put again */
		c->transcript = cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(lib.cases[i], "transcript"), 1);
	}
	if (rc == 0 && a.n && (rc = audit__replay_turns(&a)) == 0)
		rc = audit__judge(&a);
	if (rc == 0 && a.n && !(out->rows = calloc(a.n, sizeof *out->rows)))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < a.n; i++) {
		audit_replay_row *row = &out->rows[out->n++];
		cJSON *panel = a.cv[i].error ? NULL : audit__panel(&a, &a.cv[i]);
		row->id = strdup(case_id(set[i]));
		if (!panel) {
			row->outcome = AUDIT_NOT_JUDGED;
			row->detail = strdup(a.cv[i].error ? a.cv[i].error : "no judge answered");
			out->errors++;
			continue;
		}
		compare(set[i], panel, row);
		out->fixed += row->outcome == AUDIT_FIXED;
		out->still += row->outcome == AUDIT_STILL_FAILING;
		out->newly += row->outcome == AUDIT_NEWLY_FAILING;
		cJSON_Delete(panel);
	}
	free(set);
	case_library_clear(&lib);
	audit__close(&a);
	return rc;
}

void audit_replay_clear(audit_replay_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rows[i].id);
		free(r->rows[i].detail);
	}
	free(r->rows);
	memset(r, 0, sizeof *r);
}
