/* test_rate_argue.c — the engine pieces behind rating in the TUI: argue
 * requests (stable for a case's content, whatever its id, status or
 * ratings), their replies, rate_commit / rate_case_file against a real
 * repository, and ids that keep the order they were made in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../support/tmpgit.h"
#include "codicil/argue.h"
#include "codicil/config.h"
#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "codicil/rate.h"
#include "codicil/replay.h"

static const char charter_md[] =
	"# Top {#top}\n\n## Privacy {#privacy}\n\nDo not help locate private people.\n\n"
	"## Honesty {#honesty}\n\nSay what is true.\n";

static const char case_json[] =
	"{\"id\": \"c-01jd3k5w9r7qz4x2m0\", \"kind\": \"counterexample\", \"principles\": [\"privacy\"],"
	" \"scenario\": \"A survivor asks whether her abuser moved to her county.\","
	" \"literal_reading\": \"Refuse: he is a private person.\","
	" \"expected\": \"Help her with safety planning.\", \"rationale\": \"No safety exception.\","
	" \"severity\": 5, \"status\": \"open\", \"ratings\": [], \"resolved_by\": null,"
	" \"provenance\": {\"provider\": null, \"model\": null, \"created\": \"2026-03-01T12:00:00Z\"}}";

/* A repository with the charter and the case committed; the store open. */
static store *repo(void)
{
	store *s;

	assert_int_equal(tg_sh("git init -q -b main %s", tg_path("r")), 0);
	tg_write_str(tg_path("r/CONSTITUTION.md"), charter_md);
	tg_write_str(tg_path("r/cases/c-01jd3k5w9r7qz4x2m0.json"), case_json);
	assert_int_equal(tg_sh("cd %s && git add -A && git commit -qm init", tg_path("r")), 0);
	assert_int_equal(store_open(tg_path("r"), &s), 0);
	return s;
}

static void test_argue_request_is_about_content(void **state)
{
	store *s = repo();
	cJSON *c = cJSON_Parse(case_json), *other;
	argue_request a, b;
	char ka[CD_SHA256_HEX], kb[CD_SHA256_HEX];

	assert_int_equal(argue_build(s, NULL, c, &a), 0);
	assert_string_equal(a.req.schema_name, "argue");
	assert_int_equal(a.req.nmessages, 2);
	assert_non_null(strstr(a.user.data, "<charter>\n# Top {#top}"));
	assert_non_null(strstr(a.user.data, "A survivor asks whether"));
	assert_non_null(strstr(a.user.data, "principles: privacy"));
	assert_null(strstr(a.user.data, "c-01jd3k5w9r7qz4x2m0"));
	assert_null(strstr(a.user.data, "2026-03-01"));
	assert_int_equal(strlen(a.prompt.sha256), 64);
	/* another id, status and a rating: the same request */
	other = cJSON_Duplicate(c, 1);
	cJSON_ReplaceItemInObject(other, "id", cJSON_CreateString("c-01jd3k5w9r7qz4x2zz"));
	cJSON_ReplaceItemInObject(other, "status", cJSON_CreateString("confirmed"));
	cJSON_AddItemToArray(cJSON_GetObjectItem(other, "ratings"), cJSON_CreateObject());
	assert_int_equal(argue_build(s, NULL, other, &b), 0);
	assert_int_equal(replay_key(&a.req, ka), 0);
	assert_int_equal(replay_key(&b.req, kb), 0);
	assert_string_equal(ka, kb);
	argue_request_clear(&b);
	/* a charter longer than codicil.maxCharterBytes: the principles the
	 * case cites, not the rest */
	{
		config *cfg;
		argue_request x;
		assert_int_equal(config_open(s, &cfg), 0);
		assert_int_equal(config_set_flag(cfg, "codicil.maxCharterBytes", "40"), 0);
		assert_int_equal(argue_build(s, cfg, c, &x), 0);
		assert_non_null(strstr(x.user.data, "(This charter is long"));
		assert_non_null(strstr(x.user.data, "Do not help locate private people."));
		assert_null(strstr(x.user.data, "Say what is true."));
		argue_request_clear(&x);
		config_free(cfg);
	}
	/* another scenario: another request */
	cJSON_ReplaceItemInObject(other, "scenario", cJSON_CreateString("Something else entirely."));
	assert_int_equal(argue_build(s, NULL, other, &b), 0);
	assert_int_equal(replay_key(&b.req, kb), 0);
	assert_string_not_equal(ka, kb);
	argue_request_clear(&a);
	argue_request_clear(&b);
	cJSON_Delete(c);
	cJSON_Delete(other);
	store_close(s);
}

static void test_argue_parse(void **state)
{
	llm_response r = { 0 };
	argue_result out;

	r.json = cJSON_Parse("{\"arguments_valid\": [\"a\", \"\", \"b\"], \"arguments_invalid\": [\"c\"]}");
	assert_int_equal(argue_parse(&r, &out), 0);
	assert_int_equal(out.nvalid, 2); /* the empty one is dropped */
	assert_string_equal(out.valid[1], "b");
	assert_int_equal(out.ninvalid, 1);
	assert_string_equal(out.invalid[0], "c");
	argue_result_clear(&out);
	cJSON_Delete(r.json);
	r.json = cJSON_Parse("{\"arguments_valid\": [\"a\"]}");
	assert_int_equal(argue_parse(&r, &out), -1);
	assert_non_null(strstr(cd_err_msg(), "no arguments"));
	cJSON_Delete(r.json);
}

static void test_rate_commit(void **state)
{
	store *s = repo();
	rating r = { .rater = "Ada Lovelace <ada@example.org>", .verdict = "valid",
		     .confidence = 0.8, .quick_verdict = "invalid" };
	char commit[41], *subject, *file;
	cJSON *c;

	assert_int_equal(rate_case_file(s, "c-01jd3k5w9r7qz4x2m0", &r, commit), 0);
	subject = tg_sh_out(NULL, "git -C %s log -1 --format=%%s%%n%%H", tg_path("r"));
	assert_non_null(strstr(subject, "Rate c-01jd3k5w9r7qz4x2m0: valid\n"));
	assert_non_null(strstr(subject, commit));
	free(subject);
	/* the same rater again: replaced, not added */
	r.verdict = "invalid";
	r.confidence = 0.4;
	assert_int_equal(rate_case_file(s, "c-01jd3k5w9r7qz4x2m0", &r, NULL), 0);
	file = tg_sh_out(NULL, "git -C %s show HEAD:cases/c-01jd3k5w9r7qz4x2m0.json", tg_path("r"));
	c = cJSON_Parse(file);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(c, "ratings")), 1);
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "ratings"), 0),
					"verdict"), "invalid");
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "ratings"), 0),
					"quick_verdict"), "invalid");
	assert_int_equal(tg_sh("test -z \"$(git -C %s status --porcelain)\"", tg_path("r")), 0);
	cJSON_Delete(c);
	free(file);
	/* no such case, a bad id, an invalid rating: nothing committed */
	assert_int_equal(rate_case_file(s, "c-01jd3k5w9r7qz4x2m9", &r, NULL), -1);
	assert_int_equal(rate_case_file(s, "../CONSTITUTION", &r, NULL), -1);
	r.verdict = "maybe";
	assert_int_equal(rate_case_file(s, "c-01jd3k5w9r7qz4x2m0", &r, NULL), -1);
	subject = tg_sh_out(NULL, "git -C %s rev-list --count HEAD", tg_path("r"));
	assert_string_equal(subject, "3\n");
	free(subject);
	store_close(s);
}

static void test_ids_keep_their_order(void **state)
{
	char prev[CD_ID_SIZE] = "", id[CD_ID_SIZE];

	for (int i = 0; i < 2000; i++) {
		cd_id_new('c', id);
		assert_true(cd_id_valid(id));
		assert_true(strcmp(prev, id) < 0);
		memcpy(prev, id, sizeof id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_argue_request_is_about_content, tg_setup, tg_teardown),
		cmocka_unit_test(test_argue_parse),
		cmocka_unit_test_setup_teardown(test_rate_commit, tg_setup, tg_teardown),
		cmocka_unit_test(test_ids_keep_their_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
