/* clean.c — refusing to overwrite a user's uncommitted work.
 *
 * A path is clean when the index and HEAD agree on it and the work-tree
 * file matches the index (or the path is in none of them).  The index is
 * read in one pass for all the paths of a commit (gitindex.c); libgit2's
 * status, which loads the whole index, answers only what that cannot: an
 * index form gitindex.c does not read, or a file whose bytes differ from
 * the index although filters (line endings, say) may make it equal.
 */
#include "store_internal.h"

#include "codicil/error.h"
#include "codicil/file.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int uncommitted_changes(const char *path)
{
	cd_err_set("%s has uncommitted changes; commit or stash them first (git stash), then run "
		   "the command again", path);
	return -1;
}

static int is_directory(const char *path)
{
	cd_err_set("%s is a directory in the work tree; move it away first, then run the "
		   "command again", path);
	return -1;
}

/* An untracked file where a record is to be written: fine only when it
 * already holds exactly data. */
static int untracked(const char *full, const char *path, const char *data, size_t len)
{
	cd_buf cur = CD_BUF_INIT;
	int same = data && cd_file_read(full, &cur) == 0 && cur.len == len &&
		   !memcmp(cur.data, data, len);

	cd_buf_clear(&cur);
	if (same) {
		cd_err_clear();
		return 0;
	}
	cd_err_set("%s is not committed and would be overwritten; commit it or move it away "
		   "first, then run the command again", path);
	return -1;
}

/* data NULL: the path is to be deleted, or its new content is unknown. */
static int check_with_status(store *s, const char *path, const char *data, size_t len)
{
	cd_buf full = CD_BUF_INIT;
	unsigned int flags = 0;
	struct stat st;
	int rc;

	if (store__worktree_path(s, path, &full) < 0)
		return -1;
	if (lstat(full.data, &st) == 0 && S_ISDIR(st.st_mode))
		rc = is_directory(path);
	else if ((rc = git_status_file(&flags, s->repo, path)) == GIT_ENOTFOUND ||
		 (rc == 0 && flags == GIT_STATUS_CURRENT)) {
		git_error_clear();
		rc = 0;
	} else if (rc < 0)
		rc = store__git_fail(path);
	else if (!(flags & ~(unsigned)(GIT_STATUS_WT_NEW | GIT_STATUS_IGNORED)))
		rc = untracked(full.data, path, data, len);
	else
		rc = uncommitted_changes(path);
	cd_buf_clear(&full);
	return rc;
}

static int stat_matches(const struct stat *st, const gitindex_hit *h)
{
	return !h->racy && h->mtime_s == (uint32_t)st->st_mtim.tv_sec &&
	       h->mtime_ns == (uint32_t)st->st_mtim.tv_nsec &&
	       h->ctime_s == (uint32_t)st->st_ctim.tv_sec &&
	       h->ctime_ns == (uint32_t)st->st_ctim.tv_nsec && h->size == (uint32_t)st->st_size &&
	       h->ino == (uint32_t)st->st_ino;
}

/* The path against what the index has for it (h) and HEAD's tree. */
static int check_with_index(store *s, git_tree *head, const char *path, const char *data,
			    size_t len, const gitindex_hit *h)
{
	cd_buf full = CD_BUF_INIT;
	git_tree_entry *in_head = NULL;
	struct stat st;
	git_oid wt;
	int exists, rc;

	if (store__worktree_path(s, path, &full) < 0)
		return -1;
	exists = lstat(full.data, &st) == 0;
	if (head && git_tree_entry_bypath(&in_head, head, path) < 0)
		git_error_clear();
	if (!exists && !h->present && !h->conflicted)
		rc = 0; /* a new record: the common case */
	else if (exists && S_ISDIR(st.st_mode))
		rc = is_directory(path);
	else if (h->conflicted || (h->present && (!in_head || !exists ||
				   !git_oid_equal(git_tree_entry_id(in_head), &h->id))))
		rc = uncommitted_changes(path); /* unmerged, staged or deleted */
	else if (!h->present)
		rc = in_head ? uncommitted_changes(path) : untracked(full.data, path, data, len);
	else if (!(st.st_mode & 0111) == !(h->mode & 0111) &&
		 (stat_matches(&st, h) || (git_odb_hashfile(&wt, full.data, GIT_OBJECT_BLOB) == 0 &&
					   git_oid_equal(&wt, &h->id))))
		rc = 0;
	else
		rc = check_with_status(s, path, data, len); /* filters, core.fileMode */
	git_error_clear();
	git_tree_entry_free(in_head);
	cd_buf_clear(&full);
	return rc;
}

/* HEAD's tree, NULL for an unborn branch. */
static int head_tree(store *s, git_tree **out)
{
	*out = NULL;
	if (git_repository_head_unborn(s->repo) == 1)
		return 0;
	return store__tree_at(s, NULL, out);
}

/* paths[i] with data[i]/len[i] (NULL: unknown): each clean, or -1.  keep:
 * the index read stays with the store for the commit that follows. */
static int check_paths(store *s, const char *const *paths, const char *const *data,
		       const size_t *len, size_t n, int keep)
{
	store_gitindex *ix = NULL;
	gitindex_hit *hits = NULL;
	git_tree *head = NULL;
	int rc = store__gitindex_open(s, &ix);

	if (rc < 0)
		return -1;
	if (rc == 0 && !(hits = calloc(n ? n : 1, sizeof *hits))) {
		cd_err_set("out of memory");
		rc = -1;
		goto out;
	}
	if (rc == 0 && (store__gitindex_find(ix, paths, n, hits) < 0 || head_tree(s, &head) < 0)) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (check_with_index(s, head, paths[i], data[i], len[i], &hits[i]) < 0)
			rc = -1;
	for (size_t i = 0; rc == GITINDEX_UNSUPPORTED && i < n; i++)
		if (check_with_status(s, paths[i], data[i], len[i]) < 0)
			rc = -1;
	if (rc == GITINDEX_UNSUPPORTED)
		rc = 0;
out:
	git_tree_free(head);
	free(hits);
	if (keep && rc == 0)
		store__gitindex_keep(s, ix);
	else
		store__gitindex_close(ix);
	return rc;
}

int store__check_changes_clean(store *s, const store_change *changes, size_t n)
{
	const char **paths = calloc(n ? n : 1, sizeof *paths);
	const char **data = calloc(n ? n : 1, sizeof *data);
	size_t *len = calloc(n ? n : 1, sizeof *len);
	int rc = -1;

	if (!paths || !data || !len) {
		cd_err_set("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		paths[i] = changes[i].path;
		data[i] = changes[i].data;
		len[i] = changes[i].len;
	}
	rc = check_paths(s, paths, data, len, n, 1);
out:
	free(paths);
	free(data);
	free(len);
	return rc;
}

int store_check_clean(store *s, const char *const *paths, size_t n)
{
	const char **data = calloc(n ? n : 1, sizeof *data);
	size_t *len = calloc(n ? n : 1, sizeof *len);
	int rc = -1;

	if (!data || !len)
		cd_err_set("out of memory");
	else
		rc = check_paths(s, paths, data, len, n, 0);
	free(data);
	free(len);
	return rc;
}
