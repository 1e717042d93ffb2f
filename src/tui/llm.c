/* llm.c — the session's LLM client.  Once it is open, the app waits in
 * llm_client_step() with the keyboard as its extra descriptor: a key and a
 * network answer wake the same loop, so the screen never freezes while a
 * model thinks. */
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "codicil/error.h"
#include "codicil/client_config.h"
#include "codicil/price.h"
#include "codicil/runlog.h"

/* The session's client and the record of its calls, opened on first use. */
struct session {
	llm_client *client;
	struct runlog *run;
};

static const tui_feature session_feature = { "LLM session", NULL };

static struct session *session(tui_app *app)
{
	return tui_state(app, &session_feature);
}

static int client_wait(void *ud, int fd, int timeout_ms)
{
	tui_app *app = ud;

	return llm_client_step(session(app)->client, fd, timeout_ms) > 0;
}

static struct session *session_open(tui_app *app)
{
	llm_client_opts o = { .repair = 1 };
	struct session *ss = calloc(1, sizeof *ss);

	if (!ss) {
		tui_error(app, "out of memory");
		return NULL;
	}
	if (client_open_configured(tui_config(app), tui_store(app), &o, &ss->client) < 0) {
		tui_error(app, "%s (check the settings with 'codicil doctor')", cd_err_msg());
		goto fail;
	}
	if (llm_client_check_key(ss->client) < 0) { /* as the CLI says it, before sending */
		tui_error(app, "%s", cd_err_msg());
		goto fail;
	}
	if (runlog_begin(tui_store(app), tui_config(app), ss->client, "tui", 0, NULL,
			 &ss->run) < 0) {
		tui_error(app, "cannot write the record of this session's runs: %s", cd_err_msg());
		goto fail;
	}
	if (tui_set_state(app, &session_feature, ss) < 0) {
		runlog_end(ss->run, 1);
		goto fail;
	}
	return ss;
fail:
	llm_client_free(ss->client);
	free(ss);
	return NULL;
}

llm_client *tui_llm(tui_app *app)
{
	struct session *ss = session(app);

	if (ss)
		return ss->client;
	if (!(ss = session_open(app)))
		return NULL;
	tui_set_wait(app, client_wait, app);
	return ss->client;
}

int tui_llm_pending(tui_app *app)
{
	struct session *ss = session(app);

	return ss && llm_client_pending(ss->client);
}

int tui_llm_busy(tui_app *app, const char *what)
{
	if (tui_job_running(app)) {
		tui_message(app, "%s must wait for the running job (Esc cancels it)", what);
		return 1;
	}
	if (!tui_llm_pending(app))
		return 0;
	tui_message(app, "%s must wait for the running LLM job (Esc cancels it)", what);
	return 1;
}

void tui_llm_close(tui_app *app)
{
	struct session *ss = session(app);

	if (!ss)
		return;
	llm_client_cancel_all(ss->client);
	llm_client_run(ss->client);
	runlog_end(ss->run, 1);
	llm_client_free(ss->client);
	free(ss);
	tui_set_state(app, &session_feature, NULL);
	tui_set_wait(app, NULL, NULL);
}

struct tui_dry {
	llm_client *client;
	runlog_history hist;
};

tui_dry *tui_dry_open(tui_app *app)
{
	llm_client_opts o = { .repair = 1, .dry_run = 1 };
	tui_dry *d = calloc(1, sizeof *d);

	if (!d || client_open_configured(tui_config(app), tui_store(app), &o, &d->client) < 0) {
		tui_error(app, "%s", d ? cd_err_msg() : "out of memory");
		free(d);
		return NULL;
	}
	if (runlog_history_load(tui_store(app), &d->hist) < 0)
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
	const char *text = config_get(tui_config(app), "codicil.confirmAbove");
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
