/* index.c — `codicil index`: the case index, brought up to date, rebuilt
 * or checked (case_index.h). */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "codicil/case_index.h"

const char cmd_index_usage[] =
	"usage: codicil index [--rebuild | --check]\n"
	"\n"
	"The case index (.git/codicil/index.sqlite) answers lists, filters,\n"
	"counts, full-text search and duplicate checks without reading every case\n"
	"file.  It is derived: never committed, safe to delete, brought up to date\n"
	"by every command that reads it (only files whose blob id changed are\n"
	"parsed again).  Alone, this brings it up to date and says what that took.\n"
	"\n"
	"      --rebuild    delete it and build it from every case file\n"
	"      --check      compare it with every case file (hashed as git would);\n"
	"                   print each difference, then rebuild it when there is one;\n"
	"                   exit 1 when there was a difference\n"
	"  -h, --help       this text\n";

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int check(store *s)
{
	cd_buf problems = CD_BUF_INIT;
	long n = case_index_check(s, &problems);

	if (n < 0) {
		cd_buf_clear(&problems);
		return cli_fail_err();
	}
	cli_put_safe(stdout, cd_buf_cstr(&problems), 0);
	if (n)
		printf("%ld difference%s; the index was rebuilt\n", n, n == 1 ? "" : "s");
	else
		printf("the index agrees with every case file\n");
	cd_buf_clear(&problems);
	return n ? CLI_FAIL : CLI_OK;
}

int cmd_index(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rebuild", no_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	case_index_stats st;
	struct timespec t0;
	int rebuild = 0, do_check = 0, c, rc;
	case_index *ix = NULL;
	store *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rebuild = 1; break;
		case 'c': do_check = 1; break;
		default: return cli_usage_error("index ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("index ", "unexpected argument '%s'", argv[optind]);
	if (rebuild && do_check)
		return cli_usage_error("index ", "--rebuild or --check, not both");
	if (!(s = cli_store(ctx)))
		return CLI_FAIL;
	if (do_check)
		return check(s);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = rebuild ? case_index_rebuild(s, &st) : case_index_open(s, &ix, &st);
	case_index_close(ix);
	if (rc < 0)
		return cli_fail_err();
	printf("%zu case files; %zu director%s listed, %zu files hashed, %zu parsed, %zu removed "
	       "(%.2f s)\n",
	       st.files, st.dirs, st.dirs == 1 ? "y" : "ies", st.hashed, st.parsed, st.removed,
	       seconds_since(&t0));
	return CLI_OK;
}
