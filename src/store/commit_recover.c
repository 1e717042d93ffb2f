/* commit_recover.c — finishing a commit that a kill interrupted.
 *
 * store_commit writes the commit object, then this marker, then moves the
 * branch, then the work-tree files, then the index.  A kill before the
 * branch moves leaves the old HEAD and an untouched work tree (the marker,
 * if any, names a commit HEAD is not: it is removed).  A kill after leaves
 * the new HEAD with a work tree and index that lag behind: the next
 * codicil command that takes the lock writes each listed path as HEAD has
 * it and updates the index — unless someone changed the file since, which
 * it leaves alone and names. */
#include "store_internal.h"

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int marker_path(store *s, cd_buf *out)
{
	return store_local_path(s, "commit-in-progress", out);
}

void store__crash_point(const char *name)
{
	const char *at = getenv("CODICIL_CRASH_AT");

	if (at && !strcmp(at, name))
		raise(SIGKILL);
}

void store_crash_point(const char *name)
{
	store__crash_point(name);
}

int store__mark_in_progress(store *s, const git_oid *id, const store_change *changes, size_t n)
{
	cJSON *m = cJSON_CreateObject(), *paths;
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = -1;

	if (!m)
		return -1;
	git_oid_tostr(hex, sizeof hex, id);
	cJSON_AddStringToObject(m, "commit", hex);
	paths = cJSON_AddArrayToObject(m, "paths");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(paths, cJSON_CreateString(changes[i].path));
	if (marker_path(s, &path) == 0 && cd_json_print_compact(m, &text) == 0)
		rc = cd_file_write_atomic(path.data, text.data, text.len);
	cJSON_Delete(m);
	cd_buf_clear(&path);
	cd_buf_clear(&text);
	return rc;
}

void store__clear_in_progress(store *s)
{
	cd_buf path = CD_BUF_INIT;

	if (marker_path(s, &path) == 0)
		unlink(path.data);
	cd_buf_clear(&path);
}

/* The work-tree file at path, hashed as a blob; "" when it is missing. */
static void worktree_blob(store *s, const char *path, char out[41])
{
	cd_buf full = CD_BUF_INIT, data = CD_BUF_INIT;

	out[0] = '\0';
	if (store__worktree_path(s, path, &full) == 0 && cd_file_exists(full.data) &&
	    cd_file_read(full.data, &data) == 0)
		store_hash_blob(data.data ? data.data : "", data.len, out);
	cd_err_clear();
	cd_buf_clear(&full);
	cd_buf_clear(&data);
}

/* The index entry of path as HEAD has it, without stat data (git then
 * hashes the file: a person's edit shows as unstaged, as after a commit). */
static int index_to_head(store *s, git_index *idx, const char *path)
{
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	git_index_entry e;
	int rc = -1;

	if (git_revparse_single(&obj, store_repo(s), "HEAD^{tree}") == 0 &&
	    git_tree_lookup(&tree, store_repo(s), git_object_id(obj)) == 0 &&
	    git_tree_entry_bypath(&te, tree, path) == 0) {
		memset(&e, 0, sizeof e);
		e.mode = git_tree_entry_filemode(te);
		e.id = *git_tree_entry_id(te);
		e.path = path;
		rc = git_index_add(idx, &e);
	} else {
		rc = git_index_remove_bypath(idx, path);
	}
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_object_free(obj);
	return rc < 0 ? store__git_fail("cannot update the index") : 0;
}

/* Bring one path to HEAD; 1 when it was changed by someone since (the
 * file left alone, the index brought), 0 when brought (or already) in
 * step, -1 on error. */
static int bring(store *s, git_index *idx, const char *path)
{
	char now[41], head[41], parent[41];
	cd_buf data = CD_BUF_INIT, full = CD_BUF_INIT;
	int in_head = store_blob_id(s, "HEAD", path, head) == 0;
	int in_parent = store_blob_id(s, "HEAD^", path, parent) == 0;
	int rc = 0;

	cd_err_clear();
	worktree_blob(s, path, now);
	if (in_head ? !strcmp(now, head) : !*now)
		goto index; /* the work tree has it already */
	if (in_parent ? strcmp(now, parent) != 0 : *now != '\0') {
		/* neither before nor after: a person's edit */
		rc = index_to_head(s, idx, path) < 0 ? -1 : 1;
		goto out;
	}
	if (store__worktree_path(s, path, &full) < 0)
		goto fail;
	if (in_head) {
		if (store_read(s, "HEAD", path, &data) < 0 ||
		    cd_file_replace(full.data, cd_buf_cstr(&data), data.len) < 0)
			goto fail;
	} else if (unlink(full.data) < 0 && errno != ENOENT) {
		cd_err_set("cannot remove %s: %s", path, strerror(errno));
		goto fail;
	}
index:
	if ((in_head ? git_index_add_bypath(idx, path) : git_index_remove_bypath(idx, path)) < 0) {
		store__git_fail("cannot update the index");
		goto fail;
	}
	goto out;
fail:
	rc = -1;
out:
	cd_buf_clear(&data);
	cd_buf_clear(&full);
	return rc;
}

/* 1 when name is base ".tmp." PID (cd_file_write_atomic's temporary) and
 * no process PID is alive: the write was killed before its rename. */
static int dead_temporary(const char *name, const char *base)
{
	size_t blen = strlen(base);
	char *end;
	long pid;

	if (strncmp(name, base, blen) || strncmp(name + blen, ".tmp.", 5))
		return 0;
	pid = strtol(name + blen + 5, &end, 10);
	return pid > 0 && !*end && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* The temporaries a killed write of path left beside it; how many went. */
static size_t sweep_temporaries(store *s, const char *path)
{
	cd_buf full = CD_BUF_INIT, dir = CD_BUF_INIT;
	char **names = NULL;
	const char *slash;
	size_t n = 0, gone = 0;

	if (store__worktree_path(s, path, &full) < 0 || !(slash = strrchr(full.data, '/')))
		goto out;
	cd_buf_append(&dir, full.data, (size_t)(slash - full.data));
	if (cd_dir_names(dir.data, "", &names, &n) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		cd_buf tmp = CD_BUF_INIT;
		cd_path_join(&tmp, dir.data, names[i]);
		gone += dead_temporary(names[i], slash + 1) && unlink(tmp.data) == 0;
		cd_buf_clear(&tmp);
	}
out:
	cd_err_clear();
	cd_names_free(names, n);
	cd_buf_clear(&dir);
	cd_buf_clear(&full);
	return gone;
}

int store__finish_interrupted(store *s)
{
	cd_buf path = CD_BUF_INIT, left = CD_BUF_INIT;
	cJSON *m = NULL, *p;
	git_index *idx = NULL;
	char head[41];
	const char *commit;
	size_t brought = 0, swept = 0;
	int rc = 0;

	if (marker_path(s, &path) < 0 || !cd_file_exists(path.data))
		goto out;
	m = cd_json_read_file(path.data);
	commit = cd_json_str(m, "commit");
	if (!commit || store_resolve(s, "HEAD", head) < 0 || strcmp(head, commit)) {
		cd_err_clear();
		unlink(path.data); /* the branch never moved: nothing was written */
		goto out;
	}
	if (git_repository_index(&idx, store_repo(s)) < 0 || git_index_read(idx, 0) < 0) {
		rc = store__git_fail("cannot read the index");
		goto out;
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(m, "paths")) {
		int r = cJSON_IsString(p) ? bring(s, idx, p->valuestring) : 0;
		if (r < 0) {
			rc = -1;
			goto out;
		}
		if (r > 0)
			cd_buf_printf(&left, "%s%s", left.len ? ", " : "", p->valuestring);
		else
			brought++;
		if (cJSON_IsString(p))
			swept += sweep_temporaries(s, p->valuestring);
	}
	if (git_index_write(idx) < 0) {
		rc = store__git_fail("cannot write the index");
		goto out;
	}
	unlink(path.data);
	cd_warn("finished the commit %.10s that was interrupted: %zu file%s brought to it%s%s%s",
		commit, brought, brought == 1 ? "" : "s",
		left.len ? "; changed since, left as they are: " : "", left.len ? left.data : "",
		swept ? "; removed the temporary files of the killed write" : "");
out:
	git_index_free(idx);
	cJSON_Delete(m);
	cd_buf_clear(&path);
	cd_buf_clear(&left);
	return rc;
}
