#include "cli.h"

#include <getopt.h>

#include "codicil/error.h"
#include "codicil/workspace.h"

const char cmd_fmt_usage[] =
	"usage: codicil fmt [--check] [--commit]\n"
	"\n"
	"Write an explicit {#id} into every heading of the charter that has only an\n"
	"implicit (slug) id, so that ids stay stable when titles change.  Nothing\n"
	"else in the file changes.\n"
	"\n"
	"      --check     change nothing; exit 1 if some heading lacks an explicit id\n"
	"      --commit    commit the result (\"Format: explicit ids\")\n"
	"  -h, --help      this text\n";

int cmd_fmt(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "commit", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	enum workspace_fmt_mode mode = FMT_WRITE;
	size_t changed;
	const char *file;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': mode = FMT_CHECK; break;
		case 'm': mode = mode == FMT_CHECK ? FMT_CHECK : FMT_COMMIT; break;
		default: return cli_usage_error("fmt ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("fmt ", "unexpected argument '%s'", argv[optind]);
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	file = workspace_charter_path(ctx->cfg);
	if (workspace_fmt(ctx->store, ctx->cfg, mode, &changed) < 0)
		return cli_fail_err();
	if (changed == 0) {
		printf("%s: every heading has an explicit id\n", file);
		return CLI_OK;
	}
	if (mode == FMT_CHECK) {
		printf("%s: %zu heading%s without an explicit id (run 'codicil fmt')\n", file,
		       changed, changed == 1 ? "" : "s");
		return CLI_FAIL;
	}
	printf("%s: wrote explicit ids into %zu heading%s%s\n", file, changed,
	       changed == 1 ? "" : "s", mode == FMT_COMMIT ? " and committed" : "");
	return CLI_OK;
}
