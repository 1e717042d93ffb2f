/* bench_dedup — how fast is dedup_check against a large library?
 *
 *   bench_dedup [N_EXISTING [N_NEW]]     (defaults 10000 and 100)
 *
 * Builds N_EXISTING scenario-like texts (stock phrases shared by all of
 * them, Zipf-distributed vocabulary), indexes them, then checks N_NEW
 * texts: a third re-punctuated copies, a third with a few words changed, a
 * third fresh.  Prints the time of the index, of the checks, and of a
 * brute-force comparison of every new text with every existing one, with
 * all shingles computed beforehand (it must reach the same verdicts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/dedup.h"

static unsigned long long rng = 42;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

/* Zipf-ish: small indices much more often. */
static unsigned zipf(unsigned n)
{
	unsigned r = rnd(n) + 1;
	return rnd(r);
}

static const char *const openers[] = {
	"A user asks the assistant", "A nurse tells the assistant",
	"A teenager asks the assistant", "A researcher wants the assistant",
	"A journalist asks the assistant", "A parent tells the assistant",
};
static const char *const verbs[] = {
	"to explain", "to reveal", "to summarise", "to draft", "to find", "to check",
	"to translate", "to list", "to estimate", "to compare",
};

static char *word(unsigned i, char *buf, size_t size)
{
	static const char *const syl[] = { "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi",
					   "da", "pe", "qua", "zo" };
	snprintf(buf, size, "%s%s%s", syl[i % 12], syl[(i / 12) % 12], syl[(i / 144) % 12]);
	return buf;
}

static char *scenario(void)
{
	char *s = malloc(4096), w[16];
	size_t len = 0;
	unsigned n = 40 + rnd(60);

	len += (size_t)snprintf(s + len, 4096 - len, "%s %s", openers[rnd(6)], verbs[rnd(10)]);
	for (unsigned i = 0; i < n; i++) {
		const char *sep = i % 11 == 10 ? ". The assistant" : " the";
		len += (size_t)snprintf(s + len, 4096 - len, "%s %s", i % 3 ? "" : sep,
					word(zipf(1728), w, sizeof w));
	}
	snprintf(s + len, 4096 - len, ". The privacy principle forbids this, so it refuses.");
	return s;
}

static char *variant(const char *base, int kind)
{
	char *s = strdup(base);

	if (kind == 0) { /* re-cased, re-punctuated */
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ';';
			else if (*p >= 'a' && *p <= 'z' && rnd(4) == 0)
				*p -= 32;
	} else if (kind == 1) { /* two words changed */
		for (int k = 0; k < 2; k++) {
			char *p = s + strlen(s) / 3 * (k + 1);
			while (*p && *p != ' ')
				p++;
			if (p[1] && p[2])
				p[1] = 'x', p[2] = 'x';
		}
	}
	return s;
}

/* For the brute-force reference: the same normalisation, shingles hashed
 * here independently, sorted; every pair compared by merging. */
typedef struct ref {
	char *norm;
	unsigned long long *sh;
	size_t n;
} ref;

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
	return (x > y) - (x < y);
}

static unsigned long long fnv(const char *s, size_t n)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static void make_ref(const char *text, ref *r)
{
	cd_buf b = CD_BUF_INIT;
	size_t starts[1024], nw = 0, u = 0;

	dedup_normalize(text, &b);
	r->norm = cd_buf_detach(&b);
	for (size_t i = 0; r->norm[i]; i++)
		if (i == 0 || r->norm[i - 1] == ' ')
			starts[nw++] = i;
	r->sh = malloc((nw + 1) * sizeof *r->sh);
	for (size_t i = 0; i + 2 < nw; i++) {
		size_t end = i + 3 < nw ? starts[i + 3] - 1 : strlen(r->norm);
		r->sh[i] = fnv(r->norm + starts[i], end - starts[i]);
	}
	r->n = nw > 2 ? nw - 2 : 0;
	qsort(r->sh, r->n, sizeof *r->sh, cmp_ull);
	for (size_t i = 0; i < r->n; i++)
		if (i == 0 || r->sh[i] != r->sh[i - 1])
			r->sh[u++] = r->sh[i];
	r->n = u;
}

static double ref_jaccard(const ref *a, const ref *b)
{
	size_t i = 0, j = 0, both = 0;

	while (i < a->n && j < b->n) {
		if (a->sh[i] == b->sh[j])
			both++, i++, j++;
		else if (a->sh[i] < b->sh[j])
			i++;
		else
			j++;
	}
	return (double)both / (double)(a->n + b->n - both);
}

static dedup_result brute(const ref *q, const ref *old, size_t nold)
{
	dedup_result best = DEDUP_NEW;

	for (size_t j = 0; j < nold; j++) {
		if (strcmp(q->norm, old[j].norm) == 0)
			return DEDUP_EXACT;
		if (ref_jaccard(q, &old[j]) >= DEDUP_THRESHOLD)
			best = DEDUP_NEAR;
	}
	return best;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t nold = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	size_t nnew = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	char **old = malloc(nold * sizeof *old), **fresh = malloc(nnew * sizeof *fresh), id[32];
	dedup_index *ix = dedup_new(DEDUP_THRESHOLD);
	size_t counts[3] = { 0 }, agree = 0;
	dedup_result *got = malloc(nnew * sizeof *got);
	double t0, t_index, t_check, t_brute;
	ref *refs;

	for (size_t i = 0; i < nold; i++)
		old[i] = scenario();
	for (size_t i = 0; i < nnew; i++)
		fresh[i] = i % 3 == 2 ? scenario() : variant(old[rnd((unsigned)nold)], (int)(i % 3));

	t0 = now();
	for (size_t i = 0; i < nold; i++) {
		snprintf(id, sizeof id, "%zu", i);
		if (dedup_add(ix, id, old[i]) < 0)
			return 1;
	}
	t_index = now() - t0;
	t0 = now();
	for (size_t i = 0; i < nnew; i++)
		counts[got[i] = dedup_check(ix, fresh[i], NULL, NULL)]++;
	t_check = now() - t0;

	refs = malloc((nold + nnew) * sizeof *refs);
	for (size_t i = 0; i < nold; i++)
		make_ref(old[i], &refs[i]);
	for (size_t i = 0; i < nnew; i++)
		make_ref(fresh[i], &refs[nold + i]);
	t0 = now();
	for (size_t i = 0; i < nnew; i++)
		agree += brute(&refs[nold + i], refs, nold) == got[i];
	t_brute = now() - t0;

	printf("dedup: %zu existing scenarios indexed in %.3f s\n", nold, t_index);
	printf("dedup: %zu checks in %.4f s (%.3f ms each): %zu new, %zu exact, %zu near\n", nnew,
	       t_check, t_check * 1e3 / (double)nnew, counts[0], counts[1], counts[2]);
	printf("dedup: brute force (every pair, shingles precomputed) in %.4f s; "
	       "verdicts agree on %zu of %zu\n", t_brute, agree, nnew);
	for (size_t i = 0; i < nold + nnew; i++) {
		free(refs[i].norm);
		free(refs[i].sh);
	}
	free(refs);
	for (size_t i = 0; i < nold; i++)
		free(old[i]);
	for (size_t i = 0; i < nnew; i++)
		free(fresh[i]);
	free(old);
	free(fresh);
	free(got);
	dedup_free(ix);
	return agree == nnew ? 0 : 1;
}
