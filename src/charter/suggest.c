/* suggest.c — the ids a mistyped principle id was probably meant to be. */
#include "codicil/charter.h"

#include <stdlib.h>
#include <string.h>

#define SUGGEST_MAX 3

/* Levenshtein distance, or more than limit (then limit + 1). */
static size_t distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), *row, best = limit + 1;

	if ((la > lb ? la - lb : lb - la) > limit || !(row = malloc((lb + 1) * sizeof *row)))
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], low;
		row[0] = low = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (up + 1 < v)
				v = up + 1;
			row[j] = v;
			diag = up;
			low = v < low ? v : low;
		}
		if (low > limit) /* every path is already too long */
			break;
	}
	if (row[lb] <= limit)
		best = row[lb];
	free(row);
	return best;
}

int charter_suggest(const charter *c, const char *id, cd_buf *out)
{
	size_t limit = strlen(id) / 3 > 2 ? strlen(id) / 3 : 2, n = 0;
	size_t best[SUGGEST_MAX], dist[SUGGEST_MAX];

	for (size_t i = 0; i < c->n; i++) {
		const char *p = c->p[i].id;
		size_t lp = strlen(p), li = strlen(id), k, d;

		if (strstr(p, id) || strstr(id, p)) {
			/* a part of the other counts, ranked by how much is missing */
			d = lp > li ? lp - li : li - lp;
			d = d > limit ? limit : d;
		} else {
			d = distance(id, p, limit);
		}

		if (d > limit)
			continue;
		for (k = n; k > 0 && dist[k - 1] > d; k--)
			if (k < SUGGEST_MAX) {
				best[k] = best[k - 1];
				dist[k] = dist[k - 1];
			}
		if (k < SUGGEST_MAX) {
			best[k] = i;
			dist[k] = d;
			n += n < SUGGEST_MAX;
		}
	}
	for (size_t k = 0; k < n; k++)
		if (cd_buf_printf(out, "%s%s", k ? ", " : "", c->p[best[k]].id) < 0)
			return -1;
	return (int)n;
}
