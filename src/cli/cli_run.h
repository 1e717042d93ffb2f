/* cli_run.h — how the commands that generate cases (generate, batch,
 * tensions, vagueness, probe) report a run: the new ids (or the cases as
 * JSON) on stdout, one summary line and the failures on stderr. */
#ifndef CODICIL_CLI_RUN_H
#define CODICIL_CLI_RUN_H

#include "cli.h"
#include "codicil/batch.h"

void cli_print_new_cases(store *s, const batch_result *r, int json);
/* The counts, why sending stopped, the failures by cause with an example
 * each (verbose: every failure), and what is left of the run with the
 * command that continues it (resume; NULL: "run the command again"). */
void cli_print_run_summary(const batch_result *r, const char *resume, int verbose);

#endif
