/* rate_argue.h — `codicil rate --argue` (rate_argue.c). */
#ifndef CODICIL_CLI_RATE_ARGUE_H
#define CODICIL_CLI_RATE_ARGUE_H

#include "cli.h"

/* Show c, ask for the quick verdict (unless quick is given), show the
 * model's arguments, ask for the considered verdict.  CLI_OK with both
 * set, or an exit code after saying why nothing is recorded. */
int rate_argue(cli_ctx *ctx, const cJSON *c, const char *quick, const char **quick_out,
	       const char **verdict_out);

#endif
