/* export.c — `codicil export` (exchange.h). */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/exchange.h"
#include "codicil/file.h"

const char cmd_export_usage[] =
	"usage: codicil export --format promptfoo|inspect|jsonl|csv [--status S] [-p ID]\n"
	"                      [--kind K] [-o FILE]\n"
	"\n"
	"Write the case library (or the cases the filters select) for an evaluation\n"
	"tool, one case at a time:\n"
	"  promptfoo  a promptfoo config: one test per case, the scenario as the\n"
	"             prompt, an llm-rubric assertion from the cited principles and\n"
	"             the expected outcome; the configured model as provider\n"
	"  inspect    a JSONL dataset for Inspect (input, target, id, metadata)\n"
	"  jsonl, csv flat columns: id, kind, status, principles, severity,\n"
	"             scenario, literal_reading, expected, rationale, created,\n"
	"             ratings, valid (codicil import reads them back)\n"
	"\n"
	"      --format F      one of the above (required)\n"
	"      --status S      open, confirmed, dismissed or resolved\n"
	"  -p, --principle ID  only cases on this principle\n"
	"      --kind K        counterexample, tension, vagueness, probe, consequence\n"
	"  -o, --output FILE   write FILE (atomically) instead of standard output\n"
	"  -h, --help          this text\n"
	"\n"
	"Example: codicil export --format promptfoo -o promptfooconfig.yaml\n";

static int parse_filter(const char *cmd, int c, case_query *q)
{
	case_status st;
	case_kind kind;

	switch (c) {
	case 's':
		if (case_status_parse(optarg, &st) < 0)
			return cli_usage_error(cmd, "%s", cd_err_msg());
		q->f.status = optarg;
		return 0;
	case 'k':
		if (case_kind_parse(optarg, &kind) < 0)
			return cli_usage_error(cmd, "%s", cd_err_msg());
		q->f.kind = optarg;
		return 0;
	case 'p':
		q->f.principle = optarg;
		return 0;
	default:
		return cli_usage_error(cmd, "bad option");
	}
}

static int write_export(cli_ctx *ctx, store *s, const export_opts *o, const char *path)
{
	cd_atomic out = { 0 };
	size_t n;
	int rc;

	if (path && cd_atomic_open(path, &out) < 0)
		return cli_fail_err();
	rc = export_cases(s, cli_config(ctx), o, path ? out.f : stdout, &n);
	if (path && (rc < 0 ? (cd_atomic_abort(&out), -1) : cd_atomic_commit(&out)) < 0)
		rc = -1;
	if (rc < 0)
		return cli_fail_err();
	if (path)
		fprintf(stderr, "exported %zu case%s to %s\n", n, n == 1 ? "" : "s", path);
	return CLI_OK;
}

int cmd_export(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "status", required_argument, NULL, 's' },
		{ "principle", required_argument, NULL, 'p' },
		{ "kind", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	export_opts o = { 0 };
	const char *path = NULL;
	int c, have_format = 0;
	store *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:o:", opts, NULL)) != -1) {
		if (c == 'f') {
			if (exchange_format_parse(optarg, &o.format) < 0)
				return cli_usage_error("export ", "%s", cd_err_msg());
			have_format = 1;
		} else if (c == 'o') {
			path = optarg;
		} else if (parse_filter("export ", c, &o.q) != 0) {
			return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("export ", "unexpected argument '%s'", argv[optind]);
	if (!have_format)
		return cli_usage_error("export ", "which format? --format promptfoo, inspect, "
				       "jsonl or csv");
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	return write_export(ctx, s, &o, path);
}
