/* rate.c — a rating into a case file, and the file into a commit. */
#include "codicil/rate.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

int rate_rater(store *s, cd_buf *out)
{
	char *name = NULL, *email = NULL;

	if (store_identity(s, &name, &email) < 0)
		return -1;
	cd_buf_printf(out, "%s <%s>", name, email);
	free(name);
	free(email);
	return 0;
}

int rate_commit(store *s, cJSON *c, const rating *r, char commit[41])
{
	cd_buf text = CD_BUF_INIT, msg = CD_BUF_INIT, path = CD_BUF_INIT;
	store_change change;
	cJSON *copy;
	int rc = -1;

	if (case_rate(c, r) < 0)
		return -1;
	if (!(copy = cJSON_Duplicate(c, 1))) {
		cd_err_set("out of memory");
		return -1;
	}
	case_normalize(copy);
	cd_buf_printf(&path, "cases/%s.json", case_id(c));
	if (cd_json_print(copy, &text) == 0) {
		change.path = path.data;
		change.data = text.data;
		change.len = text.len;
		cd_buf_printf(&msg, "Rate %s: %s\n\nRated by %s.\n", case_id(c), r->verdict, r->rater);
		rc = store_commit(s, &change, 1, msg.data, NULL, 0, commit);
	}
	cJSON_Delete(copy);
	cd_buf_free(&text);
	cd_buf_free(&msg);
	cd_buf_free(&path);
	return rc;
}

int rate_case_file(store *s, const char *id, const rating *r, char commit[41])
{
	cd_buf path = CD_BUF_INIT;
	cJSON *c = NULL;
	int rc = -1;

	if (!*id || *id == '.' || strchr(id, '/')) {
		cd_err_set("'%s' is not a case id", id);
		return -1;
	}
	if (store_lock(s) < 0)
		return -1;
	cd_buf_printf(&path, "%scases/%s.json", store_workdir(s), id);
	if ((c = cd_json_read_file(path.data))) {
		if (!case_id(c) || strcmp(case_id(c), id))
			cd_err_set("cases/%s.json holds another case; fix the file", id);
		else
			rc = rate_commit(s, c, r, commit);
	}
	store_unlock(s);
	cJSON_Delete(c);
	cd_buf_free(&path);
	return rc;
}
