/* argue.h — the arguments for and against a case, for the person rating it.
 *
 * Before a considered verdict the rater reads the strongest arguments on
 * both sides (prompts/argue.txt, schema_argue()).  The request shows the
 * model the charter as committed at HEAD and the case's content only —
 * kind, principles, severity, scenario, literal reading, expected outcome,
 * rationale — never its id, status, ratings or provenance, so the same case
 * under the same charter is the same request (and a cassette answers it).
 */
#ifndef CODICIL_ARGUE_H
#define CODICIL_ARGUE_H

#include <cJSON.h>

#include "codicil/config.h"
#include "codicil/llm.h"
#include "codicil/prompt.h"
#include "codicil/store.h"

typedef struct argue_request {
	llm_request req;  /* submit this (llm_client_submit copies it) */
	llm_message msg[2];
	cd_buf user;
	cd_buf about;     /* the case's principles (cost report) */
	cJSON *schema;
	prompt prompt;    /* its sha256 names the template in provenance */
} argue_request;

/* The case's content as the prompt shows it. */
int argue_case_text(const cJSON *c, cd_buf *out);

/* The request for case c under the charter at HEAD (codicil.charter). */
int argue_build(store *s, config *cfg, const cJSON *c, argue_request *out);
void argue_request_clear(argue_request *r);

typedef struct argue_result {
	char **valid, **invalid; /* the arguments, as the model wrote them */
	size_t nvalid, ninvalid;
} argue_result;

/* The arguments of a successful reply; -1 with an error when it has none. */
int argue_parse(const llm_response *resp, argue_result *out);
void argue_result_clear(argue_result *r);

/* Are the arguments worth the rater's time on this case?  With
 * codicil.argueAbove set, the flip predictor of aggregate.h (fitted on the
 * library's considered ratings) estimates P(reading them changes rater's
 * verdict on c); at or below the setting the arguments are skipped and
 * offered on request.  Unset, or when the predictor has too little to
 * learn from, they are always shown (and the library is not read). */
typedef struct argue_advice {
	int show;         /* 1: arguments before the verdict */
	double p_flip;    /* NAN: no prediction */
	double threshold; /* codicil.argueAbove; -1: unset */
} argue_advice;

int argue_advise(store *s, config *cfg, const cJSON *c, const char *rater, argue_advice *out);

#endif
