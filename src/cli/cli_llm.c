/* cli_llm.c — the repository (optional) and the client for ask, doctor,
 * cache and the commands that ask a model; the record and the estimate of
 * their runs. */
#include "cli_llm.h"

#include "codicil/client_config.h"
#include "codicil/error.h"
#include "codicil/runlog.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

#include <stdlib.h>
#include <string.h>

int cli_llm_context(cli_ctx *ctx)
{
	if (ctx->dir) {
		if (!cli_store(ctx))
			return -1;
	} else if (!ctx->store && store_open(".", &ctx->store) < 0) {
		ctx->store = NULL; /* outside a repository: cache under XDG */
		cd_err_clear();
	}
	return cli_config(ctx) ? 0 : -1;
}

int cli_llm_option(cli_ctx *ctx, int c, const char *arg)
{
	if (c == 0x100)
		ctx->budget = arg;
	else if (c == 0x101)
		ctx->dry_run = 1;
	else
		return 0;
	return 1;
}

/* What earlier runs in this repository teach the estimate. */
static void learn_from_history(cli_ctx *ctx, llm_client *c)
{
	if (!ctx->hist && (ctx->hist = calloc(1, sizeof *ctx->hist)) &&
	    runlog_history_load(ctx->store, ctx->hist) < 0) {
		cd_err_clear(); /* no history: the defaults */
		runlog_history_clear(ctx->hist);
	}
	if (ctx->hist)
		runlog_history_apply(ctx->hist, c);
}

static int record_run(cli_ctx *ctx, llm_client *c)
{
	if (ctx->run) {
		runlog_attach(ctx->run, c);
		return 0;
	}
	if (runlog_begin(ctx->store, ctx->cfg, c, ctx->command ? ctx->command : "?", ctx->argc,
			 ctx->argv, &ctx->run) == 0)
		return 0;
	cli_fail("cannot write the record of this run: %s", cd_err_msg());
	return -1;
}

llm_client *cli_llm_client(cli_ctx *ctx, const llm_client_opts *o)
{
	llm_client_opts opts = { 0 };
	llm_client *c;

	if (cli_llm_context(ctx) < 0)
		return NULL;
	if (o)
		opts = *o;
	opts.dry_run |= ctx->dry_run;
	if (ctx->budget && config_set_flag(ctx->cfg, "codicil.budget", ctx->budget) < 0) {
		cli_fail_err();
		return NULL;
	}
	if (client_open_configured(ctx->cfg, ctx->store, &opts, &c) < 0) {
		char *line = cd_sanitize_dup(cd_err_msg(), CD_SAN_ONE_LINE);
		cli_fail("%s", line ? line : "cannot set up the LLM client");
		free(line);
		return NULL;
	}
	if (ctx->store) {
		learn_from_history(ctx, c);
		if (!opts.dry_run && record_run(ctx, c) < 0) {
			llm_client_free(c);
			return NULL;
		}
	}
	return c;
}

llm_client *cli_llm_target_client(cli_ctx *ctx, const llm_client_opts *o, const char *model)
{
	llm_settings set;
	llm_client *c = NULL;

	if (cli_llm_context(ctx) < 0)
		return NULL;
	if (ctx->budget && config_set_flag(ctx->cfg, "codicil.budget", ctx->budget) < 0) {
		cli_fail_err();
		return NULL;
	}
	if (client_settings_for_target(ctx->cfg, ctx->store, model, &set) < 0 ||
	    llm_client_open(&set, ctx->store, o, &c) < 0) {
		char *line = cd_sanitize_dup(cd_err_msg(), CD_SAN_ONE_LINE);
		cli_fail("the model under audit: %s", line ? line : "cannot set it up");
		free(line);
		return NULL;
	}
	if (ctx->store && record_run(ctx, c) < 0) {
		llm_client_free(c);
		return NULL;
	}
	return c;
}

void cli_llm_finish(cli_ctx *ctx, int rc)
{
	if (ctx->run && runlog_end(ctx->run, rc == CLI_OK) < 0)
		fprintf(stderr, "codicil: warning: cannot write the record of this run: %s\n",
			cd_err_msg());
	ctx->run = NULL;
	if (ctx->hist) {
		runlog_history_clear(ctx->hist);
		free(ctx->hist);
		ctx->hist = NULL;
	}
}

int cli_llm_require_key(const llm_client *c)
{
	if (llm_client_check_key(c) < 0) {
		cli_fail_err();
		return -1;
	}
	return 0;
}

llm_client *cli_llm_client_with_key(cli_ctx *ctx, const llm_client_opts *o)
{
	llm_client *c = cli_llm_client(ctx, o);

	if (c && cli_llm_require_key(c) < 0) {
		llm_client_free(c);
		return NULL;
	}
	return c;
}

void cli_llm_print_estimate(FILE *f, const llm_client *c, const char *note)
{
	llm_estimate e;
	char a[32], b[32], m[32], t[32];

	llm_client_estimate_get(c, &e);
	if (!e.requests) {
		fprintf(f, "dry run: nothing to send to %s (%zu answered from the cache)\n",
			llm_client_model(c), e.cached);
		if (note)
			fprintf(f, "  %s\n", note);
		return;
	}
	fprintf(f, "dry run: %zu request%s would be sent to %s", e.requests,
		e.requests == 1 ? "" : "s", llm_client_model(c));
	if (e.cached)
		fprintf(f, "; %zu answered from the cache", e.cached);
	fprintf(f, "\n  input   ~%s tokens\n", cli_count(e.input_tokens, a));
	if (e.output_tokens < e.output_max)
		fprintf(f, "  output  ~%s tokens (the mean of earlier answers; at most %s)\n",
			cli_count(e.output_tokens, b), cli_count(e.output_max, m));
	else
		fprintf(f, "  output  at most %s tokens (no earlier answers of this kind to "
			"learn from)\n", cli_count(e.output_max, m));
	fprintf(f, "  total   ~%s tokens\n", cli_count(e.input_tokens + e.output_tokens, t));
	if (e.requests && e.priced)
		fprintf(f, "  cost    ~$%.2f (at most $%.2f)\n", e.usd, e.usd_max);
	else if (e.requests)
		fprintf(f, "  cost    unknown: no price for %s (set codicil.price.%s.input and "
			".output, dollars per million tokens)\n", llm_client_model(c),
			llm_client_model(c));
	if (note)
		fprintf(f, "  %s\n", note);
	fputs("nothing was sent\n", f);
}

void cli_llm_print_spend(const cli_ctx *ctx, const llm_client *c)
{
	llm_spend sp;
	char t[32];

	llm_client_spend_get(c, &sp);
	if (!sp.paid)
		return;
	fprintf(stderr, "codicil: spent %s tokens", cli_count(sp.input_tokens + sp.output_tokens, t));
	if (sp.priced)
		fprintf(stderr, " ($%.4f)", sp.usd);
	fprintf(stderr, " in %zu request%s", sp.paid, sp.paid == 1 ? "" : "s");
	if (ctx->run)
		fprintf(stderr, "; run %s", runlog_id(ctx->run));
	fputc('\n', stderr);
}

void cli_charter_notice(cli_ctx *ctx, int from_head)
{
	const char *path;

	if (!ctx->store || !ctx->cfg || !workspace_charter_dirty(ctx->store, ctx->cfg))
		return;
	path = workspace_charter_path(ctx->cfg);
	if (from_head)
		fprintf(stderr, "codicil: note: %s has uncommitted changes; this command reads "
			"the charter at HEAD (commit them to use them)\n", path);
	else
		fprintf(stderr, "codicil: note: judging under the work tree's %s, which differs "
			"from HEAD (--rev HEAD judges the committed text)\n", path);
}
