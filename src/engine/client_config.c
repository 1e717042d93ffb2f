/* client_config.c — the LLM settings (llm_settings.h) from the
 * configuration: provider, endpoint, model, key source, cassette,
 * transport, budget and prices. */
#include "codicil/client_config.h"

#include "codicil/cache.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *get(config *cfg, const char *key, const char *def)
{
	const char *v = config_get(cfg, key);
	return v && *v ? v : def;
}

/* A configured value shown in an error: one line, inert. */
static int bad_value(config *cfg, const char *key, const char *what)
{
	char *shown = cd_sanitize_dup(get(cfg, key, ""), CD_SAN_ONE_LINE);

	cd_err_set("%s '%.80s' (from %s) %s", key, shown ? shown : "?",
		   config_source(cfg, key), what);
	free(shown);
	return -1;
}

static int dup_to(char **dst, const char *src)
{
	if (!src)
		return 0;
	if (!(*dst = strdup(src))) {
		cd_err_set("out of memory");
		return -1;
	}
	return 0;
}

static int resolve_provider(config *cfg, llm_settings *out)
{
	const char *name = get(cfg, "codicil.provider", "openai");

	if (dup_to(&out->provider, name) < 0)
		return -1;
	if (!strcmp(name, "replay"))
		return 0;
	if (!strcmp(name, "record")) {
		out->http = llm_provider_find(get(cfg, "codicil.recordProvider", "openai"));
		if (!out->http)
			return bad_value(cfg, "codicil.recordProvider",
					 "is not an HTTP provider; use openai or anthropic");
		return 0;
	}
	out->http = llm_provider_find(name);
	if (!out->http)
		return bad_value(cfg, "codicil.provider",
				 "is unknown; use openai, anthropic, replay or record");
	return 0;
}

/* replay and record: the cassette, relative to the work tree. */
static int resolve_cassette(config *cfg, store *s, llm_settings *out)
{
	const char *path = get(cfg, "codicil.cassette", NULL);
	cd_buf full = CD_BUF_INIT;

	if (out->http && strcmp(out->provider, "record"))
		return 0;
	if (!path) {
		cd_err_set("codicil.provider is %s but codicil.cassette is not set; "
			   "set it to the cassette's path (JSONL)", out->provider);
		return -1;
	}
	if (cd_path_join(&full, s ? store_workdir(s) : NULL, path) < 0) {
		cd_buf_clear(&full);
		return -1;
	}
	return (out->cassette = cd_buf_detach(&full)) ? 0 : -1;
}

static int resolve_endpoint(config *cfg, llm_settings *out)
{
	const char *url;

	if (!out->http)
		return dup_to(&out->endpoint, out->cassette) < 0 ||
		       dup_to(&out->model, get(cfg, "codicil.model", "cassette")) < 0 ? -1 : 0;
	url = get(cfg, "codicil.endpoint", out->http->default_base_url);
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return bad_value(cfg, "codicil.endpoint", "is not an http:// or https:// URL");
	if (dup_to(&out->endpoint, url) < 0 ||
	    dup_to(&out->model, get(cfg, "codicil.model", out->http->default_model)) < 0)
		return -1;
	return dup_to(&out->api_key_env, get(cfg, "codicil.apiKeyEnv", NULL)) < 0 ||
	       dup_to(&out->api_key_command, get(cfg, "codicil.apiKeyCommand", NULL)) < 0 ? -1 : 0;
}

/* Default and range of every number come from the table (config_keys.h). */
static int resolve_transport(config *cfg, llm_settings *out)
{
	long conc, retries, connect, stall, max_body, reasks, min_rate, deadline;
	xport_opts *xo = &out->xo;

	xport_opts_default(xo);
	if (config_get_setting_long(cfg, "codicil.concurrency", &conc) < 0 ||
	    config_get_setting_long(cfg, "codicil.retries", &retries) < 0 ||
	    config_get_setting_long(cfg, "codicil.connectTimeout", &connect) < 0 ||
	    config_get_setting_long(cfg, "codicil.stallTimeout", &stall) < 0 ||
	    config_get_setting_long(cfg, "codicil.minTransferRate", &min_rate) < 0 ||
	    config_get_setting_long(cfg, "codicil.requestTimeout", &deadline) < 0 ||
	    config_get_setting_long(cfg, "codicil.maxResponseBytes", &max_body) < 0 ||
	    config_get_setting_double(cfg, "codicil.backoffBase", &xo->backoff_base_s) < 0 ||
	    config_get_setting_long(cfg, "codicil.repairAttempts", &reasks) < 0 ||
	    config_get_setting_long(cfg, "codicil.maxConsecutiveFailures",
				    &out->max_conn_failures) < 0 ||
	    config_get_setting_double(cfg, "codicil.batchPollSeconds", &out->batch_poll_s) < 0)
		return -1;
	out->repair_attempts = (int)reasks;
	xo->concurrency = (int)conc;
	xo->retries = (int)retries;
	xo->connect_timeout_s = connect;
	xo->stall_timeout_s = stall;
	xo->min_rate = min_rate;
	xo->attempt_timeout_s = deadline;
	xo->max_body = (size_t)max_body;
	return 0;
}

static int resolve_cache(store *s, llm_settings *out)
{
	cd_buf dir = CD_BUF_INIT;

	if (cache_default_dir(s ? store_gitdir(s) : NULL, &dir) < 0) {
		cd_buf_clear(&dir);
		return -1;
	}
	return (out->cache_dir = cd_buf_detach(&dir)) ? 0 : -1;
}

static int resolve_budget(config *cfg, llm_settings *out)
{
	char why[256];

	if (llm_budget_parse(config_get(cfg, "codicil.budget"), &out->budget) == 0)
		return 0;
	snprintf(why, sizeof why, "%s", cd_err_msg());
	cd_err_set("%s (codicil.budget, from %s)", why, config_source(cfg, "codicil.budget"));
	return -1;
}

/* The models a run may ask: codicil.model's and codicil.judgeModel's. */
static int resolve_prices(config *cfg, llm_settings *out)
{
	const char *models[] = { out->model, config_get(cfg, "codicil.judgeModel") };
	llm_price p;

	if (client_config_price(cfg, NULL, &p) < 0)
		return -1;
	out->batch_price_factor = p.batch_factor;
	for (size_t i = 0; i < sizeof models / sizeof *models; i++) {
		if (!models[i] || !*models[i])
			continue;
		if (client_config_price(cfg, models[i], &p) < 0 ||
		    llm_settings_add_price(out, models[i], &p) < 0)
			return -1;
	}
	return 0;
}

int client_settings_from_config(config *cfg, store *s, llm_settings *out)
{
	memset(out, 0, sizeof *out);
	cd_err_clear();
	if (resolve_provider(cfg, out) < 0 || resolve_cassette(cfg, s, out) < 0 ||
	    resolve_endpoint(cfg, out) < 0 || resolve_transport(cfg, out) < 0 ||
	    resolve_cache(s, out) < 0 || resolve_budget(cfg, out) < 0 ||
	    resolve_prices(cfg, out) < 0) {
		if (!*cd_err_msg())
			cd_err_set("out of memory");
		llm_settings_clear(out);
		return -1;
	}
	return 0;
}

/* Another provider for the target: its own defaults, none of the main one's
 * endpoint, model or key source. */
static int target_provider(config *cfg, store *s, const char *name, llm_settings *out)
{
	free(out->provider);
	free(out->endpoint);
	free(out->model);
	free(out->api_key_env);
	free(out->api_key_command);
	out->provider = out->endpoint = out->model = out->api_key_env = out->api_key_command = NULL;
	if (dup_to(&out->provider, name) < 0)
		return -1;
	out->http = strcmp(name, "replay") ? llm_provider_find(name) : NULL;
	if (strcmp(name, "replay") && !out->http)
		return bad_value(cfg, "codicil.target.provider",
				 "is unknown; use openai, anthropic or replay");
	if (!out->http)
		return (out->cassette || resolve_cassette(cfg, s, out) == 0) &&
		       dup_to(&out->endpoint, out->cassette) == 0 ? 0 : -1;
	return dup_to(&out->endpoint, out->http->default_base_url) < 0 ||
	       dup_to(&out->model, out->http->default_model) < 0 ? -1 : 0;
}

static int replace(char **dst, const char *src)
{
	if (!src)
		return 0;
	free(*dst);
	*dst = NULL;
	return dup_to(dst, src);
}

int client_settings_for_target(config *cfg, store *s, const char *model, llm_settings *out)
{
	const char *prov = get(cfg, "codicil.target.provider", NULL), *url;
	llm_price p;

	if (client_settings_from_config(cfg, s, out) < 0)
		return -1;
	if (prov && strcmp(prov, out->provider) && target_provider(cfg, s, prov, out) < 0)
		goto fail;
	url = get(cfg, "codicil.target.endpoint", NULL);
	if (url && out->http && strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
		bad_value(cfg, "codicil.target.endpoint", "is not an http:// or https:// URL");
		goto fail;
	}
	if ((out->http && replace(&out->endpoint, url) < 0) ||
	    replace(&out->model, model ? model : get(cfg, "codicil.target.model", NULL)) < 0 ||
	    replace(&out->api_key_env, get(cfg, "codicil.target.apiKeyEnv", NULL)) < 0 ||
	    replace(&out->api_key_command, get(cfg, "codicil.target.apiKeyCommand", NULL)) < 0 ||
	    client_config_price(cfg, out->model, &p) < 0 || llm_settings_add_price(out, out->model, &p) < 0)
		goto fail;
	return 0;
fail:
	llm_settings_clear(out);
	return -1;
}

int client_open_configured(config *cfg, store *s, const llm_client_opts *o, llm_client **out)
{
	llm_settings set;

	*out = NULL;
	if (client_settings_from_config(cfg, s, &set) < 0)
		return -1;
	return llm_client_open(&set, s, o, out);
}

/* One price setting: 0 (found or not: *set), -1 when it is not a number. */
static int price_setting(config *cfg, const char *model, const char *which, double *v,
			 int *set)
{
	cd_buf key = CD_BUF_INIT;
	const char *text;
	int rc = 0;

	*set = 0;
	if (cd_buf_printf(&key, "codicil.price.%s.%s", model, which) < 0)
		return -1;
	text = config_get(cfg, key.data);
	if (text) {
		if (llm_parse_decimal(text, v) < 0) {
			cd_err_set("%s = '%.40s' is not a price in dollars per million tokens "
				   "(e.g. 2.50)", key.data, text);
			rc = -1;
		} else {
			*set = 1;
		}
	}
	cd_buf_clear(&key);
	return rc;
}

int client_config_price(config *cfg, const char *model, llm_price *out)
{
	int in_set, out_set, cached_set;
	const char *text;

	memset(out, 0, sizeof *out);
	out->batch_factor = 0.5;
	text = config_get(cfg, "codicil.batchPriceFactor");
	if (text && (llm_parse_decimal(text, &out->batch_factor) < 0 || out->batch_factor > 1)) {
		cd_err_set("codicil.batchPriceFactor = '%.40s' is not a share from 0 to 1 (0.5: "
			   "half the price)", text);
		return -1;
	}
	if (!model || !*model)
		return 0;
	if (price_setting(cfg, model, "input", &out->input, &in_set) < 0 ||
	    price_setting(cfg, model, "output", &out->output, &out_set) < 0 ||
	    price_setting(cfg, model, "cachedInput", &out->cached_input, &cached_set) < 0)
		return -1;
	out->known = in_set && out_set;
	if (!cached_set)
		out->cached_input = out->input;
	return 0;
}
