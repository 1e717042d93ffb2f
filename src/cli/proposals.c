/* proposals.c — `codicil proposals`: the proposals of the repository, as
 * the workbench's Proposals view lists them. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/json.h"
#include "codicil/proposal.h"
#include "codicil/sanitize.h"

const char cmd_proposals_usage[] =
	"usage: codicil proposals [--status pending|accepted|rejected] [--json]\n"
	"\n"
	"The proposed amendments: pending first, then the newest first.  Each line:\n"
	"id, status, the regression (fixed/broken, and how many got worse), the\n"
	"cases it resolves, and its title.  Files that cannot be read are reported\n"
	"on stderr and skipped.\n"
	"\n"
	"      --status S  only proposals with that status\n"
	"      --json      the proposals themselves, as an array\n"
	"  -h, --help      this text\n";

static void print_row(const cJSON *p)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(p, "regression");
	char reg[48];

	if (cJSON_IsObject(r))
		snprintf(reg, sizeof reg, "%d/%d%s", cd_json_int(r, "fixed", 0),
			 cd_json_int(r, "broken", 0), cd_json_int(r, "worse", 0) ? " worse" : "");
	else
		snprintf(reg, sizeof reg, "-");
	const char *status = proposal_status_name((proposal_status)proposal_get_status(p));

	printf("%-22s %-9s %-12s %5d  ", proposal_id(p), status ? status : "?", reg, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "cases")));
	cli_put_safe(stdout, cd_json_str(p, "title") ? cd_json_str(p, "title") : "", CD_SAN_ONE_LINE);
	fputc('\n', stdout);
}

static int print_list(const proposal_list *pl, const size_t *order, size_t n, int filter,
		      int json)
{
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		for (size_t i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, cJSON_Duplicate(pl->items[order[i]], 1));
		return cli_print_json(arr);
	}
	if (!n) {
		puts(filter ? "no proposals with that status" :
			      "no proposals yet: 'codicil amend CASE...' drafts one");
	} else {
		printf("%-22s %-9s %-12s %5s  %s\n", "PROPOSAL", "STATUS", "FIXED/BROKEN", "CASES",
		       "TITLE");
		for (size_t i = 0; i < n; i++)
			print_row(pl->items[order[i]]);
	}
	return CLI_OK;
}

/* The proposals of the work tree, each that could not be read named on
 * stderr. */
static int load(cli_ctx *ctx, proposal_list *pl)
{
	cd_buf dir = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&dir, "%s%s", store_workdir(ctx->store), PROPOSAL_DIR);
	rc = proposal_list_load(dir.data, pl);
	cd_buf_clear(&dir);
	for (size_t i = 0; rc == 0 && i < pl->nerrors; i++) {
		fputs("codicil: warning: ", stderr);
		cli_put_safe(stderr, pl->errors[i], CD_SAN_ONE_LINE);
		fputs(" (skipped)\n", stderr);
	}
	return rc;
}

int cmd_proposals(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	proposal_status want = PROPOSAL_PENDING;
	int json = 0, filter = 0, c;
	proposal_list pl;
	size_t *order, n = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (proposal_status_parse(optarg, &want) < 0)
				return cli_usage_error("proposals ", "--status takes pending, accepted "
						       "or rejected, not '%s'", optarg);
			filter = 1;
			break;
		case 'j': json = 1; break;
		default: return cli_usage_error("proposals ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("proposals ", "unexpected argument '%s'", argv[optind]);
	if (!cli_store(ctx))
		return CLI_FAIL;
	if (load(ctx, &pl) < 0)
		return cli_fail_err();
	if (!(order = calloc(pl.n + 1, sizeof *order))) {
		proposal_list_clear(&pl);
		return cli_fail("out of memory");
	}
	for (size_t i = 0; i < pl.n; i++)
		if (!filter || proposal_get_status(pl.items[i]) == (int)want)
			order[n++] = i;
	proposal_list_order(&pl, order, n);
	c = print_list(&pl, order, n, filter, json);
	free(order);
	proposal_list_clear(&pl);
	return c;
}
