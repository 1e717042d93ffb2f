/* publish.c — `codicil publish` (publish.h). */
#include "cli.h"

#include "codicil/publish.h"

const char cmd_publish_usage[] =
	"usage: codicil publish DIR\n"
	"\n"
	"Write the constitution as a static site into DIR, for people who will\n"
	"never open a terminal: index.html (the charter, an anchor per principle\n"
	"id, each principle with the accepted amendments that shaped it: their\n"
	"rationale, reviewer, date and cases), cases.html (the case library, with\n"
	"filters), proposals.html, and amendments/ID.html (the word-level redline\n"
	"of each proposal).  It works from file://, without JavaScript, and\n"
	"prints well; all text from models and users is escaped.  Files of the\n"
	"same names in DIR are replaced.\n"
	"\n"
	"  -h, --help   this text\n"
	"\n"
	"Example: codicil publish site && xdg-open site/index.html\n";

int cmd_publish(cli_ctx *ctx, int argc, char **argv)
{
	publish_result r;
	store *s;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("publish ", argc < 2 ? "where? codicil publish DIR"
				       : argc > 2 ? "one directory" : "unknown option '%s'", argv[1]);
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	if (publish_site(s, cli_config(ctx), argv[1], &r) < 0)
		return cli_fail_err();
	printf("published %zu principles, %zu cases, %zu proposals into %s/index.html\n",
	       r.principles, r.cases, r.proposals, argv[1]);
	return CLI_OK;
}
