/* rate_argue.h — `codicil rate --argue` (rate_argue.c). */
#ifndef CODICIL_CLI_RATE_ARGUE_H
#define CODICIL_CLI_RATE_ARGUE_H

#include "cli.h"

/* Show c, ask for the quick verdict (unless quick is given), show the
 * model's arguments, ask for the considered verdict.  CLI_OK with both
 * set, or an exit code after saying why nothing is recorded.  When
 * codicil.argueAbove skips the arguments for this rater and they do not
 * ask for them, CLI_OK with *quick_out NULL and the first verdict. */
int rate_argue(cli_ctx *ctx, const cJSON *c, const char *rater, const char *quick,
	       const char **quick_out, const char **verdict_out);

#endif
