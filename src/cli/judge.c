/* judge.c — `codicil judge` and `codicil regress`. */
#include "cli_llm.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/amend.h"
#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/judge.h"
#include "codicil/json.h"
#include "codicil/proposal.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

const char cmd_judge_usage[] =
	"usage: codicil judge [--rev REV] [CASE...] [--no-cache] [--json] [--budget N]\n"
	"                     [--dry-run] [--provider-batch]\n"
	"\n"
	"Ask the judge model whether an AI that follows the charter would reach each\n"
	"case's expected outcome: handled, mishandled or unclear, with a confidence\n"
	"and its reasoning.  Default: every case that is not dismissed, under the\n"
	"charter in the work tree.  Judgments are cached under .git/codicil/, so a\n"
	"rerun costs nothing.\n"
	"\n"
	"      --rev REV   judge under the charter at a revision\n"
	"      --no-cache  ask the judge again even for cases judged before under\n"
	"                  this charter and prompt (the new verdicts are cached)\n"
	"      --json      [{case, verdict, confidence, reasoning, cached}]\n"
	"      --provider-batch  ask through the provider's batch API: about half\n"
	"                  the price, answers within 24 hours; a run killed while\n"
	"                  it waits is continued by running it again (the open\n"
	"                  batch is asked for its answers, not sent again)\n"
	CLI_LLM_USAGE
	"  -h, --help      this text\n";

const char cmd_regress_usage[] =
	"usage: codicil regress [--against REV | --proposal P] [--format F | --json]\n"
	"                       [--budget N] [--dry-run] [--provider-batch]\n"
	"\n"
	"Judge every case that is not dismissed under a base charter (REV, default\n"
	"HEAD) and under the charter in the work tree, and report what flipped:\n"
	"fixed (mishandled -> handled), broken (handled -> mishandled), changed\n"
	"(another verdict change, or confidence moved by 0.2 or more), unchanged.\n"
	"Every verdict that moved down is WORSE (handled -> unclear as well as\n"
	"handled -> mishandled), with the moves counted by kind; flips are listed\n"
	"worse first, then by severity and principle, with the judge's reasoning.\n"
	"Exit 1 when anything got worse, so a script can gate on it.\n"
	"\n"
	"      --against REV  the base (default HEAD)\n"
	"      --proposal P   the charter at proposal P's base against the same with\n"
	"                     P's edits applied\n"
	"      --format F     text (default), json, junit (JUnit XML: a test case per\n"
	"                     case, a failure for each that got worse, an error for\n"
	"                     each not judged) or github (GitHub Actions annotations\n"
	"                     on the charter: ::error for worse, ::notice for better)\n"
	"      --json         the same as --format json: {fixed, broken, changed,\n"
	"                     unchanged, errors, flips: [...]}\n"
	"      --no-cache     ask the judge again even for verdicts it gave before\n"
	"      --provider-batch  ask through the provider's batch API (see judge)\n"
	CLI_LLM_USAGE
	"  -h, --help         this text\n";

typedef struct judge_env {
	llm_client *client;
	judge_ctx judge;
	case_library lib;
	cJSON **cases;
	size_t n;
} judge_env;

static void env_close(judge_env *e)
{
	judge_close(&e->judge);
	if (e->client)
		llm_client_free(e->client);
	free(e->cases);
	case_library_clear(&e->lib);
}

/* The cases named, or every case that is not dismissed. */
static int select_cases(judge_env *e, char **ids, size_t nids)
{
	e->cases = calloc(e->lib.n + nids + 1, sizeof *e->cases);
	if (!e->cases) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < nids; i++) {
		cJSON *c = case_library_find(&e->lib, ids[i]);
		if (!c)
			return -1;
		e->cases[e->n++] = c;
	}
	for (size_t i = 0; nids == 0 && i < e->lib.n; i++)
		if (case_get_status(e->lib.cases[i]) != CASE_DISMISSED)
			e->cases[e->n++] = e->lib.cases[i];
	return 0;
}

static int env_open(cli_ctx *ctx, judge_env *e, int no_cache, int provider_batch, char **ids,
		    size_t nids)
{
	llm_client_opts o = { .no_cache = no_cache, .repair = 1, .provider_batch = provider_batch };
	store *s = ctx->store;
	int rc;

	memset(e, 0, sizeof *e);
	rc = cli_load_cases(s, &e->lib);
	if (rc == 0)
		rc = select_cases(e, ids, nids);
	if (rc < 0) {
		cli_fail_err();
		return -1;
	}
	if (!(e->client = cli_llm_client(ctx, &o)) ||
	    (!ctx->dry_run && cli_llm_require_key(e->client) < 0))
		return -1; /* printed */
	if (judge_open(s, ctx->cfg, e->client, &e->judge) < 0) {
		cli_fail_err();
		return -1;
	}
	return 0;
}

static int read_charter(cli_ctx *ctx, const char *rev, cd_buf *out)
{
	const char *file = workspace_charter_path(ctx->cfg);
	return rev ? store_read(ctx->store, rev, file, out)
		   : store_read_worktree(ctx->store, file, out);
}

/* The options of judge and regress; only lets through those of `allowed`
 * among --rev (r), --against (a) and --proposal (p). */
typedef struct judge_args {
	const char *rev, *against, *proposal, *format;
	int json, no_cache, provider_batch;
} judge_args;

static int parse_args(cli_ctx *ctx, const char *cmd, const char *allowed, int argc, char **argv,
		      judge_args *a)
{
	static const struct option opts[] = {
		{ "rev", required_argument, NULL, 'r' }, { "against", required_argument, NULL, 'a' },
		{ "proposal", required_argument, NULL, 'p' }, { "json", no_argument, NULL, 'j' },
		{ "no-cache", no_argument, NULL, 'C' }, { "provider-batch", no_argument, NULL, 'P' },
		{ "format", required_argument, NULL, 'f' }, CLI_LLM_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (strchr("rapf", c) && !strchr(allowed, c))
			return cli_usage_error(cmd, "bad option");
		switch (c) {
		case 'r': a->rev = optarg; break;
		case 'a': a->against = optarg; break;
		case 'p': a->proposal = optarg; break;
		case 'f': a->format = optarg; break;
		case 'j': a->json = 1; break;
		case 'C': a->no_cache = 1; break;
		case 'P': a->provider_batch = 1; break;
		default:
			if (cli_llm_option(ctx, c, optarg))
				break;
			return cli_usage_error(cmd, "bad option");
		}
	}
	return CLI_OK;
}

static void print_judgment(const char *id, const judgment *j)
{
	printf("%s  %-10s %.2f  ", id, verdict_name(j->verdict), j->confidence);
	cli_put_safe(stdout, j->error ? j->error : j->reasoning ? j->reasoning : "", CD_SAN_ONE_LINE);
	fputc('\n', stdout);
}

static int print_judgments(const judge_env *e, const judgment *out, int json)
{
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		for (size_t i = 0; i < e->n; i++) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "case", case_id(e->cases[i]));
			cJSON_AddStringToObject(o, "verdict", verdict_name(out[i].verdict));
			cJSON_AddNumberToObject(o, "confidence", out[i].confidence);
			cJSON_AddStringToObject(o, "reasoning", out[i].reasoning ? out[i].reasoning : "");
			if (out[i].error)
				cJSON_AddStringToObject(o, "error", out[i].error);
			cJSON_AddBoolToObject(o, "cached", out[i].cached);
			cJSON_AddItemToArray(arr, o);
		}
		return cli_print_json(arr);
	}
	if (e->n) /* the last column is the judge's reasoning, not the scenario */
		printf("%-20s  %-10s %-4s  %s\n", "CASE", "VERDICT", "CONF", "REASONING");
	for (size_t i = 0; i < e->n; i++)
		print_judgment(case_id(e->cases[i]), &out[i]);
	return CLI_OK;
}

int cmd_judge(cli_ctx *ctx, int argc, char **argv)
{
	judge_args a = { 0 };
	int rc;
	cd_buf text = CD_BUF_INIT;
	judgment *out = NULL;
	judge_env e;

	if ((rc = parse_args(ctx, "judge ", "r", argc, argv, &a)) != CLI_OK)
		return rc;
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	rc = CLI_FAIL;
	if (env_open(ctx, &e, a.no_cache, a.provider_batch, argv + optind,
		     (size_t)(argc - optind)) < 0)
		goto done;
	if (!a.rev)
		cli_charter_notice(ctx, 0);
	if (read_charter(ctx, a.rev, &text) < 0 || !(out = calloc(e.n + 1, sizeof *out)) ||
	    judge_cases(&e.judge, text.data, text.len, e.cases, e.n, out) < 0) {
		cli_fail_err();
		goto done;
	}
	rc = CLI_OK;
	if (ctx->dry_run)
		cli_llm_print_estimate(stdout, e.client, NULL);
	else
		rc = print_judgments(&e, out, a.json);
	for (size_t i = 0; i < e.n; i++) {
		if (out[i].verdict == VERDICT_ERROR && !ctx->dry_run)
			rc = CLI_FAIL;
		judgment_clear(&out[i]);
	}
	if (!ctx->dry_run)
		cli_llm_print_spend(ctx, e.client);
done:
	free(out);
	cd_buf_clear(&text);
	env_close(&e);
	return rc;
}

/* base and candidate: REV (default HEAD) and the work tree, or a
 * proposal's base text and the same with its edits applied. */
static int regress_texts(cli_ctx *ctx, const char *against, const char *proposal, cd_buf *base,
			 cd_buf *cand)
{
	cJSON *p = NULL;
	int rc;

	if (!proposal)
		return read_charter(ctx, against ? against : "HEAD", base) < 0 ||
		       read_charter(ctx, NULL, cand) < 0 ? -1 : 0;
	if (amend_load(ctx->store, proposal, &p) < 0)
		return -1;
	if (strcmp(proposal_charter(p), workspace_charter_path(ctx->cfg))) {
		cd_err_set("proposal %s amends %s; cases are judged under %s", proposal_id(p),
			   proposal_charter(p), workspace_charter_path(ctx->cfg));
		cJSON_Delete(p);
		return -1;
	}
	rc = amend_texts(ctx->store, p, base, cand);
	cJSON_Delete(p);
	return rc;
}

/* "worse: handled -> unclear 1" and "better: ..." when there are any. */
static void print_moves(const regress_result *r)
{
	cd_buf b = CD_BUF_INIT;

	regress_moves(r, -1, &b);
	if (b.len)
		printf("worse:  %s\n", b.data);
	cd_buf_reset(&b);
	regress_moves(r, 1, &b);
	if (b.len)
		printf("better: %s\n", b.data);
	cd_buf_clear(&b);
}

/* A row that flipped: what moved, how much, on which case, and why (the
 * judge's reasoning under the new text). */
static void print_flip(const regress_row *row)
{
	const judgment *a = &row->before, *b = &row->after;

	if (row->flip == FLIP_NONE && a->verdict != VERDICT_ERROR && b->verdict != VERDICT_ERROR)
		return;
	printf("  %s  %s -> %s  %-6s severity %d  %.2f -> %.2f  ", row->case_id,
	       verdict_name(a->verdict), verdict_name(b->verdict),
	       row->direction < 0 ? "WORSE" : row->direction > 0 ? "better" : "same", row->severity,
	       a->confidence, b->confidence);
	cli_put_safe(stdout, row->principle ? row->principle : "", CD_SAN_ONE_LINE);
	fputs(": ", stdout);
	cli_put_safe(stdout, b->error ? b->error : a->error ? a->error : b->reasoning ? b->reasoning : "",
		     CD_SAN_ONE_LINE);
	fputc('\n', stdout);
}

/* How many of the run's judgments (before and after, errors left out)
 * the judgment cache answered. */
static void count_cached(const regress_result *r, size_t *hits, size_t *judged)
{
	for (size_t i = 0; i < r->n; i++) {
		const judgment *both[] = { &r->rows[i].before, &r->rows[i].after };
		for (size_t k = 0; k < 2; k++) {
			if (both[k]->verdict == VERDICT_ERROR)
				continue;
			(*judged)++;
			*hits += both[k]->cached != 0;
		}
	}
}

/* JUnit XML or GitHub annotations, pointing at the candidate charter. */
static int print_ci(cli_ctx *ctx, const regress_result *r, const char *format, const cd_buf *cand)
{
	const char *path = workspace_charter_path(ctx->cfg);
	charter *ch = NULL;
	cd_buf out = CD_BUF_INIT;
	int rc;

	if (charter_parse(path, cand->data ? cand->data : "", cand->len, &ch) < 0)
		return cli_fail_err();
	rc = !strcmp(format, "junit") ? regress_to_junit(r, path, ch, &out)
				      : regress_to_github(r, path, ch, &out);
	if (rc == 0)
		fwrite(out.data ? out.data : "", 1, out.len, stdout);
	charter_free(ch);
	cd_buf_clear(&out);
	return rc < 0 ? cli_fail_err() : CLI_OK;
}

static int print_regression(regress_result *r, int json)
{
	cd_buf summary = CD_BUF_INIT;
	size_t hits = 0, judged = 0;

	count_cached(r, &hits, &judged);
	regress_sort(r);
	if (json) {
		cJSON *o = regress_to_json(r), *cache = cJSON_CreateObject();
		cJSON_AddNumberToObject(cache, "judgments", (double)judged);
		cJSON_AddNumberToObject(cache, "cached", (double)hits);
		cJSON_AddItemToObject(o, "cache", cache);
		return cli_print_json(o);
	}
	regress_summary(r, &summary);
	printf("%s\n", summary.data);
	cd_buf_clear(&summary);
	print_moves(r);
	if (judged)
		printf("judgments: %zu of %zu from the cache (%.0f%%)\n", hits, judged,
		       100.0 * (double)hits / (double)judged);
	for (size_t i = 0; i < r->n; i++)
		print_flip(&r->rows[i]);
	return CLI_OK;
}

int cmd_regress(cli_ctx *ctx, int argc, char **argv)
{
	judge_args a = { 0 };
	cd_buf base = CD_BUF_INIT, cand = CD_BUF_INIT;
	regress_result r = { 0 };
	judge_env e;
	int rc;

	if ((rc = parse_args(ctx, "regress ", "apf", argc, argv, &a)) != CLI_OK)
		return rc;
	if (optind < argc)
		return cli_usage_error("regress ", "unexpected argument '%s'", argv[optind]);
	if (a.format && strcmp(a.format, "text") && strcmp(a.format, "json") &&
	    strcmp(a.format, "junit") && strcmp(a.format, "github"))
		return cli_usage_error("regress ", "--format is text, json, junit or github");
	if (a.format && a.json)
		return cli_usage_error("regress ", "--json is --format json: give one of them");
	if (a.format && !strcmp(a.format, "json"))
		a.json = 1;
	if (a.against && a.proposal)
		return cli_usage_error("regress ", "--against and --proposal do not go together");
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	rc = CLI_FAIL;
	if (env_open(ctx, &e, a.no_cache, a.provider_batch, NULL, 0) < 0)
		goto done;
	if (regress_texts(ctx, a.against, a.proposal, &base, &cand) < 0 ||
	    regress_run(&e.judge, base.data, base.len, cand.data, cand.len, e.cases, e.n, &r) < 0) {
		cli_fail_err();
		goto done;
	}
	if (ctx->dry_run) {
		cli_llm_print_estimate(stdout, e.client, NULL);
		rc = CLI_OK;
		goto done;
	}
	cli_llm_print_spend(ctx, e.client);
	if (a.format && (!strcmp(a.format, "junit") || !strcmp(a.format, "github"))) {
		regress_sort(&r);
		rc = print_ci(ctx, &r, a.format, &cand);
	} else {
		rc = print_regression(&r, a.json);
	}
	if (rc == CLI_OK && (r.worse || r.errors)) /* broken is one way to be worse */
		rc = CLI_FAIL;
done:
	regress_result_clear(&r);
	cd_buf_clear(&base);
	cd_buf_clear(&cand);
	env_close(&e);
	return rc;
}
