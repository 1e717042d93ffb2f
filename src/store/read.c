/* read.c — file contents and ids at a revision or in the work tree. */
#include "store_internal.h"

#include "codicil/error.h"
#include "codicil/file.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int revparse_fail(store *s, const char *spec)
{
	if (!strcmp(spec, "HEAD") && git_repository_head_unborn(s->repo) == 1)
		cd_err_set("unknown revision HEAD: the repository has no commits yet");
	else
		cd_err_set("unknown revision '%s' (see 'git log' for the commits there are)", spec);
	return -1;
}

/* The object rev names, peeled to type. */
static int peeled_at(store *s, const char *rev, git_object_t type, git_object **out)
{
	const char *spec = rev ? rev : "HEAD";
	git_object *obj = NULL;
	int rc;

	if (git_revparse_single(&obj, s->repo, spec) < 0)
		return revparse_fail(s, spec);
	rc = git_object_peel(out, obj, type);
	git_object_free(obj);
	if (rc < 0) {
		cd_err_set("'%s' does not name a commit", spec);
		return -1;
	}
	return 0;
}

int store__tree_at(store *s, const char *rev, git_tree **out)
{
	return peeled_at(s, rev, GIT_OBJECT_TREE, (git_object **)out);
}

/* The blob entry for path in the tree of rev. */
static int entry_at(store *s, const char *rev, const char *path, git_tree_entry **out)
{
	git_tree *tree = NULL;
	int rc;

	if (store__check_path(path) < 0 || store__tree_at(s, rev, &tree) < 0)
		return -1;
	rc = git_tree_entry_bypath(out, tree, path);
	git_tree_free(tree);
	if (rc == GIT_ENOTFOUND) {
		cd_err_set("%s does not exist at %s", path, rev ? rev : "HEAD");
		return -1;
	}
	if (rc < 0)
		return store__git_fail(path);
	if (git_tree_entry_type(*out) != GIT_OBJECT_BLOB) {
		cd_err_set("%s is not a file at %s", path, rev ? rev : "HEAD");
		git_tree_entry_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int store_read(store *s, const char *rev, const char *path, cd_buf *out)
{
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int rc = -1;

	if (entry_at(s, rev, path, &entry) < 0)
		return -1;
	if (git_blob_lookup(&blob, s->repo, git_tree_entry_id(entry)) < 0)
		store__git_fail(path);
	else
		rc = cd_buf_append(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	git_tree_entry_free(entry);
	return rc;
}

int store_read_worktree(store *s, const char *path, cd_buf *out)
{
	cd_buf full = CD_BUF_INIT;
	int rc = -1;

	if (store__worktree_path(s, path, &full) == 0)
		rc = cd_file_read(full.data, out);
	cd_buf_clear(&full);
	return rc;
}

static int worktree_blob_id(store *s, const char *path, git_oid *oid)
{
	cd_buf full = CD_BUF_INIT;
	int rc = -1;

	if (store__worktree_path(s, path, &full) < 0)
		goto out;
	if (!cd_file_exists(full.data)) {
		cd_err_set("%s does not exist in the work tree", path);
		goto out;
	}
	/* with the repository's filters, as `git add` would store it */
	if (git_repository_hashfile(oid, s->repo, path, GIT_OBJECT_BLOB, NULL) < 0)
		store__git_fail(path);
	else
		rc = 0;
out:
	cd_buf_clear(&full);
	return rc;
}

int store_blob_id(store *s, const char *rev, const char *path, char out[41])
{
	git_tree_entry *entry = NULL;
	git_oid oid;

	if (rev && !strcmp(rev, "WORKTREE")) {
		if (worktree_blob_id(s, path, &oid) < 0)
			return -1;
	} else {
		if (entry_at(s, rev, path, &entry) < 0)
			return -1;
		git_oid_cpy(&oid, git_tree_entry_id(entry));
		git_tree_entry_free(entry);
	}
	git_oid_tostr(out, 41, &oid);
	return 0;
}

void store_hash_blob(const void *data, size_t len, char out[41])
{
	git_oid oid;

	git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB);
	git_oid_tostr(out, 41, &oid);
}

int store_resolve(store *s, const char *rev, char out[41])
{
	git_object *commit = NULL;

	if (peeled_at(s, rev, GIT_OBJECT_COMMIT, &commit) < 0)
		return -1;
	git_oid_tostr(out, 41, git_object_id(commit));
	git_object_free(commit);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Append dir "/" name (or just name at the top) to the list. */
static int list_add(char ***v, size_t *n, size_t *cap, const char *dir, const char *name)
{
	cd_buf path = CD_BUF_INIT;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		char **nv = realloc(*v, ncap * sizeof *nv);
		if (!nv)
			goto oom;
		*v = nv;
		*cap = ncap;
	}
	if (cd_path_join(&path, dir, name) < 0)
		goto oom;
	(*v)[(*n)++] = cd_buf_detach(&path);
	return 0;
oom:
	cd_buf_clear(&path);
	cd_err_set("out of memory");
	return -1;
}

int store_list_dir(store *s, const char *dir, char ***paths, size_t *n)
{
	cd_buf full = CD_BUF_INIT, file = CD_BUF_INIT;
	char **v = NULL;
	size_t cap = 0, count = 0;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	*paths = NULL;
	*n = 0;
	if (dir && *dir && store__worktree_path(s, dir, &full) < 0)
		return -1;
	if (!dir || !*dir)
		cd_buf_puts(&full, s->workdir);
	if (!(d = opendir(full.data))) {
		if (errno != ENOENT) {
			cd_err_set("cannot list %s: %s", full.data, strerror(errno));
			rc = -1;
		}
		cd_buf_clear(&full);
		return rc;
	}
	while (rc == 0 && (e = readdir(d))) {
		struct stat st;
		cd_buf_reset(&file);
		cd_path_join(&file, full.data, e->d_name);
		if (stat(file.data, &st) == 0 && S_ISREG(st.st_mode))
			rc = list_add(&v, &count, &cap, dir, e->d_name);
	}
	closedir(d);
	cd_buf_clear(&full);
	cd_buf_clear(&file);
	if (rc < 0) {
		free_list(v, count);
		return -1;
	}
	if (count)
		qsort(v, count, sizeof *v, cmp_str);
	*paths = v;
	*n = count;
	return 0;
}

int store_list_tree(store *s, const char *rev, const char *dir, char ***paths, size_t *n)
{
	git_object *tree = NULL;
	git_tree_entry *sub = NULL;
	git_tree *t = NULL;
	char **v = NULL;
	size_t cap = 0, count = 0;
	int rc = 0;

	*paths = NULL;
	*n = 0;
	if (peeled_at(s, rev, GIT_OBJECT_TREE, &tree) < 0) {
		if (rev || git_repository_head_unborn(s->repo) != 1)
			return -1;
		cd_err_clear(); /* nothing committed yet */
		return 0;
	}
	if (git_tree_entry_bypath(&sub, (git_tree *)tree, dir) < 0 ||
	    git_tree_entry_type(sub) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&t, s->repo, git_tree_entry_id(sub)) < 0) {
		git_error_clear();
		goto out; /* no such directory: no files */
	}
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			rc = list_add(&v, &count, &cap, dir, git_tree_entry_name(e));
	}
	if (rc < 0) {
		free_list(v, count);
		goto out;
	}
	if (count)
		qsort(v, count, sizeof *v, cmp_str);
	*paths = v;
	*n = count;
out:
	git_tree_free(t);
	git_tree_entry_free(sub);
	git_object_free(tree);
	return rc;
}
