/* batch_registry.c — the provider batches a repository has open:
 * .git/codicil/batches/<id>.json ({id, provider, host, created, requests:
 * [custom_id...]}), written (fsync'd) the moment a batch exists and removed
 * once its results are in.  A later run with --provider-batch asks every
 * open batch that holds one of its requests for its answers before it
 * makes a new one, so a killed judge or regress is resumed by running it
 * again, and nothing is paid for twice. */
#include "batch_api.h"

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"
#include "codicil/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int record_path(const char *dir, const char *id, cd_buf *out)
{
	return cd_buf_printf(out, "%s/%s.json", dir, id);
}

int batch_registry_add(const char *dir, const char *id, const char *provider, const char *host,
		       const cJSON *items)
{
	cJSON *rec = cJSON_CreateObject(), *ids, *it;
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc = -1;

	if (!rec)
		return -1;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(rec, "id", id);
	cJSON_AddStringToObject(rec, "provider", provider);
	cJSON_AddStringToObject(rec, "host", host);
	cJSON_AddStringToObject(rec, "created", when);
	ids = cJSON_AddArrayToObject(rec, "requests");
	cJSON_ArrayForEach(it, items)
		cJSON_AddItemToArray(ids, cJSON_CreateString(cd_json_str(it, "custom_id") ?
							      cd_json_str(it, "custom_id") : ""));
	if (record_path(dir, id, &path) == 0 && cd_json_print_compact(rec, &text) == 0)
		rc = cd_file_write_atomic(path.data, text.data, text.len);
	cJSON_Delete(rec);
	cd_buf_clear(&path);
	cd_buf_clear(&text);
	return rc;
}

void batch_registry_remove(const char *dir, const char *id)
{
	cd_buf path = CD_BUF_INIT;

	if (record_path(dir, id, &path) == 0)
		unlink(path.data);
	cd_buf_clear(&path);
}

/* 1 when the record is open at provider/host and holds a wanted request. */
static int wanted_record(const cJSON *rec, const char *provider, const char *host,
			 const struct strmap *wanted)
{
	const cJSON *it;

	if (!cd_json_str(rec, "id") || strcmp(cd_json_str(rec, "provider") ?
					      cd_json_str(rec, "provider") : "", provider) ||
	    strcmp(cd_json_str(rec, "host") ? cd_json_str(rec, "host") : "", host))
		return 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(rec, "requests"))
		if (cJSON_IsString(it) && strmap_get(wanted, it->valuestring))
			return 1;
	return 0;
}

int batch_registry_find(const char *dir, const char *provider, const char *host,
			const struct strmap *wanted, char ***ids, size_t *n)
{
	char **names = NULL;
	size_t count = 0;

	*ids = NULL;
	*n = 0;
	if (cd_dir_names(dir, ".json", &names, &count) < 0)
		cd_err_clear(); /* none open */
	if (count && !(*ids = calloc(count, sizeof **ids)))
		count = 0;
	for (size_t i = 0; i < count; i++) {
		cd_buf path = CD_BUF_INIT;
		cJSON *rec;

		cd_path_join(&path, dir, names[i]);
		rec = cd_json_read_file(path.data);
		cd_err_clear();
		if (rec && wanted_record(rec, provider, host, wanted) &&
		    ((*ids)[*n] = strdup(cd_json_str(rec, "id"))))
			(*n)++;
		cJSON_Delete(rec);
		cd_buf_clear(&path);
	}
	cd_names_free(names, count);
	return 0;
}
