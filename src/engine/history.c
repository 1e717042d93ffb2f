/* history.c — the files a commit changed and its charter diff. */
#include "codicil/history.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	cd_err_set("%s: %s", what, e && e->message ? e->message : "libgit2 error");
	return -1;
}

static char status_char(git_delta_t s)
{
	switch (s) {
	case GIT_DELTA_ADDED: return 'A';
	case GIT_DELTA_DELETED: return 'D';
	case GIT_DELTA_TYPECHANGE: return 'T';
	case GIT_DELTA_RENAMED: return 'R';
	default: return 'M';
	}
}

static int collect_files(git_diff *diff, history_diff *out)
{
	size_t n = git_diff_num_deltas(diff);

	out->files = calloc(n ? n : 1, sizeof *out->files);
	if (!out->files)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;

		out->files[i].status = status_char(d->status);
		if (!(out->files[i].path = strdup(path)))
			return -1;
		out->nfiles++;
	}
	return 0;
}

/* Content of path in tree (empty when absent). */
static int blob_text(git_repository *repo, git_tree *tree, const char *path, cd_buf *out)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int rc = 0;

	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0)
		return 0;
	if (git_blob_lookup(&b, repo, git_tree_entry_id(e)) < 0)
		rc = git_fail(path);
	else
		rc = cd_buf_append(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	git_tree_entry_free(e);
	return rc;
}

static int charter_texts(git_repository *repo, git_tree *old, git_tree *new, const char *path,
			 history_diff *out)
{
	out->charter_changed = 1;
	if (blob_text(repo, old, path, &out->charter_before) < 0 ||
	    blob_text(repo, new, path, &out->charter_after) < 0)
		return -1;
	/* "" rather than NULL for a charter added or removed */
	return cd_buf_puts(&out->charter_before, "") | cd_buf_puts(&out->charter_after, "");
}

int history_commit_diff(store *s, const char *commit, const char *charter_path,
			history_diff *out)
{
	git_repository *repo = store_repo(s);
	git_object *obj = NULL;
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (git_revparse_single(&obj, repo, commit) < 0) {
		cd_err_set("unknown commit '%s'", commit);
		return -1;
	}
	if (git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0 ||
	    git_commit_tree(&tree, c) < 0 ||
	    (git_commit_parentcount(c) > 0 &&
	     (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&ptree, parent) < 0)) ||
	    git_diff_tree_to_tree(&diff, repo, ptree, tree, NULL) < 0) {
		git_fail(commit);
		goto out;
	}
	if (collect_files(diff, out) < 0) {
		cd_err_set("out of memory reading commit %s", commit);
		goto out;
	}
	for (size_t i = 0; i < out->nfiles; i++)
		if (!strcmp(out->files[i].path, charter_path))
			if (charter_texts(repo, ptree, tree, charter_path, out) < 0)
				goto out;
	rc = 0;
out:
	if (rc < 0)
		history_diff_clear(out);
	git_diff_free(diff);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(c);
	git_object_free(obj);
	return rc;
}

void history_diff_clear(history_diff *d)
{
	for (size_t i = 0; i < d->nfiles; i++)
		free(d->files[i].path);
	free(d->files);
	cd_buf_clear(&d->charter_before);
	cd_buf_clear(&d->charter_after);
	memset(d, 0, sizeof *d);
}
