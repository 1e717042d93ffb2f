/* fakellm_codicil.h — a fake model that answers codicil's own structured
 * requests with plausible, distinct replies, by schema name:
 *
 *   cases  N cases of the asked kind on the targeted principle (the first
 *          {#id} of the <target_principles> block, else the first id the
 *          schema allows); every request gets different scenarios.
 *   judge  a verdict: "mishandled" when the <charter> block lacks the word
 *          in env FAKELLM_JUDGE_FIXED_BY (default "exception"), else
 *          "handled" — so an amendment that adds the word fixes cases.
 *   argue  the same two arguments for valid and one for invalid, always.
 *   other  the first valid shape it knows, or the default reply.
 *
 * Requests that are not structured keep the server's default reply. */
#ifndef CODICIL_FAKELLM_CODICIL_H
#define CODICIL_FAKELLM_CODICIL_H

#include "fakellm.h"

void fakellm_codicil_handler(void *ud, const struct fakellm_request *req,
			     struct fakellm_reply *reply, struct fakellm_fault *fault);

/* Answers written in advance (the demo's, tests/tools/demo-answers.json):
 * a JSON object {"<principle id>": [reply, ...]} where a reply is an array
 * of cases as the generate schema has them, each with its own
 * "arguments_valid" and "arguments_invalid".  A "cases" request for a
 * principle gets its replies in turn (the last again when they run out),
 * without the arguments; an "argue" request gets the arguments of the case
 * whose scenario its prompt shows.  Anything else is answered 500, so that
 * a recording notices what is missing.  The handler's ud is the answers. */
struct fakellm_answers;
struct fakellm_answers *fakellm_answers_load(const char *path);
void fakellm_answers_free(struct fakellm_answers *a);
void fakellm_answers_handler(void *ud, const struct fakellm_request *req,
			     struct fakellm_reply *reply, struct fakellm_fault *fault);

#endif
