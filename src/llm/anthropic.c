/* anthropic.c — the Anthropic Messages API.  Structured output is a single
 * tool whose input_schema is the schema, forced with tool_choice. */
#include "codicil/error.h"
#include "codicil/json.h"
#include "llm_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *tool_name(const llm_request *req)
{
	return req->schema_name ? req->schema_name : "reply";
}

/* Anthropic caches a prompt's prefix only when asked: a message whose
 * stable part is long enough to be cached (1,024 tokens at least; about 4
 * bytes a token) becomes two text blocks, the first marked cache_control
 * (ephemeral: five minutes, renewed on every read). */
#define CACHE_MIN_BYTES 4096

static int add_content(cJSON *o, const char *content, size_t stable)
{
	size_t len = strlen(content);
	cJSON *blocks, *a, *b, *cc;

	if (stable < CACHE_MIN_BYTES || stable >= len)
		return cJSON_AddStringToObject(o, "content", content) ? 0 : -1;
	if (!(blocks = cJSON_AddArrayToObject(o, "content")) || !(a = cJSON_CreateObject()) ||
	    !cJSON_AddItemToArray(blocks, a) || !(b = cJSON_CreateObject()) ||
	    !cJSON_AddItemToArray(blocks, b))
		return -1;
	char *first = strndup(content, stable);
	int ok = first && cJSON_AddStringToObject(a, "type", "text") &&
		 cJSON_AddStringToObject(a, "text", first) &&
		 (cc = cJSON_AddObjectToObject(a, "cache_control")) &&
		 cJSON_AddStringToObject(cc, "type", "ephemeral") &&
		 cJSON_AddStringToObject(b, "type", "text") &&
		 cJSON_AddStringToObject(b, "text", content + stable);
	free(first);
	return ok ? 0 : -1;
}

/* System messages go to the top-level "system" field, joined by a blank
 * line; the others stay in order. */
static int add_messages(cJSON *body, const llm_request *req)
{
	cd_buf system = CD_BUF_INIT;
	cJSON *arr = cJSON_AddArrayToObject(body, "messages");
	int rc = arr ? 0 : -1, first_user = 1;

	for (size_t i = 0; rc == 0 && i < req->nmessages; i++) {
		const llm_message *m = &req->messages[i];
		const char *content = m->content ? m->content : "";
		cJSON *o;

		if (m->role && !strcmp(m->role, "system")) {
			if (system.len)
				cd_buf_puts(&system, "\n\n");
			rc = cd_buf_puts(&system, content);
			continue;
		}
		o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o) ||
		    !cJSON_AddStringToObject(o, "role", m->role ? m->role : "user") ||
		    add_content(o, content, first_user ? req->stable_len : 0) < 0)
			rc = -1;
		first_user = 0;
	}
	if (rc == 0 && system.len && !cJSON_AddStringToObject(body, "system", system.data))
		rc = -1;
	cd_buf_clear(&system);
	return rc;
}

static int add_tool(cJSON *body, const llm_request *req)
{
	cJSON *tools = cJSON_AddArrayToObject(body, "tools"), *tool, *choice;

	if (!tools || !(tool = cJSON_CreateObject()) || !cJSON_AddItemToArray(tools, tool))
		return -1;
	if (!cJSON_AddStringToObject(tool, "name", tool_name(req)) ||
	    !cJSON_AddStringToObject(tool, "description",
				     "Give your answer as the input of this tool, "
				     "matching its input schema.") ||
	    !cJSON_AddItemToObject(tool, "input_schema", cJSON_Duplicate(req->schema, 1)))
		return -1;
	choice = cJSON_AddObjectToObject(body, "tool_choice");
	if (!choice || !cJSON_AddStringToObject(choice, "type", "tool") ||
	    !cJSON_AddStringToObject(choice, "name", tool_name(req)))
		return -1;
	return 0;
}

static cJSON *build_body(const llm_request *req)
{
	cJSON *body = cJSON_CreateObject();
	int ok = body != NULL;

	ok = ok && cJSON_AddStringToObject(body, "model", req->model ? req->model :
					   llm_anthropic_provider.default_model);
	ok = ok && cJSON_AddNumberToObject(body, "max_tokens", req->max_tokens > 0 ?
					   req->max_tokens : LLM_DEFAULT_MAX_TOKENS);
	ok = ok && add_messages(body, req) == 0;
	if (ok && req->temperature >= 0)
		ok = cJSON_AddNumberToObject(body, "temperature", req->temperature) != NULL;
	if (ok && req->stream)
		ok = cJSON_AddTrueToObject(body, "stream") != NULL;
	if (ok && req->schema)
		ok = add_tool(body, req) == 0;
	if (!ok) {
		cJSON_Delete(body);
		return NULL;
	}
	return body;
}

static int anthropic_build(const llm_endpoint *ep, const llm_request *req, llm_http *out)
{
	const char *base = ep->base_url ? ep->base_url : llm_anthropic_provider.default_base_url;
	cJSON *body = build_body(req);
	int rc = 0;

	memset(out, 0, sizeof *out);
	rc |= !body;
	rc |= llm_http_set_url(out, base, "/messages");
	rc |= llm_http_add_header(out, "Content-Type: application/json");
	rc |= llm_http_add_header(out, "anthropic-version: 2023-06-01");
	if (req->stream)
		rc |= llm_http_add_header(out, "Accept: text/event-stream");
	if (ep->api_key && *ep->api_key)
		rc |= llm_http_add_header(out, "x-api-key: %s", ep->api_key);
	if (body)
		rc |= llm_http_set_body(out, body);
	cJSON_Delete(body);
	return rc ? llm_http_fail_oom(out) : 0;
}

/* {"type":"error","error":{"type":"not_found_error","message":"..."}} as
 * "not_found_error: ..." */
static void error_message(const cJSON *root, cd_buf *out)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
	const char *type = cd_json_str(err, "type"), *msg = cd_json_str(err, "message");

	if (cJSON_IsString(err))
		msg = err->valuestring;
	if (type && msg)
		cd_buf_printf(out, "%s: %s", type, msg);
	else if (msg || type)
		cd_buf_puts(out, msg ? msg : type);
}

static void read_usage(const cJSON *usage, llm_usage *u)
{
	if (!cJSON_IsObject(usage))
		return;
	/* input_tokens leaves out what was read from or written to the prompt
	 * cache: count all of it, and what was read as cached */
	if (cJSON_GetObjectItemCaseSensitive(usage, "input_tokens")) {
		u->cached_input_tokens = cd_json_long(usage, "cache_read_input_tokens", 0);
		u->input_tokens = cd_json_long(usage, "input_tokens", 0) + u->cached_input_tokens +
				  cd_json_long(usage, "cache_creation_input_tokens", 0);
	}
	u->output_tokens = cd_json_long(usage, "output_tokens", u->output_tokens);
}

/* The tool_use block's input as JSON text, else the text blocks joined. */
static int collect_content(const llm_request *req, const cJSON *content, llm_response *out)
{
	const cJSON *block;
	cd_buf text = CD_BUF_INIT;

	if (!cJSON_IsArray(content))
		return -1;
	cJSON_ArrayForEach(block, content) {
		const char *type = cd_json_str(block, "type");
		const cJSON *input = cJSON_GetObjectItemCaseSensitive(block, "input");

		if (req->schema && type && !strcmp(type, "tool_use") && input) {
			cd_buf_clear(&text);
			if (cd_json_print_compact(input, &text) < 0)
				break;
			out->json = cJSON_Duplicate(input, 1);
			break;
		}
		if (type && !strcmp(type, "text") && cd_json_str(block, "text"))
			cd_buf_puts(&text, cd_json_str(block, "text"));
	}
	cd_buf_append(&text, "", 0);
	out->text = cd_buf_detach(&text);
	return 0;
}

static int parse_message(const llm_request *req, const cJSON *root, llm_response *out)
{
	const char *stop = cd_json_str(root, "stop_reason");

	read_usage(cJSON_GetObjectItemCaseSensitive(root, "usage"), &out->usage);
	out->finish_reason = llm_strdup(stop);
	if (collect_content(req, cJSON_GetObjectItemCaseSensitive(root, "content"), out) < 0)
		return llm_response_fail(out, LLM_ERR_PARSE,
					 "anthropic: the reply has no content array; "
					 "is the endpoint the Messages API?");
	if (stop && !strcmp(stop, "refusal"))
		return llm_response_fail(out, LLM_ERR_REFUSED, "the model refused to answer");
	return llm_finish_reply(req, out, stop && !strcmp(stop, "max_tokens"));
}

static int anthropic_parse(const llm_request *req, long http_status, const char *body,
			   size_t len, llm_response *out)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	cd_buf msg = CD_BUF_INIT;
	int rc;

	out->http_status = http_status;
	llm_keep_body(out, body, len);
	if (root)
		error_message(root, &msg);
	if (!llm_is_2xx(http_status)) {
		rc = llm_http_error(out, "anthropic", llm_anthropic_provider.key_env, http_status,
				    msg.data, body, len);
	} else if (!root) {
		rc = llm_response_fail(out, LLM_ERR_PARSE, "anthropic: the reply is not JSON");
	} else if (msg.len) {
		cd_buf line = CD_BUF_INIT;
		llm_error_text(msg.data, msg.len, LLM_ERROR_TEXT_MAX, &line);
		rc = llm_response_fail(out, LLM_ERR_PARSE, "anthropic: error in the reply: %s",
				       line.data);
		cd_buf_clear(&line);
	} else {
		rc = parse_message(req, root, out);
	}
	cd_buf_clear(&msg);
	cJSON_Delete(root);
	return rc;
}

static int stream_delta(llm_stream *st, const cJSON *delta)
{
	const char *type = cd_json_str(delta, "type");
	const char *piece = NULL;

	if (type && !strcmp(type, "text_delta"))
		piece = cd_json_str(delta, "text");
	else if (type && !strcmp(type, "input_json_delta"))
		piece = cd_json_str(delta, "partial_json");
	return piece ? cd_buf_puts(&st->text, piece) : 0;
}

static int stream_message_delta(llm_stream *st, const cJSON *ev)
{
	const char *stop = cd_json_str(cJSON_GetObjectItemCaseSensitive(ev, "delta"), "stop_reason");

	read_usage(cJSON_GetObjectItemCaseSensitive(ev, "usage"), &st->usage);
	if (stop) {
		free(st->finish_reason);
		st->finish_reason = strdup(stop);
		st->refused |= !strcmp(stop, "refusal");
	}
	return 0;
}

static int stream_dispatch(llm_stream *st, const char *type, const cJSON *ev)
{
	if (!strcmp(type, "message_start")) {
		const cJSON *msg = cJSON_GetObjectItemCaseSensitive(ev, "message");
		read_usage(cJSON_GetObjectItemCaseSensitive(msg, "usage"), &st->usage);
	} else if (!strcmp(type, "content_block_start")) {
		const cJSON *block = cJSON_GetObjectItemCaseSensitive(ev, "content_block");
		const char *btype = cd_json_str(block, "type");
		/* a forced tool's input is the answer: drop any text before it */
		if (btype && !strcmp(btype, "tool_use"))
			cd_buf_reset(&st->text);
	} else if (!strcmp(type, "content_block_delta")) {
		return stream_delta(st, cJSON_GetObjectItemCaseSensitive(ev, "delta"));
	} else if (!strcmp(type, "message_delta")) {
		return stream_message_delta(st, ev);
	} else if (!strcmp(type, "message_stop")) {
		st->done = 1;
	} else if (!strcmp(type, "error")) {
		cd_buf msg = CD_BUF_INIT;
		error_message(ev, &msg);
		free(st->error);
		st->error = msg.len ? cd_buf_detach(&msg) : strdup("unknown error");
		cd_buf_clear(&msg);
	}
	return 0; /* ping, content_block_stop, and future event types */
}

static int anthropic_stream_event(llm_stream *st, const char *event, const char *data)
{
	cJSON *ev = cJSON_Parse(data);
	const char *type;
	int rc;

	if (!ev) {
		cd_err_set("anthropic: a stream event is not JSON");
		return -1;
	}
	type = event ? event : cd_json_str(ev, "type");
	rc = type ? stream_dispatch(st, type, ev) : 0;
	cJSON_Delete(ev);
	return rc;
}

const llm_provider llm_anthropic_provider = {
	.name = "anthropic",
	.default_base_url = "https://api.anthropic.com/v1",
	.default_model = "claude-sonnet-4-5",
	.key_env = "ANTHROPIC_API_KEY",
	.build = anthropic_build,
	.parse = anthropic_parse,
	.stream_event = anthropic_stream_event,
};
