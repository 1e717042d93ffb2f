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
 *   argue  the same two arguments for valid and one for invalid, always.
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
 * Requests that are not structured keep the server's default reply.
 *
 * Sloppy answers, the way real models sometimes answer: env
 * FAKELLM_SLOPPY=PCT gives about PCT% of the answers one mistake, chosen
 * by the request body (a re-ask rolls again, and never draws a mistake
 * that cannot be mended).  A cases reply gets one of
 * the sloppy kinds below on its first case; other replies are wrapped in
 * prose or a code fence.  FAKELLM_INVALID=NAME answers every request
 * with that schema name invalidly (an empty "cases" list; "{}" for the
 * others), so it stays invalid after a re-ask.  FAKELLM_AMEND_NEW_ID sets
 * the new_id of an insert_after (a sentence, say).  The server prints how
 * many answers got which mistake when it stops. */
#ifndef CODICIL_FAKELLM_CODICIL_H
#define CODICIL_FAKELLM_CODICIL_H

#include <stdio.h>

#include <cJSON.h>

#include "codicil/buf.h"
#include "fakellm.h"

enum sloppy {
	SLOPPY_NONE,
	SLOPPY_REPEATED_ID,
	SLOPPY_PROSE,
	SLOPPY_FENCE,
	SLOPPY_ORPHAN_ENTRY,
	SLOPPY_ENUM_CASE,
	SLOPPY_SEVERITY,
	SLOPPY_WRONG_TARGET,
	SLOPPY_MISSING_FIELD,
	SLOPPY_ALWAYS_INVALID,
	SLOPPY_KINDS
};

/* fakellm_sloppy.c: the mistake (if any) for a request, counted. */
enum sloppy fakellm_sloppy_roll(const char *schema_name, const char *body, size_t len);
/* Make the mistake in a cases reply (allowed: the principle ids). */
void fakellm_sloppy_cases(cJSON *root, const cJSON *allowed, enum sloppy k);
/* Prose or a fence around the answer text. */
void fakellm_sloppy_wrap(cd_buf *answer, enum sloppy k);
void fakellm_sloppy_report(FILE *f);

void fakellm_codicil_handler(void *ud, const struct fakellm_request *req,
			     struct fakellm_reply *reply, struct fakellm_fault *fault);

/* Answers written in advance (the demo's, tests/tools/demo-answers.json):
 *
 *   {"generate": {"<principle id>": [reply, ...]},
 *    "amend": [{"cases": [text, ...], "marker": text, "reply": {...},
 *               "consequences": [item, ...], "metacheck": {"checks": [...]}}]}
 *
 * A generate reply is an array of cases as the schema has them, each with
 * its own "arguments_valid" and "arguments_invalid" and "judge" (a judge
 * reply), and "judge_amended" when the amendment changes the verdict;
 * consequence items carry "judge" and "judge_amended" the same way.
 *   cases         a principle's replies in turn (the last again when they
 *                 run out), without the extra keys
 *   argue         the arguments of the case whose scenario the prompt shows
 *   judge         that case's "judge", or "judge_amended" when the
 *                 <charter> block holds an amendment's marker
 *   amend         the entry whose "cases" texts all appear in the prompt
 *   consequences, metacheck   the entry whose title the prompt shows
 * Anything else is answered 500, so that a recording notices what is
 * missing.  The handler's ud is the answers. */
struct fakellm_answers;
struct fakellm_answers *fakellm_answers_load(const char *path);
void fakellm_answers_free(struct fakellm_answers *a);
void fakellm_answers_handler(void *ud, const struct fakellm_request *req,
			     struct fakellm_reply *reply, struct fakellm_fault *fault);

#endif
