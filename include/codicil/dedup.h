/* dedup.h — is a generated scenario one we already have?
 *
 * Texts are normalised (ASCII letters lowercased, apostrophes dropped,
 * other ASCII punctuation and all whitespace runs become one space) before
 * comparing.  An exact duplicate has the same normalised text (compared by
 * a 64-bit hash).  A near duplicate has a Jaccard similarity >= threshold
 * between the sets of word 3-shingles (hashed to 64 bits; a text of fewer
 * than three words is one shingle).
 *
 * Candidates are found through an inverted index from shingle to texts,
 * reading only the posting lists of a text's rarest shingles (prefix
 * filtering: a set B with J(A,B) >= t shares at least ceil(t|A|) of A's
 * shingles, so it must share one of any |A| - ceil(t|A|) + 1 of them), then
 * verified exactly.
 */
#ifndef CODICIL_DEDUP_H
#define CODICIL_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "codicil/buf.h"
#include "codicil/case.h"

typedef struct dedup_index dedup_index;

typedef enum dedup_result {
	DEDUP_NEW = 0,
	DEDUP_EXACT = 1,
	DEDUP_NEAR = 2,
} dedup_result;

#define DEDUP_THRESHOLD 0.8

/* threshold in (0, 1]: the Jaccard similarity from which a text is a near
 * duplicate.  NULL on out of memory. */
dedup_index *dedup_new(double threshold);
void dedup_free(dedup_index *ix);

/* Index text under id (copied).  -1 on out of memory. */
int dedup_add(dedup_index *ix, const char *id, const char *text);
/* Index the scenario of every case of lib. */
int dedup_add_library(dedup_index *ix, const case_library *lib);

/* DEDUP_NEW, DEDUP_EXACT or DEDUP_NEAR; for a match, *match_id (may be
 * NULL) points to the id of the most similar indexed text (owned by the
 * index) and *similarity (may be NULL) gets its Jaccard similarity (1 for
 * an exact duplicate).  The text is not added: call dedup_add for that. */
dedup_result dedup_check(const dedup_index *ix, const char *text, const char **match_id,
			 double *similarity);

size_t dedup_count(const dedup_index *ix);

/* What the comparisons above are made of: the hash of the normalised text
 * and its sorted, unique shingle hashes. */
typedef struct dedup_digest {
	uint64_t exact;
	uint64_t *shingles;
	uint32_t n;
} dedup_digest;

int dedup_digest_make(const char *text, dedup_digest *d); /* -1: out of memory */
void dedup_digest_clear(dedup_digest *d);
double dedup_jaccard(const dedup_digest *a, const dedup_digest *b);

/* Locality-sensitive hashing for a library too large to hold in memory
 * (the case index keeps these): 16 bands of 5 MinHash values.  A text
 * with Jaccard similarity 0.8 to an indexed one shares a band with it
 * with probability 0.998 (0.9 -> 0.99997, 0.5 -> 0.40, 0.3 -> 0.04);
 * candidates are then verified exactly.  Measured recall and precision
 * are printed by bench/b8-scale.sh. */
#define DEDUP_BANDS 16
#define DEDUP_ROWS 5
void dedup_bands(const dedup_digest *d, uint64_t bands[DEDUP_BANDS]);

/* The normalised form of text, appended to out (exposed for tests and
 * for showing users why two texts were judged equal). */
int dedup_normalize(const char *text, cd_buf *out);

#endif
