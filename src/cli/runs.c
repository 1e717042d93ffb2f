/* runs.c — `codicil runs` and `codicil cost`: what the runs that asked a
 * model did and spent (runlog.h). */
#include "cli.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/json.h"
#include "codicil/price.h"
#include "codicil/runlog.h"
#include "codicil/sanitize.h"

const char cmd_runs_usage[] =
	"usage: codicil runs [-n N] [--json]\n"
	"\n"
	"The runs that asked a model, newest first: when, the command, how it ended\n"
	"(done, failed, stopped by the budget or the breaker, running, killed), its\n"
	"requests (ok, from the cache, failed, not sent), the tokens paid for, the\n"
	"cost when the model has a price (codicil.price.<model>.input|output|\n"
	"cachedInput, dollars per million tokens) and the wall time.  The records\n"
	"are local: .git/codicil/ledger/<run>.json.\n"
	"\n"
	"  -n, --max-count N  at most N runs (default 20; 0: all)\n"
	"      --json         the records themselves, as an array\n"
	"  -h, --help         this text\n";

const char cmd_cost_usage[] =
	"usage: codicil cost [--by command|model|principle|rater] [--since DATE] [--json]\n"
	"\n"
	"What the runs cost, summed by command (the default), model, principle (a\n"
	"request about several principles is shared out evenly) or rater (who ran\n"
	"it).  Tokens always; dollars when the models have prices\n"
	"(codicil.price.<model>.input|output|cachedInput); a '+' marks a sum that\n"
	"leaves out requests to a model without a price.\n"
	"\n"
	"      --by KEY       command, model, principle or rater\n"
	"      --since DATE   only runs started on DATE (YYYY-MM-DD) or later\n"
	"      --json         {\"by\", \"groups\": [{key, runs, requests, input, output,\n"
	"                     cached_input, usd, unpriced}], \"total\"}\n"
	"  -h, --help         this text\n";

/* "$1.23", "$1.23+" (some requests had no price), or "-". */
static const char *dollars(const cJSON *sums, char buf[32])
{
	const cJSON *usd = cJSON_GetObjectItemCaseSensitive(sums, "usd");
	int partial = cd_json_num(sums, "unpriced", 0) > 0;

	if (!cJSON_IsNumber(usd))
		return "-";
	snprintf(buf, 32, "$%.2f%s", usd->valuedouble, partial ? "+" : "");
	return buf;
}

static void print_run(const cJSON *rec)
{
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(rec, "requests");
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(rec, "tokens");
	const char *started = cd_json_str(rec, "started");
	char when[17], t[32], d[32];

	snprintf(when, sizeof when, "%.10s %.5s", started, strlen(started) > 11 ? started + 11 : "");
	printf("%-22s %s  %-10s %-8s %6ld %6ld %6ld %6ld %12s %9s %7.1fs\n",
	       cd_json_str(rec, "run"), when, cd_json_str(rec, "command") ? cd_json_str(rec, "command") : "?",
	       cd_json_str(rec, "state") ? cd_json_str(rec, "state") : "?",
	       cd_json_long(req, "ok", 0), cd_json_long(req, "cached", 0),
	       cd_json_long(req, "failed", 0), cd_json_long(req, "not_sent", 0),
	       cli_count(cd_json_num(tok, "input", 0) + cd_json_num(tok, "output", 0), t),
	       dollars(tok, d), cd_json_num(rec, "wall_s", 0));
}

int cmd_runs(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max-count", required_argument, NULL, 'n' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, max = 20, c;
	cJSON *list, *rec;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'n': if (cli_parse_count("runs ", "-n", optarg, 0, 1000000000, &max)) return CLI_USAGE; break;
		case 'j': json = 1; break;
		default: return cli_usage_error("runs ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("runs ", "unexpected argument '%s'", argv[optind]);
	if (!cli_store(ctx) || runlog_list(ctx->store, &list) < 0)
		return ctx->store ? cli_fail_err() : CLI_FAIL;
	while (max && cJSON_GetArraySize(list) > max)
		cJSON_DeleteItemFromArray(list, max);
	if (json)
		return cli_print_json(list);
	if (cJSON_GetArraySize(list) == 0) {
		cJSON_Delete(list);
		puts("no runs yet: commands that ask a model (generate, batch, judge, amend, ...)\n"
		     "leave a record here");
		return CLI_OK;
	}
	printf("%-22s %-16s  %-10s %-8s %6s %6s %6s %6s %12s %9s %8s\n", "RUN", "STARTED (UTC)",
	       "COMMAND", "STATE", "OK", "CACHED", "FAILED", "UNSENT", "TOKENS", "COST", "WALL");
	cJSON_ArrayForEach(rec, list)
		print_run(rec);
	cJSON_Delete(list);
	return CLI_OK;
}

static int valid_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";

	if (strlen(s) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	return 1;
}

static void print_group(const char *key, const cJSON *g)
{
	char r[32], in[32], out[32], ca[32], d[32];

	printf("%-32s %6ld %10s %14s %12s %14s %10s\n", key, cd_json_long(g, "runs", 0),
	       cli_count(cd_json_num(g, "requests", 0), r), cli_count(cd_json_num(g, "input", 0), in),
	       cli_count(cd_json_num(g, "output", 0), out), cli_count(cd_json_num(g, "cached_input", 0), ca),
	       dollars(g, d));
}

static void print_cost(const char *by, const cJSON *groups, const cJSON *total)
{
	const cJSON *g;
	char upper[32];
	size_t i;

	for (i = 0; by[i] && i + 1 < sizeof upper; i++)
		upper[i] = (char)toupper((unsigned char)by[i]);
	upper[i] = '\0';
	printf("%-32s %6s %10s %14s %12s %14s %10s\n", upper, "RUNS", "REQUESTS", "INPUT",
	       "OUTPUT", "CACHED INPUT", "COST");
	cJSON_ArrayForEach(g, groups) {
		char *key = cd_sanitize_dup(cd_json_str(g, "key") ? cd_json_str(g, "key") : "",
					    CD_SAN_ONE_LINE);
		print_group(key ? key : "?", g);
		free(key);
	}
	print_group("total", total);
	if (cd_json_num(total, "unpriced", 0) > 0)
		printf("\n%s requests went to models without a price: set "
		       "codicil.price.<model>.input and .output (dollars per million tokens)\n",
		       cli_count(cd_json_num(total, "unpriced", 0), upper));
}

int cmd_cost(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' }, { "since", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 },
	};
	const char *by = "command", *since = NULL;
	cJSON *groups, *total;
	int json = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': by = optarg; break;
		case 's': since = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage_error("cost ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("cost ", "unexpected argument '%s'", argv[optind]);
	if (strcmp(by, "command") && strcmp(by, "model") && strcmp(by, "principle") &&
	    strcmp(by, "rater"))
		return cli_usage_error("cost ", "--by takes command, model, principle or rater");
	if (since && !valid_date(since))
		return cli_usage_error("cost ", "--since takes a date, YYYY-MM-DD");
	if (!cli_store(ctx))
		return CLI_FAIL;
	if (runlog_cost(ctx->store, by, since, &groups, &total) < 0)
		return cli_fail_err();
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "by", by);
		cJSON_AddItemToObject(o, "groups", groups);
		cJSON_AddItemToObject(o, "total", total);
		return cli_print_json(o);
	}
	print_cost(by, groups, total);
	cJSON_Delete(groups);
	cJSON_Delete(total);
	return CLI_OK;
}
