/* case_counts.c — per-principle counts of the case library, from the case
 * index. */
#include "codicil/case_counts.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/case_index.h"
#include "codicil/error.h"

typedef struct counting {
	const charter *ch;
	case_counts *out;
} counting;

static int count_principle(const char *id, long n, void *arg)
{
	counting *k = arg;
	int idx = charter_index(k->ch, id);

	if (idx < 0)
		k->out->unknown_ids += (size_t)n;
	else
		k->out->per_principle[idx] = (size_t)n;
	return 0;
}

static int count_error(const char *path, const char *problem, void *arg)
{
	((case_counts *)arg)->unreadable++;
	return 0;
}

int case_counts_load(store *s, const charter *ch, case_counts *out)
{
	counting k = { ch, out };
	case_query all = { 0 };
	case_index *ix = NULL;
	long n;

	memset(out, 0, sizeof *out);
	if (!(out->per_principle = calloc(ch->n ? ch->n : 1, sizeof *out->per_principle))) {
		cd_err_set("out of memory counting cases");
		return -1;
	}
	if (case_index_open(s, &ix, NULL) < 0 || (n = case_index_count(ix, &all)) < 0 ||
	    case_index_each_principle(ix, count_principle, &k) < 0 ||
	    case_index_each_error(ix, count_error, out) < 0) {
		case_index_close(ix);
		case_counts_clear(out);
		return -1;
	}
	out->files = (size_t)n + out->unreadable;
	case_index_close(ix);
	return 0;
}

void case_counts_clear(case_counts *cc)
{
	free(cc->per_principle);
	memset(cc, 0, sizeof *cc);
}
