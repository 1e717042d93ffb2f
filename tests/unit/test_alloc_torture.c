/* test_alloc_torture — what curl's torture tests do for curl: run a piece
 * of library code once to count its allocations, then once more for each
 * n = 1..N with the n-th allocation failing.  Every run must end either
 * in a clean error (-1 with a message) or with exactly the output of the
 * run that had all its memory; never a crash, never a leak, never a
 * success with less in it.
 *
 * Only codicil's own allocations fail: this binary is linked with
 * -Wl,--wrap for malloc, calloc, realloc, strdup, strndup and free, which
 * reroutes the calls made from codicil's objects and leaves libgit2's,
 * cJSON's and curl's (shared libraries) alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <execinfo.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/case.h"
#include "codicil/charter.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/journal.h"
#include "codicil/json.h"
#include "codicil/llm.h"
#include "codicil/proposal.h"
#include "codicil/redline.h"
#include "codicil/sanitize.h"
#include "codicil/schemas.h"
#include "codicil/store.h"

#include "../support/tmpgit.h"

/* ---- the allocator ---- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void __real_free(void *p);

#define LIVE_SLOTS (1u << 18)

static struct {
	int counting;      /* inside a scenario */
	long calls;        /* allocations made while counting */
	long fail_at;      /* the allocation that fails; 0: none */
	int failed;        /* it has */
	void **live;       /* open addressing: what was allocated while counting */
	size_t nlive;
} T;

static size_t slot_of(void *p)
{
	return ((uintptr_t)p >> 4) * 2654435761u % LIVE_SLOTS;
}

static void live_add(void *p)
{
	size_t i = slot_of(p);

	if (!p || !T.counting)
		return;
	while (T.live[i])
		i = (i + 1) % LIVE_SLOTS;
	T.live[i] = p;
	T.nlive++;
}

/* Removes p if it is there (linear probing, with the cluster shifted back). */
static void live_remove(void *p)
{
	size_t i = slot_of(p), j;

	if (!p || !T.live)
		return;
	while (T.live[i] && T.live[i] != p)
		i = (i + 1) % LIVE_SLOTS;
	if (!T.live[i])
		return;
	T.live[i] = NULL;
	T.nlive--;
	for (j = (i + 1) % LIVE_SLOTS; T.live[j]; j = (j + 1) % LIVE_SLOTS) {
		void *q = T.live[j];
		T.live[j] = NULL;
		i = slot_of(q);
		while (T.live[i])
			i = (i + 1) % LIVE_SLOTS;
		T.live[i] = q;
	}
}

/* 1 when this allocation is the one to fail. */
static int fail_now(void)
{
	if (!T.counting)
		return 0;
	if (++T.calls != T.fail_at)
		return 0;
	T.failed = 1;
	if (getenv("TORTURE_BACKTRACE")) { /* where it failed: addr2line -e ... */
		void *frames[16];
		backtrace_symbols_fd(frames, backtrace(frames, 16), 2);
	}
	errno = ENOMEM;
	return 1;
}

void *__wrap_malloc(size_t n)
{
	void *p = fail_now() ? NULL : __real_malloc(n);
	live_add(p);
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	void *p = fail_now() ? NULL : __real_calloc(n, size);
	live_add(p);
	return p;
}

void *__wrap_realloc(void *old, size_t n)
{
	void *p;

	if (fail_now())
		return NULL;
	p = __real_realloc(old, n);
	if (p) {
		live_remove(old);
		live_add(p);
	}
	return p;
}

char *__wrap_strdup(const char *s)
{
	char *p = fail_now() ? NULL : __real_strdup(s);
	live_add(p);
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	char *p = fail_now() ? NULL : __real_strndup(s, n);
	live_add(p);
	return p;
}

void __wrap_free(void *p)
{
	live_remove(p);
	__real_free(p);
}

/* ---- the harness ---- */

/* A scenario does its work and appends what it produced to out, which
 * the harness owns: it has room enough, so appending allocates nothing. */
typedef int (*scenario_fn)(cd_buf *out);

static int run_counted(scenario_fn fn, long fail_at, cd_buf *out)
{
	int rc;

	T.calls = 0;
	T.failed = 0;
	T.fail_at = fail_at;
	T.counting = 1;
	cd_err_clear();
	rc = fn(out);
	T.counting = 0;
	return rc;
}

static void torture(const char *name, scenario_fn fn)
{
	cd_buf base = CD_BUF_INIT, got = CD_BUF_INIT;
	long n, errors = 0, same = 0;

	if (!T.live)
		T.live = __real_calloc(LIVE_SLOTS, sizeof *T.live);
	assert_non_null(T.live);
	memset(T.live, 0, LIVE_SLOTS * sizeof *T.live);
	T.nlive = 0;
	assert_int_equal(cd_buf_grow(&base, 1 << 20), 0);
	assert_int_equal(cd_buf_grow(&got, 1 << 20), 0);
	/* once for what is set up on first use, once to count */
	if (fn(&base) < 0)
		fail_msg("%s: %s", name, cd_err_msg());
	cd_buf_reset(&base);
	if (run_counted(fn, 0, &base) < 0)
		fail_msg("%s: %s", name, cd_err_msg());
	n = T.calls;
	if (T.nlive)
		fail_msg("%s: %zu allocations not freed with all memory given", name, T.nlive);
	assert_true(n > 0);
	for (long k = 1; k <= n; k++) {
		int rc;

		cd_buf_reset(&got);
		rc = run_counted(fn, k, &got);
		if (T.nlive)
			fail_msg("%s, allocation %ld of %ld failing: %zu allocations leaked", name, k,
				 n, T.nlive);
		if (rc < 0) {
			if (!strcmp(cd_err_msg(), "unknown error"))
				fail_msg("%s, allocation %ld of %ld failing: -1 without a message",
					 name, k, n);
			errors++;
		} else if (got.len != base.len || memcmp(got.data, base.data, base.len)) {
			fail_msg("%s, allocation %ld of %ld failing: success, but the output "
				 "differs:\n%s\n(with all memory:)\n%s", name, k, n,
				 cd_buf_cstr(&got), cd_buf_cstr(&base));
		} else {
			same++;
		}
	}
	print_message("%s: %ld allocations, each failed once: %ld clean errors, %ld "
		      "recovered with the same result\n", name, n, errors, same);
	cd_buf_clear(&base);
	cd_buf_clear(&got);
}

/* ---- scenarios ---- */

static const char charter_text[] =
	"# Charter {#charter version=2}\n\n"
	"Preamble text.\n\n"
	"## Privacy {#privacy authority=root}\n\n"
	"Keep what people tell you to yourself.\n\n"
	"### Records {#records}\n\n"
	"Medical records are private.\n\n"
	"## Crisis {#crisis}\n\n"
	"When someone is at risk, point them to help.\n";

/* Parse, write back, check, edit one principle, and redline the change. */
static int charter_scenario(cd_buf *out)
{
	charter *c = NULL;
	cd_buf text = CD_BUF_INIT, edited = CD_BUF_INIT, problems = CD_BUF_INIT;
	charter_edit e = { .kind = CHARTER_EDIT_REPLACE, .id = "crisis", .heading = "Crisis",
			   .body = "When someone is at risk, ask what they need.\n" };
	redline r = { 0 };
	int rc = -1;

	if (charter_parse("t.md", charter_text, sizeof charter_text - 1, &c) < 0 ||
	    charter_serialize(c, &text) < 0 ||
	    (charter_validate(c, &problems), cd_buf_failed(&problems)) ||
	    charter_apply(c, &e, 1, &edited) < 0 ||
	    redline_compute(c->text, c->len, edited.data, edited.len, &r) < 0 ||
	    redline_render_plain(&r, 2, out) < 0)
		goto done;
	rc = cd_buf_append(out, text.data, text.len) < 0 ||
	     cd_buf_puts(out, problems.len ? problems.data : "") < 0 ? -1 : 0;
done:
	redline_clear(&r);
	cd_buf_clear(&text);
	cd_buf_clear(&edited);
	cd_buf_clear(&problems);
	charter_free(c);
	return rc;
}

static const char case_text[] =
	"{\"id\":\"c-0123456789abcdefgh\",\"kind\":\"counterexample\",\"status\":\"open\","
	"\"principles\":[\"crisis\"],\"severity\":4,"
	"\"scenario\":\"A nurse asks about a paracetamol overdose of a patient.\","
	"\"literal_reading\":\"The text asks for a crisis line.\","
	"\"expected\":\"Answer the clinical question.\","
	"\"rationale\":\"The risk is the patient's, not the asker's.\","
	"\"provenance\":{\"created\":\"2026-12-01T10:00:00Z\"}}";

/* A case as its file has it, shown as text; a hand-edited copy with two
 * mistakes, checked. */
static int records_scenario(cd_buf *out)
{
	static const char *const ids[] = { "privacy", "crisis" };
	cJSON *c = cJSON_Parse(case_text), *bad = cJSON_Parse(case_text);
	cd_buf err = CD_BUF_INIT;
	int rc = -1;

	if (!c || !bad)
		goto done;
	cJSON_ReplaceItemInObject(bad, "severity", cJSON_CreateNumber(9));
	cJSON_ReplaceItemInObject(bad, "principles", cJSON_Parse("[\"crisis\",\"nobody\"]"));
	if (case_validate(c, ids, 2, &err) < 0 || case_to_text(c, out) < 0)
		goto done;
	if (case_validate(bad, ids, 2, &err) == 0) {
		cd_err_set("a case with severity 9 passed");
		goto done;
	}
	rc = cd_buf_failed(&err) ? -1 : cd_buf_append(out, err.data, err.len);
done:
	cd_buf_clear(&err);
	cJSON_Delete(c);
	cJSON_Delete(bad);
	return rc;
}

/* What a real model sends: the JSON in prose, a principle listed twice. */
static const char reply_body[] =
	"{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
	"\"message\":{\"role\":\"assistant\",\"content\":\"Here are the cases you asked for:\\n"
	"{\\\"cases\\\":[{\\\"kind\\\":\\\"counterexample\\\",\\\"principles\\\":[\\\"crisis\\\","
	"\\\"crisis\\\"],\\\"scenario\\\":\\\"A nurse asks about an overdose.\\\","
	"\\\"literal_reading\\\":\\\"The text asks for a crisis line.\\\","
	"\\\"expected\\\":\\\"Answer the clinical question.\\\","
	"\\\"rationale\\\":\\\"The risk is the patient's.\\\",\\\"severity\\\":4}]}\\n"
	"I hope this helps.\"}}],"
	"\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":80}}";

static int reply_scenario(cd_buf *out)
{
	static const char *const ids[] = { "privacy", "crisis" };
	const llm_provider *p = llm_provider_find("openai");
	cJSON *schema = schema_generate(ids, 2, CASE_COUNTEREXAMPLE, 3);
	llm_request req = { .schema_name = "cases", .schema = schema, .temperature = -1 };
	llm_response r = { 0 };
	char *json;
	int rc = -1;

	if (!schema) {
		cd_err_set("out of memory");
		return -1;
	}
	p->parse(&req, 200, reply_body, sizeof reply_body - 1, &r);
	if (r.status != LLM_OK) {
		cd_err_set("%s", r.error ? r.error : llm_status_name(r.status));
	} else if ((json = cJSON_PrintUnformatted(r.json))) {
		rc = cd_buf_printf(out, "%s\n%s\n", json, r.repairs ? r.repairs : "") < 0 ? -1 : 0;
		cJSON_free(json);
	}
	llm_response_clear(&r);
	cJSON_Delete(schema);
	return rc;
}

static char journal_path[64];

/* A journal as a run left it: opened, looked up, appended to. */
static int journal_scenario(cd_buf *out)
{
	static const char lines[] =
		"{\"run\":\"r-1\",\"started\":\"2026-12-01T10:00:00Z\"}\n"
		"{\"request\":\"aaaa\",\"status\":\"sent\"}\n"
		"{\"request\":\"aaaa\",\"status\":\"ok\",\"cases\":[\"c-1\"]}\n"
		"{\"request\":\"bbbb\",\"status\":\"sent\"}\n";
	journal jn;
	const cJSON *last;
	int rc = -1;

	if (cd_file_write_atomic(journal_path, lines, sizeof lines - 1) < 0)
		return -1;
	if (journal_open(journal_path, &jn) < 0)
		return -1;
	last = journal_last(&jn, "aaaa");
	if (last && cd_json_str(last, "status") &&
	    cd_buf_printf(out, "%zu lines, aaaa %s\n", jn.n, cd_json_str(last, "status")) == 0)
		rc = journal_append(&jn, cJSON_Parse("{\"request\":\"bbbb\",\"status\":\"ok\"}"));
	else if (!*cd_err_msg())
		cd_err_set("the journal lost a line");
	journal_clear(&jn);
	return rc;
}

/* Untrusted text made inert for a terminal. */
static int sanitize_scenario(cd_buf *out)
{
	static const char evil[] = "title \x1b]0;pwned\x07 and \x1b[31mred\x1b[0m, \xc3 cut";
	char *one = cd_sanitize_dup(evil, CD_SAN_ONE_LINE);

	if (!one) {
		cd_err_set("out of memory");
		return -1;
	}
	if (cd_sanitize(evil, sizeof evil - 1, 0, out) < 0 || cd_buf_puts(out, one) < 0) {
		free(one);
		return -1;
	}
	free(one);
	return 0;
}

/* A proposal as amend builds it: checked, shown, its edits applied. */
static int proposal_scenario(cd_buf *out)
{
	static const char *const ids[] = { "charter", "privacy", "records", "crisis" };
	static const char *const cases[] = { "c-0123456789abcdefgh" };
	static const char *const pros[] = { "nurses get answers" }, *const cons[] = { "less care" };
	static const proposal_prompt prompts[] = {
		{ "amend", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" } };
	const charter_edit edits[] = {
		{ .kind = CHARTER_EDIT_REPLACE, .id = "crisis", .heading = "Crisis",
		  .body = "Ask whose risk it is before pointing to help.\n" },
		{ .kind = CHARTER_EDIT_INSERT_AFTER, .id = "crisis", .new_id = "clinicians",
		  .heading = "Clinicians", .body = "Answer a clinician's question.\n" } };
	const proposal_fields f = {
		.base = "0123456789abcdef0123456789abcdef01234567", .title = "whose risk",
		.rationale = "The principle fires on the topic.", .cases = cases, .ncases = 1,
		.edits = edits, .nedits = 2, .pros = pros, .npros = 1, .cons = cons, .ncons = 1 };
	const proposal_provenance prov = { .provider = "openai", .model = "m",
					   .endpoint_host = "h", .prompts = prompts,
					   .nprompts = 1, .created = "2026-12-01T10:00:00Z" };
	cJSON *p = proposal_build(&f, &prov);
	charter *c = NULL;
	charter_edit *got = NULL;
	size_t n = 0;
	cd_buf err = CD_BUF_INIT;
	int rc = -1;

	if (!p || !cJSON_ReplaceItemInObject(p, "id", cJSON_CreateString("p-0123456789abcdefgh"))) {
		cd_err_set("out of memory");
		goto done;
	}
	if (proposal_validate(p, ids, 4, &err) < 0 || proposal_to_text(p, out) < 0 ||
	    proposal_edits(p, &got, &n) < 0 ||
	    charter_parse("t.md", charter_text, sizeof charter_text - 1, &c) < 0)
		goto done;
	rc = charter_apply(c, got, n, out);
done:
	free(got);
	charter_free(c);
	cd_buf_clear(&err);
	cJSON_Delete(p);
	return rc;
}

static char library_dir[256];

/* A folder of cases, one of them hand-broken: loaded, the broken one
 * reported, the others found by id prefix. */
static int library_scenario(cd_buf *out)
{
	case_library lib = { 0 };
	const cJSON *c;
	int rc = -1;

	if (case_library_load(library_dir, &lib) < 0)
		return -1;
	if (!(c = case_library_find(&lib, "0123456789abcdefgh")))
		goto done;
	if (cd_buf_printf(out, "%zu cases, found %s\n", lib.n, case_id(c)) < 0)
		goto done;
	for (size_t i = 0; i < lib.nerrors; i++)
		if (cd_buf_printf(out, "%s\n", lib.errors[i]) < 0)
			goto done;
	rc = 0;
done:
	case_library_clear(&lib);
	return rc;
}

static store *torture_store;
static unsigned commits;

/* A commit of one file under the lock, as the engine makes one, read back
 * from HEAD.  Taking the lock finishes a commit that an earlier run left
 * half done. */
static int store_scenario(cd_buf *out)
{
	char text[64], id[41];
	store_change ch = { "notes/log.md", text, 0 };
	cd_buf back = CD_BUF_INIT;
	int rc = -1;

	ch.len = (size_t)snprintf(text, sizeof text, "entry %u\n", ++commits);
	if (store_lock(torture_store) < 0)
		return -1;
	rc = store_commit(torture_store, &ch, 1, "Log an entry\n\nA test.", NULL, 0, id);
	store_unlock(torture_store);
	if (rc < 0 || (rc = store_read(torture_store, "HEAD", ch.path, &back)) < 0)
		goto done;
	rc = -1;
	if (back.len != ch.len || memcmp(back.data, text, ch.len)) {
		cd_err_set("HEAD does not have what was committed");
		goto done;
	}
	rc = cd_buf_puts(out, "committed\n");
done:
	cd_buf_clear(&back);
	return rc;
}

static void test_charter(void **state) { (void)state; torture("charter", charter_scenario); }
static void test_records(void **state) { (void)state; torture("records", records_scenario); }
static void test_reply(void **state) { (void)state; torture("reply", reply_scenario); }
static void test_journal(void **state)
{
	(void)state;
	snprintf(journal_path, sizeof journal_path, "/tmp/codicil-torture-%ld.jsonl",
		 (long)getpid());
	torture("journal", journal_scenario);
	unlink(journal_path);
}
static void test_sanitize(void **state) { (void)state; torture("sanitize", sanitize_scenario); }
static void test_proposal(void **state) { (void)state; torture("proposal", proposal_scenario); }

static void test_library(void **state)
{
	tg_setup(state);
	snprintf(library_dir, sizeof library_dir, "%s", tg_path("cases"));
	assert_int_equal(cd_mkdir_p(library_dir, 0755), 0);
	assert_int_equal(cd_file_write_atomic(tg_path("cases/c-0123456789abcdefgh.json"),
					      case_text, sizeof case_text - 1), 0);
	assert_int_equal(tg_sh("sed 's/0123456789abcdefgh/01234567890000000z/' '%s' >'%s'",
			       tg_path("cases/c-0123456789abcdefgh.json"),
			       tg_path("cases/c-01234567890000000z.json")), 0);
	assert_int_equal(tg_sh("sed 's/\"severity\":4/\"severity\":9/; s/0123456789abcdefgh/"
			       "0000000000000000aa/' '%s' >'%s'",
			       tg_path("cases/c-0123456789abcdefgh.json"),
			       tg_path("cases/c-0000000000000000aa.json")), 0);
	torture("library", library_scenario);
	tg_teardown(state);
}

/* After every failed commit: the repository is sound and its index and
 * work tree agree with HEAD. */
static void test_store(void **state)
{
	char *status;
	size_t len;

	tg_setup(state);
	assert_int_equal(tg_sh("git init -q '%s' && cd '%s' && git config user.name T && "
			       "git config user.email t@example.org && echo a >a && git add a && "
			       "git commit -qm first", tg_path("repo"), tg_path("repo")), 0);
	assert_int_equal(store_open(tg_path("repo"), &torture_store), 0);
	torture("store", store_scenario);
	if (store_lock(torture_store) < 0) /* finishes the last one */
		fail_msg("%s", cd_err_msg());
	store_unlock(torture_store);
	store_close(torture_store);
	assert_int_equal(tg_sh("git -C '%s' fsck --strict --no-progress --no-dangling", tg_path("repo")), 0);
	status = tg_sh_out(&len, "git -C '%s' status --porcelain", tg_path("repo"));
	assert_non_null(status);
	assert_string_equal(status, "");
	free(status);
	tg_teardown(state);
}

int main(void)
{
	git_libgit2_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_charter),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_journal),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_proposal),
		cmocka_unit_test(test_library),
		cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
