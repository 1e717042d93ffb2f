/* client_resolve.c — from configuration to a ready client: provider,
 * endpoint, model, key, transport options, cache directory, cassette. */
#include "client_int.h"

#include "codicil/cache.h"
#include "codicil/price.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/sanitize.h"
#include "codicil/secret.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *get(llm_client *c, const char *key, const char *def)
{
	const char *v = config_get(c->cfg, key);
	return v && *v ? v : def;
}

/* A configured value shown in an error: one line, inert. */
static int bad_value(llm_client *c, const char *key, const char *what)
{
	char *shown = cd_sanitize_dup(get(c, key, ""), CD_SAN_ONE_LINE);

	cd_err_set("%s '%.80s' (from %s) %s", key, shown ? shown : "?",
		   config_source(c->cfg, key), what);
	free(shown);
	return -1;
}

static int resolve_provider(llm_client *c)
{
	const char *name = get(c, "codicil.provider", "openai");

	if (!(c->provider = strdup(name)))
		return -1;
	if (!strcmp(name, "replay"))
		return 0;
	if (!strcmp(name, "record")) {
		c->http = llm_provider_find(get(c, "codicil.recordProvider", "openai"));
		if (!c->http)
			return bad_value(c, "codicil.recordProvider",
					 "is not an HTTP provider; use openai or anthropic");
		return 0;
	}
	c->http = llm_provider_find(name);
	if (!c->http)
		return bad_value(c, "codicil.provider",
				 "is unknown; use openai, anthropic, replay or record");
	return 0;
}

/* "host[:port]" of an http(s) URL, without user info, path or query. */
static char *url_host(const char *url)
{
	const char *p = strstr(url, "://"), *at;
	size_t n;

	p = p ? p + 3 : url;
	n = strcspn(p, "/?#");
	at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	return strndup(p, n);
}

static int resolve_endpoint(llm_client *c)
{
	const char *url;

	if (!c->http) {
		c->endpoint = strdup(c->cassette_path);
		c->endpoint_host = strdup("cassette");
		c->model = strdup(get(c, "codicil.model", "cassette"));
		return c->endpoint && c->endpoint_host && c->model ? 0 : -1;
	}
	url = get(c, "codicil.endpoint", c->http->default_base_url);
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return bad_value(c, "codicil.endpoint", "is not an http:// or https:// URL");
	c->endpoint = strdup(url);
	c->endpoint_host = url_host(url);
	c->model = strdup(get(c, "codicil.model", c->http->default_model));
	return c->endpoint && c->endpoint_host && c->model ? 0 : -1;
}

static int resolve_key(llm_client *c)
{
	if (!c->http) {
		snprintf(c->key_source, sizeof c->key_source, "none (replay needs no key)");
		return 0;
	}
	return secret_api_key(c->http->key_env, get(c, "codicil.apiKeyEnv", NULL),
			      get(c, "codicil.apiKeyCommand", NULL), &c->key, c->key_source,
			      sizeof c->key_source);
}

/* Default and range from the table of settings (config_keys.h). */
static int get_int(llm_client *c, const char *key, long *out)
{
	return config_get_setting_long(c->cfg, key, out);
}

static int resolve_transport(llm_client *c)
{
	long conc, retries, connect, stall, max_body, reasks, min_rate, deadline;

	xport_opts_default(&c->xo);
	if (get_int(c, "codicil.concurrency", &conc) < 0 ||
	    get_int(c, "codicil.retries", &retries) < 0 ||
	    get_int(c, "codicil.connectTimeout", &connect) < 0 ||
	    get_int(c, "codicil.stallTimeout", &stall) < 0 ||
	    get_int(c, "codicil.minTransferRate", &min_rate) < 0 ||
	    get_int(c, "codicil.requestTimeout", &deadline) < 0 ||
	    get_int(c, "codicil.maxResponseBytes", &max_body) < 0 ||
	    config_get_setting_double(c->cfg, "codicil.backoffBase", &c->xo.backoff_base_s) < 0 ||
	    get_int(c, "codicil.repairAttempts", &reasks) < 0 ||
	    get_int(c, "codicil.maxConsecutiveFailures", &c->max_conn_failures) < 0)
		return -1;
	c->repair_attempts = (int)reasks;
	c->xo.concurrency = (int)conc;
	c->xo.retries = (int)retries;
	c->xo.connect_timeout_s = connect;
	c->xo.stall_timeout_s = stall;
	c->xo.min_rate = min_rate;
	c->xo.attempt_timeout_s = deadline;
	c->xo.max_body = (size_t)max_body;
	return 0;
}

static int resolve_cache(llm_client *c)
{
	cd_buf dir = CD_BUF_INIT;

	if (cache_default_dir(c->s ? store_gitdir(c->s) : NULL, &dir) < 0) {
		cd_buf_clear(&dir);
		return -1;
	}
	c->cache_dir = cd_buf_detach(&dir);
	return c->cache_dir ? 0 : -1;
}

static int resolve_cassette(llm_client *c)
{
	const char *path = get(c, "codicil.cassette", NULL);
	cd_buf full = CD_BUF_INIT;
	char *slash;
	int rc;

	if (!path) {
		cd_err_set("codicil.provider is %s but codicil.cassette is not set; "
			   "set it to the cassette's path (JSONL)", c->provider);
		return -1;
	}
	if (cd_path_join(&full, c->s ? store_workdir(c->s) : NULL, path) < 0) {
		cd_buf_clear(&full);
		return -1;
	}
	c->cassette_path = cd_buf_detach(&full);
	if (!c->cassette_path)
		return -1;
	if (!c->http)
		return cassette_open(c->cassette_path, &c->cas);
	/* record: the cassette's directory must exist for appending */
	slash = strrchr(c->cassette_path, '/');
	if (!slash || slash == c->cassette_path)
		return 0;
	*slash = '\0';
	rc = cd_mkdir_p(c->cassette_path, 0755);
	*slash = '/';
	return rc;
}

/* codicil.batchPollSeconds: how often a provider batch is asked about. */
static int resolve_batch_poll(llm_client *c)
{
	return config_get_setting_double(c->cfg, "codicil.batchPollSeconds", &c->batch_poll_s);
}

int client_resolve(llm_client *c)
{
	if (resolve_provider(c) < 0)
		return -1;
	if ((!c->http || !strcmp(c->provider, "record")) && resolve_cassette(c) < 0)
		return -1;
	if (resolve_endpoint(c) < 0 || resolve_transport(c) < 0 || resolve_cache(c) < 0 ||
	    resolve_key(c) < 0 || client_resolve_budget(c) < 0 || resolve_batch_poll(c) < 0)
		return -1;
	return 0;
}
