/* API key resolution: apiKeyEnv, then apiKeyCommand, then the provider's
 * variable; what the source says; failing commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/secret.h"

static int setup(void **state)
{
	unsetenv("CODICIL_TEST_PROVIDER_KEY");
	unsetenv("CODICIL_TEST_CUSTOM_KEY");
	return 0;
}

static int resolve(const char *env, const char *cmd, char **key, char source[128])
{
	return secret_api_key("CODICIL_TEST_PROVIDER_KEY", env, cmd, key, source, 128);
}

static void test_nothing_configured_is_no_key(void **state)
{
	char *key = (char *)1, source[128];

	assert_int_equal(resolve(NULL, NULL, &key, source), 0);
	assert_null(key);
	assert_string_equal(source, "none");
	setenv("CODICIL_TEST_PROVIDER_KEY", "", 1); /* empty counts as unset */
	assert_int_equal(resolve(NULL, "", &key, source), 0);
	assert_null(key);
}

static void test_provider_variable(void **state)
{
	char *key, source[128];

	setenv("CODICIL_TEST_PROVIDER_KEY", "sk-provider", 1);
	assert_int_equal(resolve(NULL, NULL, &key, source), 0);
	assert_string_equal(key, "sk-provider");
	assert_string_equal(source, "environment CODICIL_TEST_PROVIDER_KEY");
	secret_free(key);
}

static void test_command_beats_provider_variable(void **state)
{
	char *key, source[128];

	setenv("CODICIL_TEST_PROVIDER_KEY", "sk-provider", 1);
	assert_int_equal(resolve(NULL, "printf 'sk-from-command\\r\\nsecond line\\n'",
				 &key, source), 0);
	assert_string_equal(key, "sk-from-command");
	assert_string_equal(source, "command from codicil.apiKeyCommand");
	assert_null(strstr(source, "sk-"));
	secret_free(key);
}

static void test_api_key_env_beats_command(void **state)
{
	char *key, source[128];

	setenv("CODICIL_TEST_PROVIDER_KEY", "sk-provider", 1);
	setenv("CODICIL_TEST_CUSTOM_KEY", "sk-custom", 1);
	assert_int_equal(resolve("CODICIL_TEST_CUSTOM_KEY", "echo sk-from-command",
				 &key, source), 0);
	assert_string_equal(key, "sk-custom");
	assert_string_equal(source, "environment CODICIL_TEST_CUSTOM_KEY");
	secret_free(key);

	/* named but unset: the next source answers */
	unsetenv("CODICIL_TEST_CUSTOM_KEY");
	assert_int_equal(resolve("CODICIL_TEST_CUSTOM_KEY", NULL, &key, source), 0);
	assert_string_equal(key, "sk-provider");
	secret_free(key);
}

static void test_failing_command(void **state)
{
	char *key = NULL, source[128];

	assert_int_equal(resolve(NULL, "echo sk-leaked-output; echo oops >&2; exit 3",
				 &key, source), -1);
	assert_null(key);
	assert_non_null(strstr(cd_err_msg(), "codicil.apiKeyCommand"));
	assert_non_null(strstr(cd_err_msg(), "exit status 3"));
	assert_null(strstr(cd_err_msg(), "leaked-output"));
	assert_null(strstr(cd_err_msg(), "oops\n"));
	assert_null(strchr(cd_err_msg(), '\n'));

	assert_int_equal(resolve(NULL, "true", &key, source), -1);
	assert_non_null(strstr(cd_err_msg(), "printed no key"));
	assert_int_equal(resolve(NULL, "kill -TERM $$", &key, source), -1);
	assert_non_null(strstr(cd_err_msg(), "signal 15"));
	assert_int_equal(resolve(NULL, "/nonexistent/helper", &key, source), -1);
	assert_non_null(strstr(cd_err_msg(), "exit status 127"));
	assert_null(key);
}

/* What keeps an echoed key out of caches and transcripts: every whole
 * occurrence masked, nothing else touched. */
static void test_secret_mask(void **state)
{
	char text[] = "key sk-abc123 and sk-abc123, not sk-abc12 or sk-abc1234";

	(void)state;
	assert_int_equal(secret_mask(text, "sk-abc123"), 3);
	assert_string_equal(text, "key ********* and *********, not sk-abc12 or *********4");
	assert_int_equal(secret_mask(text, NULL), 0);
	assert_int_equal(secret_mask(text, ""), 0);
	assert_int_equal(secret_mask(NULL, "sk-abc123"), 0);
	secret_free(NULL); /* freeing no key is allowed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_nothing_configured_is_no_key, setup),
		cmocka_unit_test_setup(test_provider_variable, setup),
		cmocka_unit_test_setup(test_command_beats_provider_variable, setup),
		cmocka_unit_test_setup(test_api_key_env_beats_command, setup),
		cmocka_unit_test_setup(test_failing_command, setup),
		cmocka_unit_test_setup(test_secret_mask, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
