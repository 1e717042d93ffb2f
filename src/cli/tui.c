#include "cli.h"

#include "codicil/case_index.h"

#include "codicil/tui.h"

const char cmd_tui_usage[] =
	"usage: codicil tui\n"
	"\n"
	"The interactive workbench: the principles and their text, the case\n"
	"library (filter, rate with the model's arguments on both sides), asking\n"
	"the model for counterexamples (g), the history with its provenance.\n"
	"'codicil' alone on a terminal starts it too.  Press ? inside for the\n"
	"keys; change one with git config codicil.key.<action>, for example:\n"
	"git config codicil.key.down \"j C-n Down\".\n";

int cmd_tui(cli_ctx *ctx, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("tui ", "unexpected argument '%s'", argv[1]);
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	case_index_set_progress(NULL, NULL); /* the screen is the workbench's */
	return tui_run(ctx->store, ctx->cfg) < 0 ? cli_fail_err() : CLI_OK;
}
