/* store.h — the constitution repository, on libgit2.
 *
 * A store is an ordinary non-bare git repository.  codicil changes it only
 * through store_commit(), which writes the files, builds the new tree from
 * HEAD's tree (git_tree_create_updated), creates one commit and brings the
 * index in step, so that afterwards `git status` is clean for those paths
 * and `git fsck --strict` passes.  Local state lives under .git/codicil/.
 */
#ifndef CODICIL_STORE_H
#define CODICIL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "codicil/buf.h"

typedef struct store store;
typedef struct git_repository git_repository;

#define STORE_CHARTER "CONSTITUTION.md"
#define STORE_META "META.md"

/* Open the repository containing dir (searching upwards like git).
 * Errors: "DIR: no such directory", "not a git repository: DIR (run
 * 'codicil init DIR' to create one)", bare repositories. */
int store_open(const char *dir, store **out);
/* Create dir (if needed) as a new repository holding a copy of every file
 * of template_dir, with one initial commit.  Refuses a dir that is already
 * a repository or not empty. */
int store_init_template(const char *dir, const char *template_dir, store **out);
/* Same, with md_path copied byte-identically as CONSTITUTION.md. */
int store_init_from_file(const char *dir, const char *md_path, store **out);
void store_close(store *s);

const char *store_workdir(const store *s); /* with a trailing '/' */
const char *store_gitdir(const store *s);  /* with a trailing '/' */
git_repository *store_repo(store *s);
/* <gitdir>codicil/<name>, directories created on demand. */
int store_local_path(store *s, const char *name, cd_buf *out);

/* The committer/reviewer identity from git config user.name/user.email.
 * Error when unset, saying which git config command to run. */
int store_identity(store *s, char **name, char **email);
/* Set key in the repository's own git config (.git/config); value NULL
 * unsets it (unset already is fine). */
int store_config_write(store *s, const char *key, const char *value);

/* Tests: CODICIL_CRASH_AT=name kills the process here (SIGKILL), e.g. in
 * the middle of a loop's round. */
void store_crash_point(const char *name);

/* File content at a revision (any git revspec; NULL means HEAD).
 * Errors: unknown revision, path absent at that revision. */
int store_read(store *s, const char *rev, const char *path, cd_buf *out);
/* File content in the work tree. */
int store_read_worktree(store *s, const char *path, cd_buf *out);
/* Blob id (40 hex) of path at rev (NULL: HEAD); of the work-tree content
 * when rev is "WORKTREE". */
int store_blob_id(store *s, const char *rev, const char *path, char out[41]);
/* The id git would give data as a blob (git hash-object). */
void store_hash_blob(const void *data, size_t len, char out[41]);
/* The same for the files directly under dir in the tree of rev (NULL:
 * HEAD; an unborn HEAD or a missing dir gives none). */
int store_list_tree(store *s, const char *rev, const char *dir, char ***paths, size_t *n);
/* Full commit id of a revspec. */
int store_resolve(store *s, const char *rev, char out[41]);
/* Paths (relative to the work tree) of the regular files directly under
 * dir ("cases") in the work tree, sorted; a missing dir gives none (*paths
 * NULL).  The caller free()s each path and the array. */
int store_list_dir(store *s, const char *dir, char ***paths, size_t *n);

typedef struct store_trailer {
	char *key;
	char *value;
} store_trailer;

typedef struct store_change {
	const char *path; /* relative to the work tree */
	const char *data; /* NULL: delete the file */
	size_t len;
} store_change;

/* One commit on HEAD with the given changes.  message is the full message
 * (subject, blank line, body); trailers (may be NULL/0) are appended as a
 * final paragraph "Key: value".  Before writing anything: takes no lock
 * (the caller holds it), refuses when HEAD is detached or when a path to be
 * written has uncommitted changes (error names it and says to commit or
 * stash).  Writes the work-tree files atomically, then the commit, then the
 * index.  out_id (may be NULL) receives the new commit id. */
int store_commit(store *s, const store_change *changes, size_t n, const char *message,
		 const store_trailer *trailers, size_t ntrailers, char out_id[41]);

/* 0 when none of paths has uncommitted changes (staged or not); otherwise
 * -1 with an error naming the first dirty path and what to do. */
int store_check_clean(store *s, const char *const *paths, size_t n);

typedef struct store_commit_info {
	char id[41];
	char *author_name, *author_email;
	int64_t time;       /* author time, seconds since the epoch */
	int offset;         /* minutes east of UTC */
	char *subject;
	char *message;      /* the whole message */
	store_trailer *trailers;
	size_t ntrailers;
} store_commit_info;

/* Commits reachable from rev (NULL: HEAD), newest first; when path is not
 * NULL only those that changed it (compared with their first parent).
 * max 0: no limit. */
int store_log(store *s, const char *rev, const char *path, size_t max,
	      store_commit_info **out, size_t *n);
void store_log_free(store_commit_info *list, size_t n);
/* Trailers of a commit message (git_message_trailers). */
int store_parse_trailers(const char *message, store_trailer **out, size_t *n);
void store_trailers_free(store_trailer *t, size_t n);

/* .gitattributes: codicil init writes it, codicil migrate adds to it. */
#define STORE_ATTRIBUTES ".gitattributes"
extern const char store_attributes_text[];
/* 1 when a .gitattributes of this text (NULL: none) lacks codicil's line. */
int store_attributes_need(const char *text);
/* Register the merge driver .gitattributes names (merge.codicil.driver in
 * .git/config: this binary's merge-file), unless one whose program exists
 * is registered already.  A clone has none until codicil first runs in
 * it; every command calls this. */
int store_merge_driver_ensure(store *s);

/* The repository lock .git/codicil/lock (pid and host inside).  A lock
 * whose process is gone on this host is stale and taken over.  Error when
 * held: "another codicil (pid N) is working on this repository; wait for it
 * or remove .git/codicil/lock if it is gone".  Nested calls on one store
 * count: the lock goes with the last store_unlock().  Every engine function
 * that writes takes it itself (doc/DESIGN.md, "Locking"). */
int store_lock(store *s);
void store_unlock(store *s);

#endif
