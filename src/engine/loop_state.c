/* loop_state.c — where a loop is: .git/codicil/loop/state.json, read at
 * --resume and by the TUI, written atomically after every phase.
 *
 *   {run, pid, options: {rounds, until, autonomy, principles, per_round,
 *    samples, n}, round, phase, plan: {principles, units: [{principles,
 *    sample, theory}], journal}, new_cases, supported, proposals,
 *    accepted, spent: {input_tokens, output_tokens, usd, requests, cached},
 *    rounds: [report, ...], updated}
 */
#include "loop_int.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/json.h"

static int state_path(store *s, cd_buf *out)
{
	return store_local_path(s, "loop/state.json", out);
}

cJSON *loop_state_load(store *s)
{
	cd_buf path = CD_BUF_INIT;
	cJSON *st = NULL;

	if (state_path(s, &path) == 0 && access(path.data, F_OK) == 0)
		st = cd_json_read_file(path.data);
	cd_buf_clear(&path);
	return st;
}

int loop_state_save(store *s, cJSON *st)
{
	cd_buf path = CD_BUF_INIT;
	char now[CASE_TIME_SIZE];
	int rc = -1;

	case_time_now(now);
	if (loop_set(st, "updated", cJSON_CreateString(now)) == 0 && state_path(s, &path) == 0)
		rc = cd_json_write_file(path.data, st);
	cd_buf_clear(&path);
	return rc;
}

int loop_set(cJSON *o, const char *key, cJSON *v)
{
	if (!v) {
		cd_err_set("out of memory");
		return -1;
	}
	if (cJSON_GetObjectItemCaseSensitive(o, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(o, key, v) ? 0 : -1;
	return cJSON_AddItemToObject(o, key, v) ? 0 : -1;
}

int loop_state_alive(const cJSON *st)
{
	long pid = cd_json_int(st, "pid", 0);

	if (pid <= 0 || pid == (long)getpid())
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

cJSON *loop_state_read(store *s, int *running)
{
	cJSON *st = loop_state_load(s);

	*running = st && strcmp(cd_json_str(st, "phase") ? cd_json_str(st, "phase") : "", "done") &&
		   loop_state_alive(st);
	return st;
}
