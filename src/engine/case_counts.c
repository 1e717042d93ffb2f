/* case_counts.c — per-principle counts of the case files in cases/. */
#include "codicil/case_counts.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

/* Count one case's principles; seen[] guards against duplicates. */
static void count_case(const cJSON *c, const charter *ch, case_counts *out, unsigned char *seen)
{
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(c, "principles"), *id;
	int idx;

	cJSON_ArrayForEach(id, ids) {
		if (!cJSON_IsString(id))
			continue;
		idx = charter_index(ch, id->valuestring);
		if (idx < 0) {
			out->unknown_ids++;
		} else if (!seen[idx]) {
			seen[idx] = 1;
			out->per_principle[idx]++;
		}
	}
	cJSON_ArrayForEach(id, ids)
		if (cJSON_IsString(id) && (idx = charter_index(ch, id->valuestring)) >= 0)
			seen[idx] = 0;
}

static int is_json_name(const char *path)
{
	size_t n = strlen(path);
	return n > 5 && !strcmp(path + n - 5, ".json");
}

int case_counts_load(store *s, const charter *ch, case_counts *out)
{
	cd_buf text = CD_BUF_INIT;
	unsigned char *seen;
	char **paths = NULL;
	size_t n = 0;

	memset(out, 0, sizeof *out);
	out->per_principle = calloc(ch->n ? ch->n : 1, sizeof *out->per_principle);
	seen = calloc(ch->n ? ch->n : 1, 1);
	if (!out->per_principle || !seen || store_list_dir(s, "cases", &paths, &n) < 0) {
		if (!out->per_principle || !seen)
			cd_err_set("out of memory counting cases");
		free(seen);
		case_counts_free(out);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *c = NULL;

		cd_buf_reset(&text);
		if (is_json_name(paths[i])) {
			if (store_read_worktree(s, paths[i], &text) == 0)
				c = cJSON_ParseWithLength(text.data, text.len);
			if (cJSON_IsObject(c)) {
				out->files++;
				count_case(c, ch, out, seen);
			} else {
				out->unreadable++;
			}
			cJSON_Delete(c);
		}
		free(paths[i]);
	}
	free(paths);
	free(seen);
	cd_buf_free(&text);
	return 0;
}

void case_counts_free(case_counts *cc)
{
	free(cc->per_principle);
	memset(cc, 0, sizeof *cc);
}
