/* index_near.c — is a new scenario one the library has?  Exact matches by
 * the hash of the normalised text, near ones through the MinHash bands
 * (dedup_bands), each candidate verified by its exact Jaccard similarity. */
#include "index_int.h"

#include <stdio.h>
#include <string.h>

#include "codicil/error.h"

static int exact_match(case_index *ix, const dedup_digest *d, cd_buf *match_id)
{
	sqlite3_stmt *st = index__cached(ix, "SELECT id FROM cases WHERE exact = ? ORDER BY id "
					     "LIMIT 1");
	int found = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)d->exact);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		if (match_id)
			cd_buf_puts(match_id, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	return found;
}

/* The candidate most similar to d at or above threshold; 0 when none. */
static double best_candidate(case_index *ix, const dedup_digest *d, double threshold,
			     cd_buf *match_id)
{
	_Static_assert(DEDUP_BANDS == 16, "one ? per band below");
	sqlite3_stmt *st = index__cached(
		ix, "SELECT DISTINCT c.id, s.scenario FROM bands b JOIN cases c ON c.rowid = "
		    "b.case_rowid JOIN scenarios s ON s.rowid = c.rowid WHERE b.band IN "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ORDER BY c.id");
	uint64_t bands[DEDUP_BANDS];
	double best = 0;

	if (!st)
		return 0;
	dedup_bands(d, bands);
	for (int i = 0; i < DEDUP_BANDS; i++)
		sqlite3_bind_int64(st, i + 1, (sqlite3_int64)bands[i]);
	while (sqlite3_step(st) == SQLITE_ROW) {
		dedup_digest other;
		double sim;

		if (dedup_digest_make((const char *)sqlite3_column_text(st, 1), &other) < 0)
			break;
		sim = dedup_jaccard(d, &other);
		dedup_digest_clear(&other);
		if (sim >= threshold && sim > best) {
			best = sim;
			if (match_id) {
				cd_buf_reset(match_id);
				cd_buf_puts(match_id, (const char *)sqlite3_column_text(st, 0));
			}
		}
	}
	sqlite3_reset(st);
	return best;
}

dedup_result case_index_duplicate(case_index *ix, const char *text, double threshold,
				  cd_buf *match_id, double *similarity)
{
	dedup_result res = DEDUP_NEW;
	double sim = 0;
	dedup_digest d;
	cd_buf near = CD_BUF_INIT;

	if (dedup_digest_make(text, &d) < 0)
		goto out; /* out of memory: nothing found, never a false match */
	if (exact_match(ix, &d, match_id)) {
		res = DEDUP_EXACT;
		sim = 1;
	} else if ((sim = best_candidate(ix, &d, threshold, &near)) > 0) {
		res = DEDUP_NEAR;
		if (match_id)
			cd_buf_puts(match_id, near.data);
	}
	dedup_digest_clear(&d);
out:
	cd_buf_clear(&near);
	if (similarity)
		*similarity = sim;
	return res;
}
