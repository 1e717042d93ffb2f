/* loop.c — `codicil loop`: continuous mode within a budget (loop.h). */
#include "cli_llm.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/loop.h"
#include "codicil/sanitize.h"

const char cmd_loop_usage[] =
	"usage: codicil loop [--budget N|'$N'] [--until TIME] [--rounds N]\n"
	"                    [--autonomy review|auto-meta] [-p ID]... [--per-round N]\n"
	"                    [--samples N] [-n N] [--json] [--resume | --restart]\n"
	"       codicil loop --status [--json]\n"
	"\n"
	"Run codicil unattended, round after round.  A round chooses principles\n"
	"(fewest cases first, then the largest share of open cases, then the best\n"
	"hit rate of a live failure theory about them), generates\n"
	"counterexamples for them (one request steered by the live failure theory\n"
	"with the best hit rate), judges the new cases, refreshes the theories' hits\n"
	"(theorize --update), and drafts amendments (with consequences, meta-check\n"
	"and regression) for groups of cases that are confirmed, have a rater\n"
	"consensus of codicil.aggregateConfirm or more, or that the judge confidently\n"
	"calls mishandled (codicil.loopJudgeConfidence, 0.8): at most\n"
	"codicil.loopProposals (2) a round, left pending for review.  After each round\n"
	"a report: requests, tokens, cost, new cases, proposals, and the yield (cases\n"
	"and proposals per million tokens and per dollar).\n"
	"\n"
	"It stops at the budget, the time or the round count.  Killed at any point, it\n"
	"continues with --resume without paying twice for what was answered (the\n"
	"round's batch journal and the response cache).  It takes the repository lock\n"
	"only while it commits, so people can rate and review meanwhile.\n"
	"\n"
	"      --budget N      stop before spending more than N tokens (250k, 2M) or\n"
	"                      '$N' dollars, in this invocation\n"
	"      --until TIME    stop at HH:MM (the next one), at YYYY-MM-DDTHH:MM (UTC),\n"
	"                      or after a duration: 30m, 8h\n"
	"      --rounds N      stop after N rounds\n"
	"      --autonomy A    review (default): never accepts; auto-meta: accepts a\n"
	"                      proposal that passes every META.md rule and worsens no\n"
	"                      case, when META.md has a rule with autonomy=auto-meta\n"
	"                      (commit trailer Codicil-Autonomy: auto-meta)\n"
	"  -p, --principle ID  only these principles (repeatable)\n"
	"      --per-round N   principles a round (3)\n"
	"      --samples N     generation requests a principle (1)\n"
	"  -n N                cases a request (3)\n"
	"      --json          one JSON report a line, a round each, then the summary\n"
	"      --resume        continue the interrupted loop with its own options\n"
	"      --restart       start a new loop over an interrupted one\n"
	"      --status        where the loop is, and whether it runs\n"
	"  -h, --help          this text\n";

typedef struct loop_args {
	loop_opts o;
	const char **principles;
	size_t np;
	int json, status;
	const char *until;
} loop_args;

/* --until: HH:MM (next), YYYY-MM-DDTHH:MM (UTC), or NNm / NNh from now. */
static int parse_until(const char *s, time_t now, time_t *out)
{
	struct tm tm = { 0 };
	char *end;
	long n;

	n = strtol(s, &end, 10);
	if (end != s && n > 0 && (!strcmp(end, "m") || !strcmp(end, "h"))) {
		*out = now + n * (*end == 'h' ? 3600 : 60);
		return 0;
	}
	if ((end = strptime(s, "%Y-%m-%dT%H:%M", &tm)) && !*end) {
		*out = timegm(&tm);
		return 0;
	}
	localtime_r(&now, &tm);
	if ((end = strptime(s, "%H:%M", &tm)) && !*end) {
		tm.tm_sec = 0;
		tm.tm_isdst = -1;
		*out = mktime(&tm);
		if (*out <= now)
			*out += 24 * 3600;
		return 0;
	}
	return -1;
}

static int parse_args(cli_ctx *ctx, int argc, char **argv, loop_args *a)
{
	static const struct option opts[] = {
		{ "until", required_argument, NULL, 'u' }, { "rounds", required_argument, NULL, 'r' },
		{ "autonomy", required_argument, NULL, 'a' }, { "principle", required_argument, NULL, 'p' },
		{ "per-round", required_argument, NULL, 'P' }, { "samples", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' }, { "resume", no_argument, NULL, 'R' },
		{ "restart", no_argument, NULL, 'X' }, { "status", no_argument, NULL, 'S' },
		CLI_LLM_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:n:", opts, NULL)) != -1) {
		switch (c) {
		case 'u': a->until = optarg; break;
		case 'r': if (cli_parse_count("loop ", "--rounds", optarg, 1, 1000000, &a->o.rounds)) return CLI_USAGE; break;
		case 'a':
			if (!strcmp(optarg, "review"))
				a->o.autonomy = LOOP_REVIEW;
			else if (!strcmp(optarg, "auto-meta"))
				a->o.autonomy = LOOP_AUTO_META;
			else
				return cli_usage_error("loop ", "--autonomy is review or auto-meta");
			break;
		case 'p': {
			const char **g = realloc(a->principles, (a->np + 1) * sizeof *g);
			if (!g)
				return cli_fail("out of memory");
			a->principles = g;
			a->principles[a->np++] = optarg;
			break;
		}
		case 'P': if (cli_parse_count("loop ", "--per-round", optarg, 1, 1000, &a->o.per_round)) return CLI_USAGE; break;
		case 's': if (cli_parse_count("loop ", "--samples", optarg, 1, 100, &a->o.samples)) return CLI_USAGE; break;
		case 'n': if (cli_parse_count("loop ", "-n", optarg, 1, 50, &a->o.n)) return CLI_USAGE; break;
		case 'j': a->json = 1; break;
		case 'R': a->o.resume = 1; break;
		case 'X': a->o.restart = 1; break;
		case 'S': a->status = 1; break;
		default:
			if (cli_llm_option(ctx, c, optarg))
				break;
			return cli_usage_error("loop ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("loop ", "unexpected argument '%s'", argv[optind]);
	if (ctx->dry_run)
		return cli_usage_error("loop ", "a loop cannot be estimated before it runs: give it "
				       "a --budget, or estimate one round with 'codicil batch --dry-run'");
	if (a->o.resume && a->o.restart)
		return cli_usage_error("loop ", "--resume and --restart do not go together");
	if (a->o.resume && (a->np || a->o.per_round || a->o.samples || a->o.n))
		return cli_usage_error("loop ", "--resume continues the loop with its own principles "
				       "and sizes; leave -p, --per-round, --samples and -n out");
	if (a->until && parse_until(a->until, time(NULL), &a->o.until) < 0)
		return cli_usage_error("loop ", "--until takes HH:MM, YYYY-MM-DDTHH:MM or a duration "
				       "such as 30m or 8h");
	a->o.principles = a->principles;
	a->o.nprinciples = a->np;
	return 0;
}

static void put_ids(const char *title, const cJSON *arr)
{
	const cJSON *it;
	const char *sep = " ";

	printf("  %s:", title);
	if (!cJSON_GetArraySize(arr))
		fputs(" none", stdout);
	cJSON_ArrayForEach(it, arr) {
		fputs(sep, stdout);
		cli_put_safe(stdout, cJSON_GetStringValue(it) ? cJSON_GetStringValue(it) : "?", CD_SAN_ONE_LINE);
		sep = ", ";
	}
	putchar('\n');
}

static void print_report(void *ud, const cJSON *r)
{
	const loop_args *a = ud;
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(r, "yield"), *held;
	double usd = cd_json_num(r, "usd", -1);

	if (a->json) {
		cd_buf line = CD_BUF_INIT;
		cd_json_print_compact(r, &line);
		printf("%s\n", line.data ? line.data : "{}");
		cd_buf_clear(&line);
		fflush(stdout);
		return;
	}
	printf("round %ld%s: %ld requests (%ld from the cache), %ld tokens", cd_json_long(r, "round", 0),
	       cd_json_bool(r, "complete", 0) ? "" : " (interrupted)", cd_json_long(r, "requests", 0),
	       cd_json_long(r, "cached", 0),
	       cd_json_long(r, "input_tokens", 0) + cd_json_long(r, "output_tokens", 0));
	if (usd >= 0)
		printf(" ($%.4f)", usd);
	putchar('\n');
	put_ids("principles", cJSON_GetObjectItemCaseSensitive(r, "principles"));
	printf("  new cases: %d, %d supported by the judge, %ld duplicates dropped\n",
	       cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "new_cases")),
	       cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "supported")),
	       cd_json_long(r, "duplicates", 0));
	put_ids("proposals", cJSON_GetObjectItemCaseSensitive(r, "proposals"));
	put_ids("accepted", cJSON_GetObjectItemCaseSensitive(r, "accepted"));
	cJSON_ArrayForEach(held, cJSON_GetObjectItemCaseSensitive(r, "held")) {
		printf("  held %s: ", held->string);
		cli_put_safe(stdout, cJSON_GetStringValue(held) ? cJSON_GetStringValue(held) : "", CD_SAN_ONE_LINE);
		putchar('\n');
	}
	if (cd_json_num(y, "cases_per_mtok", -1) >= 0)
		printf("  yield: %.0f cases and %.1f proposals per million tokens\n",
		       cd_json_num(y, "cases_per_mtok", 0), cd_json_num(y, "proposals_per_mtok", 0));
	fflush(stdout);
}

static void print_progress(void *ud, const char *line)
{
	(void)ud;
	fprintf(stderr, "codicil: %s\n", line);
}

static int status(cli_ctx *ctx, int json)
{
	int running = 0;
	cJSON *st = loop_state_read(ctx->store, &running);

	if (!st) {
		if (cd_err_msg()[0])
			return cli_fail_err();
		printf(json ? "null\n" : "no loop has run in this repository\n");
		return CLI_OK;
	}
	if (json) {
		cJSON_AddBoolToObject(st, "running", running);
		return cli_print_json(st);
	}
	printf("loop %s: %s, round %ld (%s)%s%s\n", cd_json_str(st, "run"),
	       running ? "running" : "not running", cd_json_long(st, "round", 0),
	       cd_json_str(st, "phase") ? cd_json_str(st, "phase") : "?",
	       cd_json_str(st, "stopped") ? "; stopped: " : "",
	       cd_json_str(st, "stopped") ? cd_json_str(st, "stopped") : "");
	cJSON_Delete(st);
	return CLI_OK;
}

int cmd_loop(cli_ctx *ctx, int argc, char **argv)
{
	loop_args a = { 0 };
	llm_client_opts copts = { .repair = 1, .no_transcripts = 0 };
	llm_client *client = NULL;
	loop_result r = { 0 };
	int rc;

	if ((rc = parse_args(ctx, argc, argv, &a)) != 0)
		goto out;
	rc = CLI_FAIL;
	if (!cli_store(ctx) || !cli_config(ctx))
		goto out;
	if (a.status) {
		rc = status(ctx, a.json);
		goto out;
	}
	if (!(client = cli_llm_client(ctx, &copts)) || cli_llm_require_key(client) < 0)
		goto out;
	a.o.report = print_report;
	a.o.progress = print_progress;
	a.o.ud = &a;
	if (loop_run(ctx->store, ctx->cfg, client, &a.o, &r) < 0) {
		cli_fail_err();
	} else {
		if (a.json) {
			cJSON *o = cJSON_CreateObject();
			cd_buf line = CD_BUF_INIT;
			cJSON_AddStringToObject(o, "stopped", r.stopped ? r.stopped : "");
			cJSON_AddNumberToObject(o, "rounds", (double)r.rounds);
			cJSON_AddItemToObject(o, "spent", cJSON_Duplicate(
				cJSON_GetObjectItemCaseSensitive(r.state, "spent"), 1));
			cd_json_print_compact(o, &line);
			printf("%s\n", line.data ? line.data : "{}");
			cd_buf_clear(&line);
			cJSON_Delete(o);
		}
		fprintf(stderr, "codicil: loop stopped (%s) after %ld round%s this time; %s\n",
			r.stopped ? r.stopped : "?", r.rounds, r.rounds == 1 ? "" : "s",
			r.stopped && !strcmp(r.stopped, "rounds")
				? "review the proposals: codicil proposals --status pending"
				: "continue it with: codicil loop --resume");
		rc = CLI_OK;
	}
	cli_llm_print_spend(ctx, client);
out:
	if (client) {
		llm_client_free(client);
		cli_llm_finish(ctx, rc);
	}
	loop_result_clear(&r);
	free(a.principles);
	return rc;
}
