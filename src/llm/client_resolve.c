/* client_resolve.c — what the resolved settings (llm_settings.h) imply
 * when a client opens: the endpoint's host for provenance, the API key,
 * the cassette to read or append to. */
#include "client_int.h"

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int resolve_key(llm_client *c)
{
	if (!c->set.http) {
		snprintf(c->key_source, sizeof c->key_source, "none (replay needs no key)");
		return 0;
	}
	return secret_api_key(c->set.http->key_env, c->set.api_key_env, c->set.api_key_command,
			      &c->key, c->key_source, sizeof c->key_source);
}

/* replay reads the cassette; record appends to it, so its directory must
 * exist. */
static int resolve_cassette(llm_client *c)
{
	char *path = c->set.cassette, *slash;
	int rc;

	if (!path)
		return 0;
	if (!c->set.http)
		return cassette_open(path, &c->cas);
	slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	rc = cd_mkdir_p(path, 0755);
	*slash = '/';
	return rc;
}

int client_resolve(llm_client *c)
{
	if (!c->set.provider || !c->set.endpoint || !c->set.model || !c->set.cache_dir) {
		cd_err_set("the LLM settings are incomplete (provider, endpoint, model, cache)");
		return -1;
	}
	c->endpoint_host = c->set.http ? url_host(c->set.endpoint) : strdup("cassette");
	if (!c->endpoint_host)
		return -1;
	return resolve_cassette(c) < 0 || resolve_key(c) < 0 ? -1 : 0;
}
