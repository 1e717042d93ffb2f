/* client_call.c — one call of the client: its copy of the request, the
 * repair request, and what is kept of a successful answer (cache entry,
 * cassette line, hashes, transcript). */
#include "client_int.h"

#include "codicil/cache.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPAIR_NOTE "Your reply could not be used: %s. Reply again with the whole answer, " \
	"corrected, as JSON only."

const llm_request *cjob_asked(const struct cjob *j)
{
	return j->repairing ? &j->repair : &j->req;
}

static char *dup_or_null(const char *s, int *ok)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*ok = 0;
	return d;
}

int cjob_copy_request(llm_request *dst, const llm_request *src, const char *model)
{
	llm_message *msgs = calloc(src->nmessages ? src->nmessages : 1, sizeof *msgs);
	int ok = msgs != NULL;

	*dst = *src;
	dst->messages = msgs;
	dst->model = dup_or_null(src->model ? src->model : model, &ok);
	dst->schema_name = dup_or_null(src->schema_name, &ok);
	dst->about = dup_or_null(src->about, &ok);
	dst->schema = src->schema ? cJSON_Duplicate(src->schema, 1) : NULL;
	ok = ok && (!src->schema || dst->schema);
	for (size_t i = 0; ok && i < src->nmessages; i++) {
		msgs[i].role = dup_or_null(src->messages[i].role ? src->messages[i].role : "user", &ok);
		msgs[i].content = dup_or_null(src->messages[i].content ?
					      src->messages[i].content : "", &ok);
	}
	if (!ok) {
		cjob_free_request(dst);
		cd_err_set("out of memory while queueing an LLM request");
		return -1;
	}
	return 0;
}

void cjob_free_request(llm_request *r)
{
	llm_message *msgs = (llm_message *)r->messages;

	for (size_t i = 0; msgs && i < r->nmessages; i++) {
		free((char *)msgs[i].role);
		free((char *)msgs[i].content);
	}
	free(msgs);
	free((char *)r->model);
	free((char *)r->schema_name);
	free((char *)r->about);
	cJSON_Delete((cJSON *)r->schema);
	memset(r, 0, sizeof *r);
}

/* The repair borrows req's strings and owns the two messages it adds. */
int cjob_make_repair(struct cjob *j)
{
	size_t n = j->req.nmessages;
	const char *why = j->resp.error ? j->resp.error : "invalid JSON";
	int len = snprintf(NULL, 0, REPAIR_NOTE, why);

	free(j->repair_msgs);
	free(j->repair_reply);
	free(j->repair_note);
	free(j->reask_why);
	j->reask_why = strdup(why);
	j->repair_msgs = calloc(n + 2, sizeof *j->repair_msgs);
	j->repair_reply = strdup(j->resp.text ? j->resp.text : "");
	j->repair_note = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!j->repair_msgs || !j->repair_reply || !j->repair_note || !j->reask_why) {
		cd_err_set("out of memory while asking for a repair");
		return -1;
	}
	snprintf(j->repair_note, (size_t)len + 1, REPAIR_NOTE, why);
	memcpy(j->repair_msgs, j->req.messages, n * sizeof *j->repair_msgs);
	j->repair_msgs[n] = (llm_message){ "assistant", j->repair_reply };
	j->repair_msgs[n + 1] = (llm_message){ "user", j->repair_note };
	j->repair = j->req;
	j->repair.messages = j->repair_msgs;
	j->repair.nmessages = n + 2;
	j->prior_attempts += j->resp.attempts;
	j->prior_latency_ms += j->resp.latency_ms;
	j->prior_usage.input_tokens += j->resp.usage.input_tokens;
	j->prior_usage.output_tokens += j->resp.usage.output_tokens;
	j->prior_usage.cached_input_tokens += j->resp.usage.cached_input_tokens;
	j->repairing = 1;
	j->reasks++;
	llm_response_clear(&j->resp);
	return 0;
}

static int add_string(cJSON *o, const char *key, const char *v)
{
	return v ? cJSON_AddStringToObject(o, key, v) != NULL :
		   cJSON_AddNullToObject(o, key) != NULL;
}

/* What a request would be, for the transcript and the request hash, when
 * no HTTP body exists (replay). */
char *client_replay_body(const llm_request *req)
{
	cJSON *o = cJSON_CreateObject(), *msgs;
	cd_buf out = CD_BUF_INIT;
	int ok = o && add_string(o, "model", req->model) &&
		 (msgs = cJSON_AddArrayToObject(o, "messages"));

	for (size_t i = 0; ok && i < req->nmessages; i++) {
		cJSON *m = cJSON_CreateObject();
		ok = m && cJSON_AddItemToArray(msgs, m) &&
		     add_string(m, "role", req->messages[i].role) &&
		     add_string(m, "content", req->messages[i].content);
	}
	ok = ok && add_string(o, "schema_name", req->schema_name);
	ok = ok && cJSON_AddItemToObject(o, "schema", req->schema ?
					 cJSON_Duplicate(req->schema, 1) : cJSON_CreateNull());
	ok = ok && cJSON_AddNumberToObject(o, "sample", req->sample);
	if (!ok || cd_json_print_compact(o, &out) < 0)
		cd_buf_clear(&out);
	cJSON_Delete(o);
	return out.data;
}

int client_body_sha(const char *body, char out[CD_SHA256_HEX])
{
	cJSON *j = cJSON_Parse(body ? body : ""), *canon;
	cd_buf b = CD_BUF_INIT;
	int rc = -1;

	if (!j) {
		cd_sha256_hex(body ? body : "", body ? strlen(body) : 0, out);
		return 0;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(j, "stream");
	cJSON_DeleteItemFromObjectCaseSensitive(j, "stream_options");
	canon = cd_json_canonical(j);
	if (canon && cd_json_print_compact(canon, &b) == 0) {
		cd_sha256_hex(b.data, b.len, out);
		rc = 0;
	}
	cJSON_Delete(canon);
	cJSON_Delete(j);
	cd_buf_clear(&b);
	return rc;
}

/* The body as the server sent it when it is JSON; else the text. */
static cJSON *response_json(const struct cjob *j)
{
	cJSON *r = NULL;

	if (!j->resp.cached && !j->replayed && j->resp.body)
		r = cJSON_Parse(j->resp.body);
	if (!r && (r = cJSON_CreateObject()))
		cJSON_AddStringToObject(r, "text", j->resp.text ? j->resp.text : "");
	return r;
}

static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static cJSON *transcript_json(const llm_client *c, const struct cjob *j)
{
	cJSON *o = cJSON_CreateObject(), *usage;
	char created[32];
	int ok;

	now_iso(created);
	ok = o &&
	     cJSON_AddStringToObject(o, "provider",
				     c->set.http ? c->set.http->name : c->set.provider) &&
	     cJSON_AddStringToObject(o, "endpoint_host", c->endpoint_host) &&
	     cJSON_AddStringToObject(o, "model", cjob_asked(j)->model) &&
	     cJSON_AddItemToObject(o, "request", j->body ? cJSON_Parse(j->body) : cJSON_CreateNull()) &&
	     cJSON_AddItemToObject(o, "response", response_json(j)) &&
	     (usage = cJSON_AddObjectToObject(o, "usage")) &&
	     cJSON_AddNumberToObject(usage, "input_tokens", (double)j->resp.usage.input_tokens) &&
	     cJSON_AddNumberToObject(usage, "output_tokens", (double)j->resp.usage.output_tokens) &&
	     cJSON_AddNumberToObject(usage, "cached_input_tokens",
				     (double)j->resp.usage.cached_input_tokens) &&
	     cJSON_AddNumberToObject(o, "latency_ms", (double)j->resp.latency_ms) &&
	     cJSON_AddStringToObject(o, "created", created);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* .git/codicil/transcripts/<sha256 of the file>.json; "" on failure: a
 * transcript is a record of the call, never a reason to lose its answer. */
static void write_transcript(llm_client *c, struct cjob *j)
{
	cJSON *t = transcript_json(c, j);
	cd_buf text = CD_BUF_INIT, path = CD_BUF_INIT;
	char sha[CD_SHA256_HEX];

	j->transcript[0] = '\0';
	if (!t || cd_json_print(t, &text) < 0)
		goto out;
	cd_sha256_hex(text.data, text.len, sha);
	if (store_local_path(c->s, "transcripts", &path) < 0 ||
	    cd_buf_printf(&path, "/%s.json", sha) < 0)
		goto out;
	if (cd_file_exists(path.data) || cd_file_replace(path.data, text.data, text.len) == 0)
		memcpy(j->transcript, sha, CD_SHA256_HEX);
	else
		cd_warn("cannot keep the transcript of a model answer: %s", cd_err_msg());
out:
	cJSON_Delete(t);
	cd_buf_clear(&text);
	cd_buf_clear(&path);
}

/* Stored without the raw body: a cached answer is replayed as text. */
static void put_cache(llm_client *c, struct cjob *j)
{
	char *body = j->resp.body;

	j->resp.body = NULL;
	if (cache_put(c->set.cache_dir, j->cache_key, &j->resp) < 0)
		cd_warn("cannot cache a model answer (it will be asked again next time): %s",
			cd_err_msg());
	j->resp.body = body;
}

static void hash_response(struct cjob *j)
{
	const char *raw = !j->resp.cached && !j->replayed && j->resp.body ? j->resp.body :
			  j->resp.text ? j->resp.text : "";

	cd_sha256_hex(raw, strlen(raw), j->response_sha);
}

void client_keep_invalid(llm_client *c, struct cjob *j)
{
	hash_response(j);
	if (c->s && !c->o.no_transcripts)
		write_transcript(c, j);
}

void client_keep_answer(llm_client *c, struct cjob *j)
{
	hash_response(j);
	if (j->has_cache_key && !c->o.no_cache && !j->resp.cached)
		put_cache(c, j);
	if (c->set.http && c->set.cassette &&
	    cassette_append(c->set.cassette, &j->req, &j->resp) < 0) {
		llm_response_fail(&j->resp, LLM_ERR_REPLAY, "cannot record the answer: %s",
				  cd_err_msg());
		return;
	}
	if (c->s && !c->o.no_transcripts)
		write_transcript(c, j);
}
