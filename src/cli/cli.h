/* cli.h — shared plumbing of the command-line front end: the context every
 * command gets, and the helpers that turn library errors into the one-line
 * messages and exit codes of DESIGN.md §7 (0 ok, 1 failed, 2 usage). */
#ifndef CODICIL_CLI_H
#define CODICIL_CLI_H

#include <cJSON.h>
#include <stdio.h>

#include "codicil/case.h"
#include "codicil/charter.h"
#include "codicil/config.h"
#include "codicil/store.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct cli_ctx {
	const char *dir;   /* -C DIR, or NULL for the current directory */
	store *store;      /* opened on first use by cli_store() */
	config *cfg;       /* opened on first use by cli_config() */
	int color_out;     /* stdout is a terminal and NO_COLOR is unset */
	int color_err;
	/* for the commands that ask a model (cli_llm.h) */
	const char *command;  /* as typed: "judge" */
	int argc;             /* its arguments, after the command */
	char **argv;
	const char *budget;   /* --budget */
	int dry_run;          /* --dry-run: estimate, send nothing */
	struct runlog *run;   /* the run's record, from the first client on */
	struct runlog_history *hist;
} cli_ctx;

typedef struct cli_command {
	const char *name;
	int (*run)(cli_ctx *ctx, int argc, char **argv);
	const char *summary; /* one line for `codicil --help` */
	const char *usage;   /* the full --help text of the command */
} cli_command;

/* The table of every command, NULL-terminated; defined in commands.c. */
extern const cli_command cli_commands[];

/* Print "codicil: <msg>" on stderr; returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last library error (cd_err_msg) as a failure. */
int cli_fail_err(void);
/* "codicil: <msg>" plus "see 'codicil CMD --help'"; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The command's arguments, for naming a bad option; silences getopt. */
void cli_note_args(int argc, char **argv);
/* Print the command's usage to stdout when argv has -h/--help; 1 if so. */
int cli_wants_help(const cli_command *cmd, int argc, char **argv);
const cli_command *cli_find(const char *name);

/* Write text from a file or a model, made inert for a terminal
 * (cd_sanitize with flags). */
void cli_put_safe(FILE *f, const char *text, unsigned flags);
void cli_put_safe_len(FILE *f, const char *text, size_t len, unsigned flags);
/* Print a JSON value pretty-printed on stdout; frees it. */
int cli_print_json(cJSON *j);

/* A whole number from min to max for option `what` of command cmd ("generate
 * "), or a usage error (returns CLI_USAGE; 0 when fine). */
int cli_parse_count(const char *cmd, const char *what, const char *s, long min, long max,
		    int *out);

/* The value of option `what` for a setting of the table (config_keys.h),
 * checked with its type and range; a usage error (CLI_USAGE) or 0. */
int cli_parse_setting(const char *cmd, const char *what, const char *key, const char *value);

/* n rounded and grouped by thousands ("1,234,567") in buf, which it returns. */
const char *cli_count(double n, char buf[32]);

/* The case library, with a warning on stderr for each file skipped as
 * corrupt (the others are still loaded). */
int cli_load_cases(store *s, case_library *lib);

/* Open the repository lazily (ctx->dir or "."); NULL after printing. */
store *cli_store(cli_ctx *ctx);
/* The options of the commands that read the charter as it is or was
 * (principles, show): --json and --rev REV; optind is the first operand
 * afterwards.  CLI_OK, or the usage error's code. */
int cli_parse_json_rev(const char *cmd, int argc, char **argv, int *json, const char **rev);
/* The charter at rev (NULL: the work tree), validated; NULL with the
 * error printed. */
charter *cli_charter_at(cli_ctx *ctx, const char *rev);
config *cli_config(cli_ctx *ctx);

#endif
