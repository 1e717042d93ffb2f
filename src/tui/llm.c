/* llm.c — the session's LLM client.  Once it is open, the app waits in
 * llm_client_step() with the keyboard as its extra descriptor: a key and a
 * network answer wake the same loop, so the screen never freezes while a
 * model thinks. */
#include "core.h"
#include "tui_int.h"

#include <stdlib.h>

#include "codicil/error.h"
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
	if (llm_client_open(app->cfg, app->s, &o, &app->client) < 0) {
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
	tui_gen_free(app);
	llm_client_free(app->client);
	app->client = NULL;
}
