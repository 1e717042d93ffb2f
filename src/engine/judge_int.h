/* judge_int.h — private to judge.c and judge_batch.c. */
#ifndef CODICIL_JUDGE_INT_H
#define CODICIL_JUDGE_INT_H

#include "codicil/charter.h"
#include "codicil/judge.h"

/* Ask about one case; its verdict goes to *out and to the cache at path. */
int judge__ask(judge_ctx *j, const charter *ch, const cJSON *c, const char *path,
	       judgment *out, const cJSON *schema);
/* A verdict from a reply object ({verdict, confidence, reasoning}) into
 * out, and into the cache at path. */
void judge__take(const cJSON *v, const char *path, const char *transcript, judgment *out);
/* The case's principle ids, one a line: the prompt's list, and the key
 * that groups cases for a batch of judgments. */
int judge__principle_lines(const cJSON *c, cd_buf *out);

/* The cases (n of them, none cached) asked judge->batch to a request. */
typedef struct judge_item {
	const cJSON *c;
	char *path;
	judgment *out;
} judge_item;
int judge__ask_batches(judge_ctx *j, const charter *ch, judge_item *items, size_t n,
		       const cJSON *single_schema);

#endif
