/* blame_removed.c — when and by what a principle left the charter. */
#include "codicil/blame.h"

#include <stdlib.h>

#include "blame_int.h"
#include "codicil/error.h"

/* 1 when the charter at commit has principle id; a version that does not
 * parse has none. */
static int has_principle(store *s, const char *commit, const char *path, const char *id)
{
	cd_buf text = CD_BUF_INIT;
	charter *ch = NULL;
	int has = 0;

	if (store_read(s, commit, path, &text) == 0 &&
	    charter_parse(path, cd_buf_cstr(&text), text.len, &ch) == 0)
		has = charter_index(ch, id) >= 0;
	cd_err_clear();
	charter_free(ch);
	cd_buf_clear(&text);
	return has;
}

int blame_removed(store *s, const char *path, const char *id, blame_entry **out)
{
	store_commit_info *log = NULL;
	size_t nlog = 0, i;
	int rc = 0;

	*out = NULL;
	if (store_log(s, NULL, path, 0, &log, &nlog) < 0)
		return -1;
	/* newest first: the first version that has it is one older than the
	 * commit that took it out */
	for (i = 0; i < nlog && !has_principle(s, log[i].id, path, id); i++)
		;
	if (i > 0 && i < nlog) {
		if (!(*out = calloc(1, sizeof **out)) ||
		    blame__fill_entry(s, *out, id, &log[i - 1]) < 0) {
			blame_free(*out, *out ? 1 : 0);
			*out = NULL;
			cd_err_set("out of memory");
			rc = -1;
		} else {
			(*out)->removed = 1;
			rc = 1;
		}
	}
	store_log_free(log, nlog);
	return rc;
}
