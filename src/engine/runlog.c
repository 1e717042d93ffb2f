/* runlog.c — writing the record of a run (runlog.h). */
#include "codicil/runlog.h"

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "codicil/client_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void runlog_free(struct runlog *r);

struct runlog {
	store *s;
	config *cfg;
	char id[CD_ID_SIZE];
	char *path;
	cJSON *rec;
	double t0, last_write; /* monotonic seconds */
	int stopped;           /* an answer came back not sent */
	size_t calls;          /* metered */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void iso_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_record(runlog *r)
{
	cd_buf out = CD_BUF_INIT;
	int rc;

	cJSON_ReplaceItemInObject(r->rec, "wall_s",
				  cJSON_CreateNumber((double)(long)((now_s() - r->t0) * 10) / 10));
	rc = cd_json_print(r->rec, &out);
	if (rc == 0)
		rc = cd_file_replace(r->path, out.data, out.len);
	cd_buf_clear(&out);
	r->last_write = now_s();
	return rc;
}

static cJSON *new_record(runlog *r, llm_client *client, const char *command, int argc,
			 char **argv)
{
	cJSON *rec = cJSON_CreateObject(), *args;
	char when[32], budget[64];
	char *name = NULL, *email = NULL;

	iso_now(when);
	cJSON_AddStringToObject(rec, "run", r->id);
	cJSON_AddStringToObject(rec, "command", command);
	args = cJSON_AddArrayToObject(rec, "args");
	for (int i = 0; i < argc; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(argv[i]));
	cJSON_AddStringToObject(rec, "started", when);
	cJSON_AddStringToObject(rec, "state", "running");
	cJSON_AddNumberToObject(rec, "pid", (double)getpid());
	if (store_identity(r->s, &name, &email) == 0)
		cJSON_AddStringToObject(rec, "rater", name);
	else
		cd_err_clear();
	free(name);
	free(email);
	cJSON_AddStringToObject(rec, "provider", llm_client_provider(client));
	cJSON_AddStringToObject(rec, "model", llm_client_model(client));
	llm_budget_describe(llm_client_budget(client), budget, sizeof budget);
	cJSON_AddStringToObject(rec, "budget", budget);
	cJSON_AddNumberToObject(rec, "wall_s", 0);
	cJSON_AddObjectToObject(rec, "requests");
	cJSON_AddObjectToObject(rec, "tokens");
	return rec;
}

static void add_usage(cJSON *to, const llm_usage *u, double share, double usd, int priced)
{
	cd_json_add_to(to, "requests", share);
	cd_json_add_to(to, "input", u->input_tokens * share);
	cd_json_add_to(to, "output", u->output_tokens * share);
	cd_json_add_to(to, "cached_input", u->cached_input_tokens * share);
	if (priced)
		cd_json_add_to(to, "usd", usd * share);
	else
		cd_json_add_to(to, "unpriced", share);
}

/* Each principle the request was about gets an equal share. */
static void add_by_principle(cJSON *rec, const char *about, const llm_usage *u, double usd,
			     int priced)
{
	cJSON *by = cd_json_child(rec, "by_principle");
	char *list = strdup(about && *about ? about : "-"), *save = NULL;
	size_t n = 0;

	if (!list)
		return;
	for (char *p = list; *p;) {
		p += strspn(p, " ");
		if (*p)
			n++;
		p += strcspn(p, " ");
	}
	for (char *id = strtok_r(list, " ", &save); id; id = strtok_r(NULL, " ", &save))
		add_usage(cd_json_child(by, id), u, 1.0 / (double)n, usd, priced);
	free(list);
}

static void count_paid(runlog *r, const llm_call *call, const llm_response *resp)
{
	const llm_usage *u = &resp->usage;
	llm_price p;
	double usd;
	cJSON *kind;

	if (client_config_price(r->cfg, call->model, &p) < 0) {
		cd_err_clear();
		p.known = 0;
	}
	usd = llm_price_cost_of(&p, resp);
	add_usage(cd_json_child(r->rec, "tokens"), u, 1, usd, p.known);
	add_usage(cd_json_child(cd_json_child(r->rec, "by_model"), call->model ? call->model : "-"), u, 1, usd,
		  p.known);
	add_by_principle(r->rec, call->req->about, u, usd, p.known);
	kind = cd_json_child(cd_json_child(r->rec, "by_kind"),
		     call->req->schema_name ? call->req->schema_name : "text");
	cd_json_add_to(kind, "requests", 1);
	cd_json_add_to(kind, "bytes", (double)call->request_bytes);
	cd_json_add_to(kind, "input", (double)u->input_tokens);
	cd_json_add_to(kind, "output", (double)u->output_tokens);
}

static void meter(void *ud, const llm_call *call, const llm_response *resp)
{
	runlog *r = ud;
	cJSON *req = cd_json_child(r->rec, "requests");
	int paid = !resp->cached && strcmp(call->provider ? call->provider : "", "replay") &&
		   (resp->usage.input_tokens || resp->usage.output_tokens);

	r->calls++;
	if (resp->status == LLM_OK)
		cd_json_add_to(req, resp->cached ? "cached" : "ok", 1);
	else
		cd_json_add_to(req, resp->status == LLM_ERR_NOT_SENT ? "not_sent" : "failed", 1);
	if (resp->status == LLM_ERR_NOT_SENT && !r->stopped) {
		r->stopped = 1;
		cJSON_AddStringToObject(r->rec, "stopped", resp->error ? resp->error : "stopped");
	}
	if (paid)
		count_paid(r, call, resp);
	if (now_s() - r->last_write >= 1.0 && write_record(r) < 0)
		cd_err_clear(); /* the next write, or the last, may succeed */
}

int runlog_begin(store *s, config *cfg, llm_client *client, const char *command, int argc,
		 char **argv, runlog **out)
{
	runlog *r = calloc(1, sizeof *r);
	cd_buf name = CD_BUF_INIT, path = CD_BUF_INIT;

	*out = NULL;
	if (!r) {
		cd_err_set("out of memory");
		return -1;
	}
	r->s = s;
	r->cfg = cfg;
	r->t0 = now_s();
	cd_id_new('r', r->id);
	if (cd_buf_printf(&name, "ledger/%s.json", r->id) < 0 ||
	    store_local_path(s, name.data, &path) < 0 ||
	    !(r->rec = new_record(r, client, command, argc, argv))) {
		cd_buf_clear(&name);
		cd_buf_clear(&path);
		free(r);
		return -1;
	}
	cd_buf_clear(&name);
	r->path = cd_buf_detach(&path);
	if (write_record(r) < 0) {
		runlog_free(r);
		return -1;
	}
	llm_client_set_meter(client, meter, r);
	*out = r;
	return 0;
}

void runlog_attach(runlog *r, llm_client *client)
{
	llm_client_set_meter(client, meter, r);
}

const char *runlog_id(const runlog *r)
{
	return r->id;
}

static void runlog_free(runlog *r)
{
	cJSON_Delete(r->rec);
	free(r->path);
	free(r);
}

int runlog_end(runlog *r, int ok)
{
	char when[32];
	int rc;

	if (!r)
		return 0;
	if (!r->calls) { /* it never asked: no run to speak of */
		rc = unlink(r->path) < 0 && errno != ENOENT ? -1 : 0;
		if (rc < 0)
			cd_err_set("cannot remove %s: %s", r->path, strerror(errno));
		runlog_free(r);
		return rc;
	}
	iso_now(when);
	cJSON_AddStringToObject(r->rec, "ended", when);
	cJSON_ReplaceItemInObject(r->rec, "state",
				  cJSON_CreateString(r->stopped ? "stopped" : ok ? "done" : "failed"));
	rc = write_record(r);
	runlog_free(r);
	return rc;
}
