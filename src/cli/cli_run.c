/* cli_run.c — reporting a generation run, shared by the commands that
 * make cases. */
#include "cli_run.h"

#include <string.h>

#include "codicil/json.h"
#include "codicil/workspace.h"
#include "codicil/sanitize.h"

void cli_print_new_cases(store *s, const batch_result *r, int json)
{
	cJSON *arr = json ? cJSON_CreateArray() : NULL;

	for (size_t i = 0; i < r->ncases; i++) {
		cd_buf path = CD_BUF_INIT;
		cJSON *c;

		if (!json) {
			printf("%s\n", r->case_ids[i]);
			continue;
		}
		cd_buf_puts(&path, store_workdir(s));
		workspace_record_path(r->case_ids[i], &path);
		if ((c = cd_json_read_file(path.data)))
			cJSON_AddItemToArray(arr, c);
		cd_buf_clear(&path);
	}
	if (json)
		cli_print_json(arr);
}

#define EXAMPLE_CAUSES 4

static void put_counts(const batch_result *r)
{
	fprintf(stderr, "run %s: %zu request%s ok, %zu failed", r->run, r->ok, r->ok == 1 ? "" : "s",
		r->failed);
	if (r->not_sent)
		fprintf(stderr, ", %zu not sent", r->not_sent);
	if (r->skipped)
		fprintf(stderr, ", %zu done earlier", r->skipped);
	fprintf(stderr, "; %zu new case%s (%zu duplicate%s dropped, %zu invalid)", r->ncases,
		r->ncases == 1 ? "" : "s", r->duplicates, r->duplicates == 1 ? "" : "s", r->invalid);
	if (r->commit[0])
		fprintf(stderr, "; committed %.10s", r->commit);
	fputc('\n', stderr);
	if (r->mended || r->reasked || r->revalidated) {
		fprintf(stderr, "  %zu answer%s mended, %zu asked again with their errors", r->mended,
			r->mended == 1 ? "" : "s", r->reasked);
		if (r->revalidated)
			fprintf(stderr, ", %zu kept answer%s usable now", r->revalidated,
				r->revalidated == 1 ? "" : "s");
		fputc('\n', stderr);
	}
}

static void put_failure(const batch_failure *f, size_t count)
{
	if (count)
		fprintf(stderr, "  %zu x ", count);
	else
		fputs("  failed: ", stderr);
	cli_put_safe(stderr, count ? f->cause : f->unit, CD_SAN_ONE_LINE);
	fputs(count ? ", e.g. " : ": ", stderr);
	if (count)
		cli_put_safe(stderr, f->unit, CD_SAN_ONE_LINE), fputs(": ", stderr);
	cli_put_safe(stderr, f->why, CD_SAN_ONE_LINE);
	fputc('\n', stderr);
}

/* The failures by cause: how many, and the first of each as an example.
 * Causes are few (a handful of classes) and failures may be a million
 * (a run the breaker stopped): one pass, counting into a short table. */
static void put_causes(const batch_result *r)
{
	struct cause { const batch_failure *first; size_t n; } seen[EXAMPLE_CAUSES];
	size_t nseen = 0, other = 0;

	for (size_t i = 0; i < r->nfailures; i++) {
		size_t k = 0;
		while (k < nseen && strcmp(seen[k].first->cause, r->failures[i].cause))
			k++;
		if (k < nseen)
			seen[k].n++;
		else if (nseen < EXAMPLE_CAUSES)
			seen[nseen++] = (struct cause){ &r->failures[i], 1 };
		else
			other++;
	}
	for (size_t k = 0; k < nseen; k++)
		put_failure(seen[k].first, seen[k].n);
	if (other)
		fputs("  ... and other causes\n", stderr);
}

void cli_print_run_summary(const batch_result *r, const char *resume, int verbose)
{
	put_counts(r);
	if (r->stopped) {
		fputs("stopped sending: ", stderr);
		cli_put_safe(stderr, r->stopped, CD_SAN_ONE_LINE);
		fputc('\n', stderr);
	}
	if (verbose)
		for (size_t i = 0; i < r->nfailures; i++)
			put_failure(&r->failures[i], 0);
	else
		put_causes(r);
	if (!r->remaining)
		return;
	fprintf(stderr, "%zu of the run's %zu request%s still without an answer", r->remaining,
		r->total, r->total == 1 ? "" : "s");
	if (resume)
		fprintf(stderr, "; when the cause is fixed, continue with: %s", resume);
	else
		fputs("; when the cause is fixed, run the command again", stderr);
	if (!verbose && r->nfailures > 1)
		fputs(" (-v lists every failure)", stderr);
	fputc('\n', stderr);
}
