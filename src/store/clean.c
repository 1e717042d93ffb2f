/* clean.c — refusing to overwrite a user's uncommitted work. */
#include "store_internal.h"

#include "codicil/error.h"
#include "codicil/file.h"

#include <string.h>
#include <sys/stat.h>

/* 1 when the work-tree file at full holds exactly data. */
static int worktree_holds(const char *full, const char *data, size_t len)
{
	cd_buf cur = CD_BUF_INIT;
	int same = cd_file_read(full, &cur) == 0 && cur.len == len && !memcmp(cur.data, data, len);

	cd_buf_clear(&cur);
	cd_err_clear();
	return same;
}

/* A path that is neither in the work tree nor in the index holds no work
 * of the user's: the common case of a new record, answered without a
 * status scan. */
static int untouched_new_path(store *s, const char *path, int in_worktree)
{
	git_index *idx = NULL;
	int absent;

	if (in_worktree || git_repository_index(&idx, s->repo) < 0)
		return 0;
	absent = git_index_get_bypath(idx, path, 0) == NULL;
	git_index_free(idx);
	return absent;
}

/* data NULL: the path is to be deleted, or its new content is unknown. */
static int check_one(store *s, const char *path, const char *data, size_t len)
{
	cd_buf full = CD_BUF_INIT;
	unsigned int flags = 0;
	struct stat st;
	int rc, exists;

	if (store__worktree_path(s, path, &full) < 0)
		return -1;
	exists = lstat(full.data, &st) == 0;
	if (untouched_new_path(s, path, exists)) {
		cd_buf_clear(&full);
		return 0;
	}
	if (exists && S_ISDIR(st.st_mode)) {
		cd_err_set("%s is a directory in the work tree; move it away first, then run the "
			   "command again", path);
		goto dirty;
	}
	rc = git_status_file(&flags, s->repo, path);
	if (rc == GIT_ENOTFOUND || (rc == 0 && flags == GIT_STATUS_CURRENT)) {
		git_error_clear();
		cd_buf_clear(&full);
		return 0;
	}
	if (rc < 0) {
		store__git_fail(path);
		goto dirty;
	}
	if (!(flags & ~(unsigned)(GIT_STATUS_WT_NEW | GIT_STATUS_IGNORED))) {
		if (data && worktree_holds(full.data, data, len)) {
			cd_buf_clear(&full);
			return 0;
		}
		cd_err_set("%s is not committed and would be overwritten; commit it or move it away "
			   "first, then run the command again", path);
		goto dirty;
	}
	cd_err_set("%s has uncommitted changes; commit or stash them first (git stash), then run "
		   "the command again", path);
dirty:
	cd_buf_clear(&full);
	return -1;
}

int store__check_changes_clean(store *s, const store_change *changes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (check_one(s, changes[i].path, changes[i].data, changes[i].len) < 0)
			return -1;
	return 0;
}

int store_check_clean(store *s, const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (check_one(s, paths[i], NULL, 0) < 0)
			return -1;
	return 0;
}
