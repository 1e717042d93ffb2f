#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

const char cmd_principles_usage[] =
	"usage: codicil principles [--rev REV] [--json]\n"
	"\n"
	"List the principles of the charter as a tree: id, title, attributes.\n"
	"\n"
	"      --rev REV   the charter at a revision instead of the work tree\n"
	"      --json      an array of {id, title, level, parent, attrs, line,\n"
	"                  explicit_id}\n"
	"  -h, --help      this text\n";

static cJSON *principle_json(const charter *c, const principle *p)
{
	cJSON *o = cJSON_CreateObject(), *attrs = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddStringToObject(o, "title", p->title);
	cJSON_AddNumberToObject(o, "level", p->level);
	if (p->parent >= 0)
		cJSON_AddStringToObject(o, "parent", c->p[p->parent].id);
	else
		cJSON_AddNullToObject(o, "parent");
	for (size_t i = 0; i < p->nattrs; i++) {
		if (p->attrs[i].value)
			cJSON_AddStringToObject(attrs, p->attrs[i].key, p->attrs[i].value);
		else
			cJSON_AddTrueToObject(attrs, p->attrs[i].key);
	}
	cJSON_AddItemToObject(o, "attrs", attrs);
	cJSON_AddNumberToObject(o, "line", (double)p->line);
	cJSON_AddBoolToObject(o, "explicit_id", p->explicit_id);
	return o;
}

static int print_json(const charter *c)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < c->n; i++)
		cJSON_AddItemToArray(arr, principle_json(c, &c->p[i]));
	return cli_print_json(arr);
}

static int tree_depth(const charter *c, const principle *p)
{
	int depth = 0;

	for (int q = p->parent; q >= 0; q = c->p[q].parent)
		depth++;
	return depth;
}

static void print_tree(const charter *c, int color)
{
	for (size_t i = 0; i < c->n; i++) {
		const principle *p = &c->p[i];
		int indent = 2 * tree_depth(c, p), pad = 28 - indent - (int)strlen(p->id);

		printf("%*s%s", indent, "", color ? "\033[33m" : "");
		cli_put_safe(stdout, p->id, CD_SAN_ONE_LINE);
		printf("%s%*s  ", color ? "\033[m" : "", pad > 0 ? pad : 0, "");
		cli_put_safe(stdout, p->title, CD_SAN_ONE_LINE);
		for (size_t a = 0; a < p->nattrs; a++) {
			fputs("  ", stdout);
			cli_put_safe(stdout, p->attrs[a].key, CD_SAN_ONE_LINE);
			if (p->attrs[a].value) {
				fputc('=', stdout);
				cli_put_safe(stdout, p->attrs[a].value, CD_SAN_ONE_LINE);
			}
		}
		fputc('\n', stdout);
	}
}

int cmd_principles(cli_ctx *ctx, int argc, char **argv)
{
	const char *rev = NULL;
	int json = 0, c;
	charter *ch;

	if ((c = cli_parse_json_rev("principles", argc, argv, &json, &rev)) != CLI_OK)
		return c;
	if (optind < argc)
		return cli_usage_error("principles ", "unexpected argument '%s'", argv[optind]);
	if (!(ch = cli_charter_at(ctx, rev)))
		return CLI_FAIL;
	if (json)
		c = print_json(ch);
	else
		print_tree(ch, ctx->color_out), c = CLI_OK;
	charter_free(ch);
	return c;
}
