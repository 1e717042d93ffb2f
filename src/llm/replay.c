/* replay.c — cassettes of recorded answers (JSONL), keyed independently of
 * model and endpoint. */
#include "codicil/replay.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"
#include "llm_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char key[CD_SHA256_HEX];
	size_t line; /* later lines win */
	cJSON *reply;
} entry;

struct cassette {
	entry *entries;
	size_t n, cap;
	size_t skipped;
};

/* {messages, sample, schema, schema_name} in canonical form. */
static cJSON *canonical_request(const llm_request *req)
{
	cJSON *r = cJSON_CreateObject(), *msgs, *canon;
	int ok = r && (msgs = cJSON_AddArrayToObject(r, "messages"));

	for (size_t i = 0; ok && i < req->nmessages; i++) {
		cJSON *m = cJSON_CreateObject();
		ok = m && cJSON_AddItemToArray(msgs, m) &&
		     cJSON_AddStringToObject(m, "role", req->messages[i].role ?
					     req->messages[i].role : "user") &&
		     cJSON_AddStringToObject(m, "content", req->messages[i].content ?
					     req->messages[i].content : "");
	}
	ok = ok && cJSON_AddNumberToObject(r, "sample", req->sample);
	ok = ok && cJSON_AddItemToObject(r, "schema", req->schema ?
					 cJSON_Duplicate(req->schema, 1) : cJSON_CreateNull());
	ok = ok && cJSON_AddItemToObject(r, "schema_name", req->schema_name ?
					 cJSON_CreateString(req->schema_name) : cJSON_CreateNull());
	canon = ok ? cd_json_canonical(r) : NULL;
	cJSON_Delete(r);
	if (!canon)
		cd_err_set("out of memory");
	return canon;
}

static int key_of(const cJSON *canon, char out[CD_SHA256_HEX])
{
	cd_buf b = CD_BUF_INIT;

	if (cd_json_print_compact(canon, &b) < 0) {
		cd_buf_clear(&b);
		return -1;
	}
	cd_sha256_hex(b.data, b.len, out);
	cd_buf_clear(&b);
	return 0;
}

int replay_key(const llm_request *req, char out[CD_SHA256_HEX])
{
	cJSON *canon = canonical_request(req);
	int rc = canon ? key_of(canon, out) : -1;

	cJSON_Delete(canon);
	return rc;
}

static int add_entry(cassette *c, const char *key, cJSON *reply, size_t line)
{
	entry *grown = cd_grow(c->entries, c->n, &c->cap, sizeof *grown, 64);
	if (!grown) {
		cd_err_set("out of memory");
		return -1;
	}
	c->entries = grown;
	memcpy(c->entries[c->n].key, key, CD_SHA256_HEX);
	c->entries[c->n].line = line;
	c->entries[c->n].reply = reply;
	c->n++;
	return 0;
}

/* 1: loaded, 0: not an answer, -1: out of memory */
static int load_line(cassette *c, const char *s, size_t len, size_t lineno)
{
	cJSON *j = cJSON_ParseWithLength(s, len), *reply;
	const char *key = cd_json_str(j, "key");
	int rc = 0;

	reply = cJSON_DetachItemFromObjectCaseSensitive(j, "response");
	if (key && strlen(key) == 64 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(reply, "text"))) {
		rc = add_entry(c, key, reply, lineno) < 0 ? -1 : 1;
		if (rc > 0)
			reply = NULL;
	}
	cJSON_Delete(reply);
	cJSON_Delete(j);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort by key; of equal keys keep the last line. */
static void sort_dedupe(cassette *c)
{
	size_t out = 0;

	qsort(c->entries, c->n, sizeof *c->entries, cmp_entry);
	for (size_t i = 0; i < c->n; i++) {
		if (i + 1 < c->n && !strcmp(c->entries[i].key, c->entries[i + 1].key)) {
			cJSON_Delete(c->entries[i].reply);
			continue;
		}
		c->entries[out++] = c->entries[i];
	}
	c->n = out;
}

static int load(cassette *c, const char *data, size_t len)
{
	size_t lineno = 0, pos = 0;

	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		int rc;

		lineno++;
		rc = end > pos ? load_line(c, data + pos, end - pos, lineno) : 1;
		if (rc < 0)
			return -1;
		/* a last line without '\n' may be a write cut short: ignore it
		 * quietly unless it is a whole answer */
		if (rc == 0 && nl)
			c->skipped++;
		pos = end + 1;
	}
	sort_dedupe(c);
	return 0;
}

#define CASSETTE_MAX ((size_t)256 << 20)

int cassette_open(const char *path, cassette **out)
{
	cd_buf data = { .max = CASSETTE_MAX };
	cassette *c = calloc(1, sizeof *c);

	*out = NULL;
	if (!c) {
		cd_err_set("out of memory");
		return -1;
	}
	if (cd_file_read(path, &data) < 0 || load(c, data.data, data.len) < 0) {
		cd_err_prefix("cassette");
		cd_buf_clear(&data);
		cassette_free(c);
		return -1;
	}
	cd_buf_clear(&data);
	*out = c;
	return 0;
}

size_t cassette_count(const cassette *c)
{
	return c->n;
}

size_t cassette_skipped(const cassette *c)
{
	return c->skipped;
}

static const entry *find(const cassette *c, const char *key)
{
	entry probe;

	memcpy(probe.key, key, CD_SHA256_HEX);
	probe.line = 0;
	for (size_t lo = 0, hi = c->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(probe.key, c->entries[mid].key);
		if (!cmp)
			return &c->entries[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int cassette_lookup(const cassette *c, const llm_request *req, llm_response *out)
{
	char key[CD_SHA256_HEX];
	const entry *e;

	llm_response_clear(out);
	if (replay_key(req, key) < 0)
		return llm_response_fail(out, LLM_ERR_REPLAY, "%s", cd_err_msg());
	e = find(c, key);
	if (!e) {
		llm_response_fail(out, LLM_ERR_REPLAY,
				  "replay: no recorded answer for this request (key %.12s) "
				  "in the cassette; record one first", key);
		return 0;
	}
	llm_reply_from_json(e->reply, out);
	if (req->schema)
		llm_structured_finish(req, out);
	return 1;
}

int cassette_append(const char *path, const llm_request *req, const llm_response *resp)
{
	cJSON *line = NULL, *canon = NULL, *reply = NULL;
	cd_buf text = CD_BUF_INIT;
	char key[CD_SHA256_HEX];
	int rc = -1;

	if (resp->status != LLM_OK || !resp->text) {
		cd_err_set("only successful replies are recorded (this one: %s)",
			   llm_status_name(resp->status));
		return -1;
	}
	canon = canonical_request(req);
	reply = llm_reply_to_json(resp);
	line = cJSON_CreateObject();
	if (!canon || !reply || !line || key_of(canon, key) < 0 ||
	    !cJSON_AddStringToObject(line, "key", key)) {
		cd_err_set("out of memory");
		goto out;
	}
	cJSON_AddItemToObject(line, "request", canon);
	canon = NULL;
	cJSON_AddItemToObject(line, "response", reply);
	reply = NULL;
	if (cd_json_print_compact(line, &text) == 0 && cd_buf_putc(&text, '\n') == 0)
		rc = cd_file_append_line_sync(path, text.data, text.len);
out:
	cJSON_Delete(line);
	cJSON_Delete(canon);
	cJSON_Delete(reply);
	cd_buf_clear(&text);
	return rc;
}

void cassette_free(cassette *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		cJSON_Delete(c->entries[i].reply);
	free(c->entries);
	free(c);
}
