/* strmap.h — a small open-addressing hash map from strings to size_t, so
 * that lookups by id or key are never quadratic. */
#ifndef CODICIL_STRMAP_H
#define CODICIL_STRMAP_H

#include <stddef.h>

/* A string -> size_t hash map that owns copies of its keys. */
struct strmap_entry {
	char *key;
	size_t value;
};

struct strmap {
	struct strmap_entry *e;
	size_t cap, n;
};

/* 1: inserted, 0: key already present (value untouched), -1: out of memory. */
int strmap_put(struct strmap *m, const char *key, size_t value);
struct strmap_entry *strmap_get(const struct strmap *m, const char *key);
void strmap_clear(struct strmap *m);

#endif
