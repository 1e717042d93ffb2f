/* rating.h — a human verdict on a case (or a proposal), by a git identity.
 *
 * As JSON, in this key order:
 *     {"rater": "Ada Lovelace <ada@example.org>", "verdict": "valid",
 *      "confidence": 0.8, "note": "...", "quick_verdict": "invalid",
 *      "dimensions": {"harm": 4}, "at": "2024-05-01T12:34:56Z"}
 * quick_verdict is the verdict given before reading the arguments;
 * note, quick_verdict and dimensions are optional.
 */
#ifndef CODICIL_RATING_H
#define CODICIL_RATING_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/buf.h"

typedef struct rating_dimension {
	const char *name;
	double score;
} rating_dimension;

typedef struct rating {
	const char *rater;         /* "Name <email>" */
	const char *verdict;       /* "valid" or "invalid" */
	double confidence;         /* 0..1 */
	const char *note;          /* NULL: none */
	const char *quick_verdict; /* NULL: none */
	const rating_dimension *dims;
	size_t ndims;
	const char *at;            /* ISO 8601 UTC; NULL: now */
} rating;

/* The rating as a JSON object in the key order above; NULL with an error
 * when a field is invalid (names the field) or memory runs out. */
cJSON *rating_to_json(const rating *r);

/* Check one rating object; problems are appended to err as lines starting
 * with where ("ratings[2].confidence: ...").  Returns the number found. */
size_t rating_check(const cJSON *r, const char *where, cd_buf *err);

/* 1 when a and b name the same rater: the emails inside <...> when both
 * have one (compared case-insensitively), otherwise the whole strings. */
int rating_same_rater(const char *a, const char *b);

/* Put rating (taken over) into the array ratings, replacing in place an
 * earlier one by the same rater, else appending. */
void rating_list_put(cJSON *ratings, cJSON *rating);

/* Reorder a rating object's keys into the order above. */
void rating_normalize(cJSON *r);

#endif
