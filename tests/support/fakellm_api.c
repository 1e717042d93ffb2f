/* fakellm_api.c — bodies in the shape of the OpenAI Chat Completions and
 * Anthropic Messages APIs, plain and as SSE streams. */
#include "fakellm_int.h"

#include <stdlib.h>
#include <string.h>

struct reply_ctx {
	const char *model;
	const char *content;
	const char *finish;
	const char *tool;    /* Anthropic forced tool: its name */
	cJSON *tool_input;   /* content parsed as JSON */
	long in_tokens, out_tokens;
	const struct fakellm_reply *r;
};

/* Appends the JSON and releases it. */
static int put_json(cd_buf *b, cJSON *j)
{
	char *s = j ? cJSON_PrintUnformatted(j) : NULL;
	int rc = s ? cd_buf_puts(b, s) : -1;

	free(s);
	cJSON_Delete(j);
	return rc;
}

static int put_event(cd_buf *b, const char *event, cJSON *data)
{
	if (event && cd_buf_printf(b, "event: %s\n", event) < 0)
		return -1;
	if (cd_buf_puts(b, "data: ") < 0 || put_json(b, data) < 0)
		return -1;
	return cd_buf_puts(b, "\n\n");
}

/* Pieces of about len/64 bytes, at least 16: several deltas per reply. */
static size_t piece_len(size_t len)
{
	return len / 64 > 16 ? len / 64 : 16;
}

/* ---- OpenAI ---- */

static cJSON *openai_head(const struct reply_ctx *c, const char *object)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "id", "chatcmpl-fake");
	cJSON_AddStringToObject(j, "object", object);
	cJSON_AddNumberToObject(j, "created", 1700000000);
	cJSON_AddStringToObject(j, "model", c->model);
	return j;
}

static cJSON *openai_usage(const struct reply_ctx *c)
{
	cJSON *u = cJSON_CreateObject();

	cJSON_AddNumberToObject(u, "prompt_tokens", (double)c->in_tokens);
	cJSON_AddNumberToObject(u, "completion_tokens", (double)c->out_tokens);
	cJSON_AddNumberToObject(u, "total_tokens", (double)(c->in_tokens + c->out_tokens));
	if (c->r->cache_read_tokens) {
		cJSON *d = cJSON_AddObjectToObject(u, "prompt_tokens_details");
		long cached = c->r->cache_read_tokens;
		cJSON_AddNumberToObject(d, "cached_tokens",
					(double)(cached < c->in_tokens ? cached : c->in_tokens));
	}
	return u;
}

static int openai_plain(const struct reply_ctx *c, struct fake_answer *out)
{
	cJSON *j = openai_head(c, "chat.completion"), *choices, *choice, *msg;

	choices = cJSON_AddArrayToObject(j, "choices");
	choice = cJSON_CreateObject();
	cJSON_AddItemToArray(choices, choice);
	cJSON_AddNumberToObject(choice, "index", 0);
	msg = cJSON_AddObjectToObject(choice, "message");
	cJSON_AddStringToObject(msg, "role", "assistant");
	if (c->r->refusal) {
		cJSON_AddNullToObject(msg, "content");
		cJSON_AddStringToObject(msg, "refusal", c->r->refusal);
	} else {
		cJSON_AddStringToObject(msg, "content", c->content);
		cJSON_AddNullToObject(msg, "refusal");
	}
	cJSON_AddStringToObject(choice, "finish_reason", c->finish);
	cJSON_AddItemToObject(j, "usage", openai_usage(c));
	return put_json(&out->data, j);
}

/* One chunk: delta {key: value} (key NULL: empty delta) and finish. */
static cJSON *openai_chunk(const struct reply_ctx *c, const char *key, const char *val,
			   size_t len, const char *finish)
{
	cJSON *j = openai_head(c, "chat.completion.chunk"), *choice, *delta;
	char *piece = val ? strndup(val, len) : NULL;

	choice = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(j, "choices"), choice);
	cJSON_AddNumberToObject(choice, "index", 0);
	delta = cJSON_AddObjectToObject(choice, "delta");
	if (key && !strcmp(key, "role")) {
		cJSON_AddStringToObject(delta, "role", "assistant");
		cJSON_AddStringToObject(delta, "content", "");
	} else if (key) {
		cJSON_AddStringToObject(delta, key, piece ? piece : "");
	}
	if (finish)
		cJSON_AddStringToObject(choice, "finish_reason", finish);
	else
		cJSON_AddNullToObject(choice, "finish_reason");
	free(piece);
	return j;
}

static int openai_stream(const struct reply_ctx *c, struct fake_answer *out)
{
	cd_buf *b = &out->data;
	const char *key = c->r->refusal ? "refusal" : "content";
	const char *text = c->r->refusal ? c->r->refusal : c->content;
	size_t len = strlen(text), step = piece_len(len);
	cJSON *usage;

	if (put_event(b, NULL, openai_chunk(c, "role", NULL, 0, NULL)) < 0)
		return -1;
	out->first_event = b->len;
	for (size_t off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;
		if (put_event(b, NULL, openai_chunk(c, key, text + off, n, NULL)) < 0)
			return -1;
		if (!off && len > step) /* a stall comes after the first piece of text */
			out->first_event = b->len;
	}
	out->end_marker = b->len;
	if (put_event(b, NULL, openai_chunk(c, NULL, NULL, 0, c->finish)) < 0)
		return -1;
	usage = openai_head(c, "chat.completion.chunk");
	cJSON_AddArrayToObject(usage, "choices");
	cJSON_AddItemToObject(usage, "usage", openai_usage(c));
	if (put_event(b, NULL, usage) < 0)
		return -1;
	return cd_buf_puts(b, "data: [DONE]\n\n");
}

/* ---- Anthropic ---- */

/* Anthropic's input_tokens leaves out what was read from or written to
 * the prompt cache; in < 0: none (a stream's closing event). */
static cJSON *anthropic_usage(const struct fakellm_reply *r, long in, long out)
{
	cJSON *u = cJSON_CreateObject();
	long cached = in >= 0 ? r->cache_read_tokens + r->cache_write_tokens : 0;

	if (cached > in)
		cached = in;
	if (in >= 0)
		cJSON_AddNumberToObject(u, "input_tokens", (double)(in - cached));
	if (in >= 0 && r->cache_read_tokens)
		cJSON_AddNumberToObject(u, "cache_read_input_tokens",
					(double)(r->cache_read_tokens < in ? r->cache_read_tokens : in));
	if (in >= 0 && r->cache_write_tokens)
		cJSON_AddNumberToObject(u, "cache_creation_input_tokens",
					(double)(cached - (r->cache_read_tokens < in ? r->cache_read_tokens : in)));
	cJSON_AddNumberToObject(u, "output_tokens", (double)out);
	return u;
}

static cJSON *anthropic_message(const struct reply_ctx *c, int with_content)
{
	cJSON *j = cJSON_CreateObject(), *content, *block;

	cJSON_AddStringToObject(j, "id", "msg_fake");
	cJSON_AddStringToObject(j, "type", "message");
	cJSON_AddStringToObject(j, "role", "assistant");
	cJSON_AddStringToObject(j, "model", c->model);
	content = cJSON_AddArrayToObject(j, "content");
	if (with_content) {
		block = cJSON_CreateObject();
		cJSON_AddItemToArray(content, block);
		if (c->tool_input) {
			cJSON_AddStringToObject(block, "type", "tool_use");
			cJSON_AddStringToObject(block, "id", "toolu_fake");
			cJSON_AddStringToObject(block, "name", c->tool);
			cJSON_AddItemToObject(block, "input", cJSON_Duplicate(c->tool_input, 1));
		} else {
			cJSON_AddStringToObject(block, "type", "text");
			cJSON_AddStringToObject(block, "text",
						c->r->refusal ? c->r->refusal : c->content);
		}
	}
	if (with_content)
		cJSON_AddStringToObject(j, "stop_reason", c->finish);
	else
		cJSON_AddNullToObject(j, "stop_reason");
	cJSON_AddNullToObject(j, "stop_sequence");
	cJSON_AddItemToObject(j, "usage", anthropic_usage(c->r, c->in_tokens,
							  with_content ? c->out_tokens : 1));
	return j;
}

static cJSON *typed(const char *type)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "type", type);
	return j;
}

static cJSON *block_start(const struct reply_ctx *c)
{
	cJSON *j = typed("content_block_start"), *block;

	cJSON_AddNumberToObject(j, "index", 0);
	if (c->tool_input) {
		block = typed("tool_use");
		cJSON_AddStringToObject(block, "id", "toolu_fake");
		cJSON_AddStringToObject(block, "name", c->tool);
		cJSON_AddObjectToObject(block, "input");
	} else {
		block = typed("text");
		cJSON_AddStringToObject(block, "text", "");
	}
	cJSON_AddItemToObject(j, "content_block", block);
	return j;
}

static cJSON *block_delta(const struct reply_ctx *c, const char *text, size_t len)
{
	cJSON *j = typed("content_block_delta"), *d;
	char *piece = strndup(text, len);

	cJSON_AddNumberToObject(j, "index", 0);
	d = typed(c->tool_input ? "input_json_delta" : "text_delta");
	cJSON_AddStringToObject(d, c->tool_input ? "partial_json" : "text", piece ? piece : "");
	cJSON_AddItemToObject(j, "delta", d);
	free(piece);
	return j;
}

static int anthropic_stream(const struct reply_ctx *c, struct fake_answer *out)
{
	cd_buf *b = &out->data;
	char *tool_json = c->tool_input ? cJSON_PrintUnformatted(c->tool_input) : NULL;
	const char *text = tool_json ? tool_json : c->r->refusal ? c->r->refusal : c->content;
	size_t len = strlen(text), step = piece_len(len);
	cJSON *j, *delta;
	int rc = -1;

	j = typed("message_start");
	cJSON_AddItemToObject(j, "message", anthropic_message(c, 0));
	if (put_event(b, "message_start", j) < 0)
		goto out;
	out->first_event = b->len;
	if (put_event(b, "content_block_start", block_start(c)) < 0 ||
	    put_event(b, "ping", typed("ping")) < 0)
		goto out;
	for (size_t off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;
		if (put_event(b, "content_block_delta", block_delta(c, text + off, n)) < 0)
			goto out;
	}
	j = typed("content_block_stop");
	cJSON_AddNumberToObject(j, "index", 0);
	if (put_event(b, "content_block_stop", j) < 0)
		goto out;
	j = typed("message_delta");
	delta = cJSON_AddObjectToObject(j, "delta");
	cJSON_AddStringToObject(delta, "stop_reason", c->finish);
	cJSON_AddNullToObject(delta, "stop_sequence");
	cJSON_AddItemToObject(j, "usage", anthropic_usage(c->r, -1, c->out_tokens));
	out->end_marker = b->len;
	if (put_event(b, "message_delta", j) < 0)
		goto out;
	rc = put_event(b, "message_stop", typed("message_stop"));
out:
	free(tool_json);
	return rc;
}

/* The forced tool of a structured request: tool_choice's name, else the
 * first tool's. */
static const char *forced_tool(const cJSON *req)
{
	const cJSON *choice = cJSON_GetObjectItemCaseSensitive(req, "tool_choice");
	const cJSON *tools = cJSON_GetObjectItemCaseSensitive(req, "tools");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(choice, "name");

	if (cJSON_IsString(name))
		return name->valuestring;
	name = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(tools, 0), "name");
	return cJSON_IsString(name) ? name->valuestring : NULL;
}

int fake_build_reply(const struct fakellm_request *rq, const cJSON *req,
		     const struct fakellm_reply *r, struct fake_answer *out)
{
	const cJSON *model = cJSON_GetObjectItemCaseSensitive(req, "model");
	struct reply_ctx c = {
		.model = cJSON_IsString(model) ? model->valuestring : "fake-model",
		.content = r->content ? r->content : "ok",
		.r = r,
	};
	int rc;

	/* about a token per 4 bytes of what was sent, as real models count */
	c.in_tokens = r->input_tokens ? r->input_tokens : (long)rq->body_len / 4 + 1;
	c.out_tokens = r->output_tokens ? r->output_tokens : (long)strlen(c.content) / 4 + 1;
	if (rq->anthropic && !r->refusal && (c.tool = forced_tool(req)))
		c.tool_input = cJSON_Parse(c.content);
	if (r->finish_reason)
		c.finish = r->finish_reason;
	else if (!rq->anthropic)
		c.finish = "stop";
	else
		c.finish = r->refusal ? "refusal" : c.tool_input ? "tool_use" : "end_turn";
	out->status = 200;
	out->content_type = rq->stream ? "text/event-stream" : "application/json";
	if (rq->anthropic)
		rc = rq->stream ? anthropic_stream(&c, out) : put_json(&out->data, anthropic_message(&c, 1));
	else
		rc = rq->stream ? openai_stream(&c, out) : openai_plain(&c, out);
	if (!rq->stream) {
		out->first_event = out->data.len ? 1 : 0;
		out->end_marker = out->data.len;
	}
	cJSON_Delete(c.tool_input);
	return rc;
}

static void error_words(int anthropic, int status, const char **type, const char **msg)
{
	switch (status) {
	case 400: *type = "invalid_request_error"; *msg = "Invalid request"; break;
	case 401: *type = "authentication_error"; *msg = "Incorrect API key provided"; break;
	case 403: *type = "permission_error"; *msg = "Not allowed"; break;
	case 404: *type = "not_found_error"; *msg = "The model does not exist"; break;
	case 429: *type = "rate_limit_error"; *msg = "Rate limit reached; try again later"; break;
	case 529: *type = "overloaded_error"; *msg = "Overloaded"; break;
	default:
		*type = status < 500 ? "invalid_request_error" : anthropic ? "api_error" : "server_error";
		*msg = status == 503 ? "The server is overloaded" : "The server had an error";
	}
}

int fake_build_error(int anthropic, int status, const char *message, struct fake_answer *out)
{
	const char *type, *msg;
	cJSON *j = cJSON_CreateObject(), *e;

	error_words(anthropic, status, &type, &msg);
	if (message) {
		msg = message;
		if (status == 429 && !anthropic && strstr(message, "quota"))
			type = "insufficient_quota"; /* as OpenAI says it */
	}
	if (anthropic)
		cJSON_AddStringToObject(j, "type", "error");
	e = cJSON_AddObjectToObject(j, "error");
	if (anthropic) {
		cJSON_AddStringToObject(e, "type", type);
		cJSON_AddStringToObject(e, "message", msg);
	} else {
		cJSON_AddStringToObject(e, "message", msg);
		cJSON_AddStringToObject(e, "type", type);
		cJSON_AddNullToObject(e, "param");
		cJSON_AddNullToObject(e, "code");
	}
	out->status = status;
	out->content_type = "application/json";
	if (put_json(&out->data, j) < 0)
		return -1;
	out->first_event = 1;
	out->end_marker = out->data.len;
	return 0;
}

int fake_build_stream_error(int anthropic, struct fake_answer *out)
{
	cJSON *j = cJSON_CreateObject(), *e;

	out->data.len = out->first_event;
	if (anthropic)
		cJSON_AddStringToObject(j, "type", "error");
	e = cJSON_AddObjectToObject(j, "error");
	cJSON_AddStringToObject(e, "type", anthropic ? "overloaded_error" : "server_error");
	cJSON_AddStringToObject(e, "message", "Overloaded");
	if (put_event(&out->data, anthropic ? "error" : NULL, j) < 0)
		return -1;
	out->end_marker = out->data.len;
	return 0;
}
