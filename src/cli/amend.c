/* amend.c — `codicil amend`, `accept` and `reject`: drafting a proposal
 * and recording the decision on it (engine: amend.h). */
#include "cli.h"
#include "cli_llm.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/amend.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/proposal.h"
#include "codicil/sanitize.h"

const char cmd_amend_usage[] =
	"usage: codicil amend CASE... [--steer TEXT] [--charter FILE] [--consequences N]\n"
	"                     [--no-cache] [--json] [--budget N] [--dry-run]\n"
	"   or: codicil amend --rebase P [--json]\n"
	"\n"
	"Ask the model for an amendment that resolves the cases while respecting\n"
	"META.md: structured edits to principles with a title, rationale, pros and\n"
	"cons.  Then, as separate calls, its predicted consequences (each kept as a\n"
	"case of kind consequence), a verdict under every rule of META.md, and the\n"
	"regression: every case that is not dismissed judged under the charter\n"
	"before and after.  The proposal is committed as proposals/<id>.json\n"
	"(\"Propose ID: title\"), pending; its id is printed.  Next: 'codicil review'.\n"
	"\n"
	"      --steer TEXT      guidance for the drafting model\n"
	"      --charter FILE    amend FILE instead (META.md: the meta-constitution)\n"
	"      --consequences N  how many consequences to ask for (default 3)\n"
	"      --rebase P        re-apply pending proposal P's edits to the charter at\n"
	"                        HEAD, make HEAD its base, run the regression again\n"
	"      --no-cache        ask the model even for a question answered before\n"
	"      --json            print the proposal\n"
	CLI_LLM_USAGE
	"  -h, --help            this text\n"
	"\n"
	"Progress goes to stderr when it is a terminal.\n";

const char cmd_accept_usage[] =
	"usage: codicil accept P [-m NOTE] [--force] [--charter FILE] [--json]\n"
	"\n"
	"Accept pending proposal P in one commit (\"Amend IDS: title\"): the charter\n"
	"change, the proposal with the decision (your git identity), the cases it\n"
	"resolves, and transcripts/<sha256>.json of every model call behind it.  The\n"
	"trailers (Codicil-Proposal, Codicil-Case, Codicil-Model, Codicil-Prompt,\n"
	"Codicil-Regression, Reviewed-by) are what 'codicil verify' checks.  When the\n"
	"charter has changed since the proposal was drafted and its edits no longer\n"
	"apply, accept refuses: run 'codicil amend --rebase P' first.  It refuses\n"
	"too when the proposal fails a rule of its meta-check or its regression\n"
	"breaks cases, unless --force (the override is recorded in a\n"
	"Codicil-Override trailer).  The note goes into the commit message.\n"
	"\n"
	"  -m, --message NOTE  a note for the decision\n"
	"      --force         accept despite a failed meta-check or broken cases\n"
	"      --charter FILE  check that P amends FILE\n"
	"      --json          print the accepted proposal\n"
	"  -h, --help          this text\n";

const char cmd_reject_usage[] =
	"usage: codicil reject P --reason TEXT [--json]\n"
	"\n"
	"Reject pending proposal P, with the reason and your git identity, in one\n"
	"commit (\"Reject ID: title\").\n"
	"\n"
	"  -r, --reason TEXT   why (required)\n"
	"      --json          print the rejected proposal\n"
	"  -h, --help          this text\n";

static const char *const step_names[] = {
	"draft", "consequences", "meta-check", "regression", "commit",
};

static void show_progress(void *ud, amend_step step, const char *detail)
{
	(void)ud;
	fprintf(stderr, "[%s] ", step_names[step]);
	cli_put_safe(stderr, detail, CD_SAN_ONE_LINE);
	fputc('\n', stderr);
}

static void print_summary(const cJSON *p, const char *commit, const char *verb)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(p, "regression"), *it;
	int pass = 0, fail = 0, unclear = 0;

	fprintf(stderr, "%s %s: ", verb, proposal_id(p));
	cli_put_safe(stderr, cd_json_str(p, "title") ? cd_json_str(p, "title") : "",
		     CD_SAN_ONE_LINE);
	if (commit && *commit)
		fprintf(stderr, " (commit %.10s)", commit);
	fputc('\n', stderr);
	if (cJSON_IsObject(r))
		fprintf(stderr, "  regression: fixed=%d broken=%d changed=%d unchanged=%d\n",
			cd_json_int(r, "fixed", 0), cd_json_int(r, "broken", 0),
			cd_json_int(r, "changed", 0), cd_json_int(r, "unchanged", 0));
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "meta_check")) {
		const char *v = cd_json_str(it, "verdict");
		pass += v && !strcmp(v, "pass");
		fail += v && !strcmp(v, "fail");
		unclear += v && !strcmp(v, "unclear");
	}
	if (pass + fail + unclear)
		fprintf(stderr, "  meta-check: %d pass, %d fail, %d unclear\n", pass, fail, unclear);
}

/* The error may quote model text: made inert and one line. */
static int fail_clean(void)
{
	char *line = cd_sanitize_dup(cd_err_msg(), CD_SAN_ONE_LINE);
	int rc = cli_fail("%s", line ? line : "out of memory");

	free(line);
	return rc;
}

static int finish(amend_outcome *o, int json, const char *verb)
{
	int rc = CLI_OK;

	if (json) {
		rc = cli_print_json(o->proposal);
		o->proposal = NULL;
	} else {
		printf("%s\n", proposal_id(o->proposal));
	}
	if (o->proposal)
		print_summary(o->proposal, o->commit, verb);
	amend_outcome_clear(o);
	return rc;
}

static int run_amend(cli_ctx *ctx, const amend_opts *ao, const char *rebase, int no_cache,
		     int json)
{
	llm_client_opts copts = { .no_cache = no_cache, .repair = 1 };
	amend_env e = { 0 };
	amend_outcome o = { 0 };
	int rc;

	if (!cli_store(ctx) || !cli_config(ctx) ||
	    !(e.client = ctx->dry_run ? cli_llm_client(ctx, &copts)
				      : cli_llm_client_with_key(ctx, &copts)))
		return CLI_FAIL;
	e.store = ctx->store;
	e.cfg = ctx->cfg;
	cli_charter_notice(ctx, 1);
	if (isatty(STDERR_FILENO))
		e.progress = show_progress;
	if (ctx->dry_run && !rebase) {
		amend_estimate(&e, ao);
		cli_llm_print_estimate(stdout, e.client, "the draft as it would be sent; its "
				       "consequences, the meta-check and the regression run at "
				       "the size of earlier requests of their kind");
		llm_client_free(e.client);
		return CLI_OK;
	}
	rc = rebase ? amend_rebase(&e, rebase, &o) : amend_propose(&e, ao, &o);
	if (ctx->dry_run) {
		cli_llm_print_estimate(stdout, e.client, "the regression run of the rebase");
		llm_client_free(e.client);
		amend_outcome_clear(&o);
		return CLI_OK;
	}
	if (rc < 0)
		fail_clean();
	else
		cli_llm_print_spend(ctx, e.client);
	llm_client_free(e.client);
	if (rc < 0)
		return CLI_FAIL;
	if (rebase && !o.commit[0])
		fprintf(stderr, "%s is based on HEAD already (the charter is the same); nothing to do\n",
			proposal_id(o.proposal));
	return finish(&o, json, rebase ? "Rebased" : "Proposed");
}

int cmd_amend(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "steer", required_argument, NULL, 's' }, { "charter", required_argument, NULL, 'c' },
		{ "consequences", required_argument, NULL, 'n' },
		{ "rebase", required_argument, NULL, 'R' }, { "no-cache", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' }, CLI_LLM_OPTIONS, { NULL, 0, NULL, 0 },
	};
	amend_opts ao = { 0 };
	const char *rebase = NULL;
	int json = 0, no_cache = 0, c;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': ao.steer = optarg; break;
		case 'c': ao.charter = optarg; break;
		case 'n':
			ao.consequences = (int)strtol(optarg, &end, 10);
			if (*end || ao.consequences < 1 || ao.consequences > 20)
				return cli_usage_error("amend ", "--consequences needs a number from 1 to 20");
			break;
		case 'R': rebase = optarg; break;
		case 'C': no_cache = 1; break;
		case 'j': json = 1; break;
		default:
			if (cli_llm_option(ctx, c, optarg))
				break;
			return cli_usage_error("amend ", "bad option");
		}
	}
	if (rebase && (optind < argc || ao.steer || ao.charter))
		return cli_usage_error("amend ", "--rebase P takes no cases, --steer or --charter");
	if (!rebase && optind == argc)
		return cli_usage_error("amend ", "name the cases to resolve");
	ao.cases = (const char *const *)argv + optind;
	ao.ncases = (size_t)(argc - optind);
	return run_amend(ctx, &ao, rebase, no_cache, json);
}

/* The one argument P of accept and reject. */
static int one_proposal(const char *cmd, int argc, char **argv, const char **id)
{
	if (optind == argc)
		return cli_usage_error(cmd, "name the proposal");
	if (optind + 1 < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	*id = argv[optind];
	return 0;
}

int cmd_accept(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "charter", required_argument, NULL, 'c' }, { "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 },
	};
	const char *note = NULL, *charter_path = NULL, *id;
	amend_outcome o = { 0 };
	int json = 0, force = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		switch (c) {
		case 'm': note = optarg; break;
		case 'c': charter_path = optarg; break;
		case 'j': json = 1; break;
		case 'f': force = 1; break;
		default: return cli_usage_error("accept ", "bad option");
		}
	}
	if (one_proposal("accept ", argc, argv, &id))
		return CLI_USAGE;
	if (!cli_store(ctx))
		return CLI_FAIL;
	if (amend_accept(ctx->store, id, charter_path, note, force, &o) < 0)
		return fail_clean();
	return finish(&o, json, "Accepted");
}

int cmd_reject(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL, *id;
	amend_outcome o = { 0 };
	int json = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage_error("reject ", "bad option");
		}
	}
	if (one_proposal("reject ", argc, argv, &id))
		return CLI_USAGE;
	if (!reason || !*reason)
		return cli_usage_error("reject ", "say why: --reason TEXT");
	if (!cli_store(ctx))
		return CLI_FAIL;
	if (amend_reject(ctx->store, id, reason, &o) < 0)
		return fail_clean();
	return finish(&o, json, "Rejected");
}

const char cmd_ratify_usage[] =
	"usage: codicil ratify P [--note TEXT] [--json]\n"
	"\n"
	"Confirm amendment P, which 'codicil loop --autonomy auto-meta' accepted\n"
	"without a person: your git identity, the time and the note go into the\n"
	"proposal's decision.ratified, in one commit (\"Ratify ID: title\").\n"
	"\n"
	"  -m, --note TEXT     why, in the commit message\n"
	"      --json          print the proposal\n"
	"  -h, --help          this text\n";

const char cmd_revert_usage[] =
	"usage: codicil revert P --reason TEXT [--json]\n"
	"\n"
	"Undo accepted amendment P (typically one 'codicil loop --autonomy auto-meta'\n"
	"accepted): the charter as it was before it, its cases open again, and\n"
	"decision.reverted with your git identity and the reason, in one commit\n"
	"(\"Revert ID: title\", trailer Codicil-Reverts: the amendment commit).  Only\n"
	"while no later commit has changed the charter; otherwise it names the\n"
	"commit to revert by hand.\n"
	"\n"
	"  -r, --reason TEXT   why (required)\n"
	"      --json          print the proposal\n"
	"  -h, --help          this text\n";

/* ratify and revert: P and one text option. */
static int decide_args(const char *cmd, int argc, char **argv, const char **id,
		       const char **text, int *json)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'm' }, { "reason", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 },
	};
	int reverting = !strcmp(cmd, "revert "), c;

	optind = 1;
	while ((c = getopt_long(argc, argv, reverting ? "r:" : "m:", opts, NULL)) != -1) {
		if ((c == 'm' && reverting) || (c == 'r' && !reverting))
			return cli_usage_error(cmd, "bad option");
		switch (c) {
		case 'm': case 'r': *text = optarg; break;
		case 'j': *json = 1; break;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (one_proposal(cmd, argc, argv, id))
		return CLI_USAGE;
	if (reverting && (!*text || !**text))
		return cli_usage_error(cmd, "say why: --reason TEXT");
	return 0;
}

int cmd_ratify(cli_ctx *ctx, int argc, char **argv)
{
	const char *id = NULL, *note = NULL;
	amend_outcome o = { 0 };
	int json = 0, rc = decide_args("ratify ", argc, argv, &id, &note, &json);

	if (rc)
		return rc;
	if (!cli_store(ctx))
		return CLI_FAIL;
	if (amend_ratify(ctx->store, id, note, &o) < 0)
		return fail_clean();
	return finish(&o, json, "Ratified");
}

int cmd_revert(cli_ctx *ctx, int argc, char **argv)
{
	const char *id = NULL, *reason = NULL;
	amend_outcome o = { 0 };
	int json = 0, rc = decide_args("revert ", argc, argv, &id, &reason, &json);

	if (rc)
		return rc;
	if (!cli_store(ctx))
		return CLI_FAIL;
	if (amend_revert(ctx->store, id, reason, &o) < 0)
		return fail_clean();
	return finish(&o, json, "Reverted");
}
