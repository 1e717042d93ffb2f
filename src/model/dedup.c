/* dedup.c — exact and near-duplicate detection of scenarios (see dedup.h
 * for the method). */
#include "codicil/dedup.h"
#include "codicil/error.h"
#include "codicil/json.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *id;
	uint64_t *shingles; /* sorted, unique */
	uint32_t nshingles;
} entry;

/* Open addressing, linear probing; key 0 marks an empty slot. */
typedef struct slot {
	uint64_t key;
	uint32_t *items; /* exact map: one item; shingle map: posting list */
	uint32_t n, cap;
} slot;

typedef struct table {
	slot *s;
	size_t cap, used; /* cap is a power of two */
} table;

struct dedup_index {
	double threshold;
	entry *e;
	size_t n, cap;
	table exact;    /* normalised-text hash -> first entry with it */
	table shingles; /* shingle hash -> entries containing it */
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x ? x : 1; /* 0 is the empty slot */
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return mix64(h);
}

static uint64_t rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

/* ---- normalisation ---- */

static int is_apostrophe(const unsigned char *p)
{
	return p[0] == '\'' || (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99));
}

int dedup_normalize(const char *text, cd_buf *out)
{
	const unsigned char *p = (const unsigned char *)text;
	int pending_space = 0, any = 0;

	while (*p) {
		if (is_apostrophe(p)) {
			p += *p == '\'' ? 1 : 3;
			continue;
		}
		if (*p < 0x80 && !(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9')) {
			pending_space = any;
			p++;
			continue;
		}
		if ((pending_space && cd_buf_putc(out, ' ') < 0) ||
		    cd_buf_putc(out, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p)) < 0)
			return -1;
		pending_space = 0;
		any = 1;
		p++;
	}
	return 0;
}

/* ---- hash tables ---- */

static slot *table_find(const table *t, uint64_t key)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = key & (t->cap - 1); t->s[i].key; i = (i + 1) & (t->cap - 1))
		if (t->s[i].key == key)
			return &t->s[i];
	return NULL;
}

static int table_grow(table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	slot *s = calloc(cap, sizeof *s);

	if (!s)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;
		if (!t->s[i].key)
			continue;
		for (j = t->s[i].key & (cap - 1); s[j].key; j = (j + 1) & (cap - 1))
			;
		s[j] = t->s[i];
	}
	free(t->s);
	t->s = s;
	t->cap = cap;
	return 0;
}

/* The slot of key, created empty when absent. */
static slot *table_get(table *t, uint64_t key)
{
	slot *s = table_find(t, key);
	size_t i;

	if (s)
		return s;
	if ((t->used + 1) * 2 > t->cap && table_grow(t) < 0)
		return NULL;
	for (i = key & (t->cap - 1); t->s[i].key; i = (i + 1) & (t->cap - 1))
		;
	t->s[i].key = key;
	t->used++;
	return &t->s[i];
}

static int slot_push(slot *s, uint32_t item)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 2;
		uint32_t *p = realloc(s->items, cap * sizeof *p);
		if (!p)
			return -1;
		s->items = p;
		s->cap = cap;
	}
	s->items[s->n++] = item;
	return 0;
}

static void table_free(table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->s[i].items);
	free(t->s);
}

/* ---- shingles ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Hashes of the words of a normalised text (single spaces between). */
static size_t word_hashes(const char *s, size_t len, uint64_t *out)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != ' ')
			continue;
		if (i > start)
			out[n++] = hash_bytes(s + start, i - start);
		start = i + 1;
	}
	return n;
}

/* The sorted unique shingle hashes of a normalised text, in a new array. */
static int make_shingles(const char *s, size_t len, uint64_t **out, uint32_t *n)
{
	uint64_t *w = malloc((len / 2 + 2) * sizeof *w), *sh;
	size_t nw = word_hashes(s, len, w), ns = 0;

	*out = NULL;
	*n = 0;
	if (!w)
		return -1;
	sh = malloc((nw > 2 ? nw - 2 : 1) * sizeof *sh);
	if (!sh) {
		free(w);
		return -1;
	}
	if (nw > 0 && nw < 3)
		sh[ns++] = mix64(w[0] ^ rotl(nw > 1 ? w[1] : 0, 21));
	for (size_t i = 0; i + 2 < nw; i++)
		sh[ns++] = mix64(w[i] ^ rotl(w[i + 1], 21) ^ rotl(w[i + 2], 42));
	free(w);
	qsort(sh, ns, sizeof *sh, cmp_u64);
	*n = 0;
	for (size_t i = 0; i < ns; i++)
		if (i == 0 || sh[i] != sh[i - 1])
			sh[(*n)++] = sh[i];
	*out = sh;
	return 0;
}

typedef dedup_digest digest;

int dedup_digest_make(const char *text, dedup_digest *d)
{
	cd_buf norm = CD_BUF_INIT;
	int rc;

	memset(d, 0, sizeof *d);
	if (dedup_normalize(text, &norm) < 0)
		return -1;
	d->exact = hash_bytes(cd_buf_cstr(&norm), norm.len);
	rc = make_shingles(cd_buf_cstr(&norm), norm.len, &d->shingles, &d->n);
	cd_buf_clear(&norm);
	return rc;
}

/* ---- the index ---- */

dedup_index *dedup_new(double threshold)
{
	dedup_index *ix;

	if (!(threshold > 0 && threshold <= 1)) {
		cd_err_set("duplicate threshold must be above 0 and at most 1, got %g", threshold);
		return NULL;
	}
	if (!(ix = calloc(1, sizeof *ix))) {
		cd_err_set("out of memory");
		return NULL;
	}
	ix->threshold = threshold;
	return ix;
}

void dedup_free(dedup_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++) {
		free(ix->e[i].id);
		free(ix->e[i].shingles);
	}
	free(ix->e);
	table_free(&ix->exact);
	table_free(&ix->shingles);
	free(ix);
}

size_t dedup_count(const dedup_index *ix)
{
	return ix->n;
}

static int index_entry(dedup_index *ix, uint32_t k, const digest *d)
{
	slot *s = table_get(&ix->exact, d->exact);

	if (!s || (s->n == 0 && slot_push(s, k) < 0))
		return -1;
	for (uint32_t i = 0; i < d->n; i++)
		if (!(s = table_get(&ix->shingles, d->shingles[i])) || slot_push(s, k) < 0)
			return -1;
	return 0;
}

int dedup_add(dedup_index *ix, const char *id, const char *text)
{
	entry *e;
	digest d;

	entry *p = cd_grow(ix->e, ix->n, &ix->cap, sizeof *p, 256);
	if (!p)
		goto oom;
	ix->e = p;
	if (dedup_digest_make(text, &d) < 0)
		goto oom;
	e = &ix->e[ix->n];
	e->shingles = d.shingles;
	e->nshingles = d.n;
	if (!(e->id = strdup(id))) {
		free(d.shingles);
		goto oom;
	}
	ix->n++;
	/* a failure part-way leaves the entry in some posting lists only:
	 * still consistent, since lookups verify against the entry itself */
	if (index_entry(ix, (uint32_t)(ix->n - 1), &d) < 0)
		goto oom;
	return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}

int dedup_add_library(dedup_index *ix, const case_library *lib)
{
	for (size_t i = 0; i < lib->n; i++) {
		const char *s = cd_json_str(lib->cases[i], "scenario");
		if (s && dedup_add(ix, case_id(lib->cases[i]), s) < 0)
			return -1;
	}
	return 0;
}

static double jaccard(const uint64_t *a, uint32_t na, const uint64_t *b, uint32_t nb);

void dedup_digest_clear(dedup_digest *d)
{
	free(d->shingles);
	memset(d, 0, sizeof *d);
}

/* A MinHash signature of DEDUP_BANDS * DEDUP_ROWS values (each the least
 * of the shingles under one hash function), cut into bands, each band
 * hashed with its number: two texts with Jaccard similarity s share at
 * least one band with probability 1 - (1 - s^rows)^bands. */
void dedup_bands(const dedup_digest *d, uint64_t bands[DEDUP_BANDS])
{
	for (int b = 0; b < DEDUP_BANDS; b++) {
		uint64_t h = mix64((uint64_t)b + 0x9e3779b97f4a7c15ULL);

		for (int r = 0; r < DEDUP_ROWS; r++) {
			uint64_t seed = mix64((uint64_t)(b * DEDUP_ROWS + r + 1) * 0xd6e8feb86659fd93ULL);
			uint64_t least = UINT64_MAX;

			for (uint32_t i = 0; i < d->n; i++) {
				uint64_t v = mix64(d->shingles[i] ^ seed);
				if (v < least)
					least = v;
			}
			h = mix64(h ^ rotl(least, (17 * r + 7) & 63)); /* 7, 24, 41, 58, 11 */
		}
		bands[b] = h;
	}
}

double dedup_jaccard(const dedup_digest *a, const dedup_digest *b)
{
	return jaccard(a->shingles, a->n, b->shingles, b->n);
}

static double jaccard(const uint64_t *a, uint32_t na, const uint64_t *b, uint32_t nb)
{
	uint32_t i = 0, j = 0, both = 0;

	while (i < na && j < nb) {
		if (a[i] == b[j])
			both++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return na + nb ? (double)both / (na + nb - both) : 0;
}

typedef struct rare {
	uint32_t len; /* posting list length */
	const slot *s;
} rare;

static int cmp_rare(const void *a, const void *b)
{
	uint32_t x = ((const rare *)a)->len, y = ((const rare *)b)->len;
	return (x > y) - (x < y);
}

/* The most similar entry at or above the threshold; -1 when none. */
static long best_near(const dedup_index *ix, const digest *d, double *best)
{
	uint32_t m = d->n, need = (uint32_t)ceil(ix->threshold * m - 1e-9), prefix;
	unsigned char *seen = calloc(ix->n ? ix->n : 1, 1);
	rare *r = malloc((m ? m : 1) * sizeof *r);
	long found = -1;

	*best = 0;
	if (!seen || !r || !m)
		goto out;
	for (uint32_t i = 0; i < m; i++) {
		r[i].s = table_find(&ix->shingles, d->shingles[i]);
		r[i].len = r[i].s ? r[i].s->n : 0;
	}
	qsort(r, m, sizeof *r, cmp_rare);
	prefix = m - (need ? need : 1) + 1;
	for (uint32_t i = 0; i < prefix; i++) {
		for (uint32_t k = 0; r[i].s && k < r[i].s->n; k++) {
			uint32_t c = r[i].s->items[k];
			const entry *e = &ix->e[c];
			double sim;
			if (seen[c])
				continue;
			seen[c] = 1;
			/* J <= min/max of the sizes */
			if (ix->threshold * (e->nshingles > m ? e->nshingles : m) >
			    (e->nshingles < m ? e->nshingles : m))
				continue;
			sim = jaccard(d->shingles, m, e->shingles, e->nshingles);
			if (sim >= ix->threshold && (sim > *best || (sim == *best && (long)c < found))) {
				*best = sim;
				found = c;
			}
		}
	}
out:
	free(seen);
	free(r);
	return found;
}

dedup_result dedup_check(const dedup_index *ix, const char *text, const char **match_id,
			 double *similarity)
{
	const slot *s;
	dedup_result res = DEDUP_NEW;
	double sim = 0;
	long near;
	digest d;

	if (match_id)
		*match_id = NULL;
	if (dedup_digest_make(text, &d) < 0)
		goto out; /* out of memory: nothing found, never a false match */
	if ((s = table_find(&ix->exact, d.exact)) && s->n) {
		res = DEDUP_EXACT;
		sim = 1;
		if (match_id)
			*match_id = ix->e[s->items[0]].id;
	} else if ((near = best_near(ix, &d, &sim)) >= 0) {
		res = DEDUP_NEAR;
		if (match_id)
			*match_id = ix->e[near].id;
	}
out:
	free(d.shingles);
	if (similarity)
		*similarity = sim;
	return res;
}
