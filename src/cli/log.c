#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

const char cmd_log_usage[] =
	"usage: codicil log [-n N] [--charter] [--json]\n"
	"\n"
	"The history of the constitution repository, newest first, with the\n"
	"provenance trailers of each commit (Codicil-Proposal, Codicil-Case,\n"
	"Reviewed-by, ...).\n"
	"\n"
	"  -n, --max-count N  at most N commits\n"
	"      --charter      only commits that changed the charter\n"
	"      --json         an array of {id, author, email, date, subject,\n"
	"                     trailers: {key: [values]}}\n"
	"  -h, --help         this text\n";

/* "2026-11-27T14:03:00+01:00", in the commit's own time zone. */
static void format_date(int64_t t, int offset_min, char out[32])
{
	time_t local = (time_t)(t + (int64_t)offset_min * 60);
	struct tm tm;
	int off = abs(offset_min);

	gmtime_r(&local, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + strlen(out), 32 - strlen(out), "%c%02d:%02d",
		 offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

static cJSON *commit_json(const store_commit_info *ci)
{
	cJSON *o = cJSON_CreateObject(), *tr = cJSON_CreateObject();
	char date[32];

	format_date(ci->time, ci->offset, date);
	cJSON_AddStringToObject(o, "id", ci->id);
	cJSON_AddStringToObject(o, "author", ci->author_name);
	cJSON_AddStringToObject(o, "email", ci->author_email);
	cJSON_AddStringToObject(o, "date", date);
	cJSON_AddStringToObject(o, "subject", ci->subject);
	for (size_t i = 0; i < ci->ntrailers; i++) {
		cJSON *vals = cJSON_GetObjectItemCaseSensitive(tr, ci->trailers[i].key);
		if (!vals)
			vals = cJSON_AddArrayToObject(tr, ci->trailers[i].key);
		cJSON_AddItemToArray(vals, cJSON_CreateString(ci->trailers[i].value));
	}
	cJSON_AddItemToObject(o, "trailers", tr);
	return o;
}

static void print_commit(const store_commit_info *ci, int color)
{
	char date[32];

	format_date(ci->time, ci->offset, date);
	date[10] = '\0';
	printf("%s%.10s%s %s ", color ? "\033[33m" : "", ci->id, color ? "\033[m" : "", date);
	cli_put_safe(stdout, ci->subject, CD_SAN_ONE_LINE);
	fputs("  (", stdout);
	cli_put_safe(stdout, ci->author_name, CD_SAN_ONE_LINE);
	fputs(")\n", stdout);
	for (size_t i = 0; i < ci->ntrailers; i++) {
		printf("    %s", color ? "\033[2m" : "");
		cli_put_safe(stdout, ci->trailers[i].key, CD_SAN_ONE_LINE);
		fputs(": ", stdout);
		cli_put_safe(stdout, ci->trailers[i].value, CD_SAN_ONE_LINE);
		printf("%s\n", color ? "\033[m" : "");
	}
}

int cmd_log(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max-count", required_argument, NULL, 'n' },
		{ "charter", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, only_charter = 0, c, rc = CLI_OK;
	long max = 0;
	char *end;
	store_commit_info *list = NULL;
	size_t n = 0;
	store *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			max = strtol(optarg, &end, 10);
			if (*end || max < 0)
				return cli_usage_error("log ", "-n needs a number, not '%s'", optarg);
			break;
		case 'c': only_charter = 1; break;
		case 'j': json = 1; break;
		default: return cli_usage_error("log ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("log ", "unexpected argument '%s'", argv[optind]);
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	if (store_log(s, NULL, only_charter ? workspace_charter_path(ctx->cfg) : NULL,
		      (size_t)max, &list, &n) < 0)
		return cli_fail_err();
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		for (size_t i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, commit_json(&list[i]));
		rc = cli_print_json(arr);
	} else {
		for (size_t i = 0; i < n; i++)
			print_commit(&list[i], ctx->color_out);
	}
	store_log_free(list, n);
	return rc;
}
