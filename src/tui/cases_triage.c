/* cases_triage.c — behaviour cases in the Cases view (audit.h): the
 * conversation turn by turn and the panel's verdicts in the text pane, and
 * the triage key: who is wrong, the model or the charter. */
#include "cases.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/audit.h"
#include "codicil/error.h"
#include "codicil/json.h"

void cases_behaviour_text(tui_pager *t, const cJSON *c)
{
	const cJSON *m, *v, *sug = cJSON_GetObjectItemCaseSensitive(c, "suggestion");
	const cJSON *tri = cJSON_GetObjectItemCaseSensitive(c, "triage");
	int turn = 0;

	tui_pager_add(t, "", 0, ST_NORMAL);
	tui_pager_add(t, "Transcript", 10, ST_TITLE);
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(c, "transcript")) {
		int user = !strcmp(cases_str(m, "role", ""), "user");
		if (user)
			tui_pager_addf(t, ST_DIM, "turn %d", ++turn);
		tui_pager_addf(t, user ? ST_NORMAL : ST_ADD, "%s %s", user ? "user: " : "model:",
			       cases_str(m, "content", ""));
	}
	tui_pager_add(t, "", 0, ST_NORMAL);
	tui_pager_add(t, "Verdicts", 8, ST_TITLE);
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(c, "verdicts"))
		tui_pager_addf(t, strcmp(cases_str(v, "verdict", ""), "complies") ? ST_ERROR : ST_NORMAL,
			       "%s: %s (%.2f)%s%s%s", cases_str(v, "principle", "?"),
			       cases_str(v, "verdict", "?"), cd_json_num(v, "confidence", 0),
			       cd_json_bool(v, "split", 0) ? ", the judges split" : "",
			       *cases_str(v, "quote", "") ? " — " : "", cases_str(v, "quote", ""));
	if (cJSON_IsObject(sug))
		tui_pager_addf(t, ST_NORMAL, "The judges' suggestion: %s (%.2f)",
			       cases_str(sug, "diagnosis", "?"), cd_json_num(sug, "confidence", 0));
	if (cJSON_IsObject(tri))
		tui_pager_addf(t, ST_NORMAL, "Triage: %s by %s", cases_str(tri, "decision", "?"),
			       cases_str(tri, "by", "?"));
	else
		tui_pager_add(t, "Triage: not yet (w: who is wrong)", 33, ST_DIM);
}

static void triaged(tui_app *app, void *ud, const char *answer)
{
	char *id = ud, commit[41];
	static const char *const words[] = { "model", "charter", "both", "neither" };
	int d = -1;

	for (int i = 0; answer && *answer && i < 4; i++)
		if (!strncmp(answer, words[i], strlen(answer)))
			d = i;
	if (!answer)
		tui_message(app, "Cancelled: %s stays as it was", id);
	else if (d < 0)
		tui_message(app, "Answer model, charter, both or neither (or its first letter)");
	else if (triage_commit(tui_store(app), id, (triage_decision)d, NULL, commit) < 0)
		tui_error(app, "%s", cd_err_msg());
	else {
		tui_message(app, "Triaged %s: %s; committed %.7s", id, triage_name((triage_decision)d),
			    commit);
		tui_cases_changed(app, 1);
	}
	free(id);
}

void cases_triage(tui_app *app, struct cases *cs)
{
	const cJSON *c = cases_selected(app, cs);
	char *id;

	if (!c || case_get_kind(c) != CASE_BEHAVIOUR) {
		tui_message(app, "Triage decides behaviour cases (from codicil audit); rate the others");
		return;
	}
	if (!(id = strdup(case_id(c)))) {
		tui_error(app, "out of memory");
		return;
	}
	tui_ask(app, "Who is wrong: model, charter, both or neither? (Enter, Esc cancels)", 1,
		triaged, id);
}
