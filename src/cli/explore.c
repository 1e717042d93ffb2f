/* explore.c — `codicil tensions`, `codicil vagueness` and `codicil probe`:
 * one generation run of one kind each (explore.h). */
#include "cli_llm.h"
#include "cli_run.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/explore.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"

#define COMMON_OPTIONS \
	"  -p, --principle ID  involve this principle (repeatable; default: the whole charter)\n" \
	"  -n, --count N       cases per request (default 3)\n" \
	"  -s, --samples S     independent requests (default 1)\n" \
	"      --steer TEXT    steer the search\n" \
	"      --no-commit     write the case files, do not commit them\n" \
	"      --no-cache      ask the model even for a request answered before\n" \
	"      --json          print the new cases as a JSON array\n" \
	"      --budget N      stop before spending more than N tokens (250k, 2M) or\n" \
	"                      '$N' dollars (needs codicil.price.<model>.*)\n" \
	"  -v, --verbose       list every failed request, not only their causes\n" \
	"  -h, --help          this text\n" \
	"\n" \
	"Answers are mended where the intent is plain (REAL MODEL ANSWERS in\n" \
	"codicil(1)): an entry naming a principle the case does not list adds it.\n"

const char cmd_tensions_usage[] =
	"usage: codicil tensions [-p ID]... [-n N] [--json]\n"
	"\n"
	"Ask the model for tensions: sets of two or more principles that conflict,\n"
	"each with a concrete scenario where obeying one means violating another and\n"
	"the text does not say which wins.  Each becomes a case of kind tension that\n"
	"lists every principle involved and, in \"demands\", what each one demands.\n"
	"With -p, every tension involves at least one of the given principles.\n"
	"The new cases are committed (\"Add 3 tensions for ID\"); prints their ids.\n"
	"\n" COMMON_OPTIONS;

const char cmd_vagueness_usage[] =
	"usage: codicil vagueness [-p ID]... [-n N] [--json]\n"
	"\n"
	"Ask the model for vague terms or clauses: words of the charter with several\n"
	"reasonable readings, each with a scenario where the readings lead to\n"
	"different actions.  Each becomes a case of kind vagueness with \"term\" (quoted\n"
	"from the charter) and \"readings\" [{reading, action}], two or more whose\n"
	"actions differ.  The new cases are committed; prints their ids.\n"
	"\n" COMMON_OPTIONS;

const char cmd_probe_usage[] =
	"usage: codicil probe [-p ID]... [-n N] [--json]\n"
	"\n"
	"Test how the model understands the charter: it invents strange thought\n"
	"experiments and gives its account of how each principle applies (in the\n"
	"case: \"accounts\" per principle, literal_reading its overall account,\n"
	"expected the action it leads to).  Each becomes a case of kind probe.\n"
	"\n"
	"Rating a probe: 'codicil rate ID --verdict valid' means the account does NOT\n"
	"match what the text's authors intend - a real gap that calls for a clarifying\n"
	"amendment; --verdict invalid means the model read the text as intended.\n"
	"\n" COMMON_OPTIONS;

typedef struct explore_args {
	const char **principles;
	size_t nprinciples;
	int count, samples, json, no_commit, no_cache, verbose;
	const char *steer;
} explore_args;

static int parse(cli_ctx *ctx, const char *cmd, int argc, char **argv, explore_args *a)
{
	static const struct option opts[] = {
		{ "principle", required_argument, NULL, 'p' }, { "count", required_argument, NULL, 'n' },
		{ "samples", required_argument, NULL, 's' }, { "steer", required_argument, NULL, 'S' },
		{ "no-commit", no_argument, NULL, 'N' }, { "no-cache", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'J' }, { "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->count = 3;
	a->samples = 1;
	if (!(a->principles = calloc((size_t)argc + 1, sizeof *a->principles)))
		return cli_fail("out of memory");
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:n:s:v", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a->principles[a->nprinciples++] = optarg; break;
		case 'n': if (cli_parse_count(cmd, "--count", optarg, 1, 100, &a->count)) return CLI_USAGE; break;
		case 's': if (cli_parse_count(cmd, "--samples", optarg, 1, 100, &a->samples)) return CLI_USAGE; break;
		case 'S': a->steer = optarg; break;
		case 'N': a->no_commit = 1; break;
		case 'C': a->no_cache = 1; break;
		case 'J': a->json = 1; break;
		case 'v': a->verbose = 1; break;
		default:
			if (cli_llm_option(ctx, c, optarg))
				break;
			return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (ctx->dry_run)
		return cli_usage_error(cmd, "for an estimate, run 'codicil batch --kind %.*s -p ID... "
				       "--dry-run'", (int)strcspn(cmd, " "), cmd);
	return 0;
}

static int run(cli_ctx *ctx, const char *cmd, case_kind kind, int argc, char **argv)
{
	explore_args a = { 0 };
	explore_opts o = { 0 };
	llm_client_opts copts = { .repair = 1 };
	batch_result r = { 0 };
	llm_client *client = NULL;
	int rc = parse(ctx, cmd, argc, argv, &a);
	store *s;

	if (rc)
		goto out;
	rc = CLI_FAIL;
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		goto out;
	copts.no_cache = a.no_cache;
	cli_charter_notice(ctx, 1);
	o.kind = kind;
	o.principles = a.principles;
	o.nprinciples = a.nprinciples;
	o.n = a.count;
	o.samples = a.samples;
	o.steer = a.steer;
	o.commit = !a.no_commit;
	if (!(client = cli_llm_client_with_key(ctx, &copts)))
		goto out;
	if (explore_run(s, ctx->cfg, client, &o, &r) < 0) {
		cli_fail_err();
	} else {
		cli_print_new_cases(s, &r, a.json);
		cli_print_run_summary(&r, NULL, a.verbose);
		cli_llm_print_spend(ctx, client);
		rc = r.remaining ? CLI_FAIL : CLI_OK;
	}
out:
	batch_result_clear(&r);
	if (client)
		llm_client_free(client);
	free(a.principles);
	return rc;
}

int cmd_tensions(cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, "tensions ", CASE_TENSION, argc, argv);
}

int cmd_vagueness(cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, "vagueness ", CASE_VAGUENESS, argc, argv);
}

int cmd_probe(cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, "probe ", CASE_PROBE, argc, argv);
}
