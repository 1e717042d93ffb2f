/* workspace_cases.c — the work tree's case library: all of it, or one
 * case found through the index. */
#include "codicil/workspace.h"

#include "codicil/case_index.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

/* The records of one folder of the work tree (a theory library is a case
 * library of theories). */
static int load_folder(store *s, const char *folder, case_library *out)
{
	cd_buf dir = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&dir, "%s%s", store_workdir(s), folder);
	rc = case_library_load(dir.data, out);
	cd_buf_clear(&dir);
	return rc;
}

int workspace_load_cases(store *s, case_library *out)
{
	return load_folder(s, "cases", out);
}

int workspace_load_theories(store *s, theory_library *out)
{
	return load_folder(s, "theories", out);
}

cJSON *workspace_active_theory(store *s, const char *id)
{
	theory_library tl;
	cJSON *t, *copy = NULL;

	if (workspace_load_theories(s, &tl) < 0)
		return NULL;
	if ((t = theory_library_find(&tl, id)) && !theory_is_active(t))
		cd_err_set("theory %s is retired; use an active one ('codicil theorize --list')",
			   theory_id(t));
	else if (t && !(copy = cJSON_Duplicate(t, 1)))
		cd_err_set("out of memory");
	theory_library_clear(&tl);
	return copy;
}

cJSON *workspace_case_read(store *s, const char *id)
{
	cd_buf path = CD_BUF_INIT, full = CD_BUF_INIT, text = CD_BUF_INIT, why = CD_BUF_INIT;
	case_index *ix = NULL;
	const char *problem;
	cJSON *c = NULL;

	if (case_index_open(s, &ix, NULL) < 0 || case_index_find(ix, id, NULL, &path) < 0)
		goto out;
	if (cd_path_join(&full, store_workdir(s), path.data) < 0 ||
	    cd_file_read(full.data, &text) < 0 ||
	    !(c = cd_json_parse(cd_buf_cstr(&text), text.len, path.data)))
		goto out;
	if ((problem = case_file_problem(c, path.data, &why))) {
		if (!cd_buf_failed(&why))
			cd_err_set("%s: %s", path.data, problem);
		cJSON_Delete(c);
		c = NULL;
	}
out:
	case_index_close(ix);
	cd_buf_clear(&path);
	cd_buf_clear(&full);
	cd_buf_clear(&text);
	cd_buf_clear(&why);
	return c;
}
