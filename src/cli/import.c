/* import.c — `codicil import` (exchange.h). */
#include "cli.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/exchange.h"

const char cmd_import_usage[] =
	"usage: codicil import FILE [--format jsonl|csv] [--map FIELD=COLUMN]...\n"
	"                      [--kind K] [--principle ID] [--source NAME] [--dry-run]\n"
	"\n"
	"Make open cases of an outside scenario set, in one commit.  Each record\n"
	"needs a scenario; principles, kind, severity, literal_reading, expected\n"
	"and rationale are read when present (what is missing says so).  Every\n"
	"case records the file, its sha256 and its line.  Records that are not\n"
	"valid are listed by line and skipped; scenarios already in the library\n"
	"or earlier in the file are skipped as duplicates.  Nothing is written\n"
	"until the commit, so an interrupted import imports nothing.\n"
	"\n"
	"      --format F          jsonl or csv (default: from the file name)\n"
	"      --map FIELD=COLUMN  read FIELD from COLUMN (e.g. --map scenario=prompt)\n"
	"      --kind K            the kind of records that have none (counterexample)\n"
	"      --principle ID      the principle of records that name none\n"
	"      --source NAME       the set's name in provenance (default: the file name)\n"
	"  -n, --dry-run           check and count; commit nothing\n"
	"  -h, --help              this text\n"
	"\n"
	"Example: codicil import tradeoffs.csv --map scenario=prompt --principle honesty\n";


#define MAX_MAPS 16

static void show_progress(void *ud, long records, long bytes, long total)
{
	(void)ud;
	fprintf(stderr, "\rimporting: %ld records, %ld%%", records,
		total > 0 ? bytes * 100 / total : 100);
}

static int parse_map(const char *arg, import_map *maps, size_t *n)
{
	const char *eq = strchr(arg, '=');
	static char keys[MAX_MAPS][32];

	if (!eq || eq == arg || !eq[1] || (size_t)(eq - arg) >= sizeof keys[0])
		return cli_usage_error("import ", "--map wants FIELD=COLUMN, got '%s'", arg);
	if (*n == MAX_MAPS)
		return cli_usage_error("import ", "at most %d --map options", MAX_MAPS);
	snprintf(keys[*n], sizeof keys[0], "%.*s", (int)(eq - arg), arg);
	maps[*n] = (import_map){ keys[*n], eq + 1 };
	(*n)++;
	return 0;
}

static int format_of(const char *path, const char *given, exchange_format *out)
{
	size_t len = strlen(path);

	if (given) {
		if (exchange_format_parse(given, out) < 0 ||
		    (*out != EXCHANGE_JSONL && *out != EXCHANGE_CSV))
			return cli_usage_error("import ", "--format %s: import reads jsonl or csv",
					       given);
		return 0;
	}
	if (len > 4 && !strcmp(path + len - 4, ".csv")) {
		*out = EXCHANGE_CSV;
		return 0;
	}
	if ((len > 6 && !strcmp(path + len - 6, ".jsonl")) ||
	    (len > 7 && !strcmp(path + len - 7, ".ndjson"))) {
		*out = EXCHANGE_JSONL;
		return 0;
	}
	return cli_usage_error("import ", "say which format %s is: --format jsonl or csv", path);
}

static void report(const import_opts *o, const import_result *r)
{
	for (size_t i = 0; i < r->nproblems; i++) {
		fputs("codicil: skipped ", stderr);
		cli_put_safe(stderr, r->problems[i], 0);
		fputc('\n', stderr);
	}
	if (r->invalid > (long)r->nproblems)
		fprintf(stderr, "codicil: ... and %ld more invalid records\n",
			r->invalid - (long)r->nproblems);
	printf("%ld records: %ld %s, %ld duplicates, %ld invalid", r->records, r->imported,
	       o->dry_run ? "would be imported" : "imported", r->duplicates, r->invalid);
	if (*r->commit)
		printf(" (commit %.10s)", r->commit);
	putchar('\n');
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "map", required_argument, NULL, 'm' },
		{ "kind", required_argument, NULL, 'k' },
		{ "principle", required_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	import_map maps[MAX_MAPS];
	import_opts o = { .maps = maps };
	import_result r;
	const char *format = NULL;
	case_kind kind;
	store *s;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'm':
			if (parse_map(optarg, maps, &o.nmaps) != 0)
				return CLI_USAGE;
			break;
		case 'k':
			if (case_kind_parse(optarg, &kind) < 0)
				return cli_usage_error("import ", "%s", cd_err_msg());
			o.kind = optarg;
			break;
		case 'p': o.principle = optarg; break;
		case 's': o.source = optarg; break;
		case 'n': o.dry_run = 1; break;
		default: return cli_usage_error("import ", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("import ", optind < argc ? "one file at a time"
							    : "which file? codicil import FILE");
	o.path = argv[optind];
	if (format_of(o.path, format, &o.format) != 0)
		return CLI_USAGE;
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	if (isatty(STDERR_FILENO))
		o.progress = show_progress;
	rc = import_cases(s, cli_config(ctx), &o, &r);
	if (o.progress)
		fputs("\r\033[K", stderr);
	if (rc < 0) {
		import_result_clear(&r);
		return cli_fail_err();
	}
	report(&o, &r);
	import_result_clear(&r);
	return CLI_OK;
}
