/* theory.h — failure theories: explicit hypotheses of where the
 * constitution fails, with the cases behind them (theories/<id>.json).
 *
 * Known keys, in this order (unknown keys follow and survive a round trip):
 *     id           "t-01jd3k5w9r7qz4x2mb"
 *     statement    the hypothesis, one or two sentences (10..1000 characters)
 *     cases        ["c-...", ...]  the supporting cases (2 or more)
 *     predictions  ["...", ...]    new situations where the theory predicts
 *                                  failures (1 or more), used to steer
 *                                  `codicil generate --theory`
 *     hits         {generated, rated, confirmed}: cases generated under the
 *                  theory, how many of them have ratings, and how many the
 *                  raters confirmed (consensus valid, or status confirmed
 *                  or resolved)
 *     status       active | retired
 *     retired      null, or {reason, at}
 *     provenance   as a case's (provider, model, prompt, ..., created)
 */
#ifndef CODICIL_THEORY_H
#define CODICIL_THEORY_H

#include <cJSON.h>

#include "codicil/buf.h"
#include "codicil/case.h"

#define THEORY_STATEMENT_MIN 10
#define THEORY_STATEMENT_MAX 1000

/* A new active theory with hits all 0; prov NULL: written by hand.  NULL
 * on out of memory.  Not validated: call theory_validate(). */
cJSON *theory_new(const char *statement, const char *const *cases, size_t ncases,
		  const char *const *predictions, size_t npredictions,
		  const case_provenance *prov);

/* Every problem appended to err as a line naming the field; -1 (and
 * cd_err_set with the first, prefixed with the id) when there is one. */
int theory_validate(const cJSON *t, cd_buf *err);
void theory_normalize(cJSON *t);

const char *theory_id(const cJSON *t);
int theory_is_active(const cJSON *t);
/* Set hits; keeps the object's key order. */
int theory_set_hits(cJSON *t, long generated, long rated, long confirmed);
/* status retired, retired {reason, at now}. */
int theory_retire(cJSON *t, const char *reason);
/* confirmed / rated, or -1 when nothing is rated yet. */
double theory_hit_rate(const cJSON *t);

/* The steering text for generation: the statement and the predictions. */
int theory_steer(const cJSON *t, cd_buf *out);

/* Every theories/<id>.json of a directory (a missing one is empty);
 * the layout and loader of case_library: its cases[] are the theories. */
typedef case_library theory_library;
int theory_library_load(const char *dir, theory_library *out);
#define theory_library_clear case_library_clear
/* By id or unique prefix ("01jd" is read as "t-01jd"); NULL with an error. */
cJSON *theory_library_find(const theory_library *lib, const char *id);

#endif
