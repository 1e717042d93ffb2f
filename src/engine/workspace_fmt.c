/* workspace_fmt.c — `codicil fmt`: explicit {#id}s in the work tree's
 * charter, written or committed. */
#include "codicil/workspace.h"

#include "codicil/error.h"
#include "codicil/file.h"

static int check_result(const char *file, const cd_buf *text)
{
	charter *after;
	int rc;

	if (charter_parse(file, cd_buf_cstr(text), text->len, &after) < 0)
		return -1;
	rc = workspace_check(after);
	charter_free(after);
	return rc;
}

static int write_out(store *s, const char *file, const cd_buf *text, size_t changed, int commit)
{
	cd_buf path = CD_BUF_INIT, msg = CD_BUF_INIT;
	store_change change = { file, text->data, text->len };
	int rc;

	if (!commit) {
		cd_path_join(&path, store_workdir(s), file);
		rc = cd_file_write_atomic(path.data, text->data, text->len);
		cd_buf_clear(&path);
		return rc;
	}
	if (store_lock(s) < 0)
		return -1;
	cd_buf_printf(&msg, "Format: explicit ids for %zu principle%s\n", changed,
		      changed == 1 ? "" : "s");
	rc = store_commit(s, &change, 1, msg.data, NULL, 0, NULL);
	store_unlock(s);
	cd_buf_clear(&msg);
	return rc;
}

int workspace_fmt(store *s, config *cfg, enum workspace_fmt_mode mode, size_t *changed)
{
	const char *file = workspace_charter_path(cfg);
	cd_buf out = CD_BUF_INIT;
	charter *ch;
	int rc = -1;

	*changed = 0;
	/* headings whose slug is not a valid id are what fmt repairs, so the
	 * charter is validated after formatting, not before */
	if (workspace_load(s, file, NULL, 0, &ch) < 0)
		return -1;
	if (charter_fmt(ch, &out, changed) == 0 && check_result(file, &out) == 0)
		rc = mode == FMT_CHECK || !*changed ? 0
		     : write_out(s, file, &out, *changed, mode == FMT_COMMIT);
	cd_buf_clear(&out);
	charter_free(ch);
	return rc;
}
