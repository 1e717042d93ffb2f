/* cli_run.c — reporting a generation run, shared by the commands that
 * make cases. */
#include "cli_run.h"

#include "codicil/json.h"
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
		cd_buf_printf(&path, "%scases/%s.json", store_workdir(s), r->case_ids[i]);
		if ((c = cd_json_read_file(path.data)))
			cJSON_AddItemToArray(arr, c);
		cd_buf_free(&path);
	}
	if (json)
		cli_print_json(arr);
}

void cli_print_run_summary(const batch_result *r)
{
	fprintf(stderr, "run %s: %zu request%s ok, %zu failed", r->run, r->ok, r->ok == 1 ? "" : "s",
		r->failed);
	if (r->skipped)
		fprintf(stderr, ", %zu done earlier", r->skipped);
	fprintf(stderr, "; %zu new case%s (%zu duplicate%s dropped, %zu invalid)", r->ncases,
		r->ncases == 1 ? "" : "s", r->duplicates, r->duplicates == 1 ? "" : "s", r->invalid);
	if (r->commit[0])
		fprintf(stderr, "; committed %.10s", r->commit);
	fputc('\n', stderr);
	for (size_t i = 0; i < r->nfailures; i++) {
		fputs("  failed: ", stderr);
		cli_put_safe(stderr, r->failures[i], CD_SAN_ONE_LINE);
		fputc('\n', stderr);
	}
}

