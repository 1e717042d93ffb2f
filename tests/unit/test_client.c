/* test_client.c — the client against the in-process fake server, in real
 * git repositories: settings from each configuration level, the cache,
 * cassettes (replay and record), repair, transcripts, many requests with a
 * bounded transport, cancellation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/cache.h"
#include "codicil/client_config.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/hash.h"
#include "codicil/json.h"
#include "codicil/replay.h"
#include "../support/fakellm.h"
#include "../support/tmpgit.h"

#define KEY "sk-test-client-SECRET-4242"

static const char SCHEMA[] =
	"{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"verdict\"],"
	"\"properties\":{\"verdict\":{\"type\":\"string\",\"enum\":[\"handled\",\"mishandled\"]}}}";

/* What the done callback saw. */
struct seen {
	int calls;
	unsigned id;
	llm_status status;
	char *text, *error, *repairs;
	cJSON *json;
	int cached, attempts, reasks;
	char request_sha[65], response_sha[65], transcript[65];
	char provider[32], model[64], host[64];
};

static void on_done(void *ud, const llm_call *call, llm_response *r)
{
	struct seen *s = ud;

	s->calls++;
	s->id = call->id;
	s->status = r->status;
	free(s->text);
	free(s->error);
	cJSON_Delete(s->json);
	s->text = r->text, r->text = NULL;
	s->error = r->error, r->error = NULL;
	s->json = r->json, r->json = NULL;
	free(s->repairs);
	s->repairs = r->repairs, r->repairs = NULL;
	s->reasks = r->reasks;
	s->cached = r->cached;
	s->attempts = r->attempts;
	memcpy(s->request_sha, call->request_sha256, 65);
	memcpy(s->response_sha, call->response_sha256, 65);
	memcpy(s->transcript, call->transcript, 65);
	snprintf(s->provider, sizeof s->provider, "%s", call->provider);
	snprintf(s->model, sizeof s->model, "%s", call->model);
	snprintf(s->host, sizeof s->host, "%s", call->endpoint_host);
}

static void seen_clear(struct seen *s)
{
	free(s->text);
	free(s->error);
	free(s->repairs);
	cJSON_Delete(s->json);
	memset(s, 0, sizeof *s);
}

/* One repository, its config, the fake server and a client per test. */
struct world {
	store *s;
	config *cfg;
	struct fakellm *f;
	llm_client *c;
};

static struct world W;

static void clean_env(void)
{
	static const char *const vars[] = {
		"CODICIL_PROVIDER", "CODICIL_ENDPOINT", "CODICIL_MODEL", "CODICIL_CASSETTE",
		"CODICIL_RECORD_PROVIDER", "CODICIL_API_KEY_ENV", "CODICIL_API_KEY_COMMAND",
		"CODICIL_CONCURRENCY", "CODICIL_RETRIES", "CODICIL_BACKOFF_BASE",
		"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "XDG_CACHE_HOME",
	};

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
}

static int setup(void **state)
{
	tg_setup(state);
	clean_env();
	memset(&W, 0, sizeof W);
	assert_int_equal(tg_sh("git init -q '%s'", tg_path("repo")), 0);
	assert_int_equal(store_open(tg_path("repo"), &W.s), 0);
	return 0;
}

static int teardown(void **state)
{
	llm_client_free(W.c);
	config_free(W.cfg);
	if (W.f)
		fakellm_stop(W.f);
	store_close(W.s);
	clean_env();
	return tg_teardown(state);
}

static void start_server(const struct fakellm_opts *fo)
{
	struct fakellm_opts none = { 0 };

	W.f = fakellm_start(fo ? fo : &none);
	assert_non_null(W.f);
}

/* A fresh config with the fake as endpoint (when running) and fast retries. */
static config *fresh_config(store *s)
{
	config *cfg;

	assert_int_equal(config_open(s, &cfg), 0);
	if (W.f)
		assert_int_equal(config_set_flag(cfg, "codicil.endpoint", W.f->v1_url), 0);
	assert_int_equal(config_set_flag(cfg, "codicil.model", "fake-model"), 0);
	assert_int_equal(config_set_flag(cfg, "codicil.backoffBase", "0.01"), 0);
	assert_int_equal(config_set_flag(cfg, "codicil.retries", "2"), 0);
	return cfg;
}

static void open_client(const llm_client_opts *o)
{
	llm_client_free(W.c);
	config_free(W.cfg);
	W.cfg = fresh_config(W.s);
	if (client_open_configured(W.cfg, W.s, o, &W.c) < 0)
		fail_msg("llm_client_open: %s", cd_err_msg());
}

static void set(const char *key, const char *value)
{
	assert_int_equal(config_set_flag(W.cfg, key, value), 0);
}

/* Re-open the client on the current W.cfg (after set()). */
static int reopen(const llm_client_opts *o)
{
	llm_client_free(W.c);
	W.c = NULL;
	return client_open_configured(W.cfg, W.s, o, &W.c);
}

static const llm_message one_msg[] = { { "user", "Find a counter-example to privacy." } };

static void ask_checked(const char *prompt, const cJSON *schema, const llm_check *check,
			struct seen *s)
{
	llm_message m = { "user", prompt };
	llm_request req = { .messages = &m, .nmessages = 1, .temperature = -1,
			    .schema = schema, .schema_name = schema ? "verdict" : NULL,
			    .check = check };

	seen_clear(s);
	assert_int_equal(llm_client_submit(W.c, &req, on_done, s, NULL), 0);
	assert_int_equal(s->calls, 0); /* never called back from inside submit */
	assert_int_equal(llm_client_run(W.c), 0);
	assert_int_equal(s->calls, 1);
	assert_int_equal(llm_client_pending(W.c), 0);
}

static void ask(const char *prompt, const cJSON *schema, struct seen *s)
{
	ask_checked(prompt, schema, NULL, s);
}

static size_t cache_entries(void)
{
	cd_buf dir = CD_BUF_INIT;
	unsigned long long bytes;
	size_t n;

	assert_int_equal(cache_default_dir(store_gitdir(W.s), &dir), 0);
	assert_int_equal(cache_stats(dir.data, &n, &bytes), 0);
	cd_buf_clear(&dir);
	return n;
}

static void expect_model(const char *want, const char *source)
{
	config_free(W.cfg);
	assert_int_equal(config_open(W.s, &W.cfg), 0);
	assert_int_equal(reopen(NULL), 0);
	assert_string_equal(llm_client_model(W.c), want);
	assert_string_equal(config_source(W.cfg, "codicil.model"), source);
}

/* .codicil < git config < environment < flag; defaults from the provider. */
static void test_settings_from_each_level(void **state)
{
	assert_int_equal(config_open(W.s, &W.cfg), 0);
	assert_int_equal(reopen(NULL), 0);
	assert_string_equal(llm_client_provider(W.c), "openai");
	assert_string_equal(llm_client_endpoint(W.c), "https://api.openai.com/v1");
	assert_string_equal(llm_client_model(W.c), "gpt-4.1");
	assert_string_equal(llm_client_key_source(W.c), "none");

	tg_write_str(tg_path("repo/.codicil"), "[codicil]\n\tmodel = team-model\n"
			     "\tendpoint = http://evil.example/v1\n");
	expect_model("team-model", ".codicil");
	/* .codicil cannot say where requests (and the key) go */
	assert_string_equal(llm_client_endpoint(W.c), "https://api.openai.com/v1");

	assert_int_equal(tg_sh("git -C '%s' config codicil.model git-model", tg_path("repo")), 0);
	expect_model("git-model", "git config");
	setenv("CODICIL_MODEL", "env-model", 1);
	expect_model("env-model", "environment CODICIL_MODEL");
	set("codicil.model", "flag-model");
	assert_int_equal(reopen(NULL), 0);
	assert_string_equal(llm_client_model(W.c), "flag-model");

	setenv("CODICIL_PROVIDER", "anthropic", 1);
	setenv("ANTHROPIC_API_KEY", KEY, 1);
	unsetenv("CODICIL_MODEL");
	assert_int_equal(tg_sh("git -C '%s' config --unset codicil.model", tg_path("repo")), 0);
	tg_write_str(tg_path("repo/.codicil"), "");
	expect_model("claude-sonnet-4-5", "unset"); /* the provider's default */
	assert_string_equal(llm_client_provider(W.c), "anthropic");
	assert_string_equal(llm_client_endpoint(W.c), "https://api.anthropic.com/v1");
	assert_string_equal(llm_client_key_source(W.c), "environment ANTHROPIC_API_KEY");
	assert_null(strstr(llm_client_key_source(W.c), KEY));
}

static void test_bad_settings_are_one_line_errors(void **state)
{
	assert_int_equal(config_open(W.s, &W.cfg), 0);
	set("codicil.provider", "gemini\x1b[2J");
	assert_int_equal(reopen(NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.provider"));
	assert_non_null(strstr(cd_err_msg(), "use openai, anthropic, replay or record"));
	assert_null(strchr(cd_err_msg(), '\x1b'));
	set("codicil.provider", "openai");
	set("codicil.endpoint", "ftp://x");
	assert_int_equal(reopen(NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.endpoint"));
	set("codicil.endpoint", "http://127.0.0.1:9/v1");
	set("codicil.backoffBase", "fast");
	assert_int_equal(reopen(NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.backoffBase"));
	set("codicil.backoffBase", "0.5");
	set("codicil.provider", "replay");
	assert_int_equal(reopen(NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.cassette"));
}

/* The second identical request never reaches the server, and is delivered
 * by the same callback. */
static void test_second_identical_request_is_a_cache_hit(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "Principle 3 breaks." } };
	struct seen a = { 0 }, b = { 0 };
	llm_client_stats st;

	start_server(&fo);
	open_client(NULL);
	ask("Find a counter-example.", NULL, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_int_equal(a.cached, 0);
	ask("Find a counter-example.", NULL, &b);
	assert_int_equal(b.status, LLM_OK);
	assert_int_equal(b.cached, 1);
	assert_string_equal(b.text, "Principle 3 breaks.");
	assert_string_equal(a.request_sha, b.request_sha);
	assert_int_equal(fakellm_requests(W.f), 1);
	llm_client_stats_get(W.c, &st);
	assert_int_equal(st.done, 2);
	assert_int_equal(st.cached, 1);

	/* the cache is on disk: another client (another run) hits it too */
	open_client(NULL);
	ask("Find a counter-example.", NULL, &b);
	assert_int_equal(b.cached, 1);
	assert_int_equal(fakellm_requests(W.f), 1);
	assert_int_equal(cache_entries(), 1);
	seen_clear(&a);
	seen_clear(&b);
}

static void test_no_cache_bypasses_the_cache(void **state)
{
	llm_client_opts o = { .no_cache = 1 };
	struct seen a = { 0 };

	start_server(NULL);
	open_client(NULL);
	ask("same prompt", NULL, &a); /* cached */
	open_client(&o);
	ask("same prompt", NULL, &a);
	assert_int_equal(a.cached, 0);
	ask("other prompt", NULL, &a);
	assert_int_equal(fakellm_requests(W.f), 3);
	assert_int_equal(cache_entries(), 1); /* nothing written either */
	seen_clear(&a);
}

static void test_errors_are_never_cached(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_STATUS, .status = 500, .every = 1 } };
	struct fakellm_fault none = { 0 };
	struct fakellm_reply invalid = { .content = "{\"verdict\":\"perhaps\"}" };
	cJSON *schema = cJSON_Parse(SCHEMA);
	struct seen a = { 0 };

	start_server(&fo);
	open_client(NULL);
	ask("q", NULL, &a);
	assert_int_equal(a.status, LLM_ERR_HTTP);
	assert_int_equal(a.attempts, 3);
	assert_string_equal(a.response_sha, "");
	assert_int_equal(cache_entries(), 0);

	fakellm_set_fault(W.f, &none);
	fakellm_set_reply(W.f, &invalid);
	ask("q", schema, &a); /* no repair asked for */
	assert_int_equal(a.status, LLM_ERR_INVALID);
	assert_int_equal(cache_entries(), 0);

	fakellm_reset_counters(W.f);
	ask("q", NULL, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_int_equal(a.cached, 0);
	assert_int_equal(fakellm_requests(W.f), 1);
	assert_int_equal(cache_entries(), 1);
	cJSON_Delete(schema);
	seen_clear(&a);
}

static void write_cassette(const char *path, const char *prompt, const char *answer)
{
	llm_message m = { "user", prompt };
	llm_request req = { .messages = &m, .nmessages = 1, .temperature = -1 };
	llm_response r = { .status = LLM_OK, .text = (char *)answer };

	assert_int_equal(cassette_append(path, &req, &r), 0);
}

static void test_replay_hit_and_miss(void **state)
{
	struct seen a = { 0 };

	write_cassette(tg_path("repo/answers.jsonl"), "recorded question", "recorded answer");
	assert_int_equal(config_open(W.s, &W.cfg), 0);
	set("codicil.provider", "replay");
	set("codicil.cassette", "answers.jsonl"); /* relative to the work tree */
	assert_int_equal(reopen(NULL), 0);
	assert_string_equal(llm_client_key_source(W.c), "none (replay needs no key)");

	ask("recorded question", NULL, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_string_equal(a.text, "recorded answer");
	assert_string_equal(a.provider, "replay");
	assert_int_equal(a.attempts, 0);
	cd_sha256_hex("recorded answer", 15, a.request_sha); /* reuse as scratch */
	assert_string_equal(a.response_sha, a.request_sha);

	ask("never recorded", NULL, &a);
	assert_int_equal(a.status, LLM_ERR_REPLAY);
	assert_non_null(strstr(a.error, tg_path("repo/answers.jsonl")));
	/* what to do next: connect a model, or record */
	assert_non_null(strstr(a.error, "codicil doctor"));
	assert_non_null(strstr(a.error, "codicil.provider record"));
	seen_clear(&a);
}

/* Record over HTTP, then replay the same requests with no server at all. */
static void test_record_then_replay_without_a_server(void **state)
{
	struct fakellm_opts fo = { .reply = { .content = "{\"verdict\":\"handled\"}" } };
	cJSON *schema = cJSON_Parse(SCHEMA);
	struct seen a = { 0 }, b = { 0 };
	char *lines;

	start_server(&fo);
	W.cfg = fresh_config(W.s);
	set("codicil.provider", "record");
	set("codicil.recordProvider", "openai");
	set("codicil.cassette", "cassettes/run.jsonl");
	assert_int_equal(reopen(NULL), 0);
	ask("first", NULL, &a);
	ask("second", schema, &b);
	assert_int_equal(a.status, LLM_OK);
	assert_int_equal(b.status, LLM_OK);
	assert_string_equal(a.provider, "openai");
	assert_int_equal(fakellm_requests(W.f), 2);
	lines = tg_sh_out(NULL, "wc -l < '%s'", tg_path("repo/cassettes/run.jsonl"));
	assert_int_equal(atoi(lines), 2);
	free(lines);

	fakellm_stop(W.f);
	W.f = NULL;
	set("codicil.provider", "replay");
	assert_int_equal(reopen(NULL), 0);
	ask("first", NULL, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_string_equal(a.text, "{\"verdict\":\"handled\"}");
	ask("second", schema, &b);
	assert_int_equal(b.status, LLM_OK);
	assert_string_equal(cJSON_GetObjectItem(b.json, "verdict")->valuestring, "handled");
	cJSON_Delete(schema);
	seen_clear(&a);
	seen_clear(&b);
}

static void test_an_invalid_reply_is_repaired_once(void **state)
{
	struct fakellm_reply bad = { .content = "{\"verdict\":\"perhaps\"}" };
	struct fakellm_reply good = { .content = "{\"verdict\":\"mishandled\"}" };
	llm_client_opts o = { .repair = 1 };
	cJSON *schema = cJSON_Parse(SCHEMA);
	struct seen a = { 0 };
	char *body;

	start_server(NULL);
	fakellm_push_reply(W.f, &bad);
	fakellm_push_reply(W.f, &good);
	open_client(&o);
	ask("judge it", schema, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_string_equal(cJSON_GetObjectItem(a.json, "verdict")->valuestring, "mishandled");
	assert_int_equal(fakellm_requests(W.f), 2);
	assert_int_equal(a.attempts, 2);
	body = fakellm_last_body(W.f);
	assert_non_null(strstr(body, "Your reply could not be used: the reply does not match "
				     "the schema: $.verdict"));
	assert_non_null(strstr(body, "Reply again with the whole answer, corrected, as JSON only."));
	assert_non_null(strstr(body, "\"role\":\"assistant\""));
	assert_non_null(strstr(body, "perhaps"));
	free(body);
	assert_int_equal(a.reasks, 1);
	assert_non_null(a.repairs);
	assert_non_null(strstr(a.repairs, "$: asked again 1 time, after: the reply does not match"));
	/* the repaired answer is cached for the original request */
	ask("judge it", schema, &a);
	assert_int_equal(a.cached, 1);
	assert_int_equal(a.status, LLM_OK);

	/* a second invalid reply is the final result: one repair only */
	fakellm_reset_counters(W.f);
	fakellm_set_reply(W.f, &bad);
	ask("judge another", schema, &a);
	assert_int_equal(a.status, LLM_ERR_INVALID);
	assert_int_equal(fakellm_requests(W.f), 2);
	/* the answer was paid for: its text and a transcript are kept */
	assert_string_equal(a.text, "{\"verdict\":\"perhaps\"}");
	assert_int_equal((int)strlen(a.transcript), 64);
	/* and it is never cached: the next run asks again */
	ask("judge another", schema, &a);
	assert_int_equal(a.status, LLM_ERR_INVALID);
	assert_int_equal(a.cached, 0);
	assert_int_equal(fakellm_requests(W.f), 4);

	/* codicil.repairAttempts 0: no re-ask */
	set("codicil.repairAttempts", "0");
	assert_int_equal(reopen(&o), 0);
	fakellm_reset_counters(W.f);
	ask("judge a third", schema, &a);
	assert_int_equal(a.status, LLM_ERR_INVALID);
	assert_int_equal(fakellm_requests(W.f), 1);
	cJSON_Delete(schema);
	seen_clear(&a);
}

/* The caller's own check: a verdict must come with a reasoning that names
 * the verdict (a stand-in for "a demand cites a principle of the case"). */
static void mend_reasoning(void *ud, cJSON *reply, cd_buf *notes)
{
	const char *r = cJSON_GetStringValue(cJSON_GetObjectItem(reply, "reasoning"));

	(*(int *)ud)++;
	if (r && !strcmp(r, "  trim me  ")) {
		cJSON_SetValuestring(cJSON_GetObjectItem(reply, "reasoning"), "trim me");
		cd_buf_puts(notes, "$.reasoning: trimmed\n");
	}
}

static int reasoning_present(void *ud, const cJSON *reply, cd_buf *errors)
{
	if (cJSON_GetStringValue(cJSON_GetObjectItem(reply, "reasoning")))
		return 0;
	cd_buf_puts(errors, "$.reasoning: say why\n");
	cd_buf_puts(errors, "$.verdict: and decide\n");
	return -1;
}

static void test_the_callers_check_mends_validates_and_is_never_cached(void **state)
{
	struct fakellm_reply bare = { .content = "{\"verdict\":\"handled\"}" };
	struct fakellm_reply prose = { .content = "Sure! Here is my answer:\n"
		"{\"verdict\": \"Handled \", \"reasoning\": \"  trim me  \"} I hope it helps {}." };
	llm_client_opts o = { .repair = 1 };
	cJSON *schema = cJSON_Parse(
		"{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"verdict\"],"
		"\"properties\":{\"verdict\":{\"type\":\"string\",\"enum\":[\"handled\",\"mishandled\"]},"
		"\"reasoning\":{\"type\":\"string\"}}}");
	int repairs_run = 0;
	llm_check check = { mend_reasoning, reasoning_present, &repairs_run };
	struct seen a = { 0 };
	char *body;

	start_server(NULL);
	fakellm_set_reply(W.f, &bare);
	open_client(&o);
	/* invalid for the caller: re-asked once with both errors, then kept as invalid */
	ask_checked("judge it", schema, &check, &a);
	assert_int_equal(a.status, LLM_ERR_INVALID);
	assert_non_null(strstr(a.error, "$.reasoning: say why; $.verdict: and decide"));
	assert_int_equal(fakellm_requests(W.f), 2);
	body = fakellm_last_body(W.f);
	assert_non_null(strstr(body, "$.reasoning: say why; $.verdict: and decide"));
	free(body);
	assert_int_equal(cache_entries(), 0);
	/* a second run sends it again */
	ask_checked("judge it", schema, &check, &a);
	assert_int_equal(fakellm_requests(W.f), 4);

	/* prose around the JSON, an enum value with a capital and a space, and
	 * the caller's own repair: all mended, each one noted */
	fakellm_set_reply(W.f, &prose);
	fakellm_reset_counters(W.f);
	ask_checked("judge prose", schema, &check, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_int_equal(fakellm_requests(W.f), 1);
	assert_string_equal(cd_json_str(a.json, "verdict"), "handled");
	assert_string_equal(cd_json_str(a.json, "reasoning"), "trim me");
	assert_non_null(strstr(a.repairs, "$: took the JSON out of the prose around it\n"));
	assert_non_null(strstr(a.repairs, "$.verdict: 'Handled' read as the allowed value\n"));
	assert_non_null(strstr(a.repairs, "$.reasoning: trimmed\n"));
	assert_int_equal(cache_entries(), 1);
	/* from the cache, the check runs again */
	repairs_run = 0;
	ask_checked("judge prose", schema, &check, &a);
	assert_int_equal(a.cached, 1);
	assert_int_equal(repairs_run, 1);
	assert_string_equal(cd_json_str(a.json, "reasoning"), "trim me");
	assert_int_equal(fakellm_requests(W.f), 1);
	cJSON_Delete(schema);
	seen_clear(&a);
}

/* Thirty requests against a port nothing listens on: the breaker stops
 * the run after codicil.maxConsecutiveFailures attempts, not 30 x 3. */
static void test_the_breaker_stops_a_run_against_a_dead_endpoint(void **state)
{
	struct fakellm *dead = fakellm_start(&(struct fakellm_opts){ 0 });
	struct seen s[30] = { 0 };
	llm_message m = { "user", "hello" };
	llm_request req = { .messages = &m, .nmessages = 1, .temperature = -1 };
	char url[64];
	size_t not_sent = 0, transport = 0;

	assert_non_null(dead);
	snprintf(url, sizeof url, "%s", dead->v1_url);
	fakellm_stop(dead); /* the port is free again: connections are refused */
	W.cfg = fresh_config(W.s);
	set("codicil.endpoint", url);
	set("codicil.concurrency", "4");
	set("codicil.maxConsecutiveFailures", "5");
	assert_int_equal(reopen(NULL), 0);
	for (int i = 0; i < 30; i++) {
		req.sample = (unsigned)i;
		assert_int_equal(llm_client_submit(W.c, &req, on_done, &s[i], NULL), 0);
	}
	assert_int_equal(llm_client_run(W.c), 0);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(s[i].calls, 1);
		not_sent += s[i].status == LLM_ERR_NOT_SENT;
		transport += s[i].status == LLM_ERR_TRANSPORT;
		if (s[i].status == LLM_ERR_NOT_SENT)
			assert_non_null(strstr(s[i].error, "connection failures in a row"));
		seen_clear(&s[i]);
	}
	assert_true(not_sent >= 26);
	assert_int_equal(not_sent + transport, 30);
	assert_non_null(llm_client_stopped(W.c));
	assert_non_null(strstr(llm_client_stopped(W.c), "5 connection failures in a row"));
	/* a call submitted later is not sent either */
	assert_int_equal(llm_client_submit(W.c, &req, on_done, &s[0], NULL), 0);
	assert_int_equal(llm_client_run(W.c), 0);
	assert_int_equal(s[0].status, LLM_ERR_NOT_SENT);
	seen_clear(&s[0]);
}

/* Ten distinct requests, one at a time: how many ended not sent. */
static size_t ten_requests_not_sent(void)
{
	struct seen s[10] = { 0 };
	llm_message m = { "user", "hello" };
	llm_request req = { .messages = &m, .nmessages = 1, .temperature = -1 };
	size_t not_sent = 0;

	config_free(W.cfg);
	W.cfg = fresh_config(W.s);
	set("codicil.concurrency", "1");
	assert_int_equal(reopen(NULL), 0);
	for (int i = 0; i < 10; i++) {
		req.sample = (unsigned)i;
		assert_int_equal(llm_client_submit(W.c, &req, on_done, &s[i], NULL), 0);
	}
	assert_int_equal(llm_client_run(W.c), 0);
	for (int i = 0; i < 10; i++) {
		not_sent += s[i].status == LLM_ERR_NOT_SENT;
		seen_clear(&s[i]);
	}
	return not_sent;
}

static void test_the_breaker_stops_at_a_rejected_key_and_a_used_up_quota(void **state)
{
	struct fakellm_reply quota = { .status = 429 };

	start_server(&(struct fakellm_opts){ .require_key = "sk-right" });
	setenv("OPENAI_API_KEY", "sk-wrong", 1);
	assert_int_equal(ten_requests_not_sent(), 9);
	assert_int_equal(fakellm_requests(W.f), 1);
	assert_non_null(strstr(llm_client_stopped(W.c), "refused the API key (HTTP 401)"));

	/* a 429 that says the quota is used up: not retried, and the run stops */
	fakellm_stop(W.f);
	start_server(NULL);
	quota.content = "You exceeded your current quota, please check your plan.";
	fakellm_set_reply(W.f, &quota);
	unsetenv("OPENAI_API_KEY");
	assert_int_equal(ten_requests_not_sent(), 9);
	assert_int_equal(fakellm_requests(W.f), 1);
	assert_non_null(strstr(llm_client_stopped(W.c), "quota is used up"));
}

/* Text that is not UTF-8 is refused before anything is sent. */
static void test_a_request_that_is_not_utf8_is_not_sent(void **state)
{
	llm_message m = { "user", "Caf\xe9 au lait" };
	llm_request req = { .messages = &m, .nmessages = 1, .temperature = -1 };
	struct seen s = { 0 };

	start_server(NULL);
	open_client(NULL);
	assert_int_equal(llm_client_submit(W.c, &req, on_done, &s, NULL), -1);
	assert_non_null(strstr(cd_err_msg(), "not UTF-8 (message 1)"));
	assert_int_equal(llm_client_pending(W.c), 0);
	assert_int_equal(fakellm_requests(W.f), 0);
}

/* Identical requests in flight at once are sent once. */
static void test_identical_requests_in_flight_are_sent_once(void **state)
{
	struct seen s[4] = { 0 };
	llm_message m = { "user", "the same question" };
	llm_request req = { .messages = &m, .nmessages = 1, .temperature = -1 };

	start_server(&(struct fakellm_opts){ .latency_ms = 100 });
	open_client(NULL);
	for (int i = 0; i < 4; i++)
		assert_int_equal(llm_client_submit(W.c, &req, on_done, &s[i], NULL), 0);
	assert_int_equal(llm_client_run(W.c), 0);
	assert_int_equal(fakellm_requests(W.f), 1);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(s[i].status, LLM_OK);
		assert_int_equal(s[i].cached, i > 0);
		seen_clear(&s[i]);
	}
}

static void canonical_sha(const char *body, char out[65])
{
	cJSON *j = cJSON_Parse(body), *canon;
	cd_buf b = CD_BUF_INIT;

	assert_non_null(j);
	cJSON_DeleteItemFromObjectCaseSensitive(j, "stream");
	cJSON_DeleteItemFromObjectCaseSensitive(j, "stream_options");
	canon = cd_json_canonical(j);
	assert_int_equal(cd_json_print_compact(canon, &b), 0);
	cd_sha256_hex(b.data, b.len, out);
	cJSON_Delete(j);
	cJSON_Delete(canon);
	cd_buf_clear(&b);
}

static void test_transcripts_name_their_sha_and_hold_no_key(void **state)
{
	struct fakellm_opts fo = { .require_key = KEY, .reply = { .content = "An answer." } };
	struct seen a = { 0 };
	cd_buf data = CD_BUF_INIT;
	char sha[65], *body;
	cJSON *t;

	setenv("OPENAI_API_KEY", KEY, 1);
	start_server(&fo);
	open_client(NULL);
	ask("Find a counter-example.", NULL, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_int_equal(strlen(a.transcript), 64);
	assert_string_equal(a.host, strstr(W.f->base_url, "127.0.0.1"));
	assert_int_equal(cd_file_read(tg_path("repo/.git/codicil/transcripts/%s.json",
					       a.transcript), &data), 0);
	cd_sha256_hex(data.data, data.len, sha);
	assert_string_equal(sha, a.transcript);
	assert_null(strstr(data.data, KEY));
	assert_null(strstr(data.data, "Authorization"));
	t = cJSON_Parse(data.data);
	assert_string_equal(cd_json_str(t, "provider"), "openai");
	assert_string_equal(cd_json_str(t, "model"), "fake-model");
	assert_string_equal(cd_json_str(t, "endpoint_host"), a.host);
	assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "request"), "messages"));
	assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "response"), "choices"));
	assert_non_null(cd_json_str(t, "created"));
	cJSON_Delete(t);
	body = fakellm_last_body(W.f);
	canonical_sha(body, sha);
	assert_string_equal(a.request_sha, sha);
	free(body);

	/* a cached answer's transcript holds its text */
	ask("Find a counter-example.", NULL, &a);
	assert_int_equal(a.cached, 1);
	cd_sha256_hex("An answer.", 10, sha);
	assert_string_equal(a.response_sha, sha);
	assert_int_equal(strlen(a.transcript), 64);
	/* the key is nowhere under .git */
	assert_int_not_equal(tg_sh("grep -r -q '%s' '%s'", KEY, tg_path("repo/.git")), 0);

	/* outside a repository: no transcripts */
	llm_client_free(W.c);
	config_free(W.cfg);
	setenv("XDG_CACHE_HOME", tg_path("xdg"), 1);
	W.cfg = fresh_config(NULL);
	assert_int_equal(client_open_configured(W.cfg, NULL, NULL, &W.c), 0);
	ask("Find a counter-example.", NULL, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_string_equal(a.transcript, "");
	assert_true(cd_dir_exists(tg_path("xdg/codicil")));
	cd_buf_clear(&data);
	seen_clear(&a);
}

/* A 2xx answer that echoes the key: the key goes nowhere, not even to the
 * caller, the cache or the transcript. */
static void test_a_key_echoed_in_an_answer_is_masked(void **state)
{
	struct fakellm_opts fo = { .require_key = KEY,
				   .reply = { .content = "{\"verdict\":\"handled\",\"note\":\"you sent "
						 KEY "\"}" } };
	cJSON *schema = cJSON_Parse("{\"type\":\"object\",\"properties\":{\"verdict\":"
				    "{\"type\":\"string\"},\"note\":{\"type\":\"string\"}}}");
	struct seen a = { 0 };

	setenv("OPENAI_API_KEY", KEY, 1);
	start_server(&fo);
	open_client(NULL);
	ask("Echo it.", schema, &a);
	assert_int_equal(a.status, LLM_OK);
	assert_null(strstr(a.text, KEY));
	assert_null(strstr(cd_json_str(a.json, "note"), KEY));
	assert_non_null(strstr(cd_json_str(a.json, "note"), "you sent ****"));
	assert_int_equal(strlen(a.transcript), 64);
	assert_int_equal(cache_entries(), 1);
	assert_int_not_equal(tg_sh("grep -r -q '%s' '%s'", KEY, tg_path("repo/.git")), 0);
	cJSON_Delete(schema);
	seen_clear(&a);
}

static void test_a_rejected_key_says_where_it_came_from(void **state)
{
	struct fakellm_opts fo = { .require_key = KEY };
	struct seen a = { 0 };

	setenv("OPENAI_API_KEY", "sk-wrong-key-0000000000", 1);
	start_server(&fo);
	open_client(NULL);
	ask("q", NULL, &a);
	assert_int_equal(a.status, LLM_ERR_HTTP);
	assert_int_equal(a.attempts, 1);
	assert_non_null(strstr(a.error, "401"));
	assert_non_null(strstr(a.error, "environment OPENAI_API_KEY"));
	assert_null(strstr(a.error, "sk-wrong"));
	assert_null(strchr(a.error, '\n'));
	seen_clear(&a);
}

struct many {
	int calls, ok;
	size_t max_in_transport;
	unsigned ids_seen;
};

static void on_many(void *ud, const llm_call *call, llm_response *r)
{
	struct many *m = ud;
	llm_client_stats st;

	m->calls++;
	m->ok += r->status == LLM_OK;
	llm_client_stats_get(W.c, &st);
	if (st.in_flight > m->max_in_transport)
		m->max_in_transport = st.in_flight;
}

static void test_many_requests_with_bounded_concurrency(void **state)
{
	struct fakellm_opts fo = { .latency_ms = 10 };
	llm_client_opts o = { .no_cache = 1 };
	struct many m = { 0 };
	llm_client_stats st;
	char prompt[64];

	start_server(&fo);
	W.cfg = fresh_config(W.s);
	set("codicil.concurrency", "10");
	assert_int_equal(reopen(&o), 0);
	for (int i = 0; i < 200; i++) {
		llm_message msg = { "user", prompt };
		llm_request req = { .messages = &msg, .nmessages = 1, .temperature = -1 };
		snprintf(prompt, sizeof prompt, "prompt number %d", i);
		assert_int_equal(llm_client_submit(W.c, &req, on_many, &m, NULL), 0);
	}
	llm_client_stats_get(W.c, &st);
	assert_int_equal(st.queued, 200);
	assert_int_equal(llm_client_run(W.c), 0);
	assert_int_equal(m.calls, 200);
	assert_int_equal(m.ok, 200);
	assert_true(fakellm_max_inflight(W.f) <= 10);
	assert_true(fakellm_max_inflight(W.f) >= 2);
	assert_true(m.max_in_transport <= 20);
	assert_int_equal(fakellm_requests(W.f), 200);
	llm_client_stats_get(W.c, &st);
	assert_int_equal(st.done, 200);
	assert_int_equal(st.in_flight + st.queued, 0);
	assert_true(st.input_tokens > 0);
}

static void test_cancel_all(void **state)
{
	struct fakellm_opts fo = { .latency_ms = 3000 };
	struct seen s[30];
	struct timespec t0, t1;

	memset(s, 0, sizeof s);
	start_server(&fo);
	open_client(NULL);
	for (int i = 0; i < 30; i++) {
		char prompt[32];
		llm_message msg = { "user", prompt };
		llm_request req = { .messages = &msg, .nmessages = 1, .temperature = -1 };
		snprintf(prompt, sizeof prompt, "slow %d", i);
		assert_int_equal(llm_client_submit(W.c, &req, on_done, &s[i], NULL), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 5; i++)
		llm_client_step(W.c, -1, 20);
	llm_client_cancel_all(W.c);
	for (int i = 0; i < 30; i++)
		assert_int_equal(s[i].calls, 0); /* delivered by the loop, not by cancel */
	assert_int_equal(llm_client_run(W.c), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(s[i].calls, 1);
		assert_int_equal(s[i].status, LLM_ERR_CANCELLED);
		seen_clear(&s[i]);
	}
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	assert_int_equal(cache_entries(), 0);
}

static void test_cancel_one(void **state)
{
	struct fakellm_opts fo = { .latency_ms = 300 };
	struct seen a = { 0 }, b = { 0 };
	llm_request req = { .messages = one_msg, .nmessages = 1, .temperature = -1 };
	llm_message other = { "user", "another" };
	llm_request req2 = { .messages = &other, .nmessages = 1, .temperature = -1 };
	unsigned ida, idb;

	start_server(&fo);
	open_client(NULL);
	assert_int_equal(llm_client_submit(W.c, &req, on_done, &a, &ida), 0);
	assert_int_equal(llm_client_submit(W.c, &req2, on_done, &b, &idb), 0);
	assert_int_not_equal(ida, idb);
	llm_client_step(W.c, -1, 10);
	llm_client_cancel(W.c, ida);
	assert_int_equal(llm_client_run(W.c), 0);
	assert_int_equal(a.status, LLM_ERR_CANCELLED);
	assert_int_equal(a.id, ida);
	assert_int_equal(b.status, LLM_OK);
	assert_int_equal(b.id, idb);
	seen_clear(&a);
	seen_clear(&b);
}

struct retries {
	int calls;
	unsigned id;
};

static void on_retry(void *ud, unsigned id, int attempt, double delay_s, const char *why)
{
	struct retries *r = ud;

	r->calls++;
	r->id = id;
}

/* Retries are reported with the client's call id, not the transport's. */
static void test_retry_callback_names_the_call(void **state)
{
	struct fakellm_opts fo = { .fault = { .kind = FAKELLM_STATUS, .status = 503, .first = 1 } };
	llm_request req = { .messages = one_msg, .nmessages = 1, .temperature = -1 };
	struct retries r = { 0 };
	struct seen a = { 0 };
	unsigned id;

	start_server(&fo);
	open_client(NULL);
	llm_client_set_retry_cb(W.c, on_retry, &r);
	assert_int_equal(llm_client_submit(W.c, &req, on_done, &a, NULL), 0);
	assert_int_equal(llm_client_submit(W.c, &req, on_done, &a, &id), 0);
	llm_client_cancel(W.c, 1);
	assert_int_equal(llm_client_run(W.c), 0);
	assert_int_equal(a.calls, 2);
	assert_int_equal(a.status, LLM_OK);
	assert_int_equal(a.attempts, 2);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.id, id);
	seen_clear(&a);
}

/* The LLM layer reads no configuration: a client opens from a struct, takes
 * what it holds, and prices what it spends from the struct's table. */
static void test_a_client_opens_from_settings_alone(void **state)
{
	llm_settings set = { 0 };
	llm_price price = { .known = 1, .input = 2, .output = 8, .cached_input = 2 };
	cd_buf dir = CD_BUF_INIT;
	llm_spend spent;
	struct seen a = { 0 };

	(void)state;
	start_server(NULL);
	setenv("OPENAI_API_KEY", "sk-from-the-environment", 1);
	assert_int_equal(cache_default_dir(store_gitdir(W.s), &dir), 0);
	set.provider = strdup("openai");
	set.http = llm_provider_find("openai");
	set.endpoint = strdup(W.f->v1_url);
	set.model = strdup("priced-model");
	set.cache_dir = cd_buf_detach(&dir);
	xport_opts_default(&set.xo);
	set.budget.usd = 5;
	assert_int_equal(llm_settings_add_price(&set, "priced-model", &price), 0);
	assert_int_equal(llm_client_open(&set, W.s, &(llm_client_opts){ .no_cache = 1 }, &W.c), 0);
	assert_null(set.model); /* the client took it */
	assert_int_equal(set.nprices, 0);
	assert_string_equal(llm_client_model(W.c), "priced-model");

	ask("Find a counter-example.", NULL, &a);
	assert_int_equal(a.status, LLM_OK);
	llm_client_spend_get(W.c, &spent);
	assert_true(spent.priced);
	assert_true(spent.input_tokens > 0 && spent.output_tokens > 0);
	assert_true(fabs(spent.usd - (spent.input_tokens * 2.0 + spent.output_tokens * 8.0) / 1e6) <
		    1e-12);
	seen_clear(&a);

	/* a budget in dollars for a model the table has no price for */
	llm_client_free(W.c);
	W.c = NULL;
	set.provider = strdup("openai");
	set.http = llm_provider_find("openai");
	set.endpoint = strdup(W.f->v1_url);
	set.model = strdup("unpriced-model");
	set.cache_dir = strdup(tg_path("cache"));
	set.budget.usd = 5;
	assert_int_equal(llm_client_open(&set, W.s, NULL, &W.c), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.price.unpriced-model.input"));
	assert_null(set.provider);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_settings_from_each_level),
		T(test_bad_settings_are_one_line_errors),
		T(test_second_identical_request_is_a_cache_hit),
		T(test_no_cache_bypasses_the_cache),
		T(test_errors_are_never_cached),
		T(test_replay_hit_and_miss),
		T(test_record_then_replay_without_a_server),
		T(test_an_invalid_reply_is_repaired_once),
		T(test_the_callers_check_mends_validates_and_is_never_cached),
		T(test_the_breaker_stops_a_run_against_a_dead_endpoint),
		T(test_the_breaker_stops_at_a_rejected_key_and_a_used_up_quota),
		T(test_identical_requests_in_flight_are_sent_once),
		T(test_a_request_that_is_not_utf8_is_not_sent),
		T(test_transcripts_name_their_sha_and_hold_no_key),
		T(test_a_key_echoed_in_an_answer_is_masked),
		T(test_a_rejected_key_says_where_it_came_from),
		T(test_many_requests_with_bounded_concurrency),
		T(test_cancel_all),
		T(test_cancel_one),
		T(test_retry_callback_names_the_call),
		T(test_a_client_opens_from_settings_alone),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
