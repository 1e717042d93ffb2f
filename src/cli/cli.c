#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/case_index.h"
#include "codicil/config_keys.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/price.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("codicil: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAIL;
}

int cli_fail_err(void)
{
	return cli_fail("%s", cd_err_msg());
}

static int cmd_argc;
static char **cmd_argv;

void cli_note_args(int argc, char **argv)
{
	cmd_argc = argc;
	cmd_argv = argv;
	opterr = 0; /* getopt's own message would be a second line */
}

/* One hint a line: a message that ends in its own "(...)" hint is not
 * followed by the pointer to --help as well.  "bad option" (what every
 * command says when getopt refuses one) names the option. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!strcmp(msg, "bad option") && cmd_argv && optind > 0 && optind <= cmd_argc)
		snprintf(msg, sizeof msg, "bad option '%s': unknown here, or it needs a value",
			 cmd_argv[optind - 1]);
	len = strlen(msg);
	fprintf(stderr, "codicil: %s", msg);
	if (!len || msg[len - 1] != ')')
		fprintf(stderr, " (see 'codicil %s--help')", cmd ? cmd : "");
	fputc('\n', stderr);
	return CLI_USAGE;
}

const cli_command *cli_find(const char *name)
{
	for (const cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int cli_wants_help(const cli_command *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(cmd->usage, stdout);
			return 1;
		}
	}
	return 0;
}

/* A first build of the case index, or one after a large pull, on stderr
 * when it is a terminal. */
static void index_progress(size_t done, size_t total, size_t parsed, void *arg)
{
	fprintf(stderr, "\rcodicil: indexing the case library: %zu of %zu directories, %zu files "
			"read%s", done, total, parsed, done == total ? "\n" : "");
}

store *cli_store(cli_ctx *ctx)
{
	if (ctx->store)
		return ctx->store;
	if (store_open(ctx->dir ? ctx->dir : ".", &ctx->store) < 0) {
		cli_fail_err();
		return NULL;
	}
	if (store_merge_driver_ensure(ctx->store) < 0)
		cd_err_clear(); /* a read-only .git/config: git merges as text */
	if (isatty(STDERR_FILENO))
		case_index_set_progress(index_progress, NULL);
	return ctx->store;
}

config *cli_config(cli_ctx *ctx)
{
	if (!ctx->cfg && config_open(ctx->store, &ctx->cfg) < 0) {
		cli_fail_err();
		return NULL;
	}
	return ctx->cfg;
}

void cli_put_safe_len(FILE *f, const char *text, size_t len, unsigned flags)
{
	cd_buf b = CD_BUF_INIT;

	if (cd_sanitize(text, len, flags, &b) == 0)
		fwrite(b.data, 1, b.len, f);
	cd_buf_clear(&b);
}

void cli_put_safe(FILE *f, const char *text, unsigned flags)
{
	cli_put_safe_len(f, text, strlen(text), flags);
}

int cli_print_json(cJSON *j)
{
	cd_buf out = CD_BUF_INIT;
	int rc = j ? cd_json_print(j, &out) : -1;

	if (rc == 0)
		fwrite(out.data, 1, out.len, stdout);
	cd_buf_clear(&out);
	cJSON_Delete(j);
	return rc < 0 ? cli_fail_err() : CLI_OK;
}

int cli_parse_count(const char *cmd, const char *what, const char *s, long min, long max,
		    int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < min || v > max)
		return cli_usage_error(cmd, "%s needs a number from %ld to %ld, not '%s'", what, min,
				       max, s);
	*out = (int)v;
	return 0;
}

int cli_parse_setting(const char *cmd, const char *what, const char *key, const char *value)
{
	const config_key_info *k = config_key_lookup(key);
	cd_buf why = CD_BUF_INIT;
	int rc = 0;

	if (k && config_key_check(k, value, &why) < 0)
		rc = cli_usage_error(cmd, "%s takes %s, not '%.40s'", what, why.data, value);
	cd_buf_clear(&why);
	return rc;
}

const char *cli_count(double n, char buf[32])
{
	llm_format_count((long)(n + (n < 0 ? -0.5 : 0.5)), buf, 32);
	return buf;
}

int cli_load_cases(store *s, case_library *lib)
{
	int rc = workspace_load_cases(s, lib);

	for (size_t i = 0; rc == 0 && i < lib->nerrors; i++) {
		fputs("codicil: warning: ", stderr);
		cli_put_safe(stderr, lib->errors[i], CD_SAN_ONE_LINE);
		fputs(" (skipped)\n", stderr);
	}
	return rc;
}

int cli_parse_json_rev(const char *cmd, int argc, char **argv, int *json, const char **rev)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "rev", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	char prefix[32];
	int c;

	snprintf(prefix, sizeof prefix, "%s ", cmd);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': *json = 1; break;
		case 'r': *rev = optarg; break;
		default: return cli_usage_error(prefix, "bad option");
		}
	}
	return CLI_OK;
}

charter *cli_charter_at(cli_ctx *ctx, const char *rev)
{
	store *s = cli_store(ctx);
	charter *ch;

	if (!s || !cli_config(ctx))
		return NULL;
	if (workspace_load(s, workspace_charter_path(ctx->cfg), rev, 1, &ch) < 0) {
		cli_fail_err();
		return NULL;
	}
	return ch;
}
