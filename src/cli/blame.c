#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "codicil/blame.h"
#include "codicil/error.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

const char cmd_blame_usage[] =
	"usage: codicil blame [ID] [--json]\n"
	"\n"
	"For each principle of the charter at HEAD (or only ID), the commit that\n"
	"last changed its heading or its own text.  An accepted amendment shows\n"
	"its proposal, cases and reviewer; any other change its author.  An ID\n"
	"that is no longer in the charter shows the commit that removed it.\n"
	"\n"
	"      --json      an array of {id, commit, date, author, email, subject,\n"
	"                  proposal, cases, reviewed_by, removed} (proposal and\n"
	"                  reviewed_by null for plain edits)\n"
	"  -h, --help      this text\n";

static cJSON *entry_json(const blame_entry *e)
{
	cJSON *o = cJSON_CreateObject(), *cases = cJSON_CreateArray();
	char date[BLAME_DATE_SIZE];

	blame_format_date(e->time, e->offset, date);
	cJSON_AddStringToObject(o, "id", e->id);
	cJSON_AddStringToObject(o, "commit", e->commit);
	cJSON_AddStringToObject(o, "date", date);
	cJSON_AddStringToObject(o, "author", e->author_name);
	cJSON_AddStringToObject(o, "email", e->author_email);
	cJSON_AddStringToObject(o, "subject", e->subject);
	if (e->proposal)
		cJSON_AddStringToObject(o, "proposal", e->proposal);
	else
		cJSON_AddNullToObject(o, "proposal");
	for (size_t i = 0; i < e->ncases; i++)
		cJSON_AddItemToArray(cases, cJSON_CreateString(e->cases[i]));
	cJSON_AddItemToObject(o, "cases", cases);
	if (e->reviewed_by)
		cJSON_AddStringToObject(o, "reviewed_by", e->reviewed_by);
	else
		cJSON_AddNullToObject(o, "reviewed_by");
	cJSON_AddBoolToObject(o, "removed", e->removed);
	return o;
}

static void print_entry(const blame_entry *e, int width, int color)
{
	char date[BLAME_DATE_SIZE];
	int pad = width - (int)strlen(e->id);

	blame_format_date(e->time, e->offset, date);
	date[10] = '\0';
	cli_put_safe(stdout, e->id, CD_SAN_ONE_LINE);
	printf("%*s  %s%.10s%s %s  ", pad > 0 ? pad : 0, "", color ? "\033[33m" : "", e->commit,
	       color ? "\033[m" : "", date);
	if (e->removed)
		fputs("removed by ", stdout);
	cli_put_safe(stdout, e->subject, CD_SAN_ONE_LINE);
	if (e->proposal) {
		fputs("  [", stdout);
		cli_put_safe(stdout, e->proposal, CD_SAN_ONE_LINE);
		printf(", %zu case%s, reviewed by ", e->ncases, e->ncases == 1 ? "" : "s");
		cli_put_safe(stdout, e->reviewed_by ? e->reviewed_by : "nobody", CD_SAN_ONE_LINE);
		fputs("]\n", stdout);
	} else {
		fputs("  (", stdout);
		cli_put_safe(stdout, e->author_name, CD_SAN_ONE_LINE);
		fputs(")\n", stdout);
	}
}

/* A principle not at HEAD: the commit that removed it, or blame's own
 * error when no version ever had it. */
static int removed(store *s, const char *path, const char *id, blame_entry **list, size_t *n)
{
	char why[512];
	int rc;

	if (!id)
		return -1;
	snprintf(why, sizeof why, "%s", cd_err_msg());
	if ((rc = blame_removed(s, path, id, list)) == 0)
		cd_err_set("%s", why);
	*n = rc > 0;
	return rc > 0 ? 0 : -1;
}

int cmd_blame(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL;
	int json = 0, c, width = 0;
	blame_entry *list;
	size_t n;
	store *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		default: return cli_usage_error("blame ", "bad option");
		}
	}
	if (optind < argc)
		only = argv[optind++];
	if (optind < argc)
		return cli_usage_error("blame ", "unexpected argument '%s'", argv[optind]);
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	if (blame_principles(s, workspace_charter_path(ctx->cfg), only, &list, &n) < 0 &&
	    removed(s, workspace_charter_path(ctx->cfg), only, &list, &n) < 0)
		return cli_fail_err();
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		for (size_t i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, entry_json(&list[i]));
		c = cli_print_json(arr);
	} else {
		for (size_t i = 0; i < n; i++)
			if ((int)strlen(list[i].id) > width)
				width = (int)strlen(list[i].id);
		for (size_t i = 0; i < n; i++)
			print_entry(&list[i], width < 40 ? width : 40, ctx->color_out);
		c = CLI_OK;
	}
	blame_free(list, n);
	return c;
}
