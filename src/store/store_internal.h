/* store_internal.h — what the files of src/store/ share and nobody else sees. */
#ifndef CODICIL_STORE_INTERNAL_H
#define CODICIL_STORE_INTERNAL_H

#include <git2.h>

#include "codicil/store.h"

struct store {
	git_repository *repo;
	char *workdir; /* with a trailing '/' */
	char *gitdir;  /* with a trailing '/' */
	int locked;    /* store_lock() calls not yet matched by store_unlock() */
	char *lock_path; /* while locked: unlocking allocates nothing, so it
	                    cannot fail and leave the lock behind */
	struct store_gitindex *gix; /* git's index as the last check read it */
};

/* cd_err_set("WHAT: <libgit2's last error>"); returns -1. */
int store__git_fail(const char *what);
/* 0 when path is a plain relative path inside the work tree (no "..", ".",
 * empty or ".git" components, not absolute); else -1 with an error. */
int store__check_path(const char *path);
/* out = workdir + path. */
int store__worktree_path(const store *s, const char *path, cd_buf *out);
/* The tree of the commit rev names (NULL: HEAD).  Errors name rev. */
int store__tree_at(store *s, const char *rev, git_tree **out);
/* user.name and user.email from cfg, or an error saying how to set them. */
int store__identity_from(git_config *cfg, char **name, char **email);
/* store_check_clean for paths about to be written with the given contents:
 * an untracked file already holding exactly those bytes is not dirty. */
int store__check_changes_clean(store *s, const store_change *changes, size_t n);

/* gitindex.c: git's index file read and rewritten in one pass for the
 * paths a commit changes, without parsing every entry.  Functions answer
 * GITINDEX_UNSUPPORTED for an index they cannot rewrite exactly (version
 * 4, split or sparse, a file/directory clash, conflict entries for a
 * path): then use libgit2's index. */
#define GITINDEX_UNSUPPORTED 1
typedef struct store_gitindex store_gitindex;
typedef struct gitindex_hit {
	int present;    /* a stage-0 entry has the path; for a directory
	                   query, an entry lies under it */
	int conflicted; /* stage 1-3 entries have the path */
	int racy;       /* changed in the old index's last moment: its stat
	                   data proves nothing */
	git_oid id;
	uint32_t ctime_s, ctime_ns, mtime_s, mtime_ns, ino, mode, size;
} gitindex_hit;
typedef struct gitindex_put {
	const char *path;
	const git_index_entry *entry; /* NULL: remove the path's entry */
} gitindex_put;
int store__gitindex_open(store *s, store_gitindex **out);
void store__gitindex_close(store_gitindex *ix);
/* hits[i]: what the index has at paths[i]. */
int store__gitindex_find(store_gitindex *ix, const char *const *paths, size_t n,
			 gitindex_hit *hits);
/* Keep ix (NULL: none) for the next update, which reads the index again
 * only if the file changed meanwhile; the store owns it. */
void store__gitindex_keep(store *s, store_gitindex *ix);
/* Takes .git/index.lock, rewrites the index with the puts applied, and
 * renames it into place. */
int store__gitindex_update(store *s, const gitindex_put *puts, size_t n);

/* Large commits write their objects as one pack (pack.c). */
#define STORE_PACK_MIN 64
/* After a packed commit: above gc.autoPackLimit packs (50), `git gc
 * --auto` detached in the background (pack.c). */
void store__pack_housekeeping(store *s);
typedef struct store_pack {
	git_repository *repo; /* a second handle: create the objects here */
	git_odb *odb;
	git_odb_backend *mem;
} store_pack;
int store__pack_open(store *s, store_pack *p);
/* Write the commit id's new objects (those its tree adds to its parent's
 * tree base, NULL for a first commit) from memory as one pack. */
int store__pack_write(store_pack *p, const git_oid *id, const git_tree *base);
void store__pack_close(store_pack *p);
int store__move_branch(store *s, const git_oid *old, const git_oid *id, const char *message);

/* commit_recover.c: a commit whose branch has moved but whose work tree
 * and index may not have followed yet.  The marker
 * (.git/codicil/commit-in-progress: the commit and its paths, fsync'd) is
 * written before the branch moves and removed once the index is written;
 * store_lock finishes what a kill left (store__finish_interrupted). */
int store__mark_in_progress(store *s, const git_oid *id, const store_change *changes, size_t n);
void store__clear_in_progress(store *s);
int store__finish_interrupted(store *s);
/* Tests: CODICIL_CRASH_AT=name kills the process here (SIGKILL). */
void store__crash_point(const char *name);

#endif
