#include "cli.h"

#include <getopt.h>

#include "codicil/error.h"
#include "codicil/principle_edit.h"

const char cmd_edit_usage[] =
	"usage: codicil edit ID [-m REASON]\n"
	"\n"
	"Open $VISUAL (or $EDITOR, or vi) on one principle alone: its heading, its\n"
	"text and its sub-principles.  When the editor exits, the charter is\n"
	"re-parsed and validated and the change is committed as \"Edit ID: title\".\n"
	"Quitting without a change commits nothing.  A result that does not\n"
	"validate is kept in .git/codicil/drafts/ID.md, and the next 'codicil edit\n"
	"ID' starts from it.\n"
	"\n"
	"  -m, --message REASON  why: the body of the commit message\n"
	"  -h, --help            this text\n";

int cmd_edit(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' }, { NULL, 0, NULL, 0 },
	};
	const char *reason = NULL;
	principle_edit pe;
	int rc = CLI_FAIL, c;
	store *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		if (c != 'm')
			return cli_usage_error("edit ", "bad option");
		reason = optarg;
	}
	if (argc - optind != 1)
		return cli_usage_error("edit ", "give exactly one principle id");
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	if (principle_edit_begin(s, ctx->cfg, argv[optind], &pe) < 0)
		return cli_fail_err();
	pe.reason = reason;
	if (pe.resumed)
		fprintf(stderr, "codicil: resuming your earlier draft %s\n", pe.draft.data);
	if (principle_edit_run_editor(&pe) < 0 || principle_edit_finish(s, &pe) < 0)
		cli_fail_err();
	else if (!pe.changed)
		printf("No change to %s; nothing committed.\n", pe.id), rc = CLI_OK;
	else
		printf("Committed: Edit %s\n", pe.id), rc = CLI_OK;
	principle_edit_clear(&pe);
	return rc;
}
