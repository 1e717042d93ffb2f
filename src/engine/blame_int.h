/* blame_int.h — versions of a charter as blame sees them: principle spans
 * over a blob's text.  A version is parsed with charter_parse, or derived
 * from a neighbouring version when the two differ only inside one
 * principle's body in a way that cannot change the block structure. */
#ifndef CODICIL_ENGINE_BLAME_INT_H
#define CODICIL_ENGINE_BLAME_INT_H

#include <git2.h>
#include <stddef.h>

#include "codicil/charter.h"
#include "codicil/store.h"

/* The ids of a structure (a parsed charter), shared by derived versions. */
typedef struct blame_shape {
	charter *c;
	int refs;
} blame_shape;

typedef struct blame_version {
	git_oid oid;
	git_blob *blob;      /* owns text */
	const char *text;
	size_t len;
	blame_shape *shape;  /* principle i here is shape->c->p[i] there */
	size_t *start, *heading_end, *body_end;
} blame_version;

/* Parse blob (taking ownership of it) into v. */
int blame_version_parse(blame_version *v, git_blob *blob, const char *path);
/* v = from with blob's text, when the difference is confined to plain
 * paragraph lines inside one principle's body: 1 done, 0 not applicable
 * (v untouched, blob still the caller's), -1 out of memory. */
int blame_version_derive(blame_version *v, const blame_version *from, git_blob *blob);
void blame_version_clear(blame_version *v);

/* Index of the principle with id in v, or -1. */
int blame_version_index(const blame_version *v, const char *id);
/* 1 when principle ia of a and ib of b have the same own text (heading and
 * body, trailing blank space ignored). */
int blame_version_same(const blame_version *a, int ia, const blame_version *b, int ib);

/* e as blame reports principle id against commit ci: who, when, and for an
 * accepted amendment its proposal, cases and reviewer.  -1: out of memory. */
struct blame_entry;
int blame__fill_entry(store *s, struct blame_entry *e, const char *id,
		      const store_commit_info *ci);

#endif
