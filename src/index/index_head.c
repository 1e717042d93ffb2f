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

static int add_suspect(struct strmap *paths, struct strmap *dirs, const char *full)
{
	char path[4096], *slash;

	snprintf(path, sizeof path, "%s", full);
	if (strmap_put(paths, path, 1) < 0)
		return -1;
	if ((slash = strrchr(path, '/')))
		*slash = '\0';
	return strmap_put(dirs, path, 1) < 0 ? -1 : 0;
}

/* Every blob path under dir ("cases" or "cases/ab") that differs between
 * trees a and b (either may be NULL: absent), descending only into
 * subtrees whose ids differ: a million-case library has two trees of 1,024
 * entries to compare and the few directories a commit touched.  libgit2's
 * tree-to-tree diff walks every entry of both. */
static int diff_dir(git_repository *repo, const char *dir, const git_tree *a, const git_tree *b,
		    struct strmap *paths, struct strmap *dirs)
{
	const git_tree *sides[2] = { a, b };
	int rc = 0;

	for (int side = 0; side < 2 && rc == 0; side++) {
		const git_tree *t = sides[side], *other = sides[!side];
		size_t n = t ? git_tree_entrycount(t) : 0;

		for (size_t i = 0; i < n && rc == 0; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(t, i), *o;
			const char *name = git_tree_entry_name(e);
			git_tree *sub_a = NULL, *sub_b = NULL;
			char path[4096];

			o = other ? git_tree_entry_byname(other, name) : NULL;
			if (o && git_oid_equal(git_tree_entry_id(o), git_tree_entry_id(e)))
				continue;
			if (side == 1 && o)
				continue; /* both have it, differing: seen from side 0 */
			snprintf(path, sizeof path, "%s/%s", dir, name);
			if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
				rc = add_suspect(paths, dirs, path);
				continue;
			}
			rc = git_tree_lookup(side ? &sub_b : &sub_a, repo, git_tree_entry_id(e));
			if (rc == 0 && o && git_tree_entry_type(o) == GIT_OBJECT_TREE)
				rc = git_tree_lookup(side ? &sub_a : &sub_b, repo, git_tree_entry_id(o));
			if (rc == 0)
				rc = diff_dir(repo, path, sub_a, sub_b, paths, dirs);
			git_tree_free(sub_a);
			git_tree_free(sub_b);
		}
	}
	return rc;
}

/* Every path that differs between the two cases trees; 1 when the old
 * tree is gone (collected as garbage): then anything may have changed. */
static int diff_trees(store *s, const char *old_hex, const char *new_hex,
		      struct strmap *paths, struct strmap *dirs)
{
	git_repository *repo = store_repo(s);
	git_tree *a = NULL, *b = NULL;
	git_oid oa, ob;
	int rc = 1;

	if (git_oid_fromstr(&oa, old_hex) < 0 || git_tree_lookup(&a, repo, &oa) < 0)
		goto out;
	if (git_oid_fromstr(&ob, new_hex) < 0 || git_tree_lookup(&b, repo, &ob) < 0)
		goto out;
	rc = diff_dir(repo, "cases", a, b, paths, dirs);
	if (rc < 0)
		cd_err_set("out of memory, or a tree of HEAD cannot be read");
out:
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
