/* review.c — `codicil review`: a proposal with the redline of its change. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

#include "codicil/amend.h"
#include "codicil/error.h"
#include "codicil/sanitize.h"

const char cmd_review_usage[] =
	"usage: codicil review P [--charter FILE] [--json]\n"
	"\n"
	"Show proposal P: the word-level redline of its change to the charter (the\n"
	"charter at the proposal's base against the same with its edits applied),\n"
	"the rationale, pros and cons, the predicted consequences, the verdict under\n"
	"each rule of META.md, and the regression with the cases that flipped.\n"
	"Colour only on a terminal and never with NO_COLOR.\n"
	"\n"
	"      --charter FILE  check that P amends FILE\n"
	"      --json          the proposal with \"redline\" added\n"
	"  -h, --help          this text\n";

int cmd_review(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "charter", required_argument, NULL, 'c' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *charter_path = NULL;
	cd_buf text = CD_BUF_INIT;
	amend_review r;
	int json = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': charter_path = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage_error("review ", "bad option");
		}
	}
	if (optind == argc)
		return cli_usage_error("review ", "name the proposal");
	if (optind + 1 < argc)
		return cli_usage_error("review ", "unexpected argument '%s'", argv[optind + 1]);
	if (!cli_store(ctx))
		return CLI_FAIL;
	if (amend_review_load(ctx->store, argv[optind], charter_path, &r) < 0) {
		char *line = cd_sanitize_dup(cd_err_msg(), CD_SAN_ONE_LINE);
		cli_fail("%s", line ? line : "out of memory");
		free(line);
		return CLI_FAIL;
	}
	if (json) {
		rc = cli_print_json(amend_review_json(&r));
	} else if (amend_review_text(&r, ctx->color_out, &text) == 0) {
		fwrite(text.data, 1, text.len, stdout);
		rc = CLI_OK;
	} else {
		rc = cli_fail_err();
	}
	cd_buf_clear(&text);
	amend_review_clear(&r);
	return rc;
}
