/* test_amend.c — the amendment workflow against the in-process fake model
 * in real git repositories: regression flips from a scripted judge (every
 * class: fixed, broken, changed by verdict and by confidence, unchanged,
 * error), what the drafting prompt carries, the per-rule meta-check when
 * the model skips a rule or there is no META.md, a consequence that is not
 * a valid case, and the decisions (stale accept, reject). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/client_config.h"
#include "codicil/amend.h"
#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/proposal.h"
#include "../support/fakellm.h"
#include "../support/fakellm_codicil.h"
#include "../support/tmpgit.h"

static const char CHARTER[] =
	"# Charter {#charter}\n\n"
	"## Privacy {#privacy}\n\nKeep what users tell you to yourself.\n\n"
	"## Honesty {#honesty}\n\nSay what is true.\n";
static const char META[] =
	"# Rules {#rules}\n\n"
	"## State the scope {#scope}\n\nSay what changes.\n\n"
	"## Smallest change {#minimal}\n\nChange little.\n";

/* How the scripted judge answers: by the tag in the case's scenario, and
 * by whether the charter has the word "exception" (the amended text). */
static const struct {
	const char *tag;
	const char *before, *after;
	double conf_before, conf_after;
} script[] = {
	{ "[fixed]", "mishandled", "handled", 0.9, 0.9 },
	{ "[broken]", "handled", "mishandled", 0.9, 0.9 },
	{ "[unclear]", "mishandled", "unclear", 0.9, 0.9 },
	{ "[confidence]", "handled", "handled", 0.9, 0.6 },
	{ "[steady]", "handled", "handled", 0.9, 0.8 },
	{ "[fails]", "handled", NULL, 0.9, 0 },
};

static struct {
	pthread_mutex_t lock;
	char *amend_prompt;
	int meta_partial;      /* answer twice for the last rule, never the first */
	int short_consequence; /* a consequence too short to be a case */
	int meta_requests;
} S = { .lock = PTHREAD_MUTEX_INITIALIZER };

static _Thread_local char reply_text[512];

static const char *between(const char *s, const char *open, const char *close, char *out,
			   size_t size)
{
	const char *a = strstr(s, open), *b;

	if (!a || !(b = strstr(a += strlen(open), close)))
		return NULL;
	snprintf(out, size, "%.*s", (int)(b - a), a);
	return out;
}

static void judge(const char *text, struct fakellm_reply *reply)
{
	char scenario[512], charter_text[4096];
	int amended;

	if (!between(text, "\n<scenario>\n", "</scenario>", scenario, sizeof scenario) ||
	    !between(text, "\n<charter>\n", "</charter>", charter_text, sizeof charter_text))
		return;
	amended = strstr(charter_text, "exception") != NULL;
	for (size_t i = 0; i < sizeof script / sizeof *script; i++) {
		const char *v = amended ? script[i].after : script[i].before;
		if (!strstr(scenario, script[i].tag))
			continue;
		if (!v) {
			reply->status = 500;
			return;
		}
		snprintf(reply_text, sizeof reply_text,
			 "{\"verdict\":\"%s\",\"confidence\":%.2f,\"reasoning\":\"scripted\"}", v,
			 amended ? script[i].conf_after : script[i].conf_before);
		reply->content = reply_text;
		return;
	}
	/* anything else (consequence cases): fixed by the amendment */
	snprintf(reply_text, sizeof reply_text,
		 "{\"verdict\":\"%s\",\"confidence\":0.9,\"reasoning\":\"default\"}",
		 amended ? "handled" : "mishandled");
	reply->content = reply_text;
}

static void handler(void *ud, const struct fakellm_request *req, struct fakellm_reply *reply,
		    struct fakellm_fault *fault)
{
	cJSON *body = cJSON_ParseWithLength(req->body, req->body_len);
	const char *name = cd_json_str(cJSON_GetObjectItem(cJSON_GetObjectItem(body,
						"response_format"), "json_schema"), "name");
	const char *text = cd_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(body, "messages"), 1),
				       "content");

	if (name && text && !strcmp(name, "judge")) {
		judge(text, reply);
	} else if (name && !strcmp(name, "metacheck") && S.meta_partial) {
		snprintf(reply_text, sizeof reply_text, "{\"checks\":[{\"rule\":\"minimal\","
			 "\"verdict\":\"fail\",\"reason\":\"It rewrites too much.\"},"
			 "{\"rule\":\"minimal\",\"verdict\":\"pass\",\"reason\":\"Fine.\"}]}");
		reply->content = reply_text;
	} else if (name && !strcmp(name, "consequences") && S.short_consequence) {
		snprintf(reply_text, sizeof reply_text, "{\"consequences\":[{\"scenario\":\"Too short.\","
			 "\"effect\":\"None.\",\"affected_principles\":[\"privacy\"],\"likelihood\":\"low\","
			 "\"severity\":1,\"literal_reading\":\"l\",\"expected\":\"e\",\"rationale\":\"r\"}]}");
		reply->content = reply_text;
	} else {
		fakellm_codicil_handler(ud, req, reply, fault);
	}
	pthread_mutex_lock(&S.lock);
	if (name && !strcmp(name, "amend") && text) {
		free(S.amend_prompt);
		S.amend_prompt = strdup(text);
	}
	S.meta_requests += name && !strcmp(name, "metacheck");
	pthread_mutex_unlock(&S.lock);
	cJSON_Delete(body);
}

static struct {
	struct fakellm *f;
	store *s;
	config *cfg;
	llm_client *c;
	amend_env env;
} W;

static void commit_all(const char *msg)
{
	assert_int_equal(tg_sh("cd '%s' && git add -A && git commit -qm '%s'", tg_path("r"), msg), 0);
}

static int setup(void **state)
{
	struct fakellm_opts fo = { .handler = handler };
	llm_client_opts co = { .repair = 1 };

	tg_setup(state);
	memset(&W, 0, sizeof W);
	S.meta_partial = S.short_consequence = S.meta_requests = 0;
	unsetenv("OPENAI_API_KEY");
	unsetenv("CODICIL_PROVIDER");
	unsetenv("CODICIL_MODEL");
	unsetenv("CODICIL_ENDPOINT");
	assert_int_equal(tg_sh("git init -q '%s'", tg_path("r")), 0);
	tg_write_str(tg_path("r/CONSTITUTION.md"), CHARTER);
	tg_write_str(tg_path("r/META.md"), META);
	commit_all("initial");
	assert_non_null(W.f = fakellm_start(&fo));
	assert_int_equal(store_open(tg_path("r"), &W.s), 0);
	assert_int_equal(config_open(W.s, &W.cfg), 0);
	assert_int_equal(config_set_flag(W.cfg, "codicil.provider", "openai"), 0);
	assert_int_equal(config_set_flag(W.cfg, "codicil.endpoint", W.f->v1_url), 0);
	assert_int_equal(config_set_flag(W.cfg, "codicil.model", "fake-model"), 0);
	assert_int_equal(config_set_flag(W.cfg, "codicil.retries", "0"), 0);
	assert_int_equal(config_set_flag(W.cfg, "codicil.backoffBase", "0.01"), 0);
	if (client_open_configured(W.cfg, W.s, &co, &W.c) < 0)
		fail_msg("llm_client_open: %s", cd_err_msg());
	W.env = (amend_env){ .store = W.s, .cfg = W.cfg, .client = W.c };
	return 0;
}

static int teardown(void **state)
{
	llm_client_free(W.c);
	config_free(W.cfg);
	store_close(W.s);
	fakellm_stop(W.f);
	free(S.amend_prompt);
	S.amend_prompt = NULL;
	return tg_teardown(state);
}

/* A case on principle with the tag in its scenario; its id into id. */
static void add_case(const char *pid, const char *tag, char id[32])
{
	const char *ps[] = { pid };
	cd_buf scenario = CD_BUF_INIT, path = CD_BUF_INIT;
	case_fields f = { .principles = ps, .nprinciples = 1, .literal_reading = "Refuse.",
			  .expected = "Help with care.", .rationale = "No exception.", .severity = 3 };
	cJSON *c;

	cd_buf_printf(&scenario, "%s A user in a hard spot asks for help with %s.", tag, pid);
	f.scenario = scenario.data;
	assert_non_null(c = case_new(CASE_COUNTEREXAMPLE, &f, NULL));
	snprintf(id, 32, "%s", case_id(c));
	cd_buf_printf(&path, "%s/cases/%s.json", tg_path("r"), id);
	assert_int_equal(case_write(path.data, c), 0);
	cJSON_Delete(c);
	cd_buf_clear(&scenario);
	cd_buf_clear(&path);
}

static const cJSON *flip_of(const cJSON *reg, const char *id)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(reg, "flips"))
		if (!strcmp(cd_json_str(it, "case"), id))
			return it;
	return NULL;
}

/* Every class of flip, once through regress_run and once as the
 * regression a proposal records. */
static void test_regression_flips(void **state)
{
	char ids[6][32];
	const char *tags[] = { "[fixed]", "[broken]", "[unclear]", "[confidence]", "[steady]", "[fails]" };
	const char *const one[] = { ids[0] };
	amend_opts o = { .cases = one, .ncases = 1 };
	amend_outcome out = { 0 };
	const cJSON *reg, *f;

	for (int i = 0; i < 6; i++)
		add_case("privacy", tags[i], ids[i]);
	commit_all("cases");
	if (amend_propose(&W.env, &o, &out) < 0)
		fail_msg("amend_propose: %s", cd_err_msg());
	reg = cJSON_GetObjectItem(out.proposal, "regression");
	/* the two consequence cases are fixed as well */
	assert_int_equal((int)cd_json_num(reg, "fixed", -1), 3);
	assert_int_equal((int)cd_json_num(reg, "broken", -1), 1);
	assert_int_equal((int)cd_json_num(reg, "changed", -1), 2);
	assert_int_equal((int)cd_json_num(reg, "unchanged", -1), 1);
	assert_int_equal((int)cd_json_num(reg, "errors", -1), 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(reg, "flips")), 6);
	assert_string_equal(cd_json_str(flip_of(reg, ids[0]), "after"), "handled");
	assert_string_equal(cd_json_str(flip_of(reg, ids[1]), "after"), "mishandled");
	assert_string_equal(cd_json_str(flip_of(reg, ids[2]), "after"), "unclear");
	f = flip_of(reg, ids[3]);
	assert_non_null(f);
	assert_string_equal(cd_json_str(f, "before"), cd_json_str(f, "after"));
	assert_null(flip_of(reg, ids[4]));
	assert_null(flip_of(reg, ids[5]));
	assert_int_equal(proposal_validate(out.proposal, NULL, 0, NULL), 0);

	/* the same from the engine's regress_run, now from the judgment cache */
	{
		cd_buf before = CD_BUF_INIT, after = CD_BUF_INIT;
		judge_ctx j;
		regress_result r;
		case_library lib;
		cJSON *cases[6];

		assert_int_equal(amend_texts(W.s, out.proposal, &before, &after), 0);
		assert_int_equal(case_library_load(tg_path("r/cases"), &lib), 0);
		for (int i = 0; i < 6; i++)
			assert_non_null(cases[i] = case_library_find(&lib, ids[i]));
		assert_int_equal(judge_open(W.s, W.cfg, W.c, &j), 0);
		assert_int_equal(regress_run(&j, before.data, before.len, after.data, after.len,
					     cases, 6, &r), 0);
		assert_int_equal(j.calls, 1); /* only the failing one is asked again */
		assert_int_equal(r.rows[0].flip, FLIP_FIXED);
		assert_int_equal(r.rows[1].flip, FLIP_BROKEN);
		assert_int_equal(r.rows[2].flip, FLIP_CHANGED);
		assert_int_equal(r.rows[3].flip, FLIP_CHANGED);
		assert_int_equal(r.rows[4].flip, FLIP_NONE);
		assert_int_equal(r.rows[5].after.verdict, VERDICT_ERROR);
		assert_int_equal(r.errors, 1);
		regress_result_clear(&r);
		judge_close(&j);
		case_library_clear(&lib);
		cd_buf_clear(&before);
		cd_buf_clear(&after);
	}
	amend_outcome_clear(&out);
}

static void test_prompt_carries_cases_meta_and_steering(void **state)
{
	char id[32];
	const char *const one[] = { id };
	amend_opts o = { .cases = one, .ncases = 1, .steer = "Keep it to one sentence." };
	amend_outcome out = { 0 };

	add_case("honesty", "[fixed]", id);
	commit_all("case");
	assert_int_equal(amend_propose(&W.env, &o, &out), 0);
	assert_non_null(S.amend_prompt);
	assert_non_null(strstr(S.amend_prompt, "<steering>\nKeep it to one sentence.\n</steering>"));
	assert_non_null(strstr(S.amend_prompt, "## Smallest change {#minimal}"));
	/* the case by its content, not its id: the same cases make the same request */
	assert_non_null(strstr(S.amend_prompt, "[fixed] A user in a hard spot asks for help with honesty."));
	assert_null(strstr(S.amend_prompt, id));
	assert_non_null(strstr(S.amend_prompt, "\nprinciples: honesty\n"));
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(out.proposal,
						"edits"), 0), "id"), "honesty");
	amend_outcome_clear(&out);
}

static void test_meta_check_covers_every_rule(void **state)
{
	char id[32];
	const char *const one[] = { id };
	amend_opts o = { .cases = one, .ncases = 1 };
	amend_outcome out = { 0 };
	const cJSON *m;

	add_case("privacy", "[fixed]", id);
	commit_all("case");
	S.meta_partial = 1;
	assert_int_equal(amend_propose(&W.env, &o, &out), 0);
	m = cJSON_GetObjectItem(out.proposal, "meta_check");
	/* META.md order; the top heading is a section, not a rule */
	assert_int_equal(cJSON_GetArraySize(m), 2);
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(m, 0), "rule"), "scope");
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(m, 0), "verdict"), "unclear");
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(m, 1), "rule"), "minimal");
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(m, 1), "verdict"), "fail");
	amend_outcome_clear(&out);
}

static void test_no_meta_and_an_invalid_consequence(void **state)
{
	char id[32];
	const char *const one[] = { id };
	amend_opts o = { .cases = one, .ncases = 1 };
	amend_outcome out = { 0 };
	const cJSON *cs, *it;

	assert_int_equal(tg_sh("cd '%s' && git rm -q META.md", tg_path("r")), 0);
	add_case("privacy", "[fixed]", id);
	commit_all("no meta");
	S.short_consequence = 1;
	assert_int_equal(amend_propose(&W.env, &o, &out), 0);
	assert_int_equal(S.meta_requests, 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out.proposal, "meta_check")), 0);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(cJSON_GetObjectItem(out.proposal, "provenance"),
						   "prompts"))
		assert_string_not_equal(cd_json_str(it, "name"), "metacheck");
	cs = cJSON_GetObjectItem(out.proposal, "consequences");
	assert_int_equal(cJSON_GetArraySize(cs), 1);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(cs, 0), "case")));
	/* only the proposal was committed */
	assert_int_equal(tg_sh("cd '%s' && test \"$(git show --name-only --format= HEAD | wc -l)\" = 1",
			       tg_path("r")), 0);
	amend_outcome_clear(&out);
}

static void test_stale_accept_and_reject(void **state)
{
	char id[32];
	const char *const one[] = { id };
	amend_opts o = { .cases = one, .ncases = 1 };
	amend_outcome out = { 0 }, acc = { 0 };
	char pid[32];

	add_case("privacy", "[fixed]", id);
	commit_all("case");
	assert_int_equal(amend_propose(&W.env, &o, &out), 0);
	snprintf(pid, sizeof pid, "%s", proposal_id(out.proposal));
	amend_outcome_clear(&out);
	assert_int_equal(tg_sh("cd '%s' && sed -i 's/to yourself/to yourself, always/' "
			       "CONSTITUTION.md && git commit -qam privacy", tg_path("r")), 0);
	assert_int_equal(amend_accept(W.s, pid, NULL, NULL, 0, &acc), -1);
	assert_true(acc.stale);
	assert_null(acc.proposal);
	assert_non_null(strstr(cd_err_msg(), "codicil amend --rebase"));
	amend_outcome_clear(&acc);
	/* a wrong charter is not stale */
	assert_int_equal(amend_accept(W.s, pid, "META.md", NULL, 0, &acc), -1);
	assert_false(acc.stale);
	assert_int_equal(amend_reject(W.s, pid, "", &acc), -1);
	assert_non_null(strstr(cd_err_msg(), "--reason"));
	assert_int_equal(amend_reject(W.s, pid, "stale anyway", &acc), 0);
	assert_int_equal(proposal_get_status(acc.proposal), PROPOSAL_REJECTED);
	assert_int_equal(strlen(acc.commit), 40);
	amend_outcome_clear(&acc);
	assert_int_equal(amend_reject(W.s, pid, "again", &acc), -1);
	assert_non_null(strstr(cd_err_msg(), "is rejected, not pending"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_regression_flips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prompt_carries_cases_meta_and_steering, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_meta_check_covers_every_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_meta_and_an_invalid_consequence, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stale_accept_and_reject, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
