#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/workspace.h"

const char cmd_init_usage[] =
	"usage: codicil init [DIR] [--template NAME | --from FILE [--allow-empty]]\n"
	"\n"
	"Create a constitution repository in DIR (default: the current directory)\n"
	"with one initial commit.\n"
	"\n"
	"  -t, --template NAME  start from a sample constitution (default: assistant)\n"
	"  -f, --from FILE      import an existing markdown charter; it is committed\n"
	"                       byte for byte as CONSTITUTION.md.  It must be UTF-8\n"
	"                       text with principles (headings), unique ids and\n"
	"                       closed {#...} blocks; every problem is listed with\n"
	"                       its line, and nothing is created\n"
	"      --allow-empty    import a file without any principle\n"
	"  -h, --help           this text\n"
	"\n"
	"DIR must be empty or absent.  Templates: codicil init --template list\n";

static int list_templates(void)
{
	cd_buf names = CD_BUF_INIT;

	workspace_template_names(&names);
	printf("%s\n", names.len ? names.data : "(no templates found; set CODICIL_DATADIR)");
	cd_buf_clear(&names);
	return CLI_OK;
}

static int count_principles(store *s, size_t *n)
{
	charter *c;

	if (workspace_load(s, STORE_CHARTER, NULL, 0, &c) < 0)
		return -1;
	*n = c->n;
	charter_free(c);
	return 0;
}

int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'f' },
		{ "allow-empty", no_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	const char *template = NULL, *from = NULL, *dir;
	cd_buf tdir = CD_BUF_INIT;
	store *s = NULL;
	size_t n = 0;
	int c, rc, allow_empty = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:f:", opts, NULL)) != -1) {
		switch (c) {
		case 't': template = optarg; break;
		case 'f': from = optarg; break;
		case 'E': allow_empty = 1; break;
		default: return cli_usage_error("init ", "bad option");
		}
	}
	if (template && from)
		return cli_usage_error("init ", "--template and --from exclude each other");
	if (optind + 1 < argc)
		return cli_usage_error("init ", "too many arguments");
	if (template && !strcmp(template, "list"))
		return list_templates();
	dir = optind < argc ? argv[optind] : (ctx->dir ? ctx->dir : ".");

	if (allow_empty && !from)
		return cli_usage_error("init ", "--allow-empty goes with --from");
	if (from) {
		cd_buf problems = CD_BUF_INIT;
		rc = workspace_check_import(from, allow_empty, &problems);
		if (rc < 0) {
			cli_put_safe(stderr, cd_buf_cstr(&problems), 0);
			cd_buf_clear(&problems);
			return cli_fail_err();
		}
		cd_buf_clear(&problems);
		rc = store_init_from_file(dir, from, &s);
	} else {
		if (!template)
			template = "assistant";
		rc = workspace_template_dir(template, &tdir);
		if (rc == 0)
			rc = store_init_template(dir, tdir.data, &s);
	}
	cd_buf_clear(&tdir);
	if (rc < 0)
		return cli_fail_err();
	if (count_principles(s, &n) < 0) {
		store_close(s);
		return cli_fail_err();
	}
	printf("Initialized constitution in %s from %s %s (%zu principles)\n",
	       store_workdir(s), from ? "file" : "template", from ? from : template, n);
	store_close(s);
	return CLI_OK;
}
