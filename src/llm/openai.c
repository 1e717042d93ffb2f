/* openai.c — the OpenAI chat completions API, and every server that speaks
 * it (Ollama, llama.cpp, vLLM, OpenRouter). */
#include "codicil/error.h"
#include "codicil/json.h"
#include "llm_internal.h"

#include <stdlib.h>
#include <string.h>

static cJSON *build_messages(const llm_request *req)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < req->nmessages; i++) {
		cJSON *m = cJSON_CreateObject();
		if (!m || !cJSON_AddItemToArray(arr, m) ||
		    !cJSON_AddStringToObject(m, "role", req->messages[i].role) ||
		    !cJSON_AddStringToObject(m, "content", req->messages[i].content ?
					     req->messages[i].content : "")) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static int add_response_format(cJSON *body, const llm_request *req)
{
	cJSON *rf = cJSON_AddObjectToObject(body, "response_format"), *js;

	if (!rf || !cJSON_AddStringToObject(rf, "type", "json_schema"))
		return -1;
	js = cJSON_AddObjectToObject(rf, "json_schema");
	if (!js || !cJSON_AddStringToObject(js, "name", req->schema_name ?
					    req->schema_name : "reply") ||
	    !cJSON_AddItemToObject(js, "schema", cJSON_Duplicate(req->schema, 1)) ||
	    !cJSON_AddTrueToObject(js, "strict"))
		return -1;
	return 0;
}

static cJSON *build_body(const llm_request *req)
{
	cJSON *body = cJSON_CreateObject(), *msgs = build_messages(req);
	int ok = body && msgs;

	ok = ok && cJSON_AddStringToObject(body, "model", req->model ? req->model :
					   llm_openai_provider.default_model);
	ok = ok && cJSON_AddItemToObject(body, "messages", msgs);
	if (!ok)
		cJSON_Delete(msgs);
	ok = ok && cJSON_AddNumberToObject(body, "max_tokens", req->max_tokens > 0 ?
					   req->max_tokens : LLM_DEFAULT_MAX_TOKENS);
	if (ok && req->temperature >= 0)
		ok = cJSON_AddNumberToObject(body, "temperature", req->temperature) != NULL;
	/* samples after the first are distinct, reproducible requests */
	if (ok && req->sample > 0)
		ok = cJSON_AddNumberToObject(body, "seed", req->sample) != NULL;
	if (ok && req->stream) {
		cJSON *so;
		ok = cJSON_AddTrueToObject(body, "stream") &&
		     (so = cJSON_AddObjectToObject(body, "stream_options")) &&
		     cJSON_AddTrueToObject(so, "include_usage");
	}
	if (ok && req->schema)
		ok = add_response_format(body, req) == 0;
	if (!ok) {
		cJSON_Delete(body);
		return NULL;
	}
	return body;
}

static int openai_build(const llm_endpoint *ep, const llm_request *req, llm_http *out)
{
	const char *base = ep->base_url ? ep->base_url : llm_openai_provider.default_base_url;
	cJSON *body = build_body(req);
	int rc = 0;

	memset(out, 0, sizeof *out);
	rc |= !body;
	rc |= llm_http_set_url(out, base, "/chat/completions");
	rc |= llm_http_add_header(out, "Content-Type: application/json");
	if (req->stream)
		rc |= llm_http_add_header(out, "Accept: text/event-stream");
	if (ep->api_key && *ep->api_key)
		rc |= llm_http_add_header(out, "Authorization: Bearer %s", ep->api_key);
	if (body)
		rc |= llm_http_set_body(out, body);
	cJSON_Delete(body);
	return rc ? llm_http_fail_oom(out) : 0;
}

/* {"error": {"message": ...}} from OpenAI; {"error": "..."} from Ollama. */
static const char *error_message(const cJSON *root)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");

	if (cJSON_IsString(err))
		return err->valuestring;
	return cd_json_str(err, "message");
}

/* content: a string, or an array of parts {"type": "text", "text": ...}. */
static int collect_content(const cJSON *content, cd_buf *text, const char **refusal)
{
	const cJSON *part;

	if (cJSON_IsString(content))
		return cd_buf_puts(text, content->valuestring);
	if (!cJSON_IsArray(content))
		return -1;
	cd_buf_append(text, "", 0);
	cJSON_ArrayForEach(part, content) {
		const char *type = cd_json_str(part, "type");
		if (type && !strcmp(type, "refusal") && cd_json_str(part, "refusal"))
			*refusal = cd_json_str(part, "refusal");
		else if (cd_json_str(part, "text") && cd_buf_puts(text, cd_json_str(part, "text")) < 0)
			return -1;
	}
	return 0;
}

static void read_usage(const cJSON *usage, llm_usage *u)
{
	if (!cJSON_IsObject(usage))
		return;
	u->input_tokens = cd_json_long(usage, "prompt_tokens", u->input_tokens);
	u->output_tokens = cd_json_long(usage, "completion_tokens", u->output_tokens);
	u->cached_input_tokens = cd_json_long(cJSON_GetObjectItemCaseSensitive(usage,
						"prompt_tokens_details"), "cached_tokens",
					      u->cached_input_tokens);
}

static int refused(llm_response *out, const char *why)
{
	cd_buf line = CD_BUF_INIT;
	int rc;

	llm_error_text(why, strlen(why), LLM_ERROR_TEXT_MAX, &line);
	rc = llm_response_fail(out, LLM_ERR_REFUSED, "the model refused: %s",
			       line.len ? line.data : "no reason given");
	cd_buf_clear(&line);
	return rc;
}

static int parse_choice(const llm_request *req, const cJSON *root, llm_response *out)
{
	const cJSON *choice = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "choices"), 0);
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(choice, "message");
	const char *refusal = cd_json_str(msg, "refusal"), *fr = cd_json_str(choice, "finish_reason");
	cd_buf text = CD_BUF_INIT;
	int truncated = fr && !strcmp(fr, "length");

	if (!cJSON_IsObject(msg))
		return llm_response_fail(out, LLM_ERR_PARSE,
					 "openai: the reply has no choices[0].message; "
					 "is the endpoint OpenAI-compatible?");
	out->finish_reason = llm_strdup(fr);
	if (collect_content(cJSON_GetObjectItemCaseSensitive(msg, "content"), &text, &refusal) < 0 &&
	    !refusal && !truncated) {
		cd_buf_clear(&text);
		return llm_response_fail(out, LLM_ERR_PARSE, "openai: the reply has no message content");
	}
	out->text = cd_buf_detach(&text);
	if (refusal)
		return refused(out, refusal);
	if (fr && !strcmp(fr, "content_filter"))
		return refused(out, "the provider's content filter stopped the reply");
	return llm_finish_reply(req, out, truncated);
}

static int openai_parse(const llm_request *req, long http_status, const char *body,
			size_t len, llm_response *out)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	int rc;

	out->http_status = http_status;
	llm_keep_body(out, body, len);
	if (!llm_is_2xx(http_status)) {
		rc = llm_http_error(out, "openai", llm_openai_provider.key_env, http_status,
				    root ? error_message(root) : NULL, body, len);
		cJSON_Delete(root);
		return rc;
	}
	if (!root)
		return llm_response_fail(out, LLM_ERR_PARSE, "openai: the reply is not JSON");
	read_usage(cJSON_GetObjectItemCaseSensitive(root, "usage"), &out->usage);
	if (error_message(root) && !cJSON_GetObjectItemCaseSensitive(root, "choices")) {
		cd_buf line = CD_BUF_INIT;
		llm_error_text(error_message(root), strlen(error_message(root)),
			       LLM_ERROR_TEXT_MAX, &line);
		rc = llm_response_fail(out, LLM_ERR_PARSE, "openai: error in the reply: %s", line.data);
		cd_buf_clear(&line);
	} else {
		rc = parse_choice(req, root, out);
	}
	cJSON_Delete(root);
	return rc;
}

static int stream_chunk(llm_stream *st, const cJSON *chunk)
{
	const cJSON *choice = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(chunk, "choices"), 0);
	const cJSON *delta = cJSON_GetObjectItemCaseSensitive(choice, "delta");
	const char *content = cd_json_str(delta, "content"), *fr = cd_json_str(choice, "finish_reason");

	read_usage(cJSON_GetObjectItemCaseSensitive(chunk, "usage"), &st->usage);
	if (error_message(chunk) && !st->error)
		st->error = strdup(error_message(chunk));
	if (cd_json_str(delta, "refusal"))
		st->refused = 1;
	if (fr) {
		free(st->finish_reason);
		st->finish_reason = strdup(fr);
		st->refused |= !strcmp(fr, "content_filter");
	}
	if (content && cd_buf_puts(&st->text, content) < 0)
		return -1;
	return 0;
}

static int openai_stream_event(llm_stream *st, const char *event, const char *data)
{
	cJSON *chunk;
	int rc;

	if (!strcmp(data, "[DONE]")) {
		st->done = 1;
		return 0;
	}
	chunk = cJSON_Parse(data);
	if (!chunk) {
		cd_err_set("openai: a stream event is not JSON");
		return -1;
	}
	rc = stream_chunk(st, chunk);
	cJSON_Delete(chunk);
	return rc;
}

const llm_provider llm_openai_provider = {
	.name = "openai",
	.default_base_url = "https://api.openai.com/v1",
	.default_model = "gpt-4.1",
	.key_env = "OPENAI_API_KEY",
	.build = openai_build,
	.parse = openai_parse,
	.stream_event = openai_stream_event,
};
