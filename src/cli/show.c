#include "cli.h"

#include <getopt.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

const char cmd_show_usage[] =
	"usage: codicil show ID [--rev REV] [--json]\n"
	"\n"
	"Print one principle: its heading, its text and its sub-principles.\n"
	"\n"
	"      --rev REV   the charter at a revision instead of the work tree\n"
	"      --json      {id, title, level, line, attrs, text}\n"
	"  -h, --help      this text\n";

int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
	const char *rev = NULL;
	const principle *p;
	cd_buf text = CD_BUF_INIT;
	int json = 0, rc;
	charter *ch;

	if ((rc = cli_parse_json_rev("show", argc, argv, &json, &rev)) != CLI_OK)
		return rc;
	if (optind + 1 != argc)
		return cli_usage_error("show ", "give exactly one principle id");
	if (!(ch = cli_charter_at(ctx, rev)))
		return CLI_FAIL;
	rc = CLI_OK;
	p = charter_find(ch, argv[optind]);
	if (!p) {
		workspace_no_principle(ch, argv[optind]);
		rc = cli_fail_err();
		goto out;
	}
	charter_principle_text(ch, p, &text);
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", p->id);
		cJSON_AddStringToObject(o, "title", p->title);
		cJSON_AddNumberToObject(o, "level", p->level);
		cJSON_AddNumberToObject(o, "line", (double)p->line);
		cJSON_AddStringToObject(o, "text", cd_buf_cstr(&text));
		rc = cli_print_json(o);
	} else {
		cli_put_safe_len(stdout, cd_buf_cstr(&text), text.len, 0);
	}
out:
	cd_buf_clear(&text);
	charter_free(ch);
	return rc;
}
