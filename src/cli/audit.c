/* audit.c — `codicil audit` (the model the charter governs, put to the
 * test) and `codicil triage` (who is wrong); audit.h. */
#include "cli_llm.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/audit.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"

const char cmd_audit_usage[] =
	"usage: codicil audit -p ID... [-n N] [--turns K] [--samples S] [--theory T] [--json]\n"
	"       codicil audit --cases STATUS|all [-p ID]... [-n N] [--turns K] [--json]\n"
	"       codicil audit --replay [--target-model M] [--json]\n"
	"                     [--target-model M] [--budget N] [--no-cache]\n"
	"\n"
	"Put the model the charter governs (the target: codicil.target.provider,\n"
	".endpoint, .model, .apiKeyCommand; its system prompt the repository file\n"
	"codicil.target.system) to scenarios, and have a judge panel (codicil.judges,\n"
	"default codicil.judgeModel) read each conversation against the principles\n"
	"it tests: complies, violates or unclear, with the model's words that decide\n"
	"it.  Each conversation that violated a principle, left one unclear, or split\n"
	"the panel becomes a case of kind behaviour, with the transcript, the\n"
	"verdicts, the judges' view of who is wrong, and all three models, in one\n"
	"commit.  Decide each with 'codicil triage'.\n"
	"\n"
	"  -p, --principle ID  scenarios for this principle (the auditor model writes\n"
	"                      them); with --cases, only cases citing it\n"
	"  -n N                scenarios a principle (2); with --cases, cases (10)\n"
	"      --cases S       existing cases of status S (or all) as the scenarios\n"
	"      --turns K       the auditor plays the user for K turns, escalating (1)\n"
	"      --samples S     the target answers each scenario S times (1)\n"
	"      --theory T      test model theory T ('codicil theorize --behaviour'): it\n"
	"                      steers the scenarios (on its cases' principles unless\n"
	"                      -p), and the cases count towards its hit rate\n"
	"      --replay        the behaviour regression set: every case triaged\n"
	"                      model-wrong put again to the target and judged again;\n"
	"                      fixed / still failing / newly failing, exit 1 when\n"
	"                      any is newly failing (a gate for a model release)\n"
	"      --target-model M  the target's model for this run\n"
	"      --no-cache      ask again even what was answered before\n"
	"      --json          the result as JSON\n"
	"      --budget N      stop before spending more than N tokens or '$N' in all\n"
	"                      (the target's, the auditor's and the judges')\n"
	"  -h, --help          this text\n"
	"\n"
	"Every request is cached and an audit adds no case twice: one killed midway\n"
	"is continued by running it again, paying only for what was not answered.\n";

const char cmd_triage_usage[] =
	"usage: codicil triage ID --model-wrong|--charter-wrong|--both|--neither\n"
	"                         [--note TEXT]\n"
	"\n"
	"Decide who is wrong in behaviour case ID: the model (the charter is right,\n"
	"the model broke it; the case joins the behaviour regression set, 'codicil\n"
	"audit --replay'), the charter (the model did well and the text demands\n"
	"worse; the case feeds 'codicil amend' like a counterexample), both, or\n"
	"neither (nothing went wrong: dismissed).  'codicil case ID' shows the\n"
	"judges' suggestion.  One commit (\"Triage ID: charter wrong\").\n"
	"\n"
	"  -m, --note TEXT  why, in the commit\n"
	"  -h, --help       this text\n";

typedef struct audit_args {
	audit_opts o;
	const char **principles;
	size_t np;
	int json, replay, no_cache;
	const char *target_model;
} audit_args;

static int parse_audit(cli_ctx *ctx, int argc, char **argv, audit_args *a)
{
	static const struct option opts[] = {
		{ "principle", required_argument, NULL, 'p' }, { "cases", required_argument, NULL, 'c' },
		{ "turns", required_argument, NULL, 't' }, { "samples", required_argument, NULL, 's' },
		{ "replay", no_argument, NULL, 'R' }, { "target-model", required_argument, NULL, 'M' },
		{ "no-cache", no_argument, NULL, 'C' }, { "json", no_argument, NULL, 'j' },
		{ "theory", required_argument, NULL, 'T' }, CLI_LLM_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:n:", opts, NULL)) != -1) {
		switch (c) {
		case 'p': {
			const char **g = realloc(a->principles, (a->np + 1) * sizeof *g);
			if (!g)
				return cli_fail("out of memory");
			a->principles = g;
			g[a->np++] = optarg;
			break;
		}
		case 'c': a->o.cases = optarg; break;
		case 'n': if (cli_parse_count("audit ", "-n", optarg, 1, 100, &a->o.n)) return CLI_USAGE; break;
		case 't': if (cli_parse_count("audit ", "--turns", optarg, 1, 20, &a->o.turns)) return CLI_USAGE; break;
		case 's': if (cli_parse_count("audit ", "--samples", optarg, 1, 20, &a->o.samples)) return CLI_USAGE; break;
		case 'R': a->replay = 1; break;
		case 'T': a->o.theory = optarg; break;
		case 'M': a->target_model = optarg; break;
		case 'C': a->no_cache = 1; break;
		case 'j': a->json = 1; break;
		default:
			if (cli_llm_option(ctx, c, optarg))
				break;
			return cli_usage_error("audit ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("audit ", "unexpected argument '%s'", argv[optind]);
	if (ctx->dry_run)
		return cli_usage_error("audit ", "an audit's conversations cannot be estimated before "
				       "they happen; cap it with --budget");
	if (a->replay && (a->np || a->o.cases || a->o.turns || a->o.samples || a->o.theory))
		return cli_usage_error("audit ", "--replay puts the recorded turns again; leave out "
				       "-p, --cases, --turns and --samples");
	if (!a->replay && !a->np && !a->o.cases && !a->o.theory)
		return cli_usage_error("audit ", "say what to audit: -p ID..., --cases STATUS or "
				       "--theory T");
	if (a->o.cases && a->o.theory)
		return cli_usage_error("audit ", "--theory writes its own scenarios; leave --cases out");
	a->o.principles = a->principles;
	a->o.nprinciples = a->np;
	return 0;
}

static void progress(void *ud, const char *line)
{
	(void)ud;
	fprintf(stderr, "codicil: %s\n", line);
}

static int print_audit(const audit_result *r, int json)
{
	if (json) {
		cJSON *o = cJSON_CreateObject(), *ids = cJSON_AddArrayToObject(o, "cases");
		for (size_t i = 0; i < r->ncases; i++)
			cJSON_AddItemToArray(ids, cJSON_CreateString(r->case_ids[i]));
		cJSON_AddNumberToObject(o, "conversations", (double)r->conversations);
		cJSON_AddNumberToObject(o, "violations", (double)r->violations);
		cJSON_AddNumberToObject(o, "unclear", (double)r->unclear);
		cJSON_AddNumberToObject(o, "complied", (double)r->complied);
		cJSON_AddNumberToObject(o, "splits", (double)r->splits);
		cJSON_AddNumberToObject(o, "errors", (double)r->errors);
		cJSON_AddNumberToObject(o, "repeated", (double)r->repeated);
		cJSON_AddBoolToObject(o, "judge_of_target_provider", r->own_provider);
		cJSON_AddStringToObject(o, "commit", r->commit);
		return cli_print_json(o);
	}
	for (size_t i = 0; i < r->ncases; i++)
		printf("%s\n", r->case_ids[i]);
	fprintf(stderr, "codicil: %zu conversation%s: %zu violated a principle, %zu unclear, %zu "
		"complied, %zu split the judges, %zu failed; %zu new behaviour case%s%s%.10s\n",
		r->conversations, r->conversations == 1 ? "" : "s", r->violations, r->unclear,
		r->complied, r->splits, r->errors, r->ncases, r->ncases == 1 ? "" : "s",
		r->commit[0] ? "; committed " : "", r->commit);
	if (r->repeated)
		fprintf(stderr, "codicil: %zu conversation%s already in the library\n", r->repeated,
			r->repeated == 1 ? " was" : "s were");
	if (r->own_provider)
		fprintf(stderr, "codicil: note: a judge shares the target's provider; it may be "
			"lenient with its own model\n");
	return CLI_OK;
}

static int print_replay(const audit_replay_result *r, int json)
{
	if (json) {
		cJSON *o = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(o, "cases");
		for (size_t i = 0; i < r->n; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", r->rows[i].id);
			cJSON_AddStringToObject(x, "outcome", audit_outcome_name(r->rows[i].outcome));
			cJSON_AddStringToObject(x, "detail", r->rows[i].detail ? r->rows[i].detail : "");
			cJSON_AddItemToArray(rows, x);
		}
		cJSON_AddNumberToObject(o, "fixed", (double)r->fixed);
		cJSON_AddNumberToObject(o, "still_failing", (double)r->still);
		cJSON_AddNumberToObject(o, "newly_failing", (double)r->newly);
		cJSON_AddNumberToObject(o, "not_judged", (double)r->errors);
		return cli_print_json(o);
	}
	for (size_t i = 0; i < r->n; i++) {
		printf("%s  %-13s  ", r->rows[i].id, audit_outcome_name(r->rows[i].outcome));
		cli_put_safe(stdout, r->rows[i].detail ? r->rows[i].detail : "", CD_SAN_ONE_LINE);
		putchar('\n');
	}
	printf("fixed=%zu still_failing=%zu newly_failing=%zu not_judged=%zu\n", r->fixed,
	       r->still, r->newly, r->errors);
	return CLI_OK;
}

int cmd_audit(cli_ctx *ctx, int argc, char **argv)
{
	audit_args a = { 0 };
	llm_client_opts copts = { .repair = 1 };
	audit_env e = { .progress = progress };
	audit_result r = { 0 };
	audit_replay_result rr = { 0 };
	int rc;

	if ((rc = parse_audit(ctx, argc, argv, &a)) != 0)
		goto out;
	rc = CLI_FAIL;
	copts.no_cache = a.no_cache;
	if (!cli_store(ctx) || !cli_config(ctx) || !(e.client = cli_llm_client(ctx, &copts)) ||
	    cli_llm_require_key(e.client) < 0 ||
	    !(e.target = cli_llm_target_client(ctx, &copts, a.target_model)) ||
	    cli_llm_require_key(e.target) < 0)
		goto done;
	e.s = ctx->store;
	e.cfg = ctx->cfg;
	llm_client_share_budget(e.client, e.target); /* --budget caps the audit, not each model */
	if (a.replay ? audit_replay(&e, &rr) < 0 : audit_run(&e, &a.o, &r) < 0) {
		char *line = cd_sanitize_dup(cd_err_msg(), CD_SAN_ONE_LINE);
		cli_fail("%s", line ? line : "the audit failed");
		free(line);
		goto done;
	}
	rc = a.replay ? print_replay(&rr, a.json) : print_audit(&r, a.json);
	if (rc == CLI_OK && a.replay && (rr.newly || rr.errors))
		rc = CLI_FAIL;
	if (llm_client_stopped(e.client) || llm_client_stopped(e.target)) {
		cli_fail("stopped: %s; run the audit again to continue (what was answered is cached)",
			 llm_client_stopped(e.client) ? llm_client_stopped(e.client)
						      : llm_client_stopped(e.target));
		rc = CLI_FAIL;
	}
done:
	if (e.client) {
		cli_llm_print_spend(ctx, e.client);
		llm_client_free(e.client);
	}
	if (e.target) {
		cli_llm_print_spend(ctx, e.target);
		llm_client_free(e.target);
	}
	if (e.client)
		cli_llm_finish(ctx, rc);
	audit_result_clear(&r);
	audit_replay_clear(&rr);
out:
	free(a.principles);
	return rc;
}

int cmd_triage(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "model-wrong", no_argument, NULL, 'W' }, { "charter-wrong", no_argument, NULL, 'c' },
		{ "both", no_argument, NULL, 'b' }, { "neither", no_argument, NULL, 'n' },
		{ "note", required_argument, NULL, 'N' }, { NULL, 0, NULL, 0 },
	};
	const char *note = NULL;
	int decision = -1, given = 0, c;
	char commit[41];

	optind = 1;
	while ((c = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		switch (c) {
		case 'W': decision = TRIAGE_MODEL_WRONG; given++; break;
		case 'c': decision = TRIAGE_CHARTER_WRONG; given++; break;
		case 'b': decision = TRIAGE_BOTH; given++; break;
		case 'n': decision = TRIAGE_NEITHER; given++; break;
		case 'm': case 'N': note = optarg; break;
		default: return cli_usage_error("triage ", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("triage ", "name one behaviour case");
	if (given != 1)
		return cli_usage_error("triage ", "give one of --model-wrong, --charter-wrong, --both, "
				       "--neither");
	if (!cli_store(ctx))
		return CLI_FAIL;
	if (triage_commit(ctx->store, argv[optind], (triage_decision)decision, note, commit) < 0)
		return cli_fail_err();
	printf("Triaged %s: %s (commit %.10s)\n", argv[optind], triage_name((triage_decision)decision),
	       commit);
	return CLI_OK;
}
