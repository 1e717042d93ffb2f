/* theorize_int.h — between theorize.c and theory_hits.c. */
#ifndef CODICIL_THEORIZE_INT_H
#define CODICIL_THEORIZE_INT_H

#include "codicil/theorize.h"

/* The cases, the theories with fresh hits, and the consensus. */
typedef struct theorize_state {
	case_library cases;
	theory_library theories;
	agg_result agg;
	theory_policy policy;
	int *changed;        /* per theory */
	size_t nretired;
} theorize_state;

int theorize_load(store *s, config *cfg, theorize_state *st);
void theorize_unload(theorize_state *st);

#endif
