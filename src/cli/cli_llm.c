/* cli_llm.c — the repository (optional) and the client for ask, doctor,
 * cache and the commands that generate. */
#include "cli_llm.h"

#include "codicil/error.h"
#include "codicil/sanitize.h"

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

llm_client *cli_llm_client(cli_ctx *ctx, const llm_client_opts *o)
{
	llm_client *c;

	if (cli_llm_context(ctx) < 0)
		return NULL;
	if (llm_client_open(ctx->cfg, ctx->store, o, &c) < 0) {
		char *line = cd_sanitize_dup(cd_err_msg(), CD_SAN_ONE_LINE);
		cli_fail("%s", line ? line : "cannot set up the LLM client");
		free(line);
		return NULL;
	}
	return c;
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
