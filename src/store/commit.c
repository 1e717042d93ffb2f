/* commit.c — one atomic commit of a set of file changes on HEAD.
 *
 * Order: check everything that can be checked (paths, HEAD, identity,
 * uncommitted work), write the work-tree files, create blobs, the tree
 * (git_tree_create_updated from HEAD's tree) and the commit (which moves
 * the branch only if it still points at the parent we built on), then bring
 * the index entries of exactly those paths in step.  If anything fails
 * before the commit exists, the work-tree files are put back as they were.
 */
#include "store_internal.h"

#include "codicil/error.h"
#include "codicil/file.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a work-tree file was before we wrote it, to undo a failed commit. */
typedef struct saved_file {
	cd_buf full;    /* absolute path */
	cd_buf content;
	int existed;
	mode_t mode;
} saved_file;

static int check_changes(const store_change *changes, size_t n)
{
	if (n == 0) {
		cd_err_set("nothing to commit: no file changes given");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (store__check_path(changes[i].path) < 0)
			return -1;
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(changes[i].path, changes[j].path)) {
				cd_err_set("%s is changed twice in one commit", changes[i].path);
				return -1;
			}
		}
	}
	return 0;
}

static int check_trailer(const store_trailer *t)
{
	const char *k = t->key;

	if (!k || !*k)
		goto bad_key;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '-')
			goto bad_key;
	if (!t->value || !*t->value || strpbrk(t->value, "\r\n")) {
		cd_err_set("trailer %s: the value must be one non-empty line", t->key);
		return -1;
	}
	return 0;
bad_key:
	cd_err_set("invalid trailer key '%s': use letters, digits and '-'", t->key ? t->key : "");
	return -1;
}

/* 1 when the prettified message already ends with a trailer paragraph
 * (after a subject), so that ours are appended to it rather than after it. */
static int ends_with_trailers(const char *msg)
{
	git_message_trailer_array arr = { 0 };
	int yes;

	if (!strstr(msg, "\n\n") || git_message_trailers(&arr, msg) < 0) {
		git_error_clear();
		return 0;
	}
	yes = arr.count > 0;
	git_message_trailer_array_free(&arr);
	return yes;
}

static int build_message(const char *message, const store_trailer *trailers, size_t nt,
			 cd_buf *out)
{
	git_buf pretty = GIT_BUF_INIT;
	int rc = -1;

	for (size_t i = 0; i < nt; i++)
		if (check_trailer(&trailers[i]) < 0)
			return -1;
	if (git_message_prettify(&pretty, message ? message : "", 0, 0) < 0) {
		store__git_fail("invalid commit message");
		goto out;
	}
	if (pretty.size == 0) {
		cd_err_set("empty commit message: give a subject line");
		goto out;
	}
	cd_buf_append(out, pretty.ptr, pretty.size);
	if (nt && !ends_with_trailers(pretty.ptr))
		cd_buf_putc(out, '\n');
	for (size_t i = 0; i < nt; i++)
		cd_buf_printf(out, "%s: %s\n", trailers[i].key, trailers[i].value);
	rc = 0;
out:
	git_buf_dispose(&pretty);
	return rc;
}

/* The commit HEAD's branch points at, or NULL when the branch is unborn. */
static int head_parent(store *s, git_commit **parent)
{
	git_reference *head = NULL;
	int rc;

	*parent = NULL;
	rc = git_repository_head_detached(s->repo);
	if (rc == 1) {
		cd_err_set("HEAD is detached; switch to a branch first (git switch main), then run "
			   "the command again");
		return -1;
	}
	if (rc < 0)
		return store__git_fail("cannot read HEAD");
	if (git_repository_head_unborn(s->repo) == 1)
		return 0;
	if (git_repository_head(&head, s->repo) < 0 ||
	    git_reference_peel((git_object **)parent, head, GIT_OBJECT_COMMIT) < 0)
		rc = store__git_fail("cannot read HEAD");
	else
		rc = 0;
	git_reference_free(head);
	return rc;
}

static int save_file(const store *s, const char *path, saved_file *f)
{
	struct stat st;

	if (store__worktree_path(s, path, &f->full) < 0)
		return -1;
	if (lstat(f->full.data, &st) < 0)
		return 0;
	f->existed = 1;
	f->mode = st.st_mode & 07777;
	return cd_file_read(f->full.data, &f->content);
}

/* Remove now-empty directories between the file and the work tree's top. */
static void prune_empty_parents(const store *s, const char *full)
{
	size_t top = strlen(s->workdir);
	char *dir = strdup(full), *slash;

	while (dir && (slash = strrchr(dir, '/')) && (size_t)(slash - dir) >= top) {
		*slash = '\0';
		if (rmdir(dir) < 0)
			break;
	}
	free(dir);
}

static int write_one(const store *s, const store_change *c, const saved_file *f)
{
	/* Like git, no fsync of work-tree files: the rename keeps them whole */
	if (c->data)
		return cd_file_replace(f->full.data, c->data, c->len);
	if (unlink(f->full.data) < 0 && errno != ENOENT) {
		cd_err_set("cannot remove %s: %s", c->path, strerror(errno));
		return -1;
	}
	prune_empty_parents(s, f->full.data);
	return 0;
}

static git_filemode_t mode_in(git_tree *tree, const char *path, int *present)
{
	git_tree_entry *e = NULL;
	git_filemode_t mode = GIT_FILEMODE_BLOB;

	*present = tree && git_tree_entry_bypath(&e, tree, path) == 0;
	if (*present && git_tree_entry_filemode(e) == GIT_FILEMODE_BLOB_EXECUTABLE)
		mode = GIT_FILEMODE_BLOB_EXECUTABLE;
	git_tree_entry_free(e);
	git_error_clear();
	return mode;
}

/* The new tree: base (NULL for an unborn branch) with the changes applied. */
static int build_tree(git_repository *repo, git_tree *base, const store_change *changes,
		      size_t n, git_oid *blobs, git_tree **out)
{
	git_tree_update *up = calloc(n, sizeof *up);
	size_t nup = 0;
	git_oid tree_id;
	int present, rc = -1;

	if (!up) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		git_filemode_t mode = mode_in(base, changes[i].path, &present);
		if (!changes[i].data && !present)
			continue; /* deleting what the tree does not have */
		up[nup].path = changes[i].path;
		up[nup].filemode = mode;
		up[nup].action = changes[i].data ? GIT_TREE_UPDATE_UPSERT : GIT_TREE_UPDATE_REMOVE;
		if (changes[i].data && git_blob_create_from_buffer(&up[nup].id, repo,
								   changes[i].data, changes[i].len) < 0) {
			store__git_fail(changes[i].path);
			goto out;
		}
		if (changes[i].data)
			git_oid_cpy(&blobs[i], &up[nup].id);
		nup++;
	}
	if (git_tree_create_updated(&tree_id, repo, base, nup, up) < 0 ||
	    git_tree_lookup(out, repo, &tree_id) < 0) {
		store__git_fail("cannot build the new tree");
		goto out;
	}
	rc = 0;
out:
	free(up);
	return rc;
}

/* The commit object for the new tree, created in repo; the branch is moved
 * by git_commit_create (loose objects) or afterwards (packed objects). */
static int commit_object(store *s, git_repository *repo, git_commit *parent, git_tree *tree,
			 const char *message, int move_branch, git_oid *id)
{
	git_signature *sig = NULL;
	git_commit *own = NULL;
	char *name = NULL, *email = NULL;
	const git_commit *parents[1] = { parent };
	int rc = -1;

	if (store_identity(s, &name, &email) < 0)
		return -1;
	/* libgit2 silently drops parents owned by another repository handle */
	if (parent && git_commit_owner(parent) != repo) {
		if (git_commit_lookup(&own, repo, git_commit_id(parent)) < 0) {
			store__git_fail("cannot read HEAD");
			goto out;
		}
		parents[0] = own;
	}
	if (git_signature_now(&sig, name, email) < 0) {
		store__git_fail("invalid identity in git config");
		goto out;
	}
	rc = git_commit_create(id, repo, move_branch ? "HEAD" : NULL, sig, sig, NULL, message,
			       tree, parent ? 1 : 0, parents);
	if (rc == GIT_EMODIFIED)
		cd_err_set("the branch moved while codicil was committing; run the command again");
	else if (rc < 0)
		store__git_fail("cannot create the commit");
out:
	git_commit_free(own);
	git_signature_free(sig);
	free(name);
	free(email);
	return rc < 0 ? -1 : 0;
}

static int create_commit(store *s, git_commit *parent, const store_change *changes, size_t n,
			 const char *message, git_oid *blobs, git_oid *id)
{
	git_tree *base = NULL, *tree = NULL;
	store_pack pk = { 0 };
	int packed = n >= STORE_PACK_MIN, rc = -1;
	git_repository *repo = s->repo;
	git_odb *odb = NULL;

	if (packed) {
		if (store__pack_open(s, &pk) < 0)
			return -1;
		repo = pk.repo;
	}
	if (parent && git_commit_tree(&base, parent) < 0) {
		store__git_fail("cannot read HEAD's tree");
		goto out;
	}
	if (build_tree(repo, base, changes, n, blobs, &tree) < 0 ||
	    commit_object(s, repo, parent, tree, message, 0, id) < 0)
		goto out;
	if (packed) {
		if (store__pack_write(&pk, id, base) < 0)
			goto out;
		/* the main handle must see the new pack before anything reads it */
		if (git_repository_odb(&odb, s->repo) == 0)
			git_odb_refresh(odb);
	}
	rc = 0;
out:
	git_odb_free(odb);
	git_tree_free(tree);
	git_tree_free(base);
	if (packed)
		store__pack_close(&pk);
	return rc;
}

/* The index entry of a file codicil has just written and whose blob id it
 * knows: stat data from the file, so that git sees it unchanged without
 * hashing it again. */
static int index_entry(const store *s, const store_change *c, const git_oid *blob,
		       git_index_entry *e, cd_buf *full)
{
	struct stat st;

	cd_buf_reset(full);
	if (store__worktree_path(s, c->path, full) < 0 || lstat(full->data, &st) < 0)
		return -1;
	memset(e, 0, sizeof *e);
	e->ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e->ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e->mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e->mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e->dev = (uint32_t)st.st_dev;
	e->ino = (uint32_t)st.st_ino;
	e->mode = (st.st_mode & 0111) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
	e->uid = st.st_uid;
	e->gid = st.st_gid;
	e->file_size = (uint32_t)st.st_size;
	git_oid_cpy(&e->id, blob);
	e->path = c->path;
	return 0;
}

/* The index through libgit2, which reads and writes every entry: for an
 * index the one-pass rewrite does not handle (gitindex.c). */
static int update_index_libgit2(store *s, const store_change *changes, size_t n,
				const git_oid *blobs)
{
	git_index *idx = NULL;
	git_index_entry e;
	cd_buf full = CD_BUF_INIT;
	int rc = -1;

	if (git_repository_index(&idx, s->repo) < 0 || git_index_read(idx, 0) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int r;
		if (!changes[i].data)
			r = git_index_remove_bypath(idx, changes[i].path);
		else if (index_entry(s, &changes[i], &blobs[i], &e, &full) == 0)
			r = git_index_add(idx, &e);
		else
			r = git_index_add_bypath(idx, changes[i].path);
		if (r < 0)
			goto out;
	}
	rc = git_index_write(idx);
out:
	if (rc < 0) {
		const git_error *err = git_error_last();
		cd_err_set("%s", err && err->message ? err->message : "unknown error");
	}
	cd_buf_clear(&full);
	git_index_free(idx);
	return rc < 0 ? -1 : 0;
}

/* The index entries of the changed paths (index_entry), in one pass over
 * the index file (gitindex.c). */
static int update_index_in_one_pass(store *s, const store_change *changes, size_t n,
				    const git_oid *blobs)
{
	gitindex_put *puts = calloc(n, sizeof *puts);
	git_index_entry *e = calloc(n, sizeof *e);
	cd_buf full = CD_BUF_INIT;
	int rc = GITINDEX_UNSUPPORTED;

	if (!puts || !e) {
		cd_err_set("out of memory");
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		puts[i].path = changes[i].path;
		if (!changes[i].data)
			continue;
		if (index_entry(s, &changes[i], &blobs[i], &e[i], &full) < 0)
			goto out; /* libgit2 reports it */
		puts[i].entry = &e[i];
	}
	rc = store__gitindex_update(s, puts, n);
out:
	cd_buf_clear(&full);
	free(e);
	free(puts);
	return rc;
}

static int update_index(store *s, const store_change *changes, size_t n, const git_oid *blobs,
			const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	cd_buf lock = CD_BUF_INIT;
	int rc = update_index_in_one_pass(s, changes, n, blobs);

	if (rc == GITINDEX_UNSUPPORTED)
		rc = update_index_libgit2(s, changes, n, blobs);
	if (rc == 0)
		return 0;
	git_oid_tostr(hex, sizeof hex, id);
	cd_buf_printf(&lock, "%sindex.lock", store_gitdir(s));
	cd_err_set("committed %.12s, but could not update the index (%s); %sthe next codicil "
		   "command that changes the repository brings the work tree and the index "
		   "to the commit", hex, cd_err_msg(),
		   cd_file_exists(lock.data) ? "if no git command is running, remove "
		   ".git/index.lock; " : "");
	cd_buf_clear(&lock);
	return -1;
}

static int prepare(store *s, const store_change *changes, size_t n, const char *message,
		   const store_trailer *trailers, size_t ntrailers, cd_buf *msg,
		   git_commit **parent)
{
	char *name = NULL, *email = NULL;

	if (check_changes(changes, n) < 0 || build_message(message, trailers, ntrailers, msg) < 0 ||
	    store_identity(s, &name, &email) < 0)
		return -1;
	free(name);
	free(email);
	if (head_parent(s, parent) < 0)
		return -1;
	return store__check_changes_clean(s, changes, n);
}

int store_commit(store *s, const store_change *changes, size_t n, const char *message,
		 const store_trailer *trailers, size_t ntrailers, char out_id[41])
{
	cd_buf msg = CD_BUF_INIT;
	git_commit *parent = NULL;
	saved_file *saved = NULL;
	git_oid *blobs = NULL;
	size_t written = 0;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid id;
	int rc = -1;

	if (prepare(s, changes, n, message, trailers, ntrailers, &msg, &parent) < 0)
		goto out;
	if (!(saved = calloc(n, sizeof *saved)) || !(blobs = calloc(n, sizeof *blobs))) {
		cd_err_set("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (save_file(s, changes[i].path, &saved[i]) < 0)
			goto out;
	/* The commit first, then the work tree: a kill at any point leaves
	 * either the old HEAD and an untouched work tree, or the new HEAD and
	 * a marker from which the next locked command finishes the job
	 * (store__finish_interrupted). */
	if (create_commit(s, parent, changes, n, msg.data, blobs, &id) < 0 ||
	    store__mark_in_progress(s, &id, changes, n) < 0)
		goto out;
	store__crash_point("commit-marked");
	if (store__move_branch(s, parent ? git_commit_id(parent) : NULL, &id, msg.data) < 0) {
		store__clear_in_progress(s);
		goto out;
	}
	store__crash_point("commit-ref");
	if (out_id)
		git_oid_tostr(out_id, 41, &id);
	for (; written < n; written++)
		if (write_one(s, &changes[written], &saved[written]) < 0)
			goto unfinished;
	store__crash_point("commit-worktree");
	rc = update_index(s, changes, n, blobs, &id);
	if (rc == 0)
		store__clear_in_progress(s);
	if (rc == 0 && n >= STORE_PACK_MIN)
		store__pack_housekeeping(s);
	goto out;
unfinished:
	git_oid_tostr(hex, sizeof hex, &id);
	cd_err_set("committed %.12s, but %s; the next codicil command that changes the "
		   "repository brings the work tree to the commit", hex, cd_err_msg());
out:
	store__gitindex_keep(s, NULL); /* what the check read is this commit's only */
	for (size_t i = 0; saved && i < n; i++) {
		cd_buf_clear(&saved[i].full);
		cd_buf_clear(&saved[i].content);
	}
	free(saved);
	free(blobs);
	git_commit_free(parent);
	cd_buf_clear(&msg);
	return rc;
}
