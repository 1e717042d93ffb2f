/* migrate.c — `codicil migrate` (migrate.h). */
#include "cli.h"

#include "codicil/migrate.h"

const char cmd_migrate_usage[] =
	"usage: codicil migrate\n"
	"\n"
	"Bring a repository made by an earlier codicil to today's layout, in one\n"
	"commit: cases/<id>.json move to cases/<xy>/ (x the id's 8th character,\n"
	"y its last) and transcripts/<sha>.json to transcripts/<first two\n"
	"digits>/ (so that a commit rewrites small trees however large the\n"
	"library grows), and .gitattributes gets the line that lets ratings from\n"
	"two clones merge (see codicil merge-file).  Every layout is read either\n"
	"way (cases fanned out by the last two digits of the id, as earlier\n"
	"versions did, stay where they are); running it again does nothing.\n"
	"Refuses, changing nothing, when a file to move has "
	"uncommitted changes.\n"
	"\n"
	"  -h, --help   this text\n";

int cmd_migrate(cli_ctx *ctx, int argc, char **argv)
{
	migrate_result r;
	store *s;

	if (argc > 1)
		return cli_usage_error("migrate ", "unexpected argument '%s'", argv[1]);
	if (!(s = cli_store(ctx)))
		return CLI_FAIL;
	if (migrate_repository(s, &r) < 0)
		return cli_fail_err();
	if (!*r.commit) {
		printf("already in the current layout; nothing to do\n");
		return CLI_OK;
	}
	printf("moved %zu case file%s and %zu transcript%s%s (commit %.10s)\n", r.cases,
	       r.cases == 1 ? "" : "s", r.transcripts, r.transcripts == 1 ? "" : "s",
	       r.attributes ? "; .gitattributes lets ratings merge" : "", r.commit);
	return CLI_OK;
}
