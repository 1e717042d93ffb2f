/* bench_dedup_index — the case index's near-duplicate bands against the
 * exact method:
 *
 *   bench_dedup_index DIR [N_LIBRARY [N_QUERIES]]   (defaults 20000, 2000)
 *
 * Writes N_LIBRARY generated cases into a new repository DIR (stock
 * phrases shared by all, Zipf-distributed vocabulary: hard for hashing),
 * builds its case index, then asks both methods about N_QUERIES texts:
 * copies of library scenarios with 1 to 24 words changed (Jaccard from
 * about 0.97 down to 0.3, so the threshold is crossed both ways) and fresh
 * ones.  The exact method (dedup_index: prefix filtering, then every
 * candidate verified) is the reference; prints the index's recall and
 * precision on "is a duplicate", by similarity band, and the time per
 * query of each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/case_index.h"
#include "codicil/dedup.h"
#include "codicil/error.h"
#include "codicil/file.h"

static unsigned long long rng = 7;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static void word(char *buf, size_t size)
{
	static const char *const syl[] = { "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi",
					   "da", "pe", "qua", "zo" };
	unsigned r = rnd(1728) + 1, i = rnd(r); /* Zipf-ish */

	snprintf(buf, size, "%s%s%s", syl[i % 12], syl[(i / 12) % 12], syl[(i / 144) % 12]);
}

static char *scenario(void)
{
	char *s = malloc(4096), w[16];
	size_t len = (size_t)snprintf(s, 4096, "A user asks the assistant to help");
	unsigned n = 40 + rnd(40);

	for (unsigned i = 0; i < n; i++) {
		word(w, sizeof w);
		len += (size_t)snprintf(s + len, 4096 - len, "%s %s",
					i % 9 == 8 ? ". The assistant" : "", w);
	}
	snprintf(s + len, 4096 - len, ". The privacy principle forbids this, so it refuses.");
	return s;
}

/* base with k of its words (after the opening) replaced by fresh ones. */
static char *variant(const char *base, unsigned k)
{
	char *words[256], *copy = strdup(base), *save = NULL, *s = malloc(8192), w[16];
	size_t n = 0, len = 0;

	for (char *t = strtok_r(copy, " ", &save); t && n < 256; t = strtok_r(NULL, " ", &save))
		words[n++] = t;
	for (unsigned i = 0; i < k; i++) {
		size_t at = 6 + rnd((unsigned)(n - 8));
		word(w, sizeof w);
		words[at] = strdup(w);
	}
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, 8192 - len, "%s%s", i ? " " : "", words[i]);
	free(copy);
	return s;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_case(const char *dir, size_t i, const char *text, char id[32])
{
	static const char digits[] = "0123456789abcdefghjkmnpqrstvwxyz";
	char path[4096], body[8192];

	snprintf(id, 32, "c-01m8000000");
	for (int k = 7; k >= 0; k--)
		id[12 + 7 - k] = digits[(i >> (5 * k)) & 31];
	id[20] = '\0';
	snprintf(path, sizeof path, "%s/cases/%s", dir, id + 18);
	cd_mkdir_p(path, 0755);
	snprintf(path, sizeof path, "%s/cases/%s/%s.json", dir, id + 18, id);
	snprintf(body, sizeof body,
		 "{\"id\":\"%s\",\"kind\":\"counterexample\",\"principles\":[\"privacy\"],"
		 "\"scenario\":\"%s\",\"literal_reading\":\"x\",\"expected\":\"y\",\"rationale\":\"z\","
		 "\"severity\":2,\"status\":\"open\",\"ratings\":[],\"resolved_by\":null,"
		 "\"provenance\":{}}\n",
		 id, text);
	cd_file_write_atomic(path, body, strlen(body));
}

int main(int argc, char **argv)
{
	size_t nlib = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
	size_t nq = argc > 3 ? strtoul(argv[3], NULL, 10) : 2000;
	size_t tp = 0, fp = 0, fn = 0, tn = 0, band_n[10] = { 0 }, band_hit[10] = { 0 };
	dedup_index *exact = dedup_new(DEDUP_THRESHOLD);
	double t_exact = 0, t_index = 0, t0;
	char cmd[4200], id[32];
	case_index *ix;
	store *s;

	if (argc < 2)
		return fprintf(stderr, "usage: bench_dedup_index DIR [N_LIBRARY [N_QUERIES]]\n"), 2;
	snprintf(cmd, sizeof cmd, "git init -q '%s'", argv[1]);
	if (system(cmd) != 0)
		return 1;
	char **lib = malloc(nlib * sizeof *lib);
	for (size_t i = 0; i < nlib; i++) {
		lib[i] = scenario();
		write_case(argv[1], i, lib[i], id);
		dedup_add(exact, id, lib[i]);
	}
	t0 = now();
	if (store_open(argv[1], &s) < 0 || case_index_open(s, &ix, NULL) < 0) {
		fprintf(stderr, "bench_dedup_index: %s\n", cd_err_msg());
		return 1;
	}
	printf("near duplicates: %zu library cases indexed in %.1f s; %zu queries\n", nlib,
	       now() - t0, nq);
	for (size_t q = 0; q < nq; q++) {
		unsigned k = q % 4 == 3 ? 0 : 1 + rnd(24);
		char *text = k ? variant(lib[rnd((unsigned)nlib)], k) : scenario();
		double sim = 0;
		dedup_result want, got;

		t0 = now();
		want = dedup_check(exact, text, NULL, &sim);
		t_exact += now() - t0;
		t0 = now();
		got = case_index_duplicate(ix, text, DEDUP_THRESHOLD, NULL, NULL);
		t_index += now() - t0;
		if (want != DEDUP_NEW) {
			int b = sim >= 1 ? 9 : (int)((sim - DEDUP_THRESHOLD) / (1 - DEDUP_THRESHOLD) * 9);
			band_n[b]++;
			band_hit[b] += got != DEDUP_NEW;
		}
		tp += want != DEDUP_NEW && got != DEDUP_NEW;
		fn += want != DEDUP_NEW && got == DEDUP_NEW;
		fp += want == DEDUP_NEW && got != DEDUP_NEW;
		tn += want == DEDUP_NEW && got == DEDUP_NEW;
		free(text);
	}
	printf("  duplicates by the exact method: %zu; found by the index: %zu, missed %zu, "
	       "wrongly flagged %zu (of %zu new)\n", tp + fn, tp, fn, fp, fp + tn);
	printf("  recall %.4f   precision %.4f\n", tp + fn ? (double)tp / (tp + fn) : 1,
	       tp + fp ? (double)tp / (tp + fp) : 1);
	printf("  recall by similarity:");
	for (int b = 0; b < 10; b++)
		if (band_n[b])
			printf("  %.2f+ %zu/%zu", DEDUP_THRESHOLD + b * (1 - DEDUP_THRESHOLD) / 9,
			       band_hit[b], band_n[b]);
	printf("\n  time per query: exact in memory %.3f ms (the whole library loaded: it grows "
	       "with it), index %.3f ms\n",
	       t_exact / nq * 1e3, t_index / nq * 1e3);
	case_index_close(ix);
	store_close(s);
	return 0;
}
