/* log.c — history, optionally of one path, and commit trailers. */
#include "store_internal.h"

#include "codicil/error.h"

#include <stdlib.h>
#include <string.h>

void store_trailers_free(store_trailer *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].key);
		free(t[i].value);
	}
	free(t);
}

int store_parse_trailers(const char *message, store_trailer **out, size_t *n)
{
	git_message_trailer_array arr = { 0 };
	store_trailer *t = NULL;

	*out = NULL;
	*n = 0;
	if (git_message_trailers(&arr, message ? message : "") < 0)
		return store__git_fail("cannot parse the commit message's trailers");
	if (arr.count && !(t = calloc(arr.count, sizeof *t)))
		goto oom;
	for (size_t i = 0; i < arr.count; i++) {
		t[i].key = strdup(arr.trailers[i].key);
		t[i].value = strdup(arr.trailers[i].value);
		if (!t[i].key || !t[i].value) {
			store_trailers_free(t, arr.count);
			goto oom;
		}
	}
	*out = t;
	*n = arr.count;
	git_message_trailer_array_free(&arr);
	return 0;
oom:
	git_message_trailer_array_free(&arr);
	cd_err_set("out of memory");
	return -1;
}

/* Whether a commit changed path, compared with its first parent.  The walk
 * usually visits a commit right after its child, so the blob id found for
 * the child's parent is kept and reused (one tree lookup per commit). */
typedef struct path_probe {
	const char *path;
	git_oid commit; /* the commit the cached answer is for */
	int cached, present;
	git_oid blob;
} path_probe;

static int blob_at(git_commit *c, const char *path, git_oid *blob)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int present = 0;

	if (git_commit_tree(&tree, c) < 0)
		return -1;
	if (git_tree_entry_bypath(&e, tree, path) == 0) {
		git_oid_cpy(blob, git_tree_entry_id(e));
		present = 1;
	}
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(tree);
	return present;
}

static int touched(path_probe *p, git_commit *c)
{
	git_commit *parent = NULL;
	git_oid mine, theirs;
	int have_mine, have_theirs = 0;

	if (p->cached && git_oid_equal(&p->commit, git_commit_id(c))) {
		have_mine = p->present;
		git_oid_cpy(&mine, &p->blob);
	} else if ((have_mine = blob_at(c, p->path, &mine)) < 0) {
		return -1;
	}
	p->cached = 0;
	if (git_commit_parentcount(c) > 0) {
		if (git_commit_parent(&parent, c, 0) < 0)
			return -1;
		have_theirs = blob_at(parent, p->path, &theirs);
		if (have_theirs >= 0) {
			git_oid_cpy(&p->commit, git_commit_id(parent));
			p->present = have_theirs;
			if (have_theirs)
				git_oid_cpy(&p->blob, &theirs);
			p->cached = 1;
		}
		git_commit_free(parent);
		if (have_theirs < 0)
			return -1;
	}
	if (have_mine != have_theirs)
		return 1;
	return have_mine && !git_oid_equal(&mine, &theirs);
}

static int fill_info(git_commit *c, store_commit_info *info)
{
	const git_signature *a = git_commit_author(c);
	const char *subject = git_commit_summary(c);

	git_oid_tostr(info->id, sizeof info->id, git_commit_id(c));
	info->author_name = strdup(a->name);
	info->author_email = strdup(a->email);
	info->time = (int64_t)a->when.time;
	info->offset = a->when.offset;
	info->subject = strdup(subject ? subject : "");
	info->message = strdup(git_commit_message(c));
	if (!info->author_name || !info->author_email || !info->subject || !info->message) {
		cd_err_set("out of memory");
		return -1;
	}
	return store_parse_trailers(info->message, &info->trailers, &info->ntrailers);
}

static int push_info(store_commit_info **list, size_t *n, size_t *cap, git_commit *c)
{
	store_commit_info *nl = cd_grow(*list, *n, cap, sizeof *nl, 32);
	if (!nl) {
		cd_err_set("out of memory");
		return -1;
	}
	*list = nl;
	memset(&(*list)[*n], 0, sizeof **list);
	(*n)++;
	return fill_info(c, &(*list)[*n - 1]);
}

static int start_walk(store *s, const char *rev, git_revwalk **walk)
{
	char id[41];
	git_oid oid;

	if (store_resolve(s, rev, id) < 0)
		return -1;
	git_oid_fromstr(&oid, id);
	if (git_revwalk_new(walk, s->repo) < 0 ||
	    git_revwalk_sorting(*walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(*walk, &oid) < 0)
		return store__git_fail("cannot walk the history");
	return 0;
}

int store_log(store *s, const char *rev, const char *path, size_t max,
	      store_commit_info **out, size_t *n)
{
	path_probe probe = { .path = path };
	store_commit_info *list = NULL;
	size_t count = 0, cap = 0;
	git_revwalk *walk = NULL;
	git_oid oid;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (path && store__check_path(path) < 0)
		return -1;
	if (start_walk(s, rev, &walk) < 0)
		goto out;
	while (!max || count < max) {
		git_commit *c = NULL;
		int keep = 1, r = git_revwalk_next(&oid, walk);

		if (r == GIT_ITEROVER)
			break;
		if (r < 0) {
			store__git_fail("cannot walk the history");
			goto out;
		}

		if (git_commit_lookup(&c, s->repo, &oid) < 0) {
			store__git_fail("cannot read a commit");
			goto out;
		}
		if (path)
			keep = touched(&probe, c);
		if (keep < 0)
			store__git_fail(path);
		if (keep < 0 || (keep && push_info(&list, &count, &cap, c) < 0)) {
			git_commit_free(c);
			goto out;
		}
		git_commit_free(c);
	}
	rc = 0;
out:
	git_revwalk_free(walk);
	if (rc < 0) {
		store_log_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

void store_log_free(store_commit_info *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++) {
		free(list[i].author_name);
		free(list[i].author_email);
		free(list[i].subject);
		free(list[i].message);
		store_trailers_free(list[i].trailers, list[i].ntrailers);
	}
	free(list);
}
