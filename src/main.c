/* main.c — global options, then hand argv to the command it names. */
#include <git2.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_llm.h"

static const char main_usage[] =
	"usage: codicil [-C DIR] [--version] [--help] COMMAND [ARGS]\n"
	"\n"
	"A constitution amendment workbench: keep an AI constitution in git, put it\n"
	"under adversarial pressure with an LLM, and commit reviewed amendments with\n"
	"their provenance.\n"
	"\n"
	"  -C DIR       run as if started in DIR\n"
	"  --version    print the version and exit\n"
	"  -h, --help   this text; 'codicil COMMAND --help' for one command\n"
	"\n"
	"Commands:\n";

static void print_main_usage(FILE *f)
{
	fputs(main_usage, f);
	for (const cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fputs("\nSee codicil(1) and codicil-charter(5).\n", f);
}

static int use_color(int fd)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	return isatty(fd) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

/* libgit2 does not read git's GIT_CONFIG_NOSYSTEM; honour it as git does. */
static void honour_git_environment(void)
{
	const char *nosystem = getenv("GIT_CONFIG_NOSYSTEM");

	if (nosystem && *nosystem && strcmp(nosystem, "0") && strcmp(nosystem, "false"))
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, "");
}

int main(int argc, char **argv)
{
	cli_ctx ctx = { 0 };
	const cli_command *cmd;
	int i, rc;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C"); /* JSON and prices: a decimal point, always */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc)
				return cli_usage_error(NULL, "-C needs a directory");
			ctx.dir = argv[++i];
		} else if (!strncmp(argv[i], "-C", 2)) {
			ctx.dir = argv[i] + 2;
		} else if (!strcmp(argv[i], "--version")) {
			printf("codicil %s\n", CODICIL_VERSION);
			return CLI_OK;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_main_usage(stdout);
			return CLI_OK;
		} else {
			return cli_usage_error(NULL, "unknown option '%s'", argv[i]);
		}
	}
	if (i >= argc) {
		/* codicil alone: the workbench on a terminal, usage otherwise */
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			print_main_usage(stderr);
			return CLI_USAGE;
		}
		cmd = cli_find("tui");
	} else if (!(cmd = cli_find(argv[i]))) {
		return cli_usage_error(NULL, "'%s' is not a codicil command", argv[i]);
	} else if (cli_wants_help(cmd, argc - i, argv + i)) {
		return CLI_OK;
	}

	ctx.color_out = use_color(STDOUT_FILENO);
	ctx.color_err = use_color(STDERR_FILENO);
	git_libgit2_init();
	honour_git_environment();
	ctx.command = cmd->name;
	ctx.argc = argc - i - 1;
	ctx.argv = argv + i + 1;
	cli_note_args(argc - i, argv + i);
	rc = cmd->run(&ctx, argc - i, argv + i);
	cli_llm_finish(&ctx, rc);
	if (ctx.cfg)
		config_free(ctx.cfg);
	if (ctx.store)
		store_close(ctx.store);
	git_libgit2_shutdown();
	if (fflush(stdout) != 0 && rc == CLI_OK)
		rc = cli_fail("cannot write output");
	return rc;
}
