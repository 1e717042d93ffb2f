/* verify.c — walk the history, sort commits into amendments (checked) and
 * other changes to the charter (listed). */
#include "verify_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

const char *verify_kind_name(verify_kind k)
{
	static const char *const names[] = { "initial", "edit", "fmt", "revert", "git" };
	return k <= VERIFY_GIT ? names[k] : "git";
}

static const char *trailer_value(const store_commit_info *ci, const char *key)
{
	for (size_t i = 0; i < ci->ntrailers; i++)
		if (!strcmp(ci->trailers[i].key, key))
			return ci->trailers[i].value;
	return NULL;
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ids of the commits that changed the charter, sorted for bsearch */
typedef struct id_set {
	char (*ids)[41];
	size_t n;
} id_set;

static int cmp_id(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static int id_set_has(const id_set *set, const char *id)
{
	return set->n && bsearch(id, set->ids, set->n, sizeof *set->ids, cmp_id) != NULL;
}

static int id_set_build(const store_commit_info *log, size_t n, id_set *out)
{
	out->n = 0;
	if (!(out->ids = calloc(n ? n : 1, sizeof *out->ids))) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		memcpy(out->ids[out->n++], log[i].id, 41);
	qsort(out->ids, out->n, sizeof *out->ids, cmp_id);
	return 0;
}

static int is_root(store *s, const char *id)
{
	cd_buf rev = CD_BUF_INIT;
	char parent[41];
	int root;

	cd_buf_printf(&rev, "%s^", id);
	root = store_resolve(s, rev.data, parent) < 0;
	cd_err_clear();
	cd_buf_clear(&rev);
	return root;
}

static int add_amendment(store *s, verify_report *r, const store_commit_info *ci)
{
	verify_amendment *v = realloc(r->amendments, (r->namendments + 1) * sizeof *v), *a;
	const char *id = trailer_value(ci, "Codicil-Proposal");

	if (!v)
		goto oom;
	r->amendments = v;
	a = memset(&v[r->namendments++], 0, sizeof *a);
	memcpy(a->commit, ci->id, sizeof a->commit);
	if (!(a->subject = strdup(ci->subject)) || !(a->proposal = strdup(id)))
		goto oom;
	if (verify__amendment(s, ci, a) < 0)
		return -1;
	r->nproblems += a->nproblems;
	return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}

static int add_other(store *s, verify_report *r, const store_commit_info *ci)
{
	verify_other *v = realloc(r->others, (r->nothers + 1) * sizeof *v), *o;

	if (!v)
		goto oom;
	r->others = v;
	o = memset(&v[r->nothers++], 0, sizeof *o);
	memcpy(o->commit, ci->id, sizeof o->commit);
	if (is_root(s, ci->id))
		o->kind = VERIFY_INITIAL;
	else if (starts_with(ci->subject, "Edit "))
		o->kind = VERIFY_EDIT;
	else if (starts_with(ci->subject, "Format: "))
		o->kind = VERIFY_FMT;
	else if (starts_with(ci->subject, "Revert ") && trailer_value(ci, "Codicil-Reverts"))
		o->kind = VERIFY_REVERT;
	else
		o->kind = VERIFY_GIT;
	o->subject = strdup(ci->subject);
	o->author_name = strdup(ci->author_name);
	o->author_email = strdup(ci->author_email);
	if (o->subject && o->author_name && o->author_email)
		return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}

/* An amendment changes the charter, or says it is one ("Amend ..."); a
 * commit that only records a rejected proposal is neither, and `codicil
 * revert` is listed as another change. */
static int classify(store *s, verify_report *r, const store_commit_info *ci, int touches)
{
	int proposal = trailer_value(ci, "Codicil-Proposal") != NULL &&
		       !trailer_value(ci, "Codicil-Reverts");

	if (proposal && (touches || starts_with(ci->subject, "Amend ")))
		return add_amendment(s, r, ci);
	if (touches)
		return add_other(s, r, ci);
	return 0;
}

int verify_history(store *s, const char *charter_path, verify_report *out)
{
	store_commit_info *all = NULL, *changed = NULL;
	size_t nall = 0, nchanged = 0;
	id_set set = { 0 };
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (store_log(s, NULL, NULL, 0, &all, &nall) < 0 ||
	    store_log(s, NULL, charter_path, 0, &changed, &nchanged) < 0 ||
	    id_set_build(changed, nchanged, &set) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < nall; i++)
		rc = classify(s, out, &all[i], id_set_has(&set, all[i].id));
out:
	free(set.ids);
	store_log_free(all, nall);
	store_log_free(changed, nchanged);
	if (rc < 0)
		verify_report_clear(out);
	return rc;
}

void verify_report_clear(verify_report *r)
{
	for (size_t i = 0; i < r->namendments; i++) {
		verify_amendment *a = &r->amendments[i];
		free(a->subject);
		free(a->proposal);
		for (size_t k = 0; k < a->nproblems; k++)
			free(a->problems[k]);
		free(a->problems);
	}
	for (size_t i = 0; i < r->nothers; i++) {
		free(r->others[i].subject);
		free(r->others[i].author_name);
		free(r->others[i].author_email);
	}
	free(r->amendments);
	free(r->others);
	memset(r, 0, sizeof *r);
}
