/* cli_llm.h — what the commands that talk to a model share: the repository
 * when there is one (a model can be asked from anywhere), and a client
 * opened on the resolved settings. */
#ifndef CODICIL_CLI_LLM_H
#define CODICIL_CLI_LLM_H

#include "cli.h"
#include "codicil/client.h"

/* The repository of -C DIR (which must be one) or of the current
 * directory; outside a repository ctx->store stays NULL.  Then the config.
 * Returns -1 after printing an error. */
int cli_llm_context(cli_ctx *ctx);
/* cli_llm_context, then client_open_configured with ctx->budget and
 * ctx->dry_run; in a repository the client learns from earlier runs
 * (estimates) and, unless it is a dry run, is metered into the run's
 * record (runlog.h).  NULL after printing an error. */
llm_client *cli_llm_client(cli_ctx *ctx, const llm_client_opts *o);
/* The model under audit (codicil.target.*, client_config.h; model, when
 * not NULL, is --target-model), metered into the same run's record.  NULL
 * after printing an error. */
llm_client *cli_llm_target_client(cli_ctx *ctx, const llm_client_opts *o, const char *model);
/* After the command: end the run's record (rc: its exit code). */
void cli_llm_finish(cli_ctx *ctx, int rc);

/* One line on stderr when the work tree's charter differs from HEAD's:
 * which of the two this command reads (from_head). */
void cli_charter_notice(cli_ctx *ctx, int from_head);

/* A dry run's estimate, to f: requests, tokens, cost.  note (may be
 * NULL) says what the estimate leaves out. */
void cli_llm_print_estimate(FILE *f, const llm_client *c, const char *note);
/* After a run: one line of what it spent, to stderr, when anything was
 * paid for ("spent 12,345 tokens ($0.04) in 10 requests; run r-..."). */
void cli_llm_print_spend(const cli_ctx *ctx, const llm_client *c);

/* The options every command that asks a model takes, for its getopt
 * table and its usage text. */
#define CLI_LLM_OPTIONS \
	{ "budget", required_argument, NULL, 0x100 }, { "dry-run", no_argument, NULL, 0x101 }
#define CLI_LLM_USAGE \
	"      --budget N      stop before spending more than N tokens (250k, 2M) or\n" \
	"                      '$N' dollars (needs codicil.price.<model>.*)\n" \
	"      --dry-run       send nothing: print how many requests, tokens and\n" \
	"                      dollars the command would spend\n"
/* 1 when getopt's c was one of CLI_LLM_OPTIONS (and is now in ctx). */
int cli_llm_option(cli_ctx *ctx, int c, const char *arg);

/* A hosted API (the provider's default endpoint) without a key can only
 * answer 401: say so, before anything is sent, and return -1.  Local
 * servers usually need no key. */
int cli_llm_require_key(const llm_client *c);
/* cli_llm_client, then cli_llm_require_key. */
llm_client *cli_llm_client_with_key(cli_ctx *ctx, const llm_client_opts *o);

#endif
