/* theorize.c — `codicil theorize`: failure theories from the cases, their
 * hit rates, and retiring them (theorize.h). */
#include "cli_llm.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "codicil/theorize.h"

const char cmd_theorize_usage[] =
	"usage: codicil theorize [-n N] [--behaviour] [--json]\n"
	"       codicil theorize --update [--json]\n"
	"       codicil theorize --list [--json]\n"
	"       codicil theorize --retire T [--reason TEXT]\n"
	"\n"
	"Ask the model to explain the open and confirmed cases with explicit failure\n"
	"theories (\"the charter fails when ...\"), each resting on two or more cases\n"
	"and predicting new situations where the charter should fail again.  New\n"
	"theories are committed as theories/<id>.json; prints their ids.\n"
	"\n"
	"Theories are tested: 'codicil generate --theory T' steers generation by T's\n"
	"statement and predictions, and T's hits count the cases it produced:\n"
	"generated, rated (ratings exist or the status is no longer open), confirmed\n"
	"(status confirmed or resolved, or an open case whose rating consensus reaches\n"
	"codicil.aggregateConfirm).  Hit rate = confirmed / rated.  Every theorize run\n"
	"refreshes the hits, and retires an active theory whose hit rate is below\n"
	"codicil.theoryRetireBelow (default 0.2) once codicil.theoryMinRated (default\n"
	"5) of its cases are rated - all in the same commit.\n"
	"\n"
	"  -n, --count N     at most N new theories (default 5)\n"
	"      --behaviour   theories of where the MODEL fails, from the behaviour\n"
	"                    cases of 'codicil audit' (\"about\": \"model\"); test one\n"
	"                    with 'codicil audit --theory T'\n"
	"      --update      only refresh hits and retire; do not ask the model\n"
	"      --list        list the theories with hits as of now (commits nothing)\n"
	"      --retire T    retire theory T by hand (id or unique prefix)\n"
	"      --reason TEXT why (with --retire)\n"
	"      --no-cache    ask the model even for a request answered before\n"
	"      --json        new theories (or with --list, all) as a JSON array\n"
	CLI_LLM_USAGE
	"  -h, --help        this text\n";

typedef struct theorize_args {
	int count, update, list, json, no_cache, behaviour;
	const char *retire, *reason;
} theorize_args;

static int parse(cli_ctx *ctx, int argc, char **argv, theorize_args *a)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' }, { "update", no_argument, NULL, 'u' },
		{ "list", no_argument, NULL, 'l' }, { "retire", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' }, { "no-cache", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' }, { "behaviour", no_argument, NULL, 'B' },
		CLI_LLM_OPTIONS, { NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			a->count = (int)strtol(optarg, &end, 10);
			if (*end || a->count < 1 || a->count > 50)
				return cli_usage_error("theorize ", "--count needs a number from 1 to 50");
			break;
		case 'u': a->update = 1; break;
		case 'B': a->behaviour = 1; break;
		case 'l': a->list = 1; break;
		case 'r': a->retire = optarg; break;
		case 'R': a->reason = optarg; break;
		case 'C': a->no_cache = 1; break;
		case 'j': a->json = 1; break;
		default:
			if (cli_llm_option(ctx, c, optarg))
				break;
			return cli_usage_error("theorize ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("theorize ", "unexpected argument '%s'", argv[optind]);
	if (a->update + a->list + (a->retire != NULL) > 1)
		return cli_usage_error("theorize ", "give only one of --update, --list, --retire");
	if (a->reason && !a->retire)
		return cli_usage_error("theorize ", "--reason goes with --retire");
	return 0;
}

static void print_theory_line(const cJSON *t)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(t, "hits");
	double rate = theory_hit_rate(t);
	cd_buf line = CD_BUF_INIT;

	cd_buf_printf(&line, "%s  %-7s  hits %d/%d/%d", theory_id(t),
		      cd_json_str(t, "status") ? cd_json_str(t, "status") : "?",
		      cd_json_int(h, "confirmed", 0), cd_json_int(h, "rated", 0),
		      cd_json_int(h, "generated", 0));
	if (rate >= 0)
		cd_buf_printf(&line, " (%3.0f%%)", 100 * rate);
	else
		cd_buf_puts(&line, "  (---)");
	cd_buf_printf(&line, "  %s", cd_json_str(t, "statement") ? cd_json_str(t, "statement") : "");
	cli_put_safe(stdout, line.data, CD_SAN_ONE_LINE);
	fputc('\n', stdout);
	cd_buf_clear(&line);
}

static int list(cli_ctx *ctx, const theorize_args *a)
{
	theory_library tl;

	if (theorize_list(ctx->store, ctx->cfg, &tl) < 0)
		return cli_fail_err();
	if (a->json) {
		cJSON *arr = cJSON_CreateArray();
		for (size_t i = 0; i < tl.n; i++)
			cJSON_AddItemToArray(arr, cJSON_Duplicate(tl.cases[i], 1));
		cli_print_json(arr);
	} else {
		if (tl.n)
			printf("hits are confirmed/rated/generated\n");
		for (size_t i = 0; i < tl.n; i++)
			print_theory_line(tl.cases[i]);
	}
	theory_library_clear(&tl);
	return CLI_OK;
}

static int retire(cli_ctx *ctx, const theorize_args *a)
{
	char commit[41], *id = NULL;
	int rc;

	rc = theorize_retire(ctx->store, a->retire, a->reason, &id, commit);
	if (rc < 0)
		return cli_fail_err();
	printf("Retired %s\n", id);
	free(id);
	return CLI_OK;
}

static void report(const theorize_result *r, int json)
{
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		for (size_t i = 0; i < r->nadded; i++)
			cJSON_AddItemToArray(arr, cJSON_Duplicate(r->added[i], 1));
		cli_print_json(arr);
	} else {
		for (size_t i = 0; i < r->nadded; i++)
			printf("%s\n", theory_id(r->added[i]));
	}
	fprintf(stderr, "%zu new theor%s", r->nadded, r->nadded == 1 ? "y" : "ies");
	if (r->dropped)
		fprintf(stderr, " (%zu dropped: invalid or repeats)", r->dropped);
	if (r->updated)
		fprintf(stderr, "; hits refreshed for %zu", r->updated);
	for (size_t i = 0; i < r->nretired; i++)
		fprintf(stderr, "%s retired %s", i ? "," : ";", r->retired[i]);
	if (r->commit[0])
		fprintf(stderr, "; committed %.10s", r->commit);
	fputc('\n', stderr);
}

static int theorize(cli_ctx *ctx, const theorize_args *a)
{
	llm_client_opts copts = { .no_cache = a->no_cache, .repair = 1 };
	theorize_opts o = { .ask = !a->update, .max_theories = a->count,
			    .behaviour = a->behaviour };
	theorize_result r = { 0 };
	llm_client *client = NULL;
	int rc = CLI_FAIL;

	if (ctx->dry_run && !o.ask)
		return cli_usage_error("theorize ", "--update asks no model: nothing to estimate");
	if (o.ask && !(client = ctx->dry_run ? cli_llm_client(ctx, &copts)
					     : cli_llm_client_with_key(ctx, &copts)))
		return CLI_FAIL;
	if (theorize_run(ctx->store, ctx->cfg, client, &o, &r) < 0 && !ctx->dry_run) {
		cli_fail_err();
	} else if (ctx->dry_run) {
		cli_llm_print_estimate(stdout, client, NULL);
		rc = CLI_OK;
	} else {
		report(&r, a->json);
		if (client)
			cli_llm_print_spend(ctx, client);
		rc = CLI_OK;
	}
	theorize_result_clear(&r);
	if (client)
		llm_client_free(client);
	return rc;
}

int cmd_theorize(cli_ctx *ctx, int argc, char **argv)
{
	theorize_args a = { 0 };
	int rc = parse(ctx, argc, argv, &a);

	if (rc)
		return rc;
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	if (a.list)
		return list(ctx, &a);
	if (a.retire)
		return retire(ctx, &a);
	return theorize(ctx, &a);
}
