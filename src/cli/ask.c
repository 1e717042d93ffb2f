#include "cli_llm.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"

#define PROMPT_MAX ((size_t)8 << 20)

const char cmd_ask_usage[] =
	"usage: codicil ask [--schema FILE] [--stream] [--system TEXT] [--no-cache]\n"
	"                   [--json] PROMPT\n"
	"\n"
	"Ask the configured model one question and print the reply (made inert\n"
	"for a terminal).  PROMPT \"-\" reads the prompt from standard input.\n"
	"\n"
	"      --schema FILE   ask for JSON matching this JSON schema; an invalid\n"
	"                      reply is re-asked once, then is an error\n"
	"      --stream        stream the reply and print its text as it arrives\n"
	"                      (with --schema or --json: printed when complete and\n"
	"                      checked like any other reply; a retried attempt\n"
	"                      prints its text again from the start)\n"
	"      --system TEXT   a system message before the prompt\n"
	"      --no-cache      neither read nor write the response cache\n"
	"      --json          {text, json, provider, model, cached, attempts,\n"
	"                      latency_ms, usage, finish_reason, request_sha256,\n"
	"                      response_sha256, transcript}; text is the raw reply\n"
	"  -h, --help          this text\n";

struct answer {
	int done;
	size_t printed;      /* bytes of streamed text printed so far */
	cd_buf partial;      /* the start of a character cut by the stream */
	llm_response r;
	llm_call call;
	char provider[32], model[256], transcript[65];
};

/* Streamed text, printed as it arrives (sanitised; a character cut
 * between two pieces waits for the rest). */
static void on_text(void *ud, const char *text, size_t len)
{
	struct answer *a = ud;
	size_t keep = 0, n;

	cd_buf_append(&a->partial, text, len);
	n = a->partial.len;
	/* back up over an incomplete sequence at the end */
	for (size_t i = 1; i <= 3 && i <= n; i++) {
		unsigned char c = (unsigned char)a->partial.data[n - i];
		if ((c & 0xc0) == 0x80)
			continue;
		if (c >= 0xc0 && i < (size_t)(c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2))
			keep = i;
		break;
	}
	cli_put_safe_len(stdout, a->partial.data, n - keep, 0);
	fflush(stdout);
	a->printed += n - keep;
	memmove(a->partial.data, a->partial.data + n - keep, keep);
	a->partial.len = keep;
}

static void on_done(void *ud, const llm_call *call, llm_response *r)
{
	struct answer *a = ud;

	a->done = 1;
	a->r = *r;
	memset(r, 0, sizeof *r); /* taken */
	a->call = *call;
	snprintf(a->provider, sizeof a->provider, "%s", call->provider);
	snprintf(a->model, sizeof a->model, "%s", call->model ? call->model : "");
	a->call.req = NULL;
	a->call.provider = a->provider;
	a->call.model = a->model;
	a->call.endpoint_host = NULL;
}

static int read_prompt(const char *arg, cd_buf *out)
{
	char chunk[65536];
	size_t n;

	if (strcmp(arg, "-"))
		return cd_buf_puts(out, arg);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		if (out->len + n > PROMPT_MAX) {
			cd_err_set("the prompt on standard input is larger than 8 MiB");
			return -1;
		}
		if (cd_buf_append(out, chunk, n) < 0)
			return -1;
	}
	if (ferror(stdin)) {
		cd_err_set("cannot read the prompt from standard input");
		return -1;
	}
	return cd_buf_puts(out, "");
}

static int print_json(const struct answer *a)
{
	cJSON *j = cJSON_CreateObject(), *usage;

	cJSON_AddStringToObject(j, "text", a->r.text ? a->r.text : "");
	cJSON_AddItemToObject(j, "json", a->r.json ? cJSON_Duplicate(a->r.json, 1) :
			      cJSON_CreateNull());
	cJSON_AddStringToObject(j, "provider", a->call.provider);
	cJSON_AddStringToObject(j, "model", a->call.model);
	cJSON_AddBoolToObject(j, "cached", a->r.cached);
	cJSON_AddNumberToObject(j, "attempts", a->r.attempts);
	cJSON_AddNumberToObject(j, "latency_ms", (double)a->r.latency_ms);
	usage = cJSON_AddObjectToObject(j, "usage");
	cJSON_AddNumberToObject(usage, "input_tokens", (double)a->r.usage.input_tokens);
	cJSON_AddNumberToObject(usage, "output_tokens", (double)a->r.usage.output_tokens);
	if (a->r.finish_reason)
		cJSON_AddStringToObject(j, "finish_reason", a->r.finish_reason);
	else
		cJSON_AddNullToObject(j, "finish_reason");
	cJSON_AddStringToObject(j, "request_sha256", a->call.request_sha256);
	cJSON_AddStringToObject(j, "response_sha256", a->call.response_sha256);
	if (a->call.transcript[0])
		cJSON_AddStringToObject(j, "transcript", a->call.transcript);
	else
		cJSON_AddNullToObject(j, "transcript");
	return cli_print_json(j);
}

static int report(const struct answer *a, int json)
{
	const char *text = a->r.text ? a->r.text : "";
	size_t len = strlen(text);

	if (a->r.status != LLM_OK) {
		if (a->printed)
			fputc('\n', stdout);
		char *line = cd_sanitize_dup(a->r.error ? a->r.error :
					     llm_status_name(a->r.status), CD_SAN_ONE_LINE);
		int rc = cli_fail("ask: %s", line ? line : "the request failed");
		free(line);
		return rc;
	}
	if (json)
		return print_json(a);
	if (a->printed) { /* streamed already */
		cli_put_safe_len(stdout, a->partial.data, a->partial.len, 0);
		if (len && text[len - 1] != '\n')
			fputc('\n', stdout);
		return CLI_OK;
	}
	cli_put_safe_len(stdout, text, len, 0);
	if (!len || text[len - 1] != '\n')
		fputc('\n', stdout);
	return CLI_OK;
}

struct ask_args {
	const char *schema_file, *system;
	int stream, json;
	llm_client_opts o;
};

static int ask(cli_ctx *ctx, const struct ask_args *args, const char *prompt)
{
	llm_message msgs[2];
	llm_request req = { .messages = msgs, .temperature = -1, .stream = args->stream };
	struct answer a = { 0 };
	cJSON *schema = NULL;
	llm_client *client = NULL;
	int rc = CLI_FAIL;

	if (args->system)
		msgs[req.nmessages++] = (llm_message){ "system", args->system };
	msgs[req.nmessages++] = (llm_message){ "user", prompt };
	if (args->schema_file) {
		if (!(schema = cd_json_read_file(args->schema_file)) || !cJSON_IsObject(schema)) {
			if (schema)
				cd_err_set("%s: a JSON schema must be an object", args->schema_file);
			rc = cli_fail_err();
			goto out;
		}
		req.schema = schema;
		req.schema_name = "reply";
	}
	if (args->stream && !args->json && !schema) {
		req.on_text = on_text;
		req.text_ud = &a;
	}
	if (!(client = cli_llm_client_with_key(ctx, &args->o)))
		goto out;
	if (llm_client_submit(client, &req, on_done, &a, NULL) < 0 ||
	    llm_client_run(client) < 0 || !a.done) {
		rc = cli_fail_err();
		goto out;
	}
	rc = report(&a, args->json);
out:
	llm_response_clear(&a.r);
	cd_buf_clear(&a.partial);
	llm_client_free(client);
	cJSON_Delete(schema);
	return rc;
}

int cmd_ask(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "schema", required_argument, NULL, 's' },
		{ "stream", no_argument, NULL, 'S' },
		{ "system", required_argument, NULL, 'y' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct ask_args args = { 0 };
	cd_buf prompt = CD_BUF_INIT;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': args.schema_file = optarg; break;
		case 'S': args.stream = 1; break;
		case 'y': args.system = optarg; break;
		case 'n': args.o.no_cache = 1; break;
		case 'j': args.json = 1; break;
		default: return cli_usage_error("ask ", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("ask ", optind < argc ? "give the prompt as one argument "
				       "(quote it)" : "no prompt given");
	args.o.repair = args.schema_file != NULL;
	if (read_prompt(argv[optind], &prompt) < 0) {
		cd_buf_clear(&prompt);
		return cli_fail_err();
	}
	if (!prompt.len) {
		cd_buf_clear(&prompt);
		return cli_usage_error("ask ", "the prompt is empty");
	}
	rc = ask(ctx, &args, prompt.data);
	cd_buf_clear(&prompt);
	return rc;
}
