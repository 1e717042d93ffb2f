/* blame.c — the commit that last changed each principle.
 *
 * Walk the commits that changed the charter, newest first.  For each, take
 * the charter at the commit and at its first parent (a small cache keyed by
 * blob id: in a linear history the parent's version is the next commit's
 * own, so each version is built once; the parent's is derived from the
 * commit's when they differ only in plain body text, see blame_version.c,
 * and parsed otherwise).  Every principle not yet attributed whose text at
 * the commit equals its text at HEAD but differs in (or is missing from)
 * the parent is blamed on the commit.  The walk stops as soon as every
 * principle is attributed. */
#include "codicil/blame.h"
#include "codicil/workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blame_int.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/proposal.h"

#define CACHE_SLOTS 4

typedef struct slot {
	blame_version v;  /* v.blob NULL: empty */
	unsigned stamp;   /* last use, for eviction */
} slot;

typedef struct blamer {
	store *s;
	git_repository *repo;
	const char *path;
	int full_parse;   /* CODICIL_BLAME_FULL_PARSE: never derive (for tests) */
	blame_version head;
	int *targets;     /* principle indices in head */
	int *owner;       /* per target: index into the log, or -1 */
	size_t ntargets, left;
	slot cache[CACHE_SLOTS];
	unsigned clock;
} blamer;

void blame_format_date(int64_t t, int offset_min, char out[BLAME_DATE_SIZE])
{
	time_t local = (time_t)(t + (int64_t)offset_min * 60);
	struct tm tm;
	int off = abs(offset_min);

	gmtime_r(&local, &tm);
	strftime(out, BLAME_DATE_SIZE, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + strlen(out), BLAME_DATE_SIZE - strlen(out), "%c%02d:%02d",
		 offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	cd_err_set("%s: %s", what, e && e->message ? e->message : "libgit2 error");
	return -1;
}

static slot *cached(blamer *b, const git_oid *oid)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		slot *sl = &b->cache[i];
		if (sl->v.blob && git_oid_equal(&sl->v.oid, oid)) {
			sl->stamp = ++b->clock;
			return sl;
		}
	}
	return NULL;
}

/* The least recently used slot, emptied; never `keep`. */
static slot *free_slot(blamer *b, const slot *keep)
{
	slot *victim = NULL;

	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		slot *sl = &b->cache[i];
		if (sl == keep)
			continue;
		if (!sl->v.blob)
			return sl;
		if (!victim || sl->stamp < victim->stamp)
			victim = sl;
	}
	blame_version_clear(&victim->v);
	return victim;
}

/* The version of a blob: cached, derived from `near` (a version it is
 * likely to differ little from), or parsed. */
static int version_of(blamer *b, const git_oid *oid, const slot *near, slot **out)
{
	git_blob *blob = NULL;
	slot *sl;
	int rc;

	if ((*out = cached(b, oid)))
		return 0;
	if (git_blob_lookup(&blob, b->repo, oid) < 0)
		return git_fail(b->path);
	sl = free_slot(b, near);
	rc = near && !b->full_parse ? blame_version_derive(&sl->v, &near->v, blob) : 0;
	if (rc == 0)
		rc = blame_version_parse(&sl->v, blob, b->path) < 0 ? -1 : 1;
	else if (rc < 0)
		git_blob_free(blob);
	if (rc < 0)
		return -1;
	sl->stamp = ++b->clock;
	*out = sl;
	return 0;
}

/* Blob id of the charter in a commit's tree: 1 found, 0 absent, -1 error. */
static int blob_in(blamer *b, const git_commit *c, git_oid *out)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int found = 0;

	if (git_commit_tree(&tree, c) < 0)
		return git_fail("cannot read a commit's tree");
	if (git_tree_entry_bypath(&e, tree, b->path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = 1;
	}
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(tree);
	return found;
}

/* The versions at a commit and at its first parent (NULL: absent). */
static int versions_at(blamer *b, const char *commit_id, slot **mine, slot **parent)
{
	git_commit *c = NULL, *p = NULL;
	git_oid oid, blob_mine, blob_parent;
	int have_mine, have_parent = 0, rc = -1;

	*mine = *parent = NULL;
	if (git_oid_fromstr(&oid, commit_id) < 0 || git_commit_lookup(&c, b->repo, &oid) < 0)
		return git_fail("cannot read a commit");
	if ((have_mine = blob_in(b, c, &blob_mine)) < 0)
		goto out;
	if (git_commit_parentcount(c) > 0) {
		if (git_commit_parent(&p, c, 0) < 0) {
			git_fail("cannot read a parent commit");
			goto out;
		}
		if ((have_parent = blob_in(b, p, &blob_parent)) < 0)
			goto out;
	}
	if (have_mine && version_of(b, &blob_mine, NULL, mine) < 0)
		goto out;
	if (have_parent && version_of(b, &blob_parent, *mine, parent) < 0)
		goto out;
	rc = 0;
out:
	git_commit_free(p);
	git_commit_free(c);
	return rc;
}

/* Blame on commit k every open target that this commit brought to its
 * current text. */
static void attribute(blamer *b, size_t k, const blame_version *mine,
		      const blame_version *parent)
{
	const charter *hc = b->head.shape->c;

	for (size_t t = 0; t < b->ntargets; t++) {
		const char *id;
		int im, ip;

		if (b->owner[t] >= 0)
			continue;
		id = hc->p[b->targets[t]].id;
		im = blame_version_index(mine, id);
		if (im < 0 || !blame_version_same(&b->head, b->targets[t], mine, im))
			continue;
		ip = parent ? blame_version_index(parent, id) : -1;
		if (ip >= 0 && blame_version_same(mine, im, parent, ip))
			continue;
		b->owner[t] = (int)k;
		b->left--;
	}
}

static int walk(blamer *b, const store_commit_info *log, size_t nlog)
{
	for (size_t k = 0; k < nlog && b->left; k++) {
		slot *mine, *parent;

		if (versions_at(b, log[k].id, &mine, &parent) < 0)
			return -1;
		if (mine) /* else the commit deleted the charter */
			attribute(b, k, &mine->v, parent ? &parent->v : NULL);
	}
	/* only unusual merge histories leave some: blame the oldest change */
	for (size_t t = 0; nlog && t < b->ntargets; t++)
		if (b->owner[t] < 0)
			b->owner[t] = (int)nlog - 1;
	return 0;
}

static int choose_targets(blamer *b, const char *only)
{
	const charter *hc = b->head.shape->c;
	size_t n = hc->n;

	b->targets = calloc(n ? n : 1, sizeof *b->targets);
	b->owner = calloc(n ? n : 1, sizeof *b->owner);
	if (!b->targets || !b->owner) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (only && strcmp(hc->p[i].id, only) != 0)
			continue;
		/* a duplicated id is located by its first occurrence everywhere */
		if (charter_index(hc, hc->p[i].id) != (int)i)
			continue;
		b->owner[b->ntargets] = -1;
		b->targets[b->ntargets++] = (int)i;
	}
	if (only && !b->ntargets) {
		cd_err_set("%s has no principle '%s' at HEAD (run 'codicil principles' to list "
			   "them)", b->path, only);
		return -1;
	}
	b->left = b->ntargets;
	return 0;
}

static int load_head(blamer *b)
{
	git_blob *blob = NULL;
	git_oid oid;
	char id[41];

	if (store_blob_id(b->s, NULL, b->path, id) < 0)
		return -1;
	if (git_oid_fromstr(&oid, id) < 0 || git_blob_lookup(&blob, b->repo, &oid) < 0)
		return git_fail(b->path);
	return blame_version_parse(&b->head, blob, b->path);
}

static void blamer_free(blamer *b)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		blame_version_clear(&b->cache[i].v);
	blame_version_clear(&b->head);
	free(b->targets);
	free(b->owner);
}

static char *dup_or_null(const char *v)
{
	return v ? strdup(v) : NULL;
}

static int add_case(blame_entry *e, const char *id)
{
	char **v = realloc(e->cases, (e->ncases + 1) * sizeof *v);

	if (!v || !(v[e->ncases] = strdup(id))) {
		if (v)
			e->cases = v;
		return -1;
	}
	e->cases = v;
	e->ncases++;
	return 0;
}

/* What the trailers leave out, from the proposal file at that commit. */
static int fill_from_proposal(store *s, blame_entry *e)
{
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	cJSON *p = NULL;
	const cJSON *it;
	const char *by;
	int rc = 0;

	if (workspace_record_path(e->proposal, &path) == 0 &&
	    store_read(s, e->commit, path.data, &text) == 0)
		p = proposal_parse(cd_buf_cstr(&text), text.len, path.data);
	cd_err_clear();
	if (p && !e->ncases)
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "cases"))
			if (cJSON_IsString(it) && add_case(e, it->valuestring) < 0)
				rc = -1;
	by = cd_json_str(cJSON_GetObjectItemCaseSensitive(p, "decision"), "by");
	if (by && !e->reviewed_by && !(e->reviewed_by = strdup(by)))
		rc = -1;
	cJSON_Delete(p);
	cd_buf_clear(&path);
	cd_buf_clear(&text);
	return rc;
}

int blame__fill_entry(store *s, blame_entry *e, const char *id, const store_commit_info *ci)
{
	memcpy(e->commit, ci->id, sizeof e->commit);
	e->time = ci->time;
	e->offset = ci->offset;
	e->id = strdup(id);
	e->author_name = strdup(ci->author_name);
	e->author_email = strdup(ci->author_email);
	e->subject = strdup(ci->subject);
	if (!e->id || !e->author_name || !e->author_email || !e->subject)
		return -1;
	for (size_t i = 0; i < ci->ntrailers; i++) {
		const store_trailer *t = &ci->trailers[i];
		if (!strcmp(t->key, "Codicil-Proposal") && !e->proposal)
			e->proposal = dup_or_null(t->value);
		else if (!strcmp(t->key, "Codicil-Case") && add_case(e, t->value) < 0)
			return -1;
		else if (!strcmp(t->key, "Reviewed-by") && !e->reviewed_by)
			e->reviewed_by = dup_or_null(t->value);
	}
	if (!e->proposal) { /* Reviewed-by alone does not make an amendment */
		free(e->reviewed_by);
		e->reviewed_by = NULL;
		return 0;
	}
	if (!e->ncases || !e->reviewed_by)
		return fill_from_proposal(s, e);
	return 0;
}

static int make_entries(blamer *b, const store_commit_info *log, blame_entry **out, size_t *n)
{
	blame_entry *v = calloc(b->ntargets ? b->ntargets : 1, sizeof *v);

	if (!v)
		goto oom;
	for (size_t t = 0; t < b->ntargets; t++) {
		if (b->owner[t] < 0) /* no commit ever changed the charter */
			continue;
		const char *id = b->head.shape->c->p[b->targets[t]].id;
		if (blame__fill_entry(b->s, &v[*n], id, &log[b->owner[t]]) < 0) {
			blame_free(v, *n + 1);
			*n = 0;
			goto oom;
		}
		++*n;
	}
	*out = v;
	return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}

void blame_free(blame_entry *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++) {
		free(list[i].id);
		free(list[i].author_name);
		free(list[i].author_email);
		free(list[i].subject);
		free(list[i].proposal);
		for (size_t k = 0; k < list[i].ncases; k++)
			free(list[i].cases[k]);
		free(list[i].cases);
		free(list[i].reviewed_by);
	}
	free(list);
}

int blame_principles(store *s, const char *path, const char *only, blame_entry **out,
		     size_t *n)
{
	const char *full = getenv("CODICIL_BLAME_FULL_PARSE");
	blamer b = { .s = s, .repo = store_repo(s), .path = path, .full_parse = full && *full };
	store_commit_info *log = NULL;
	size_t nlog = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (load_head(&b) < 0 || choose_targets(&b, only) < 0 ||
	    store_log(s, NULL, path, 0, &log, &nlog) < 0 || walk(&b, log, nlog) < 0)
		goto out;
	rc = make_entries(&b, log, out, n);
out:
	store_log_free(log, nlog);
	blamer_free(&b);
	return rc;
}
