/* loop_int.h — between the files of the loop (loop.h). */
#ifndef CODICIL_LOOP_INT_H
#define CODICIL_LOOP_INT_H

#include "codicil/loop.h"

#include "codicil/case.h"

typedef struct loop_ctx {
	store *s;
	config *cfg;
	llm_client *client;
	const loop_opts *o;
	cJSON *st;                /* the state (loop_state.c) */
	long per_round, samples, n;
	double judge_confidence;  /* codicil.loopJudgeConfidence */
	long max_proposals;       /* codicil.loopProposals */
	double confirm;           /* codicil.aggregateConfirm */
} loop_ctx;

/* loop_state.c */
cJSON *loop_state_load(store *s);          /* NULL: none (or cd_err set) */
int loop_state_save(store *s, cJSON *st);
int loop_state_alive(const cJSON *st);     /* its process runs, and is not this one */
int loop_set(cJSON *o, const char *key, cJSON *v); /* replace or add; v NULL: -1 */

/* loop_plan.c: the round's principles, units and journal into st.plan */
int loop_plan(loop_ctx *c);

/* loop_phases.c: each phase of a round; 0 done, -1 error; a phase the
 * budget stopped halfway returns 0 with the client stopped */
int loop_generate(loop_ctx *c);
int loop_judge(loop_ctx *c);
int loop_theorize(loop_ctx *c);
int loop_amend(loop_ctx *c);
int loop_accept(loop_ctx *c);

/* A string array of the state (added when absent) and whether it has s. */
cJSON *loop_array(cJSON *st, const char *key);
int loop_has(const cJSON *arr, const char *s);

#endif
