/* queue.c — `codicil queue` (queue.h). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/queue.h"
#include "codicil/rate.h"
#include "codicil/sanitize.h"

const char cmd_queue_usage[] =
	"usage: codicil queue [--rater R] [-n N] [--strategy disagreement|uncertainty|random]\n"
	"                     [--seed S] [--json]\n"
	"\n"
	"The cases a rater should rate next, among the open and confirmed cases\n"
	"they have not rated, from the rater model of 'codicil aggregate'\n"
	"(P(r calls c valid) = sigmoid(v_c + b_r)):\n"
	"  disagreement  (default) a reliable rater (codicil.reliableRater) gets the\n"
	"                cases where the model expects them to disagree most with\n"
	"                the consensus; any other rater the cases that tell most\n"
	"                about their bias (q(1 - q), q = sigmoid(v_c + b_r); halved\n"
	"                where no reliable rater has rated the case)\n"
	"  uncertainty   the largest standard error of v_c (unrated cases first)\n"
	"  random        a shuffle fixed by --seed\n"
	"\n"
	"      --rater R       \"Name <email>\" or the email (default: git's user)\n"
	"  -n N                how many (10)\n"
	"      --strategy S    one of the above\n"
	"      --seed S        for random (1)\n"
	"      --json          [{id, score, consensus, stderr, p_valid, principles}]\n"
	"  -h, --help          this text\n";

static void print_json(const queue_result *q)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < q->n; i++) {
		const queue_item *it = &q->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", case_id(it->c));
		cJSON_AddNumberToObject(o, "score", it->score);
		cJSON_AddNumberToObject(o, "consensus", it->consensus);
		cJSON_AddNumberToObject(o, "stderr", it->se);
		cJSON_AddNumberToObject(o, "p_valid", it->q);
		cJSON_AddItemToObject(o, "principles", cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(it->c, "principles"), 1));
		cJSON_AddItemToArray(arr, o);
	}
	cli_print_json(arr);
}

static void print_text(const queue_result *q, const char *rater)
{
	cd_buf line = CD_BUF_INIT;

	cd_buf_printf(&line, "next for %s (%s%s; score, consensus ± stderr of v):", rater,
		      q->basis, q->reliable ? ", a reliable rater" : "");
	cli_put_safe(stdout, line.data, CD_SAN_ONE_LINE);
	putchar('\n');
	for (size_t i = 0; i < q->n; i++) {
		const queue_item *it = &q->items[i];
		const char *sc = cd_json_str(it->c, "scenario");
		cd_buf_reset(&line);
		cd_buf_printf(&line, "  %s  %.3f  %.2f ±%.2f  %.60s", case_id(it->c), it->score,
			      it->consensus, it->se, sc ? sc : "");
		cli_put_safe(stdout, line.data, CD_SAN_ONE_LINE);
		putchar('\n');
	}
	if (!q->n)
		printf("  nothing: every open or confirmed case has this rater's rating\n");
	cd_buf_clear(&line);
}

static int show(cli_ctx *ctx, const char *rater, queue_strategy st, int n, int seed, int json)
{
	case_library lib = { 0 };
	agg_settings as;
	queue_result q = { 0 };
	int rc = CLI_OK;

	if (agg_settings_load(ctx->cfg, &as) < 0 || cli_load_cases(ctx->store, &lib) < 0 ||
	    queue_build(&lib, &as, rater, st, (size_t)n, (unsigned)seed, &q) < 0)
		rc = cli_fail_err();
	else if (json)
		print_json(&q);
	else
		print_text(&q, rater);
	queue_result_clear(&q);
	case_library_clear(&lib);
	return rc;
}

int cmd_queue(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rater", required_argument, NULL, 'r' },
		{ "strategy", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rater = NULL;
	queue_strategy st = QUEUE_DISAGREEMENT;
	cd_buf me = CD_BUF_INIT;
	int n = 10, seed = 1;
	int c, json = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rater = optarg; break;
		case 'n':
			if ((rc = cli_parse_count("queue ", "-n", optarg, 1, 100000, &n)))
				return rc;
			break;
		case 's':
			if (queue_strategy_parse(optarg, &st) < 0)
				return cli_usage_error("queue ", "%s", cd_err_msg());
			break;
		case 'S':
			if ((rc = cli_parse_count("queue ", "--seed", optarg, 0, 1 << 30, &seed)))
				return rc;
			break;
		case 'j': json = 1; break;
		default: return cli_usage_error("queue ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("queue ", "unexpected argument '%s'", argv[optind]);
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	if (!rater && rate_rater(ctx->store, &me) < 0)
		return cli_fail_err();
	rc = show(ctx, rater ? rater : me.data, st, n, seed, json);
	cd_buf_clear(&me);
	return rc;
}
