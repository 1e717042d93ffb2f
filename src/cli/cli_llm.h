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
/* cli_llm_context, then llm_client_open; NULL after printing an error. */
llm_client *cli_llm_client(cli_ctx *ctx, const llm_client_opts *o);

/* A hosted API (the provider's default endpoint) without a key can only
 * answer 401: say so, before anything is sent, and return -1.  Local
 * servers usually need no key. */
int cli_llm_require_key(const llm_client *c);
/* cli_llm_client, then cli_llm_require_key. */
llm_client *cli_llm_client_with_key(cli_ctx *ctx, const llm_client_opts *o);

#endif
