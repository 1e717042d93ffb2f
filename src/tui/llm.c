/* llm.c — the session's LLM client.  Once it is open, the app waits in
 * llm_client_step() with the keyboard as its extra descriptor: a key and a
 * network answer wake the same loop, so the screen never freezes while a
 * model thinks. */
#include "core.h"
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "codicil/error.h"
#include "codicil/client_config.h"
#include "codicil/price.h"
#include "codicil/runlog.h"

static int client_wait(void *ud, int fd, int timeout_ms)
{
	tui_app *app = ud;

	return llm_client_step(app->client, fd, timeout_ms) > 0;
}

llm_client *tui_llm(tui_app *app)
{
	llm_client_opts o = { .repair = 1 };

	if (app->client)
		return app->client;
	if (client_open_configured(app->cfg, app->s, &o, &app->client) < 0) {
		app->client = NULL;
		tui_error(app, "%s (check the settings with 'codicil doctor')", cd_err_msg());
		return NULL;
	}
	if (llm_client_check_key(app->client) < 0) { /* as the CLI says it, before sending */
		tui_error(app, "%s", cd_err_msg());
		llm_client_free(app->client);
		app->client = NULL;
		return NULL;
	}
	if (runlog_begin(app->s, app->cfg, app->client, "tui", 0, NULL, &app->run) < 0) {
		tui_error(app, "cannot write the record of this session's runs: %s", cd_err_msg());
		llm_client_free(app->client);
		app->client = NULL;
		return NULL;
	}
	tui_set_wait(app, client_wait, app);
	return app->client;
}

int tui_llm_busy(tui_app *app, const char *what)
{
	if (tui_job_running(app)) {
		tui_message(app, "%s must wait for the running job (Esc cancels it)", what);
		return 1;
	}
	if (!app->client || !llm_client_pending(app->client))
		return 0;
	tui_message(app, "%s must wait for the running LLM job (Esc cancels it)", what);
	return 1;
}

void tui_llm_close(tui_app *app)
{
	if (!app->client)
		return;
	llm_client_cancel_all(app->client);
	llm_client_run(app->client);
	runlog_end(app->run, 1);
	app->run = NULL;
	llm_client_free(app->client);
	app->client = NULL;
}

struct tui_dry {
	llm_client *client;
	runlog_history hist;
};

tui_dry *tui_dry_open(tui_app *app)
{
	llm_client_opts o = { .repair = 1, .dry_run = 1 };
	tui_dry *d = calloc(1, sizeof *d);

	if (!d || client_open_configured(app->cfg, app->s, &o, &d->client) < 0) {
		tui_error(app, "%s", d ? cd_err_msg() : "out of memory");
		free(d);
		return NULL;
	}
	if (runlog_history_load(app->s, &d->hist) < 0)
		cd_err_clear(); /* no history: the defaults */
	else
		runlog_history_apply(&d->hist, d->client);
	return d;
}

llm_client *tui_dry_client(tui_dry *d)
{
	return d->client;
}

void tui_dry_close(tui_dry *d)
{
	if (!d)
		return;
	llm_client_free(d->client);
	runlog_history_clear(&d->hist);
	free(d);
}

int tui_costs_too_much(tui_app *app, const llm_client *dry, char *what, size_t size)
{
	const char *text = config_get(app->cfg, "codicil.confirmAbove");
	llm_estimate e;
	llm_budget cap;
	char tokens[32];

	if (llm_budget_parse(text, &cap) < 0) {
		tui_error(app, "codicil.confirmAbove: %s", cd_err_msg());
		return -1;
	}
	llm_client_estimate_get(dry, &e);
	if (!text) /* the default: a dollar, or 200k tokens without a price */
		cap = e.priced ? (llm_budget){ .usd = 1 } : (llm_budget){ .tokens = 200000 };
	llm_format_count(e.input_tokens + e.output_tokens, tokens, sizeof tokens);
	if (e.priced)
		snprintf(what, size, "~$%.2f, %zu requests, ~%s tokens", e.usd, e.requests, tokens);
	else
		snprintf(what, size, "%zu requests, ~%s tokens", e.requests, tokens);
	if (cap.usd > 0 && e.priced)
		return e.usd > cap.usd;
	if (cap.tokens > 0)
		return e.input_tokens + e.output_tokens > cap.tokens;
	return 0;
}
