/* test_proposal.c — proposal records: building, key order, round trips,
 * validation naming the field, edits, the proposals/ directory, and the
 * commit message an accepted proposal is recorded with. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "codicil/proposal.h"
#include "codicil/sanitize.h"
#include "codicil/store.h"
#include "../support/tmpgit.h"

#define SHA_A "3f9a000000000000000000000000000000000000000000000000000000000001"
#define SHA_B "b0b0000000000000000000000000000000000000000000000000000000000002"
#define BASE "0123456789abcdef0123456789abcdef01234567"

static const char charter_text[] =
	"# Charter {#charter}\n"
	"\n"
	"## Privacy {#privacy}\n"
	"\n"
	"Keep secrets.\n"
	"\n"
	"## Honesty {#honesty}\n"
	"\n"
	"Do not lie.\n";
static const char *const charter_ids[] = { "charter", "privacy", "honesty" };

static const char *const two_cases[] = { "c-01jd2x00000000aaaa", "c-01jd2x00000000bbbb" };

static cJSON *sample(void)
{
	static const charter_edit edits[] = {
		{ .kind = CHARTER_EDIT_REPLACE, .id = "privacy",
		  .body = "Keep secrets, unless disclosure prevents imminent harm.\n" },
		{ .kind = CHARTER_EDIT_INSERT_AFTER, .id = "privacy", .new_id = "harm",
		  .heading = "Imminent harm", .body = "Act to prevent it.\n" },
	};
	static const char *const pros[] = { "saves lives" }, *const cons[] = { "less trust" };
	static const proposal_prompt prompts[] = { { "amend", SHA_A } };
	const proposal_fields f = {
		.base = BASE, .title = "allow disclosure to prevent imminent harm",
		.rationale = "Strict secrecy lets people come to harm.", .cases = two_cases,
		.ncases = 2, .edits = edits, .nedits = 2, .pros = pros, .npros = 1,
		.cons = cons, .ncons = 1,
	};
	const proposal_provenance prov = {
		.provider = "openai", .model = "gpt-4.1", .endpoint_host = "api.openai.com",
		.prompts = prompts, .nprompts = 1, .created = "2026-01-02T03:04:05Z",
	};
	cJSON *p = proposal_build(&f, &prov);

	assert_non_null(p);
	return p;
}

static char *keys_of(const cJSON *o)
{
	cd_buf b = CD_BUF_INIT;
	const cJSON *it;

	cJSON_ArrayForEach(it, o)
		cd_buf_printf(&b, "%s%s", b.len ? " " : "", it->string);
	return cd_buf_detach(&b);
}

static void assert_keys(const cJSON *o, const char *expected)
{
	char *k = keys_of(o);
	assert_string_equal(k, expected);
	free(k);
}

static void test_build_is_pending_valid_and_ordered(void **state)
{
	cJSON *p = sample();
	cd_buf err = CD_BUF_INIT;

	assert_int_equal(proposal_validate(p, charter_ids, 3, &err), 0);
	assert_int_equal(err.len, 0);
	assert_true(cd_id_valid(proposal_id(p)) && proposal_id(p)[0] == 'p');
	assert_int_equal(proposal_get_status(p), PROPOSAL_PENDING);
	assert_string_equal(proposal_charter(p), "CONSTITUTION.md");
	assert_keys(p, "id status charter base title rationale cases edits pros cons "
		       "consequences meta_check regression transcripts provenance decision "
		       "rejection");
	assert_keys(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "edits"), 1),
		    "op id new_id heading body");
	assert_string_equal(cd_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "edits"), 1),
					"op"), "insert_after");
	assert_keys(cJSON_GetObjectItem(p, "provenance"),
		    "provider model endpoint_host prompts created codicil_version");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "decision")));
	cd_buf_clear(&err);
	cJSON_Delete(p);
}

/* A record from a newer codicil, keys scrambled: known keys go to the
 * front in order, unknown ones survive after them, values untouched. */
static void test_normalize_keeps_unknown_fields(void **state)
{
	cJSON *p = sample(), *copy, *back;
	const char *path = tg_path("proposals/%s.json", proposal_id(p));
	cJSON *prov = cJSON_GetObjectItem(p, "provenance");

	cJSON_AddStringToObject(p, "x_future", "kept");
	cJSON_AddNumberToObject(prov, "x_cost", 0.25);
	copy = cJSON_Duplicate(p, 1);
	/* move id and status to the end */
	cJSON_AddItemToObject(copy, "id", cJSON_DetachItemFromObject(copy, "id"));
	cJSON_AddItemToObject(copy, "status", cJSON_DetachItemFromObject(copy, "status"));
	assert_int_equal(proposal_write(path, copy), 0);
	back = proposal_load(path);
	assert_non_null(back);
	assert_keys(back, "id status charter base title rationale cases edits pros cons "
			  "consequences meta_check regression transcripts provenance decision "
			  "rejection x_future");
	assert_keys(cJSON_GetObjectItem(back, "provenance"),
		    "provider model endpoint_host prompts created codicil_version x_cost");
	assert_true(cJSON_Compare(back, p, 1));
	cJSON_Delete(copy);
	cJSON_Delete(back);
	cJSON_Delete(p);
}

static void expect_problem(cJSON *p, const char *const *ids, size_t nids, const char *line)
{
	cd_buf err = CD_BUF_INIT;

	assert_int_equal(proposal_validate(p, ids, nids, &err), -1);
	if (!strstr(cd_buf_cstr(&err), line))
		fail_msg("expected \"%s\" among:\n%s", line, cd_buf_cstr(&err));
	assert_non_null(strstr(cd_err_msg(), proposal_id(p) ? proposal_id(p) : "(no id)"));
	cd_buf_clear(&err);
	cJSON_Delete(p);
}

static cJSON *edit_at(cJSON *p, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItem(p, "edits"), i);
}

static void test_validate_names_the_field(void **state)
{
	cJSON *p;

	p = sample();
	cJSON_ReplaceItemInObject(edit_at(p, 0), "op", cJSON_CreateString("rewrite"));
	expect_problem(p, NULL, 0, "edits[0].op: must be replace, insert_after or delete");

	p = sample();
	cJSON_DeleteItemFromObject(edit_at(p, 1), "body");
	expect_problem(p, NULL, 0, "edits[1].body: an insert needs a body");

	p = sample();
	expect_problem(p, (const char *const[]){ "honesty", "harm" }, 2,
		       "edits[0].id: the charter has no principle 'privacy'");

	p = sample();
	expect_problem(p, (const char *const[]){ "privacy", "harm" }, 2,
		       "edits[1].new_id: the charter already has a principle 'harm'");

	p = sample();
	cJSON_ReplaceItemInObject(p, "cases", cJSON_CreateArray());
	expect_problem(p, NULL, 0, "cases: must have at least 1 entry");

	p = sample();
	cJSON_ReplaceItemInObject(p, "base", cJSON_CreateString("abc123"));
	expect_problem(p, NULL, 0, "base: must be a full commit id (40 hex digits)");

	p = sample();
	cJSON_ReplaceItemInObject(p, "title", cJSON_CreateString("two\nlines"));
	expect_problem(p, NULL, 0, "title: must be one line");

	p = sample();
	cJSON_AddItemToArray(cJSON_GetObjectItem(p, "transcripts"), cJSON_CreateString("abc"));
	expect_problem(p, NULL, 0, "transcripts[0]: must be a sha256");

	p = sample();
	cJSON_ReplaceItemInObject(p, "status", cJSON_CreateString("accepted"));
	expect_problem(p, NULL, 0, "decision: must be set when the status is accepted");

	p = sample();
	assert_int_equal(proposal_accept(p, "Ada <ada@example.org>", NULL), 0);
	cJSON_ReplaceItemInObject(p, "status", cJSON_CreateString("pending"));
	expect_problem(p, NULL, 0, "decision: must be null unless the status is accepted");

	p = sample();
	cJSON *c = cJSON_Parse("{\"scenario\":\"s\",\"effect\":\"e\",\"affected_principles\":"
			       "[\"nope\"],\"likelihood\":\"often\",\"severity\":9,\"case\":null}");
	cJSON_AddItemToArray(cJSON_GetObjectItem(p, "consequences"), c);
	cJSON *m = cJSON_Parse("{\"rule\":\"r\",\"verdict\":\"maybe\",\"reason\":\"x\"}");
	cJSON_AddItemToArray(cJSON_GetObjectItem(p, "meta_check"), m);
	cd_buf err = CD_BUF_INIT;
	assert_int_equal(proposal_validate(p, charter_ids, 3, &err), -1);
	assert_non_null(strstr(err.data, "consequences[0].likelihood: must be low, medium or high"));
	assert_non_null(strstr(err.data, "consequences[0].severity: must be an integer from 1 to 5"));
	assert_non_null(strstr(err.data, "consequences[0].affected_principles: the charter has no "
					 "principle 'nope'"));
	assert_non_null(strstr(err.data, "meta_check[0].verdict: must be pass, fail or unclear"));
	assert_non_null(strstr(cd_err_msg(), "(and more problems)"));
	cd_buf_clear(&err);
	cJSON_Delete(p);
}

static void test_edits_apply_to_the_charter(void **state)
{
	cJSON *p = sample();
	charter *c = NULL;
	charter_edit *e = NULL;
	size_t n = 0;
	cd_buf out = CD_BUF_INIT;

	assert_int_equal(charter_parse("CONSTITUTION.md", charter_text, strlen(charter_text), &c), 0);
	assert_int_equal(proposal_edits(p, &e, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(e[1].kind, CHARTER_EDIT_INSERT_AFTER);
	assert_string_equal(e[1].new_id, "harm");
	assert_int_equal(charter_apply(c, e, n, &out), 0);
	assert_string_equal(out.data,
			    "# Charter {#charter}\n\n## Privacy {#privacy}\n\n"
			    "Keep secrets, unless disclosure prevents imminent harm.\n\n"
			    "## Imminent harm {#harm}\n\nAct to prevent it.\n\n"
			    "## Honesty {#honesty}\n\nDo not lie.\n");
	free(e);
	cd_buf_clear(&out);
	charter_free(c);

	cJSON_ReplaceItemInObject(edit_at(p, 1), "op", cJSON_CreateString("merge"));
	assert_int_equal(proposal_edits(p, &e, &n), -1);
	assert_string_equal(cd_err_msg(), "edits[1].op: must be replace, insert_after or delete");
	assert_null(e);
	cJSON_Delete(p);
}

static void test_list_reports_corrupt_files_and_finds_by_prefix(void **state)
{
	cJSON *a = sample(), *b = sample();
	proposal_list l;
	char dir[1024];

	snprintf(dir, sizeof dir, "%s", tg_path("repo/proposals"));

	cJSON_ReplaceItemInObject(a, "id", cJSON_CreateString("p-01jd3k00000000aaaa"));
	cJSON_ReplaceItemInObject(b, "id", cJSON_CreateString("p-01jd3m00000000bbbb"));
	assert_int_equal(proposal_write(tg_path("repo/proposals/p-01jd3k00000000aaaa.json"), a), 0);
	assert_int_equal(proposal_write(tg_path("repo/proposals/p-01jd3m00000000bbbb.json"), b), 0);
	tg_write_str(tg_path("repo/proposals/p-01jd3k00000000cccc.json"), "{\"id\": ");
	tg_write_str(tg_path("repo/proposals/p-01jd3k00000000dddd.json"),
		     "{\"id\": \"p-01jd3k00000000eeee\"}");
	tg_write_str(tg_path("repo/proposals/README"), "not a record");

	assert_int_equal(proposal_list_load(dir, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(proposal_id(l.items[0]), "p-01jd3k00000000aaaa");
	assert_int_equal(l.nerrors, 2);
	assert_non_null(strstr(l.errors[0], "proposals/p-01jd3k00000000cccc.json: invalid JSON"));
	assert_non_null(strstr(l.errors[1], "proposals/p-01jd3k00000000dddd.json: its \"id\""));

	assert_ptr_equal(proposal_list_find(&l, "01jd3m"), l.items[1]);
	assert_ptr_equal(proposal_list_find(&l, "P-01JD3K"), l.items[0]);
	assert_null(proposal_list_find(&l, "01jd"));
	assert_non_null(strstr(cd_err_msg(), "ambiguous"));
	assert_null(proposal_list_find(&l, "01zz"));
	assert_non_null(strstr(cd_err_msg(), "no proposal p-01zz"));
	proposal_list_clear(&l);

	assert_int_equal(proposal_list_load(tg_path("repo/none"), &l), 0);
	assert_int_equal(l.n + l.nerrors, 0);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static void test_accept_reject_and_setters(void **state)
{
	cJSON *p = sample();
	const cJSON *d;
	const proposal_flip flips[] = { { .case_id = "c-01jd2x00000000aaaa", .before = "mishandled",
					  .after = "handled", .direction = 1, .severity = 4,
					  .principle = "privacy", .before_confidence = 0.8,
					  .after_confidence = 0.9, .why = "It is covered now." } };
	const proposal_regression r = { .fixed = 3, .broken = 1, .unchanged = 42, .worse = 1,
					.better = 3, .flips = flips, .nflips = 1 };

	assert_int_equal(proposal_set_regression(p, &r), 0);
	assert_int_equal(proposal_add_transcript(p, SHA_B), 0);
	assert_int_equal(proposal_add_transcript(p, SHA_B), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(p, "transcripts")), 1);
	assert_int_equal(proposal_add_transcript(p, "nothex"), -1);
	assert_int_equal(proposal_reject(p, "Ada <ada@example.org>", NULL), -1);
	assert_int_equal(proposal_accept(p, "Ada <ada@example.org>", "good"), 0);
	assert_int_equal(proposal_get_status(p), PROPOSAL_ACCEPTED);
	d = cJSON_GetObjectItem(p, "decision");
	assert_string_equal(cd_json_str(d, "by"), "Ada <ada@example.org>");
	assert_string_equal(cd_json_str(d, "note"), "good");
	assert_int_equal(strlen(cd_json_str(d, "at")), 20);
	assert_keys(p, "id status charter base title rationale cases edits pros cons "
		       "consequences meta_check regression transcripts provenance decision "
		       "rejection");
	assert_keys(cJSON_GetObjectItem(p, "regression"),
		    "fixed broken worse better changed unchanged flips");
	assert_keys(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "regression"),
							   "flips"), 0),
		    "case before after direction severity principle confidence why");
	assert_int_equal(proposal_validate(p, charter_ids, 3, NULL), 0);
	cJSON_Delete(p);
}

static const char *trailer(const store_trailer *t, size_t n, size_t i, const char *key)
{
	assert_true(i < n);
	assert_string_equal(t[i].key, key);
	return t[i].value;
}

static void test_commit_message_format(void **state)
{
	cJSON *p = sample();
	const proposal_regression r = { .fixed = 3, .broken = 1, .unchanged = 42 };
	cd_buf msg = CD_BUF_INIT, expected = CD_BUF_INIT;
	store_trailer *t;
	size_t n;

	proposal_set_regression(p, &r);
	assert_int_equal(proposal_commit_message(p, "Ada Lovelace <ada@example.org>", &msg, &t, &n), 0);
	assert_string_equal(msg.data, "Amend privacy, harm: allow disclosure to prevent imminent "
				      "harm\n\nStrict secrecy lets people come to harm.\n");
	assert_int_equal(n, 7);
	assert_string_equal(trailer(t, n, 0, "Codicil-Proposal"), proposal_id(p));
	assert_string_equal(trailer(t, n, 1, "Codicil-Case"), "c-01jd2x00000000aaaa");
	assert_string_equal(trailer(t, n, 2, "Codicil-Case"), "c-01jd2x00000000bbbb");
	assert_string_equal(trailer(t, n, 3, "Codicil-Model"), "openai/gpt-4.1");
	assert_string_equal(trailer(t, n, 4, "Codicil-Prompt"), "amend sha256:" SHA_A);
	assert_string_equal(trailer(t, n, 5, "Codicil-Regression"), "fixed=3 broken=1 unchanged=42");
	assert_string_equal(trailer(t, n, 6, "Reviewed-by"), "Ada Lovelace <ada@example.org>");
	store_trailers_free(t, n);
	cd_buf_clear(&msg);

	/* changed shows when not 0; no regression, no trailer */
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(p, "regression"), "changed",
				  cJSON_CreateNumber(2));
	assert_int_equal(proposal_commit_message(p, "A <a@b>", &msg, &t, &n), 0);
	assert_string_equal(t[5].value, "fixed=3 broken=1 changed=2 unchanged=42");
	store_trailers_free(t, n);
	cd_buf_clear(&msg);
	cJSON_ReplaceItemInObject(p, "regression", cJSON_CreateNull());
	assert_int_equal(proposal_commit_message(p, "A <a@b>", &msg, &t, &n), 0);
	assert_int_equal(n, 6);
	assert_string_equal(t[5].key, "Reviewed-by");
	store_trailers_free(t, n);
	cd_buf_clear(&msg);
	cd_buf_clear(&expected);
	cJSON_Delete(p);
}

static void test_commit_message_refuses_what_verify_would_reject(void **state)
{
	cJSON *p = sample();
	cd_buf msg = CD_BUF_INIT;
	store_trailer *t = (store_trailer *)1;
	size_t n = 1;

	assert_int_equal(proposal_commit_message(p, "", &msg, &t, &n), -1);
	assert_non_null(strstr(cd_err_msg(), "Reviewed-by"));
	assert_null(t);
	assert_int_equal(n, 0);
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(p, "provenance"), "model", cJSON_CreateNull());
	assert_int_equal(proposal_commit_message(p, "A <a@b>", &msg, &t, &n), -1);
	assert_non_null(strstr(cd_err_msg(), "provenance.model"));
	cJSON_ReplaceItemInObject(p, "cases", cJSON_CreateArray());
	assert_int_equal(proposal_commit_message(p, "A <a@b>", &msg, &t, &n), -1);
	assert_non_null(strstr(cd_err_msg(), "Codicil-Case"));
	cd_buf_clear(&msg);
	cJSON_Delete(p);
}

/* Model text cannot forge trailers or break the subject: committed with
 * store_commit, git itself reads back exactly our trailers. */
static void test_commit_message_survives_hostile_text(void **state)
{
	cJSON *p = sample();
	cd_buf msg = CD_BUF_INIT;
	store_trailer *t;
	size_t n;
	store *s;
	char *out;
	const store_change ch = { "x.txt", "x\n", 2 };

	cJSON_ReplaceItemInObject(p, "title", cJSON_CreateString("evil\033[2J title\r\nSecond"));
	cJSON_ReplaceItemInObject(p, "rationale",
				  cJSON_CreateString("Because.\n\nReviewed-by: Mallory <m@evil>\n"
						     "Codicil-Case: c-fake"));
	assert_int_equal(proposal_commit_message(p, "Ada <ada@example.org>", &msg, &t, &n), 0);
	assert_null(strchr(msg.data, '\033'));
	assert_non_null(strstr(msg.data, "\n(end of rationale)\n"));

	assert_int_equal(tg_sh("git init -q '%s' && git -C '%s' commit -q --allow-empty -m init",
			       tg_path("r"), tg_path("r")), 0);
	assert_int_equal(store_open(tg_path("r"), &s), 0);
	assert_int_equal(store_commit(s, &ch, 1, msg.data, t, n, NULL), 0);
	out = tg_sh_out(NULL, "git -C '%s' log -1 --format='%%(trailers:key=Reviewed-by,"
			"valueonly)%%(trailers:key=Codicil-Case,valueonly)'", tg_path("r"));
	assert_non_null(out);
	assert_string_equal(out, "Ada <ada@example.org>\nc-01jd2x00000000aaaa\n"
				 "c-01jd2x00000000bbbb\n\n");
	free(out);
	out = tg_sh_out(NULL, "git -C '%s' log -1 --format=%%s", tg_path("r"));
	assert_string_equal(out, "Amend privacy, harm: evil title Second\n");
	free(out);
	store_close(s);
	store_trailers_free(t, n);
	cd_buf_clear(&msg);
	cJSON_Delete(p);
}

static void test_text_is_inert(void **state)
{
	cJSON *p = sample();
	cd_buf out = CD_BUF_INIT;

	cJSON_ReplaceItemInObject(p, "rationale", cJSON_CreateString("line one\n\033]0;pwn\007two"));
	assert_int_equal(proposal_to_text(p, &out), 0);
	assert_null(strchr(out.data, '\033'));
	assert_null(strchr(out.data, '\007'));
	assert_non_null(strstr(out.data, "  line one\n  two\n"));
	assert_non_null(strstr(out.data, "insert_after privacy as harm: Imminent harm\n"));
	assert_non_null(strstr(out.data, "Drafted by: openai/gpt-4.1 at api.openai.com"));
	cd_buf_clear(&out);
	cJSON_Delete(p);
}

/* ../shared/repro/records-proposal-base-ESC.json: a base with ESC and C1
 * bytes once reached the terminal through proposal_to_text. */
static void test_a_hostile_base_is_inert(void **state)
{
	cJSON *p = cd_json_read_file("tests/repro/records-proposal-base-ESC.json");
	cd_buf out = CD_BUF_INIT;

	(void)state;
	assert_non_null(p);
	assert_int_equal(proposal_to_text(p, &out), 0);
	assert_true(cd_utf8_valid(out.data, out.len));
	for (size_t i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];
		assert_false((c < 0x20 && c != '\n') || c == 0x7f);
		assert_false(c == 0xc2 && i + 1 < out.len && (unsigned char)out.data[i + 1] < 0xa0);
	}
	assert_non_null(strstr(out.data, "charter: CONSTITUTION.md at 6ee06eb"));
	cd_buf_clear(&out);
	cJSON_Delete(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_is_pending_valid_and_ordered),
		cmocka_unit_test_setup_teardown(test_normalize_keeps_unknown_fields, tg_setup,
						tg_teardown),
		cmocka_unit_test(test_validate_names_the_field),
		cmocka_unit_test(test_edits_apply_to_the_charter),
		cmocka_unit_test_setup_teardown(test_list_reports_corrupt_files_and_finds_by_prefix,
						tg_setup, tg_teardown),
		cmocka_unit_test(test_accept_reject_and_setters),
		cmocka_unit_test(test_commit_message_format),
		cmocka_unit_test(test_commit_message_refuses_what_verify_would_reject),
		cmocka_unit_test_setup_teardown(test_commit_message_survives_hostile_text, tg_setup,
						tg_teardown),
		cmocka_unit_test(test_text_is_inert),
		cmocka_unit_test(test_a_hostile_base_is_inert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
