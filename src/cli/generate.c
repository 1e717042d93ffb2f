/* generate.c — `codicil generate` and `codicil batch`: one engine (batch.h),
 * two ways to ask: a few cases now, or many requests as a resumable run. */
#include "cli_llm.h"
#include "cli_run.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/batch.h"
#include "codicil/workspace.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "codicil/runlog.h"
#include "codicil/sanitize.h"
#include "codicil/theory.h"

const char cmd_generate_usage[] =
	"usage: codicil generate [-p ID]... [-n N] [--kind K] [--steer TEXT] [--theory T]\n"
	"                        [--samples S] [--no-commit] [--no-cache] [--json]\n"
	"                        [--budget N] [--dry-run]\n"
	"\n"
	"Ask the model for cases where the constitution fails, keep the new and valid\n"
	"ones as cases/<id>.json and commit them (\"Add N counterexamples for ID\").\n"
	"Duplicates of known cases are dropped and counted.  Prints the new ids.\n"
	"\n"
	"  -p, --principle ID  target this principle (repeatable; default: the whole charter)\n"
	"  -n, --count N       cases per request (default 3)\n"
	"  -k, --kind K        counterexample (default), tension, vagueness, probe\n"
	"      --steer TEXT    steer the search (a direction to explore)\n"
	"      --theory T      steer by failure theory T (see 'codicil theorize'): its\n"
	"                      statement and predictions; the cases record \"theory\": T\n"
	"  -s, --samples S     independent requests (default 1)\n"
	"      --no-commit     write the case files, do not commit them\n"
	"      --no-cache      ask the model even for a request answered before\n"
	"      --json          print the new cases as a JSON array\n"
	"      --budget N      stop before spending more than N tokens (250k, 2M) or\n"
	"                      '$N' dollars (needs codicil.price.<model>.*)\n"
	"      --dry-run       print the request as JSONL and, on stderr, what it would\n"
	"                      cost; send nothing\n"
	"  -v, --verbose       list every failed request, not only their causes\n"
	"  -h, --help          this text\n";

const char cmd_batch_usage[] =
	"usage: codicil batch [-p ID]... [--all] [-n N] [--samples S] [--kind K]\n"
	"                     [--concurrency C] [--journal FILE] [--resume] [--retry-errors]\n"
	"                     [--dry-run] [--budget N] [--provider-batch] [--no-commit]\n"
	"                     [--commit-every N] [--no-cache]\n"
	"\n"
	"A scripted generation run: for each selected principle, S independent\n"
	"requests for N cases each.  Every attempt is one line of an append-only\n"
	"JSONL journal (default .git/codicil/runs/<run>.jsonl); after a crash,\n"
	"--resume asks only for what is missing and commits what the journal holds.\n"
	"\n"
	"  -p, --principle ID  a principle to run on (repeatable)\n"
	"  -a, --all           every principle\n"
	"  -n, --count N       cases per request (default 3)\n"
	"  -s, --samples S     requests per principle (default 1)\n"
	"  -k, --kind K        counterexample (default), tension, vagueness, probe\n"
	"  -c, --concurrency C requests in flight (default codicil.concurrency, 8)\n"
	"  -j, --journal FILE  the journal (with --resume: default the latest run)\n"
	"      --resume        complete the run: every request without an ok answer\n"
	"                      (missing or failed) is asked again; an answer kept\n"
	"                      from a failed check is first checked again, for free\n"
	"      --retry-errors  only the requests whose last attempt failed, not those\n"
	"                      the run never reached\n"
	"      --dry-run       print the requests as JSONL and, on stderr, how many\n"
	"                      tokens and dollars they would cost; send nothing\n"
	"      --budget N      stop before spending more than N tokens (250k, 2M) or\n"
	"                      '$N' dollars; --resume continues later\n"
	"      --provider-batch  send through the provider's batch API (OpenAI\n"
	"                      (with --dry-run: print the batch input it would upload)\n"
	"                      /v1/batches, Anthropic /v1/messages/batches): about\n"
	"                      half the price, answers within 24 hours; polled every\n"
	"                      codicil.batchPollSeconds (30); the batch's id is\n"
	"                      journalled first, and --resume after a kill asks\n"
	"                      about the same batch instead of sending again\n"
	"      --no-commit     write the case files, do not commit them\n"
	"      --commit-every N  commit after every N successful requests\n"
	"      --no-cache      ask the model even for a request answered before\n"
	"  -v, --verbose       list every failed request, not only their causes\n"
	"  -h, --help          this text\n"
	"\n"
	"Answers are mended where the intent is plain (see REAL MODEL ANSWERS in\n"
	"codicil(1)) and sent back once with their errors when they stay invalid.\n"
	"After codicil.maxConsecutiveFailures connection failures in a row, a\n"
	"rejected key or a used-up quota, the run stops sending and says so.\n"
	"Progress goes to stderr when it is a terminal.  Exit 0 when every request\n"
	"of the run has an ok answer, 1 otherwise (the failures by cause, and the\n"
	"command that continues the run).\n";

typedef struct run_args {
	const char **principles;
	size_t nprinciples;
	int all, count, samples, json, no_commit, no_cache, dry_run, resume, retry_errors, verbose;
	int provider_batch;
	size_t commit_every;
	case_kind kind;
	const char *steer, *theory, *journal, *concurrency, *budget;
} run_args;

static int parse_args(const char *cmd, int argc, char **argv, run_args *a)
{
	static const struct option opts[] = {
		{ "principle", required_argument, NULL, 'p' }, { "all", no_argument, NULL, 'a' },
		{ "count", required_argument, NULL, 'n' }, { "samples", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' }, { "steer", required_argument, NULL, 'S' },
		{ "theory", required_argument, NULL, 'T' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "journal", required_argument, NULL, 'j' }, { "resume", no_argument, NULL, 'R' },
		{ "retry-errors", no_argument, NULL, 'E' }, { "dry-run", no_argument, NULL, 'D' },
		{ "no-commit", no_argument, NULL, 'N' }, { "no-cache", no_argument, NULL, 'C' },
		{ "commit-every", required_argument, NULL, 'e' }, { "json", no_argument, NULL, 'J' },
		{ "verbose", no_argument, NULL, 'v' }, { "budget", required_argument, NULL, 'B' },
		{ "provider-batch", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	int c, v = 0;

	a->count = 3;
	a->samples = 1;
	a->kind = CASE_COUNTEREXAMPLE;
	a->principles = calloc((size_t)argc, sizeof *a->principles);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:an:s:k:c:j:v", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a->principles[a->nprinciples++] = optarg; break;
		case 'a': a->all = 1; break;
		case 'n': if (cli_parse_count(cmd, "--count", optarg, 1, 100000, &a->count)) return CLI_USAGE; break;
		case 's': if (cli_parse_count(cmd, "--samples", optarg, 1, 100000, &a->samples)) return CLI_USAGE; break;
		case 'e': if (cli_parse_count(cmd, "--commit-every", optarg, 1, 100000, &v)) return CLI_USAGE;
			  a->commit_every = (size_t)v; break;
		case 'c': if (cli_parse_setting(cmd, "--concurrency", "codicil.concurrency", optarg))
				  return CLI_USAGE;
			  a->concurrency = optarg; break;
		case 'k':
			if (case_kind_parse(optarg, &a->kind) < 0 || a->kind == CASE_CONSEQUENCE)
				return cli_usage_error(cmd, "--kind: counterexample, tension, vagueness or probe");
			break;
		case 'S': a->steer = optarg; break;
		case 'T': a->theory = optarg; break;
		case 'j': a->journal = optarg; break;
		case 'R': a->resume = 1; break;
		case 'E': a->retry_errors = 1; break;
		case 'D': a->dry_run = 1; break;
		case 'B': a->budget = optarg; break;
		case 'P': a->provider_batch = 1; break;
		case 'N': a->no_commit = 1; break;
		case 'C': a->no_cache = 1; break;
		case 'J': a->json = 1; break;
		case 'v': a->verbose = 1; break;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* "12/40 done · 1 failed · 38.2k tokens · 3.1 req/s · ETA 0:09" */
static void show_progress(void *ud, const batch_progress *p)
{
	double rate = p->elapsed_s > 0 ? (double)p->done / p->elapsed_s : 0;
	double eta = rate > 0 ? (double)(p->total - p->done) / rate : 0;

	(void)ud;
	fprintf(stderr, "\r\033[K%zu/%zu done · %zu failed · %zu cases · %.1fk tokens · %.1f req/s · ETA %d:%02d",
		p->done, p->total, p->failed, p->cases, (double)p->tokens / 1000, rate,
		(int)eta / 60, (int)eta % 60);
	if (p->done == p->total)
		fputc('\n', stderr);
}

/* A provider batch: its id once, when it is made (the journal has it for
 * --resume), then its state on a terminal. */
static void show_batch(void *ud, const char *id, const char *state, long done, long failed,
		       long total)
{
	int tty = *(const int *)ud;

	if (!strcmp(state, "created")) {
		fprintf(stderr, "codicil: provider batch %s created; waiting for its answers "
			"(a kill is safe: --resume asks about it again)\n", id);
		return;
	}
	if (tty)
		fprintf(stderr, "\r\033[Kprovider batch %s: %s, %ld of %ld answered, %ld failed", id,
			state, done, total, failed);
}

/* The theory's id and the steering text: its statement and predictions,
 * then --steer if given. */
static int theory_steering(store *s, const run_args *a, char **id, cd_buf *steer)
{
	cJSON *t = workspace_active_theory(s, a->theory);

	if (!t)
		return -1;
	theory_steer(t, steer);
	if (a->steer)
		cd_buf_printf(steer, "\n%s\n", a->steer);
	*id = strdup(theory_id(t));
	cJSON_Delete(t);
	return *id ? 0 : -1;
}

static int build_units(const run_args *a, gen_ctx *g, int per_principle, gen_unit **out,
		       size_t *n)
{
	size_t ntargets = a->all ? g->nids : a->nprinciples, k = 0;
	size_t groups = per_principle ? ntargets : 1;
	gen_unit *u;

	for (size_t i = 0; i < a->nprinciples; i++)
		if (!charter_find(g->charter, a->principles[i]))
			return workspace_no_principle(g->charter, a->principles[i]);
	u = calloc(groups * (size_t)a->samples + 1, sizeof *u);
	if (!u) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t gi = 0; gi < groups; gi++)
		for (int s = 0; s < a->samples; s++, k++) {
			const char **targets = a->all ? g->ids : a->principles;
			u[k].principles = per_principle ? &targets[gi] : targets;
			u[k].nprinciples = per_principle ? 1 : ntargets;
			u[k].n = a->count;
			u[k].kind = a->kind;
			u[k].steer = a->steer;
			u[k].theory = a->theory;
			u[k].sample = (unsigned)s;
			gen_unit_key(&u[k]);
		}
	*out = u;
	*n = k;
	return 0;
}

/* word, quoted for a POSIX shell when it needs to be. */
static void shell_word(cd_buf *out, const char *word)
{
	if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "0123456789-_./=:,+@%") == strlen(word)) {
		cd_buf_puts(out, word);
		return;
	}
	cd_buf_putc(out, '\'');
	for (; *word; word++)
		if (*word == '\'')
			cd_buf_puts(out, "'\\''");
		else
			cd_buf_putc(out, *word);
	cd_buf_putc(out, '\'');
}

/* The command that continues this run: its own selection of principles
 * and options, with --resume and its journal (and without the budget it
 * ran under: the next run chooses its own). */
static void resume_command(const cli_ctx *ctx, const char *journal, cd_buf *out)
{
	static const char *const drop_with_value[] = { "--journal", "-j", "--budget" };
	static const char *const drop[] = { "--resume", "--retry-errors", "--dry-run" };

	cd_buf_puts(out, "codicil batch");
	for (int i = 0; i < ctx->argc; i++) {
		const char *w = ctx->argv[i];
		int skip = 0;

		for (size_t k = 0; k < sizeof drop_with_value / sizeof *drop_with_value; k++) {
			size_t n = strlen(drop_with_value[k]);
			if (!strcmp(w, drop_with_value[k]))
				skip = 2;
			else if (!strncmp(w, drop_with_value[k], n) && w[n] == '=')
				skip = 1;
		}
		for (size_t k = 0; k < sizeof drop / sizeof *drop; k++)
			if (!strcmp(w, drop[k]))
				skip = 1;
		if (skip) {
			i += skip - 1;
			continue;
		}
		cd_buf_putc(out, ' ');
		shell_word(out, w);
	}
	cd_buf_puts(out, " --resume --journal ");
	shell_word(out, journal);
}

/* Where the run journals: --journal, the newest run of the same requests
 * (--resume, --retry-errors), or runs/<run id>.jsonl. */
static int choose_journal(store *s, const run_args *a, const gen_unit *units, size_t n,
			  const char *run_id, cd_buf *journal)
{
	cd_buf name = CD_BUF_INIT;
	int rc;

	if (a->journal)
		return cd_buf_puts(journal, a->journal);
	if (a->resume || a->retry_errors)
		return batch_find_journal(s, units, n, journal);
	cd_buf_printf(&name, "runs/%s.jsonl", run_id);
	rc = store_local_path(s, name.data, journal);
	cd_buf_clear(&name);
	return rc;
}

static void batch_options(const run_args *a, int *tty, batch_opts *bo)
{
	/* --resume covers --retry-errors: every request without an ok line */
	bo->select = a->resume ? BATCH_RESUME : a->retry_errors ? BATCH_RETRY_ERRORS : BATCH_NEW;
	bo->dry_run = a->dry_run;
	bo->dry_run_out = stdout;
	bo->commit = !a->no_commit;
	bo->commit_every = a->commit_every;
	if (*tty && !a->dry_run && !a->provider_batch)
		bo->progress = show_progress;
	bo->provider_batch = a->provider_batch;
	bo->batch_progress = show_batch;
	bo->ud = tty;
}

/* What the run did, or why it stopped; the exit code. */
static int report(cli_ctx *ctx, const run_args *a, llm_client *client, const batch_result *r,
		  int failed, const char *journal, const char *resume)
{
	if (failed) {
		if (strstr(cd_err_msg(), journal))
			cli_fail_err();
		else
			cli_fail("%s (journal: %s)", cd_err_msg(), journal);
		if (!a->dry_run && r->ok + r->failed + r->not_sent + r->cancelled)
			cli_print_run_summary(r, resume, a->verbose);
		return CLI_FAIL;
	}
	if (a->dry_run) {
		cli_llm_print_estimate(stderr, client, NULL);
		return CLI_OK;
	}
	cli_print_new_cases(ctx->store, r, a->json);
	cli_print_run_summary(r, resume, a->verbose);
	cli_llm_print_spend(ctx, client);
	return r->remaining ? CLI_FAIL : CLI_OK;
}

/* The client, the generation context and the units of the run. */
static int prepare(cli_ctx *ctx, run_args *a, int per_principle, llm_client **client,
		   gen_ctx *g, gen_unit **units, size_t *nunits)
{
	/* bulk generation keeps no per-call transcripts: only amendments
	 * commit them, and the cases record the request and response hashes */
	llm_client_opts copts = { .no_cache = a->no_cache, .repair = 1, .no_transcripts = 1,
				  .provider_batch = a->provider_batch };

	if (!(*client = cli_llm_client(ctx, &copts)) ||
	    (!a->dry_run && cli_llm_require_key(*client) < 0))
		return -1;
	if (gen_open(ctx->store, ctx->cfg, *client, g) < 0 ||
	    gen_use_prompt(g, gen_prompt_name(a->kind)) < 0 ||
	    build_units(a, g, per_principle, units, nunits) < 0) {
		cli_fail_err();
		return -1;
	}
	return 0;
}

static int run(cli_ctx *ctx, run_args *a, int per_principle)
{
	int tty = isatty(STDERR_FILENO);
	batch_opts bo = { 0 };
	batch_result r = { 0 };
	cd_buf journal = CD_BUF_INIT, steer = CD_BUF_INIT, resume = CD_BUF_INIT;
	char run_id[CD_ID_SIZE], *theory = NULL;
	llm_client *client = NULL;
	gen_ctx g = { 0 };
	int rc = CLI_FAIL;

	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	ctx->budget = a->budget;
	ctx->dry_run = a->dry_run;
	cli_charter_notice(ctx, 1);
	if (a->concurrency)
		config_set_flag(ctx->cfg, "codicil.concurrency", a->concurrency);
	if (a->theory && theory_steering(ctx->store, a, &theory, &steer) < 0) {
		cli_fail_err();
		goto out;
	}
	a->theory = theory ? theory : a->theory;
	a->steer = theory ? steer.data : a->steer;
	if (prepare(ctx, a, per_principle, &client, &g, &bo.units, &bo.nunits) < 0)
		goto out;
	if (ctx->run) /* one id: the run's record and its journal */
		snprintf(run_id, sizeof run_id, "%s", runlog_id(ctx->run));
	else
		cd_id_new('r', run_id);
	if (choose_journal(ctx->store, a, bo.units, bo.nunits, run_id, &journal) < 0) {
		cli_fail_err();
		goto out;
	}
	bo.journal_path = journal.data;
	bo.run = run_id;
	batch_options(a, &tty, &bo);
	if (per_principle)
		resume_command(ctx, journal.data, &resume);
	rc = report(ctx, a, client, &r, batch_run(&g, &bo, &r) < 0, journal.data, resume.data);
out:
	batch_result_clear(&r);
	free(bo.units);
	gen_close(&g);
	if (client)
		llm_client_free(client);
	cd_buf_clear(&journal);
	cd_buf_clear(&steer);
	cd_buf_clear(&resume);
	free(theory);
	return rc;
}

int cmd_generate(cli_ctx *ctx, int argc, char **argv)
{
	run_args a = { 0 };
	int rc = parse_args("generate ", argc, argv, &a);

	if (rc == 0 && (a.all || a.journal || a.resume || a.retry_errors || a.commit_every ||
			a.concurrency || a.provider_batch))
		rc = cli_usage_error("generate ", "that option belongs to 'codicil batch'");
	if (rc == 0)
		rc = run(ctx, &a, 0);
	free(a.principles);
	return rc;
}

int cmd_batch(cli_ctx *ctx, int argc, char **argv)
{
	run_args a = { 0 };
	int rc = parse_args("batch ", argc, argv, &a);

	if (rc == 0 && (a.json || a.steer || a.theory))
		rc = cli_usage_error("batch ", "--json, --steer and --theory belong to 'codicil generate'");
	if (rc == 0 && !a.all && a.nprinciples == 0)
		rc = cli_usage_error("batch ", "say which principles: -p ID... or --all");
	if (rc == 0)
		rc = run(ctx, &a, 1);
	free(a.principles);
	return rc;
}
