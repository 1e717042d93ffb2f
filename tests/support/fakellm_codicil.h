/* fakellm_codicil.h — a fake model that answers codicil's own structured
 * requests with plausible, distinct replies, by schema name:
 *
 *   cases  N cases of the asked kind on the targeted principle (the first
 *          {#id} of the <target_principles> block, else the first id the
 *          schema allows); every request gets different scenarios.
 *          A non-empty <steering> block is echoed (its first line) at the
 *          end of each rationale ("Steered by: ...").
 *          Tension, vagueness and probe schemas get their extra fields
 *          (demands, term and readings, accounts) filled in.
 *   theories  one or two failure theories over the case ids the schema
 *          allows, each with two predictions; statements differ per
 *          request.
 *   judge  a verdict: "mishandled" when the <charter> block lacks the word
 *          in env FAKELLM_JUDGE_FIXED_BY (default "exception"), else
 *          "handled" — so an amendment that adds the word fixes cases.
 *   amend  one edit of the first principle of the first case in the
 *          <cases> block (env FAKELLM_AMEND_ID overrides it): a replace
 *          whose body is the principle's body plus a sentence with the
 *          word "exception"; env FAKELLM_AMEND_OP insert_after or delete
 *          changes the op, FAKELLM_AMEND_BODY the whole body.
 *   consequences  two consequences on the principle of the first edit in
 *          the <proposal> block (else the first id the schema allows).
 *   metacheck  one "pass" per rule the schema names; "fail" for the rule
 *          in env FAKELLM_META_FAIL.
 *   other  the default reply.
 *
 * Requests that are not structured keep the server's default reply. */
#ifndef CODICIL_FAKELLM_CODICIL_H
#define CODICIL_FAKELLM_CODICIL_H

#include "fakellm.h"

void fakellm_codicil_handler(void *ud, const struct fakellm_request *req,
			     struct fakellm_reply *reply, struct fakellm_fault *fault);

#endif
