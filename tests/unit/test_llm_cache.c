/* The response cache: keys, put/get, corrupt entries, stats and clear, on
 * a real directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "codicil/cache.h"
#include "codicil/file.h"
#include "codicil/llm.h"

static const char *KEY = "sk-cache-test-SECRETSECRETSECRET";
static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/codicil-cache-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return cd_remove_tree(dir);
}

static const llm_message msgs[] = { { "user", "Find a counter-example." } };

static void key_for(const char *provider, const char *base, const char *model, int stream,
		    unsigned sample, char out[CD_SHA256_HEX])
{
	llm_endpoint ep = { provider, base, KEY };
	llm_request req = { .model = model, .messages = msgs, .nmessages = 1,
			    .temperature = -1, .stream = stream, .sample = sample };
	llm_http h;

	assert_int_equal(llm_provider_find(provider)->build(&ep, &req, &h), 0);
	assert_int_equal(cache_key(&ep, &req, &h, out), 0);
	llm_http_clear(&h);
}

static void test_key_covers_what_decides_the_answer(void **state)
{
	char a[CD_SHA256_HEX], b[CD_SHA256_HEX];

	key_for("openai", "http://h/v1", "m", 0, 0, a);
	assert_int_equal(strlen(a), 64);
	key_for("openai", "http://h/v1", "m", 0, 0, b);
	assert_string_equal(a, b);
	key_for("openai", "http://h/v1/", "m", 0, 0, b);
	assert_string_equal(a, b); /* a trailing slash is the same endpoint */
	key_for("openai", "http://h/v1", "m", 1, 0, b);
	assert_string_equal(a, b); /* streaming does not change the answer */
	key_for("openai", "http://h/v1", "m", 0, 1, b);
	assert_string_not_equal(a, b);
	key_for("openai", "http://h/v1", "m2", 0, 0, b);
	assert_string_not_equal(a, b);
	key_for("openai", "http://other/v1", "m", 0, 0, b);
	assert_string_not_equal(a, b);
	key_for("anthropic", "http://h/v1", "m", 0, 0, b);
	assert_string_not_equal(a, b);
}

static void test_put_then_get(void **state)
{
	char key[CD_SHA256_HEX];
	llm_response r = { .status = LLM_OK, .usage = { 11, 22, 8 } }, got = { 0 };
	cd_buf path = CD_BUF_INIT, data = CD_BUF_INIT;

	key_for("openai", NULL, "m", 0, 0, key);
	assert_int_equal(cache_get(dir, key, &got), 0); /* miss */
	r.text = strdup("bytes as received: \xff\x1b[2J\n\"q\"");
	r.finish_reason = strdup("stop");
	r.body = strdup("{\"raw\":true}");
	assert_int_equal(cache_put(dir, key, &r), 0);

	assert_int_equal(cache_get(dir, key, &got), 1);
	assert_int_equal(got.status, LLM_OK);
	assert_int_equal(got.cached, 1);
	assert_int_equal(got.attempts, 0);
	assert_string_equal(got.text, r.text);
	assert_string_equal(got.finish_reason, "stop");
	assert_string_equal(got.body, "{\"raw\":true}");
	assert_int_equal(got.usage.input_tokens, 11);
	assert_int_equal(got.usage.output_tokens, 22);
	assert_int_equal(got.usage.cached_input_tokens, 8);

	/* laid out as <2 hex>/<62 hex>.json, and never holding the key */
	cd_buf_printf(&path, "%s/%.2s/%s.json", dir, key, key + 2);
	assert_true(cd_file_exists(path.data));
	assert_int_equal(cd_file_read(path.data, &data), 0);
	assert_null(strstr(data.data, KEY));
	assert_null(strstr(data.data, "Authorization"));
	cd_buf_clear(&path);
	cd_buf_clear(&data);
	llm_response_clear(&r);
	llm_response_clear(&got);
}

static void test_errors_are_never_cached(void **state)
{
	char key[CD_SHA256_HEX];
	llm_response r = { .status = LLM_ERR_TRUNCATED };
	size_t n;
	unsigned long long bytes;

	key_for("openai", NULL, "m", 0, 7, key);
	r.text = strdup("half");
	assert_int_equal(cache_put(dir, key, &r), -1);
	assert_int_equal(cache_stats(dir, &n, &bytes), 0);
	assert_int_equal(n, 0);
	llm_response_clear(&r);
	r.status = LLM_OK;
	assert_int_equal(cache_put(dir, "../../etc/passwd", &r), -1);
}

static void test_corrupt_entry_is_a_miss_and_removed(void **state)
{
	char key[CD_SHA256_HEX];
	llm_response r = { .status = LLM_OK }, got = { 0 };
	cd_buf path = CD_BUF_INIT;

	key_for("openai", NULL, "m", 0, 3, key);
	r.text = strdup("fine");
	assert_int_equal(cache_put(dir, key, &r), 0);
	cd_buf_printf(&path, "%s/%.2s/%s.json", dir, key, key + 2);
	assert_int_equal(cd_file_write_atomic(path.data, "{\"text\": \"cut sh", 16), 0);
	assert_int_equal(cache_get(dir, key, &got), 0);
	assert_false(cd_file_exists(path.data));
	assert_null(got.text);

	assert_int_equal(cache_put(dir, key, &r), 0);
	assert_int_equal(cd_file_write_atomic(path.data, "{\"usage\":{}}", 12), 0);
	assert_int_equal(cache_get(dir, key, &got), 0);
	assert_false(cd_file_exists(path.data));
	cd_buf_clear(&path);
	llm_response_clear(&r);
}

static void test_stats_and_clear(void **state)
{
	llm_response r = { .status = LLM_OK };
	size_t n;
	unsigned long long bytes;
	cd_buf other = CD_BUF_INIT;

	assert_int_equal(cache_stats("/nonexistent/codicil-cache", &n, &bytes), 0);
	assert_int_equal(n, 0);
	r.text = strdup("x");
	for (unsigned i = 0; i < 5; i++) {
		char key[CD_SHA256_HEX];
		key_for("anthropic", NULL, "m", 0, 100 + i, key);
		assert_int_equal(cache_put(dir, key, &r), 0);
	}
	/* something else living in the directory is neither counted nor removed */
	cd_buf_printf(&other, "%s/README", dir);
	assert_int_equal(cd_file_write_atomic(other.data, "keep\n", 5), 0);
	assert_int_equal(cache_stats(dir, &n, &bytes), 0);
	assert_int_equal(n, 5);
	assert_true(bytes > 5 * 10);
	assert_int_equal(cache_clear(dir), 0);
	assert_int_equal(cache_stats(dir, &n, &bytes), 0);
	assert_int_equal(n, 0);
	assert_int_equal(bytes, 0);
	assert_true(cd_file_exists(other.data));
	assert_true(cd_dir_exists(dir));
	cd_buf_clear(&other);
	llm_response_clear(&r);
}

static void test_default_dir(void **state)
{
	cd_buf b = CD_BUF_INIT;
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *xdg = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;

	assert_int_equal(cache_default_dir("/r/.git", &b), 0);
	assert_string_equal(b.data, "/r/.git/codicil/cache");
	cd_buf_reset(&b);
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	assert_int_equal(cache_default_dir(NULL, &b), 0);
	assert_string_equal(b.data, "/x/cache/codicil");
	cd_buf_reset(&b);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/home/ada", 1);
	assert_int_equal(cache_default_dir(NULL, &b), 0);
	assert_string_equal(b.data, "/home/ada/.cache/codicil");
	unsetenv("HOME");
	assert_int_equal(cache_default_dir(NULL, &b), -1);
	if (home)
		setenv("HOME", home, 1);
	if (xdg)
		setenv("XDG_CACHE_HOME", xdg, 1);
	free(home);
	free(xdg);
	cd_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_covers_what_decides_the_answer),
		cmocka_unit_test_setup_teardown(test_put_then_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_are_never_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_entry_is_a_miss_and_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_and_clear, setup, teardown),
		cmocka_unit_test(test_default_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
