/* config.c — `codicil config`: every setting, where its value comes from,
 * and a checked way to set one in the repository's git config. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/config_keys.h"
#include "codicil/sanitize.h"

const char cmd_config_usage[] =
	"usage: codicil config [--list] [--json]\n"
	"   or: codicil config KEY\n"
	"   or: codicil config KEY VALUE\n"
	"   or: codicil config --unset KEY\n"
	"\n"
	"The settings codicil reads (see CONFIGURATION in codicil(1)).  --list (the\n"
	"default) shows each with its value and where it comes from: the command\n"
	"line, the environment (CODICIL_...), git config, the committed .codicil,\n"
	"or the built-in default; a family such as codicil.price.<model>.input is\n"
	"listed once.  KEY prints the value (exit 1 when unset).  KEY VALUE checks\n"
	"the value against the setting's type and range and writes it to the\n"
	"repository's git config; --unset removes it from there.\n"
	"\n"
	"      --list      every setting (the default)\n"
	"      --json      the list as [{key, value, source, default, help}]\n"
	"      --unset     remove KEY from the repository's git config\n"
	"  -h, --help      this text\n";

/* The repository when there is one: its git config and .codicil count. */
static config *settings(cli_ctx *ctx)
{
	if (!ctx->store && store_open(ctx->dir ? ctx->dir : ".", &ctx->store) < 0)
		ctx->store = NULL;
	return cli_config(ctx);
}

static const char *default_of(const config_key_info *k)
{
	return k->def ? k->def : k->default_text ? k->default_text : "";
}

static int list(cli_ctx *ctx, int json)
{
	config *cfg = settings(ctx);
	cJSON *arr = json ? cJSON_CreateArray() : NULL;

	if (!cfg)
		return CLI_FAIL;
	for (const config_key_info *k = config_keys; k->key; k++) {
		int family = strchr(k->key, '*') != NULL;
		const char *v = family ? NULL : config_get(cfg, k->key);
		const char *src = family ? "per model or action" : config_source(cfg, k->key);

		if (json) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "key", k->key);
			if (v)
				cJSON_AddStringToObject(o, "value", v);
			else
				cJSON_AddNullToObject(o, "value");
			cJSON_AddStringToObject(o, "source", src);
			cJSON_AddStringToObject(o, "default", default_of(k));
			cJSON_AddStringToObject(o, "help", k->help);
			cJSON_AddItemToArray(arr, o);
			continue;
		}
		printf("%-32s ", k->key);
		cli_put_safe(stdout, v ? v : "-", CD_SAN_ONE_LINE);
		printf("  (%s)\n    %s; default %s\n", src, k->help, default_of(k));
	}
	return json ? cli_print_json(arr) : CLI_OK;
}

static const config_key_info *known(const char *key)
{
	const config_key_info *k = config_key_lookup(key);
	cd_buf near = CD_BUF_INIT;

	if (k)
		return k;
	if (config_key_suggest(key, &near) > 0)
		cli_usage_error("config ", "'%s' is not a codicil setting (did you mean %s?)", key,
				near.data);
	else
		cli_usage_error("config ", "'%s' is not a codicil setting ('codicil config' lists "
				"them)", key);
	cd_buf_clear(&near);
	return NULL;
}

static int show(cli_ctx *ctx, const char *key)
{
	config *cfg;
	const char *v;

	if (!known(key))
		return CLI_USAGE;
	if (!(cfg = settings(ctx)))
		return CLI_FAIL;
	if (!(v = config_get(cfg, key)))
		return CLI_FAIL; /* unset, as git config says it */
	cli_put_safe(stdout, v, CD_SAN_ONE_LINE);
	fputc('\n', stdout);
	return CLI_OK;
}

static int set(cli_ctx *ctx, const char *key, const char *value)
{
	const config_key_info *k = known(key);
	cd_buf why = CD_BUF_INIT;
	int rc;

	if (!k)
		return CLI_USAGE;
	if (value && config_key_check(k, value, &why) < 0) {
		rc = cli_usage_error("config ", "%s takes %s, not '%.60s'", key, why.data, value);
		cd_buf_clear(&why);
		return rc;
	}
	cd_buf_clear(&why);
	if (!cli_store(ctx))
		return CLI_FAIL;
	return store_config_write(ctx->store, key, value) < 0 ? cli_fail_err() : CLI_OK;
}

int cmd_config(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", no_argument, NULL, 'l' }, { "json", no_argument, NULL, 'j' },
		{ "unset", no_argument, NULL, 'u' }, { NULL, 0, NULL, 0 },
	};
	int json = 0, unset = 0, listing = 0, c, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listing = 1; break;
		case 'j': json = 1; break;
		case 'u': unset = 1; break;
		default: return cli_usage_error("config ", "bad option");
		}
	}
	n = argc - optind;
	if (unset)
		return n == 1 ? set(ctx, argv[optind], NULL)
			      : cli_usage_error("config ", "--unset takes one KEY");
	if (listing || n == 0) {
		if (n)
			return cli_usage_error("config ", "--list takes no KEY");
		return list(ctx, json);
	}
	if (n == 1)
		return show(ctx, argv[optind]);
	if (n == 2)
		return set(ctx, argv[optind], argv[optind + 1]);
	return cli_usage_error("config ", "too many arguments");
}
