/* index_head.c — which case files changed between the HEAD the index last
 * saw and HEAD now: a file edited in place and committed may keep its
 * size and directory time, but not its blob id. */
#include "index_int.h"

#include <stdio.h>
#include <git2.h>
#include <string.h>

#include "codicil/error.h"

/* The id of HEAD's cases tree, or "" (no commit, no cases). */
static void cases_tree(store *s, char out[GIT_OID_HEXSZ + 1])
{
	git_object *t = NULL;

	out[0] = '\0';
	if (git_revparse_single(&t, store_repo(s), "HEAD:cases") == 0 &&
	    git_object_type(t) == GIT_OBJECT_TREE)
		git_oid_tostr(out, GIT_OID_HEXSZ + 1, git_object_id(t));
	git_object_free(t);
}

static int add_suspect(struct strmap *paths, struct strmap *dirs, const char *rel)
{
	char path[4096], *slash;

	snprintf(path, sizeof path, "cases/%s", rel);
	if (strmap_put(paths, path, 1) < 0)
		return -1;
	if ((slash = strrchr(path, '/')))
		*slash = '\0';
	return strmap_put(dirs, path, 1) < 0 ? -1 : 0;
}

/* Every path that differs between the two trees; 1 when the old tree is
 * gone (collected as garbage): then anything may have changed. */
static int diff_trees(store *s, const char *old_hex, const char *new_hex,
		      struct strmap *paths, struct strmap *dirs)
{
	git_repository *repo = store_repo(s);
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	git_oid oa, ob;
	int rc = 1;

	if (git_oid_fromstr(&oa, old_hex) < 0 || git_tree_lookup(&a, repo, &oa) < 0)
		goto out;
	if (git_oid_fromstr(&ob, new_hex) < 0 || git_tree_lookup(&b, repo, &ob) < 0 ||
	    git_diff_tree_to_tree(&diff, repo, a, b, NULL) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		rc = add_suspect(paths, dirs, d->new_file.path);
		if (rc == 0 && strcmp(d->old_file.path, d->new_file.path))
			rc = add_suspect(paths, dirs, d->old_file.path);
	}
	if (rc < 0)
		cd_err_set("out of memory");
out:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

int index__head_changes(case_index *ix, struct strmap *paths, struct strmap *dirs,
			int *everything, char head[41])
{
	sqlite3_stmt *st = index__prepare(ix, "SELECT value FROM meta WHERE key = 'head_cases'");
	char old[GIT_OID_HEXSZ + 1] = "";
	int rc = 0;

	*everything = 0;
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(old, sizeof old, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	cases_tree(ix->s, head);
	if (*old && *head && strcmp(old, head) != 0) {
		rc = diff_trees(ix->s, old, head, paths, dirs);
		if (rc == 1)
			*everything = 1;
	}
	return rc < 0 ? -1 : strcmp(old, head) != 0;
}
