/* batch_find.c — which journal a resumed batch continues. */
#include "batch_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

/* Every request of the journal is one of the units, and there is one. */
static int journal_of(const char *path, const gen_unit *units, size_t n)
{
	journal jn;
	int mine = 0;

	if (journal_open(path, &jn) < 0) {
		cd_err_clear();
		return 0;
	}
	for (size_t i = 0; i < jn.n; i++) {
		const char *key = cd_json_str(jn.lines[i], "request");
		int found = 0;

		if (!key && cd_json_str(jn.lines[i], "provider_batch"))
			continue; /* a provider batch's id, not a request */
		for (size_t k = 0; key && k < n && !found; k++)
			found = !strcmp(units[k].key, key);
		mine = found;
		if (!found)
			break;
	}
	journal_clear(&jn);
	return mine;
}

int batch_find_journal(store *s, const gen_unit *units, size_t n, cd_buf *out)
{
	cd_buf dir = CD_BUF_INIT, path = CD_BUF_INIT, others = CD_BUF_INIT;
	char **names = NULL;
	size_t count = 0, seen = 0;
	int rc = -1;

	if (store_local_path(s, "runs", &dir) < 0 ||
	    cd_dir_names(dir.data, ".jsonl", &names, &count) < 0) {
		cd_buf_clear(&dir);
		return -1;
	}
	/* newest first: run ids sort by time */
	for (size_t i = count; i-- > 0 && rc < 0; seen++) {
		cd_buf_reset(&path);
		cd_path_join(&path, dir.data, names[i]);
		if (journal_of(path.data, units, n))
			rc = cd_buf_puts(out, path.data);
		else if (seen < 3)
			cd_buf_printf(&others, "%s%s", others.len ? ", " : "", names[i]);
	}
	if (rc < 0 && others.len)
		cd_err_set("no earlier run of these requests in %s (the newest there are other runs: "
			   "%s); give --journal FILE", dir.data, others.data);
	else if (rc < 0)
		cd_err_set("no earlier run to resume in %s; give --journal FILE", dir.data);
	cd_names_free(names, count);
	cd_buf_clear(&dir);
	cd_buf_clear(&path);
	cd_buf_clear(&others);
	return rc;
}
