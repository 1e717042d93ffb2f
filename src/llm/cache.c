/* cache.c — content-addressed cache of successful LLM replies. */
#include "codicil/cache.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"
#include "llm_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cache_default_dir(const char *gitdir_or_null, cd_buf *out)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (gitdir_or_null && *gitdir_or_null)
		return cd_path_join(out, gitdir_or_null, "codicil/cache");
	if (xdg && xdg[0] == '/')
		return cd_path_join(out, xdg, "codicil");
	if (home && home[0] == '/')
		return cd_path_join(out, home, ".cache/codicil");
	cd_err_set("no cache directory: neither XDG_CACHE_HOME nor HOME is set");
	return -1;
}

/* The body without the streaming switches, keys sorted, compact. */
static int canonical_body(const llm_http *http, cd_buf *out)
{
	cJSON *body = cJSON_ParseWithLength(http->body ? http->body : "", http->body_len), *canon;
	int rc;

	if (!body)
		return cd_buf_append(out, http->body ? http->body : "", http->body_len);
	cJSON_DeleteItemFromObjectCaseSensitive(body, "stream");
	cJSON_DeleteItemFromObjectCaseSensitive(body, "stream_options");
	canon = cd_json_canonical(body);
	cJSON_Delete(body);
	if (!canon) {
		cd_err_set("out of memory");
		return -1;
	}
	rc = cd_json_print_compact(canon, out);
	cJSON_Delete(canon);
	return rc;
}

int cache_key(const llm_endpoint *ep, const llm_request *req, const llm_http *http,
	      char out[CD_SHA256_HEX])
{
	const llm_provider *p = llm_provider_find(ep->provider);
	const char *base = ep->base_url ? ep->base_url : p ? p->default_base_url : "";
	size_t base_len = strlen(base);
	cd_buf body = CD_BUF_INIT;
	char sample[24];
	cd_sha256 *h;

	if (canonical_body(http, &body) < 0) {
		cd_buf_clear(&body);
		return -1;
	}
	while (base_len && base[base_len - 1] == '/')
		base_len--;
	snprintf(sample, sizeof sample, "%u", req->sample);
	h = cd_sha256_new();
	cd_sha256_part_str(h, "codicil-cache-v1");
	cd_sha256_part_str(h, ep->provider);
	cd_sha256_part(h, base, base_len);
	cd_sha256_part_str(h, req->model ? req->model : p ? p->default_model : "");
	cd_sha256_part(h, cd_buf_cstr(&body), body.len);
	cd_sha256_part_str(h, sample);
	cd_sha256_finish(h, out);
	cd_buf_clear(&body);
	return 0;
}

static int hex_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return s[n] == '\0' || s[n] == '.';
}

static int entry_path(const char *dir, const char *key, cd_buf *out)
{
	if (!key || strlen(key) != 64 || !hex_name(key, 64)) {
		cd_err_set("invalid cache key: expected 64 lowercase hex digits");
		return -1;
	}
	if (cd_path_join(out, dir, "") < 0)
		return -1;
	return cd_buf_printf(out, "%.2s/%s.json", key, key + 2);
}

int cache_get(const char *dir, const char *key, llm_response *out)
{
	cd_buf path = CD_BUF_INIT, data = CD_BUF_INIT;
	cJSON *j = NULL;
	int rc = 0;

	if (entry_path(dir, key, &path) < 0)
		return -1;
	if (!cd_file_exists(path.data))
		goto out;
	if (cd_file_read(path.data, &data) < 0) {
		rc = -1;
		goto out;
	}
	j = cJSON_ParseWithLength(data.data, data.len);
	llm_response_clear(out);
	if (!j || llm_reply_from_json(j, out) < 0) {
		unlink(path.data); /* corrupt: a miss, and gone */
		goto out;
	}
	out->body = llm_strdup(cd_json_str(j, "body"));
	out->cached = 1;
	rc = 1;
out:
	cJSON_Delete(j);
	cd_buf_clear(&data);
	cd_buf_clear(&path);
	return rc;
}

int cache_put(const char *dir, const char *key, const llm_response *resp)
{
	cd_buf path = CD_BUF_INIT, data = CD_BUF_INIT;
	cJSON *j = NULL;
	int rc = -1;

	if (resp->status != LLM_OK || !resp->text) {
		cd_err_set("only successful replies are cached (this one: %s)",
			   llm_status_name(resp->status));
		return -1;
	}
	if (entry_path(dir, key, &path) < 0 || cd_mkdir_p(dir, 0700) < 0)
		goto out;
	j = llm_reply_to_json(resp);
	if (!j || (resp->body && !cJSON_AddStringToObject(j, "body", resp->body))) {
		cd_err_set("out of memory");
		goto out;
	}
	if (cd_json_print_compact(j, &data) < 0 || cd_buf_putc(&data, '\n') < 0)
		goto out;
	rc = cd_file_replace(path.data, data.data, data.len);
out:
	cJSON_Delete(j);
	cd_buf_clear(&data);
	cd_buf_clear(&path);
	return rc;
}

/* Calls fn for each <2 hex> subdirectory of dir. */
static int each_shard(const char *dir, int (*fn)(const char *path, void *ud), void *ud)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		cd_err_set("cannot read the cache %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		cd_buf sub = CD_BUF_INIT;

		if (strlen(e->d_name) != 2 || !hex_name(e->d_name, 2))
			continue;
		cd_path_join(&sub, dir, e->d_name);
		if (cd_dir_exists(sub.data) && fn(sub.data, ud) < 0)
			rc = -1;
		cd_buf_clear(&sub);
	}
	closedir(d);
	return rc;
}

struct stats {
	size_t entries;
	unsigned long long bytes;
};

static int count_shard(const char *path, void *ud)
{
	struct stats *st = ud;
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		cd_buf file = CD_BUF_INIT;
		struct stat sb;

		if (strlen(e->d_name) != 67 || !hex_name(e->d_name, 62) ||
		    strcmp(e->d_name + 62, ".json"))
			continue;
		cd_path_join(&file, path, e->d_name);
		if (stat(file.data, &sb) == 0 && S_ISREG(sb.st_mode)) {
			st->entries++;
			st->bytes += (unsigned long long)sb.st_size;
		}
		cd_buf_clear(&file);
	}
	closedir(d);
	return 0;
}

int cache_stats(const char *dir, size_t *entries, unsigned long long *bytes)
{
	struct stats st = { 0, 0 };
	int rc = each_shard(dir, count_shard, &st);

	*entries = st.entries;
	*bytes = st.bytes;
	return rc;
}

static int remove_shard(const char *path, void *ud)
{
	if (cd_remove_tree(path) < 0) {
		cd_err_set("cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cache_clear(const char *dir)
{
	return each_shard(dir, remove_shard, NULL);
}
