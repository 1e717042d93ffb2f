#include "cli_llm.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/cache.h"
#include "codicil/error.h"
#include "codicil/sanitize.h"

const char cmd_cache_usage[] =
	"usage: codicil cache stats [--json]\n"
	"       codicil cache clear\n"
	"\n"
	"The response cache: successful LLM replies by request, so that asking\n"
	"the same again costs nothing.  It lives in .git/codicil/cache inside a\n"
	"repository, else in $XDG_CACHE_HOME/codicil (~/.cache/codicil).\n"
	"Errors are never cached.\n"
	"\n"
	"  stats          the number of entries and their size\n"
	"  clear          remove every entry\n"
	"      --json     stats as {dir, entries, bytes}\n"
	"  -h, --help     this text\n";

static void human_size(unsigned long long bytes, char out[32])
{
	if (bytes < 1024)
		snprintf(out, 32, "%llu bytes", bytes);
	else if (bytes < 1024ULL * 1024)
		snprintf(out, 32, "%.1f KiB", (double)bytes / 1024);
	else
		snprintf(out, 32, "%.1f MiB", (double)bytes / (1024.0 * 1024));
}

static int stats(const char *dir, int json)
{
	unsigned long long bytes;
	size_t n;
	char size[32];

	if (cache_stats(dir, &n, &bytes) < 0)
		return cli_fail_err();
	if (json) {
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "dir", dir);
		cJSON_AddNumberToObject(j, "entries", (double)n);
		cJSON_AddNumberToObject(j, "bytes", (double)bytes);
		return cli_print_json(j);
	}
	human_size(bytes, size);
	cli_put_safe(stdout, dir, CD_SAN_ONE_LINE);
	printf(": %zu entr%s, %s\n", n, n == 1 ? "y" : "ies", size);
	return CLI_OK;
}

static int clear(const char *dir)
{
	unsigned long long bytes;
	size_t n;
	char size[32];

	if (cache_stats(dir, &n, &bytes) < 0 || cache_clear(dir) < 0)
		return cli_fail_err();
	human_size(bytes, size);
	printf("removed %zu entr%s (%s) from ", n, n == 1 ? "y" : "ies", size);
	cli_put_safe(stdout, dir, CD_SAN_ONE_LINE);
	fputc('\n', stdout);
	return CLI_OK;
}

int cmd_cache(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	cd_buf dir = CD_BUF_INIT;
	const char *what;
	int json = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		default: return cli_usage_error("cache ", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("cache ", optind < argc ? "one subcommand: stats or clear" :
				       "say 'stats' or 'clear'");
	what = argv[optind];
	if (strcmp(what, "stats") && strcmp(what, "clear"))
		return cli_usage_error("cache ", "unknown subcommand '%s'; use stats or clear", what);
	if (json && !strcmp(what, "clear"))
		return cli_usage_error("cache ", "--json goes with stats");
	if (cli_llm_context(ctx) < 0)
		return CLI_FAIL;
	if (cache_default_dir(ctx->store ? store_gitdir(ctx->store) : NULL, &dir) < 0) {
		cd_buf_clear(&dir);
		return cli_fail_err();
	}
	rc = !strcmp(what, "stats") ? stats(dir.data, json) : clear(dir.data);
	cd_buf_clear(&dir);
	return rc;
}
