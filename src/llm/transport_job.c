/* transport_job.c — one job of the transport: its private copies of the
 * request, one curl easy handle per attempt, the capped body, the stream
 * state, and turning the last attempt into an llm_response. */
#include "transport_int.h"
#include "llm_internal.h"

#include "codicil/error.h"

#include <stdlib.h>
#include <string.h>

static size_t strsize(const char *s)
{
	return (s ? strlen(s) : 0) + 1;
}

static const char *arena_put(char **at, const char *s)
{
	char *p = *at;
	size_t n = strsize(s);

	memcpy(p, s ? s : "", n);
	*at += n;
	return p;
}

static int copy_request(struct xjob *j, const llm_request *req)
{
	size_t total = strsize(req->model) + strsize(req->schema_name);
	char *at;

	for (size_t i = 0; i < req->nmessages; i++)
		total += strsize(req->messages[i].role) + strsize(req->messages[i].content);
	j->arena = malloc(total);
	j->msgs = calloc(req->nmessages ? req->nmessages : 1, sizeof *j->msgs);
	if (!j->arena || !j->msgs)
		return -1;
	j->req = *req;
	at = j->arena;
	j->req.model = req->model ? arena_put(&at, req->model) : NULL;
	j->req.schema_name = req->schema_name ? arena_put(&at, req->schema_name) : NULL;
	for (size_t i = 0; i < req->nmessages; i++) {
		j->msgs[i].role = arena_put(&at, req->messages[i].role);
		j->msgs[i].content = arena_put(&at, req->messages[i].content);
	}
	j->req.messages = j->msgs;
	j->req.schema = NULL;
	if (req->schema) {
		j->req.schema = cJSON_Duplicate(req->schema, 1);
		if (!j->req.schema)
			return -1;
	}
	return 0;
}

static int copy_http(struct xjob *j, const llm_http *http)
{
	j->url = strdup(http->url);
	j->body = malloc(http->body_len + 1);
	if (!j->url || !j->body)
		return -1;
	memcpy(j->body, http->body ? http->body : "", http->body_len);
	j->body[http->body_len] = '\0';
	j->body_len = http->body_len;
	for (char **h = http->headers; h && *h; h++) {
		struct curl_slist *l = curl_slist_append(j->headers, *h);
		if (!l)
			return -1;
		j->headers = l;
	}
	/* no "100-continue" round trip for large prompts */
	j->headers = curl_slist_append(j->headers, "Expect:");
	return j->headers ? 0 : -1;
}

struct xjob *job_new(const llm_provider *p, const llm_request *req, const llm_http *http)
{
	struct xjob *j = calloc(1, sizeof *j);

	if (!j || copy_request(j, req) < 0 || copy_http(j, http) < 0) {
		job_free(j);
		cd_err_set("out of memory while queueing an LLM request");
		return NULL;
	}
	j->p = p;
	return j;
}

/* Headers may carry an API key: wipe them before the memory is reused. */
static void free_headers(struct curl_slist *h)
{
	for (struct curl_slist *l = h; l; l = l->next)
		memset(l->data, 0, strlen(l->data));
	curl_slist_free_all(h);
}

void job_free(struct xjob *j)
{
	if (!j)
		return;
	job_end_attempt(j);
	free(j->arena);
	free(j->msgs);
	cJSON_Delete((cJSON *)j->req.schema);
	free(j->url);
	free_headers(j->headers);
	free(j->body);
	cd_buf_clear(&j->reply);
	llm_sse_clear(&j->sse);
	llm_stream_clear(&j->stream);
	free(j);
}

static long http_status(struct xjob *j)
{
	long code = 0;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

static int is_2xx(long code)
{
	return code >= 200 && code < 300;
}

static int on_sse_event(void *ud, const char *event, const char *data)
{
	struct xjob *j = ud;

	j->nevents++;
	if (!j->p->stream_event || j->p->stream_event(&j->stream, event, data) < 0)
		return -1;
	if (j->req.on_text && j->stream.text.len > j->streamed) {
		j->req.on_text(j->req.text_ud, j->stream.text.data + j->streamed,
			       j->stream.text.len - j->streamed);
		j->streamed = j->stream.text.len;
	}
	return 0;
}

/* Returning less than n aborts the transfer with CURLE_WRITE_ERROR. */
static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xjob *j = ud;
	size_t n = size * nmemb;

	if (n > j->reply.max - j->reply.len || cd_buf_append(&j->reply, ptr, n) < 0) {
		j->too_large = 1;
		return 0;
	}
	if (j->req.stream && is_2xx(http_status(j)) &&
	    llm_sse_feed(&j->sse, ptr, n, on_sse_event, j) < 0) {
		j->stream_bad = 1;
		return 0;
	}
	return n;
}

/* The stall watchdog.  CURLOPT_LOW_SPEED_TIME alone fires late: curl
 * averages the speed over the last five seconds, so the request's own
 * bytes keep it above 1 byte/s for a while.  curl calls this whenever it
 * looks at the transfer, so a stall is seen as soon as the loop wakes up
 * (it wakes by job_stall_deadline). */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct xjob *j = ud;
	double now = xport_now_ms();

	if (dlnow + ulnow != j->moved) {
		j->moved = dlnow + ulnow;
		j->last_activity_ms = now;
	} else if (now - j->last_activity_ms >= j->stall_ms) {
		j->stalled = 1;
		return 1;
	}
	return 0;
}

double job_stall_deadline(const struct xjob *j)
{
	return j->last_activity_ms + j->stall_ms;
}

static void reset_attempt_state(struct xjob *j, size_t max_body)
{
	cd_buf_clear(&j->reply);
	j->reply.max = max_body;
	llm_sse_clear(&j->sse);
	llm_stream_clear(&j->stream);
	memset(&j->sse, 0, sizeof j->sse); /* in case clear only frees */
	memset(&j->stream, 0, sizeof j->stream);
	j->nevents = 0;
	j->streamed = 0;
	j->too_large = 0;
	j->stream_bad = 0;
	j->stalled = 0;
	j->moved = 0;
	j->last_activity_ms = xport_now_ms();
	j->errbuf[0] = '\0';
}

int job_start_attempt(struct xjob *j, const xport_opts *o)
{
	CURL *e = curl_easy_init();

	if (!e) {
		cd_err_set("cannot create an HTTP handle: out of memory");
		return -1;
	}
	reset_attempt_state(j, o->max_body);
	j->stall_ms = (double)o->stall_timeout_s * 1e3;
	j->attempt_start_ms = xport_now_ms();
	j->deadline_s = o->attempt_timeout_s;
	j->min_rate = o->min_rate;
	j->easy = e;
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->body_len);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->min_rate);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->stall_timeout_s);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, o->attempt_timeout_s);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, j);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "codicil/" CODICIL_VERSION);
	j->attempts++;
	return 0;
}

void job_end_attempt(struct xjob *j)
{
	if (j->easy)
		curl_easy_cleanup(j->easy);
	j->easy = NULL;
}

static int retryable_curl_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
		return 1;
	default:
		return 0;
	}
}

static int retryable_status(long code)
{
	static const long codes[] = { 408, 409, 429, 500, 502, 503, 504, 529 };

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (code == codes[i])
			return 1;
	return 0;
}

static double retry_after_s(struct xjob *j)
{
	curl_off_t s = 0;

	if (curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &s) != CURLE_OK || s <= 0)
		return -1;
	return (double)s;
}

/* The transfer error in words, never quoting a header. */
static void describe_curl_error(struct xjob *j, CURLcode rc, char *out, size_t n)
{
	curl_off_t connected = 0;

	if (rc == CURLE_OPERATION_TIMEDOUT) {
		curl_easy_getinfo(j->easy, CURLINFO_CONNECT_TIME_T, &connected);
		if (xport_now_ms() - j->attempt_start_ms >= (double)j->deadline_s * 1e3 - 50)
			snprintf(out, n, "no complete answer within %ld s (codicil.requestTimeout)",
				 j->deadline_s);
		else if (j->stalled || (connected && !j->moved))
			snprintf(out, n, "the server sent nothing for %.0f s", j->stall_ms / 1e3);
		else if (connected)
			snprintf(out, n, "the answer came slower than %ld bytes/s for %.0f s "
				 "(codicil.minTransferRate)", j->min_rate, j->stall_ms / 1e3);
		else
			snprintf(out, n, "no connection within the connect timeout");
		return;
	}
	snprintf(out, n, "%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
}

/* A stall the watchdog caught is a timeout like curl's own; a stream whose
 * end marker arrived is whole even if the connection then broke. */
static CURLcode effective(const struct xjob *j, CURLcode rc)
{
	if (j->stalled)
		return CURLE_OPERATION_TIMEDOUT;
	if (j->stream.done && (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR))
		return CURLE_OK;
	return rc;
}

int job_no_answer(const struct xjob *j, CURLcode rc)
{
	return effective(j, rc) != CURLE_OK && http_status((struct xjob *)j) == 0;
}

int job_retryable(struct xjob *j, CURLcode rc, double *retry_after, char *why, size_t whylen)
{
	long code = http_status(j);

	rc = effective(j, rc);
	*retry_after = -1;
	if (j->too_large || j->stream_bad)
		return 0;
	if (rc != CURLE_OK) {
		if (!retryable_curl_error(rc))
			return 0;
		describe_curl_error(j, rc, why, whylen);
		return 1;
	}
	if (!retryable_status(code) || (code == 429 && llm_quota_exhausted(cd_buf_cstr(&j->reply))))
		return 0;
	*retry_after = retry_after_s(j);
	snprintf(why, whylen, "HTTP %ld", code);
	return 1;
}

/* "https://host:port" of the URL: never its path or query. */
static void url_origin(const char *url, char *out, size_t n)
{
	const char *host = strstr(url, "://");
	size_t len = host ? strcspn(host + 3, "/?#") + (size_t)(host + 3 - url) : strlen(url);

	snprintf(out, n, "%.*s", (int)len, url);
}

/* The provider may check the structured reply itself; if it left that
 * undone, it is done here. */
static void parse_body(struct xjob *j, long code, llm_response *r)
{
	r->status = LLM_OK;
	if (j->p->parse(&j->req, code, cd_buf_cstr(&j->reply), j->reply.len, r) < 0 &&
	    r->status == LLM_OK)
		llm_response_fail(r, LLM_ERR_PARSE, "the reply is not what the API promises");
	if (r->status == LLM_OK && j->req.schema && !r->json)
		llm_structured_finish(&j->req, r);
}

void job_finish(struct xjob *j, CURLcode rc, const xport_opts *o, llm_response *r)
{
	long code = http_status(j);
	char origin[256], what[CURL_ERROR_SIZE + 64];

	rc = effective(j, rc);
	r->http_status = code;
	r->retry_after = rc == CURLE_OK ? retry_after_s(j) : -1;
	if (j->too_large) {
		llm_response_fail(r, LLM_ERR_TOO_LARGE,
				  "the reply is larger than the cap of %zu bytes", o->max_body);
		return;
	}
	if (j->stream_bad && !j->stream.error) {
		llm_response_fail(r, LLM_ERR_PARSE, "the streamed reply is not what the API promises: %s",
				  cd_err_msg());
	} else if (rc != CURLE_OK && !j->stream_bad) {
		url_origin(j->url, origin, sizeof origin);
		describe_curl_error(j, rc, what, sizeof what);
		llm_response_fail(r, LLM_ERR_TRANSPORT, "no reply from %s: %s (%d attempt%s)",
				  origin, what, j->attempts, j->attempts == 1 ? "" : "s");
		return;
	} else if (!j->req.stream || !is_2xx(code) || j->nevents == 0) {
		/* also a server that ignored "stream": true and sent plain JSON */
		parse_body(j, code, r);
	} else {
		/* error event, refusal, cut short, truncation, structured output */
		llm_stream_finish(&j->req, &j->stream, r);
	}
	free(r->body); /* a provider may have kept a copy already */
	r->body = cd_buf_detach(&j->reply);
}
