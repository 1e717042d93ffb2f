/* strmap.c — a small open-addressing hash map from strings to size_t, used
 * for slug de-duplication, id lookup and journal keys (strmap.h). */
#include "codicil/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static struct strmap_entry *slot_for(struct strmap_entry *e, size_t cap, const char *key)
{
	size_t i = (size_t)hash_str(key) & (cap - 1);

	while (e[i].key && strcmp(e[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &e[i];
}

static int grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	struct strmap_entry *e = calloc(cap, sizeof *e);

	if (!e) {
		cd_err_set("out of memory");
		return -1;
	}
	for (i = 0; i < m->cap; i++)
		if (m->e[i].key)
			*slot_for(e, cap, m->e[i].key) = m->e[i];
	free(m->e);
	m->e = e;
	m->cap = cap;
	return 0;
}

struct strmap_entry *strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_entry *e;

	if (!m->cap)
		return NULL;
	e = slot_for(m->e, m->cap, key);
	return e->key ? e : NULL;
}

int strmap_put(struct strmap *m, const char *key, size_t value)
{
	struct strmap_entry *e;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	e = slot_for(m->e, m->cap, key);
	if (e->key)
		return 0;
	e->key = strdup(key);
	if (!e->key) {
		cd_err_set("out of memory");
		return -1;
	}
	e->value = value;
	m->n++;
	return 1;
}

void strmap_clear(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->e[i].key);
	free(m->e);
	memset(m, 0, sizeof *m);
}
