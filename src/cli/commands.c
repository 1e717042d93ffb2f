/* commands.c — the one table of commands; each lives in its own file. */
#include "cli.h"

#define CMD(name) extern int cmd_##name(cli_ctx *, int, char **); \
		  extern const char cmd_##name##_usage[];
CMD(version)
#undef CMD

const cli_command cli_commands[] = {
	{ "version", cmd_version, "print the version", cmd_version_usage },
	{ NULL, NULL, NULL, NULL },
};
