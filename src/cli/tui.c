#include "cli.h"

#include "codicil/tui.h"

const char cmd_tui_usage[] =
	"usage: codicil tui\n"
	"\n"
	"The interactive workbench: the principles and their text, the history\n"
	"with its provenance.  'codicil' alone on a terminal starts it too.  Press\n"
	"? inside for the keys; change one with git config codicil.key.<action>,\n"
	"for example: git config codicil.key.down \"j C-n Down\".\n";

int cmd_tui(cli_ctx *ctx, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("tui ", "unexpected argument '%s'", argv[1]);
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	return tui_run(ctx->store, ctx->cfg) < 0 ? cli_fail_err() : CLI_OK;
}
