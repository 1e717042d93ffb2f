/* loop_status.c — the status line says when `codicil loop` is running in
 * this repository, its round and what it has spent, so that people working
 * meanwhile know the cases may grow under them. */
#include "core.h"

#include <stdio.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/loop.h"

void tui_loop_status(tui_app *app)
{
	time_t now = time(NULL);
	int running = 0;
	cJSON *st;
	const cJSON *spent;
	double tokens;

	if (now - app->loop_read < 2 && app->loop_read)
		return;
	app->loop_read = now;
	app->loop[0] = '\0';
	if (!(st = loop_state_read(tui_store(app), &running)) || !running) {
		cJSON_Delete(st);
		cd_err_clear(); /* a state being written is read again in 2 s */
		return;
	}
	spent = cJSON_GetObjectItemCaseSensitive(st, "spent");
	tokens = cd_json_num(spent, "input_tokens", 0) + cd_json_num(spent, "output_tokens", 0);
	if (tokens >= 1e6)
		snprintf(app->loop, sizeof app->loop, "loop: round %ld, %.1fM tokens",
			 cd_json_long(st, "round", 0), tokens / 1e6);
	else
		snprintf(app->loop, sizeof app->loop, "loop: round %ld, %.0fk tokens",
			 cd_json_long(st, "round", 0), tokens / 1e3);
	cJSON_Delete(st);
}
