/* http_sync.c — one blocking HTTP exchange, for the few control calls of a
 * provider's batch API (upload, create, poll, download); model calls go
 * through the transport (transport.h).  Headers may hold a key: they are
 * never printed or kept. */
#include "batch_api.h"

#include <strings.h>

#include "codicil/error.h"

#include <curl/curl.h>
#include <string.h>

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	cd_buf *out = ud;

	return cd_buf_append(out, p, size * n) == 0 ? size * n : 0;
}

int llm_http_sync(const llm_sync_request *rq, long *status, cd_buf *out)
{
	CURL *e = curl_easy_init();
	struct curl_slist *h = NULL;
	curl_mime *mime = NULL;
	char err[CURL_ERROR_SIZE] = "";
	CURLcode rc;

	*status = 0;
	if (!e) {
		cd_err_set("cannot create an HTTP handle: out of memory");
		return -1;
	}
	for (char *const *p = rq->headers; p && *p; p++)
		if (strncasecmp(*p, "Content-Type:", 13) || !rq->file_name)
			h = curl_slist_append(h, *p);
	curl_easy_setopt(e, CURLOPT_URL, rq->url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	if (rq->file_name) { /* multipart: purpose and the file */
		curl_mimepart *part;
		mime = curl_mime_init(e);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "purpose");
		curl_mime_data(part, "batch", CURL_ZERO_TERMINATED);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "file");
		curl_mime_filename(part, rq->file_name);
		curl_mime_type(part, "application/jsonl");
		curl_mime_data(part, rq->body, rq->body_len);
		curl_easy_setopt(e, CURLOPT_MIMEPOST, mime);
	} else if (rq->body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
	}
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, rq->timeout_s > 0 ? rq->timeout_s : 600L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "codicil/" CODICIL_VERSION);
	rc = curl_easy_perform(e);
	if (rc == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
	else
		cd_err_set("%s: %s", rq->what, err[0] ? err : curl_easy_strerror(rc));
	curl_mime_free(mime);
	curl_slist_free_all(h);
	curl_easy_cleanup(e);
	return rc == CURLE_OK ? 0 : -1;
}
