#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/workspace.h"

const char cmd_fmt_usage[] =
	"usage: codicil fmt [--check] [--commit]\n"
	"\n"
	"Write an explicit {#id} into every heading of the charter that has only an\n"
	"implicit (slug) id, so that ids stay stable when titles change.  Nothing\n"
	"else in the file changes.\n"
	"\n"
	"      --check     change nothing; exit 1 if some heading lacks an explicit id\n"
	"      --commit    commit the result (\"Format: explicit ids\")\n"
	"  -h, --help      this text\n";

static int check_result(const char *file, const cd_buf *text)
{
	charter *after;
	int rc;

	if (charter_parse(file, cd_buf_cstr(text), text->len, &after) < 0)
		return -1;
	rc = workspace_check(after);
	charter_free(after);
	return rc;
}

int cmd_fmt(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "commit", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	int check = 0, commit = 0, c, rc = CLI_FAIL;
	size_t changed = 0;
	cd_buf out = CD_BUF_INIT, path = CD_BUF_INIT, msg = CD_BUF_INIT;
	const char *file;
	store *s;
	charter *ch;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': check = 1; break;
		case 'm': commit = 1; break;
		default: return cli_usage_error("fmt ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("fmt ", "unexpected argument '%s'", argv[optind]);
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	file = workspace_charter_path(ctx->cfg);
	/* headings whose slug is not a valid id are what fmt repairs, so the
	 * charter is validated after formatting, not before */
	if (workspace_load(s, file, NULL, 0, &ch) < 0)
		return cli_fail_err();
	if (charter_fmt(ch, &out, &changed) < 0 || check_result(file, &out) < 0) {
		cli_fail_err();
		goto done;
	}
	if (changed == 0) {
		printf("%s: every heading has an explicit id\n", file);
		rc = CLI_OK;
		goto done;
	}
	if (check) {
		printf("%s: %zu heading%s without an explicit id (run 'codicil fmt')\n", file,
		       changed, changed == 1 ? "" : "s");
		goto done;
	}
	if (commit) {
		store_change change = { file, out.data, out.len };
		if (store_lock(s) < 0) {
			cli_fail_err();
			goto done;
		}
		cd_buf_printf(&msg, "Format: explicit ids for %zu principle%s\n", changed,
			      changed == 1 ? "" : "s");
		c = store_commit(s, &change, 1, msg.data, NULL, 0, NULL);
		store_unlock(s);
	} else {
		cd_path_join(&path, store_workdir(s), file);
		c = cd_file_write_atomic(path.data, out.data, out.len);
	}
	if (c < 0) {
		cli_fail_err();
		goto done;
	}
	printf("%s: wrote explicit ids into %zu heading%s%s\n", file, changed,
	       changed == 1 ? "" : "s", commit ? " and committed" : "");
	rc = CLI_OK;
done:
	cd_buf_free(&out);
	cd_buf_free(&path);
	cd_buf_free(&msg);
	charter_free(ch);
	return rc;
}
