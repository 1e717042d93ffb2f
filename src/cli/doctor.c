#include "cli_llm.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"

const char cmd_doctor_usage[] =
	"usage: codicil doctor [--target] [--json]\n"
	"\n"
	"Check the LLM setup.  Prints the resolved provider, endpoint and model\n"
	"and where the API key comes from (never the key), then makes one small\n"
	"structured-output request, bypassing the cache, and reports its latency,\n"
	"its attempts and whether the structured reply validated.  Exits 0 only\n"
	"when it did.\n"
	"\n"
	"      --json       {provider, endpoint, model, key_source, ok, status,\n"
	"                   validated, latency_ms, attempts, error}\n"
	"      --target     check the model under audit (codicil.target.*) instead\n"
	"      --no-cache   accepted for symmetry: doctor never uses the cache\n"
	"  -h, --help       this text\n";

static const char check_schema[] =
	"{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"ok\",\"echo\"],"
	"\"properties\":{\"ok\":{\"type\":\"boolean\"},\"echo\":{\"type\":\"string\"}}}";

static const llm_message check_msgs[] = {
	{ "system", "You are a connectivity check. Reply with JSON only." },
	{ "user", "Reply with {\"ok\": true, \"echo\": \"codicil\"}." },
};

struct outcome {
	int done;
	llm_status status;
	int validated, attempts;
	long latency_ms;
	char *error;
};

static void on_done(void *ud, const llm_call *call, llm_response *r)
{
	struct outcome *o = ud;

	o->done = 1;
	o->status = r->status;
	o->validated = r->status == LLM_OK && r->json;
	o->attempts = r->attempts;
	o->latency_ms = r->latency_ms;
	o->error = r->error ? cd_sanitize_dup(r->error, CD_SAN_ONE_LINE) : NULL;
}

/* Between attempts, on stdout: a doctor shows what happened. */
static void on_retry(void *ud, unsigned id, int attempt, double delay_s, const char *why)
{
	printf("%-10s attempt %d: ", "retry", attempt);
	cli_put_safe(stdout, why, CD_SAN_ONE_LINE);
	printf("; retrying in %.2f s\n", delay_s);
	fflush(stdout);
}

static void print_setting(const char *name, const char *value)
{
	printf("%-10s ", name);
	cli_put_safe(stdout, value ? value : "", CD_SAN_ONE_LINE);
	fputc('\n', stdout);
}

static int report_json(llm_client *c, const struct outcome *o)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "provider", llm_client_provider(c));
	cJSON_AddStringToObject(j, "endpoint", llm_client_endpoint(c));
	cJSON_AddStringToObject(j, "model", llm_client_model(c));
	cJSON_AddStringToObject(j, "key_source", llm_client_key_source(c));
	cJSON_AddBoolToObject(j, "ok", o->validated);
	cJSON_AddStringToObject(j, "status", llm_status_name(o->status));
	cJSON_AddBoolToObject(j, "validated", o->validated);
	cJSON_AddNumberToObject(j, "latency_ms", (double)o->latency_ms);
	cJSON_AddNumberToObject(j, "attempts", o->attempts);
	if (o->error)
		cJSON_AddStringToObject(j, "error", o->error);
	else
		cJSON_AddNullToObject(j, "error");
	return cli_print_json(j);
}

static int check(llm_client *c, int json)
{
	cJSON *schema = cJSON_Parse(check_schema);
	llm_request req = { .messages = check_msgs, .nmessages = 2, .schema = schema,
			    .schema_name = "doctor_check", .max_tokens = 64, .temperature = -1 };
	struct outcome o = { 0 };
	int rc;

	if (!json)
		llm_client_set_retry_cb(c, on_retry, NULL);
	rc = llm_client_submit(c, &req, on_done, &o, NULL) < 0 || llm_client_run(c) < 0 ||
	     !o.done ? cli_fail_err() : CLI_OK;
	cJSON_Delete(schema);
	if (rc != CLI_OK)
		return rc;
	if (json)
		rc = report_json(c, &o);
	else if (o.validated)
		printf("%-10s ok: the structured reply validated (%ld ms, %d attempt%s)\n",
		       "request", o.latency_ms, o.attempts, o.attempts == 1 ? "" : "s");
	if (rc == CLI_OK && !o.validated)
		rc = cli_fail("doctor: the test request failed: %s",
			      o.error ? o.error : llm_status_name(o.status));
	free(o.error);
	return rc;
}

int cmd_doctor(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "target", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	llm_client_opts co = { .no_cache = 1 };
	int json = 0, target = 0, c, rc;
	llm_client *client;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'n': break;
		case 't': target = 1; break;
		default: return cli_usage_error("doctor ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("doctor ", "unexpected argument '%s'", argv[optind]);
	if (!(client = target ? cli_llm_target_client(ctx, &co, NULL) : cli_llm_client(ctx, &co)))
		return CLI_FAIL;
	if (!json) {
		print_setting("provider", llm_client_provider(client));
		print_setting("endpoint", llm_client_endpoint(client));
		print_setting("model", llm_client_model(client));
		print_setting("key", llm_client_key_source(client));
		fflush(stdout);
	}
	if (cli_llm_require_key(client) < 0) {
		llm_client_free(client);
		return CLI_FAIL;
	}
	rc = check(client, json);
	llm_client_free(client);
	return rc;
}
