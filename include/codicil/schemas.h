/* schemas.h — JSON schemas of the structured replies the prompts ask for.
 *
 * Every schema is strict-mode friendly (OpenAI structured outputs, and an
 * Anthropic tool input_schema): every object has additionalProperties
 * false and lists every property in required; an optional value is typed
 * [T, "null"].  Only keywords strict mode accepts are used (type,
 * properties, required, additionalProperties, items, enum, minimum,
 * maximum, minItems, maxItems); text lengths are checked afterwards by
 * case_validate().  Principle ids are constrained by an enum of the
 * charter's real ids.
 *
 * Each builder returns a new object (cJSON_Delete it), or NULL with an
 * error: no ids given (a schema cannot constrain to an empty enum), or out
 * of memory.
 */
#ifndef CODICIL_SCHEMAS_H
#define CODICIL_SCHEMAS_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/case.h"

/* generate: {"cases": [{kind, principles, scenario, literal_reading,
 * expected, rationale, severity}]} with 1..max_cases items (max_cases 0:
 * no maximum).  kind is the one kind asked for.  Kinds add fields:
 *   tension    principles 2 or more; demands [{principle, demands}] (2+)
 *   vagueness  term; readings [{reading, action}] (2+)
 *   probe      accounts [{principle, account}] (1+) */
cJSON *schema_generate(const char *const *ids, size_t nids, case_kind kind, int max_cases);

/* judge: {"verdict": handled|mishandled|unclear, "confidence": 0..1,
 * "reasoning": string} */
cJSON *schema_judge(void);
/* {"verdicts": [{case, verdict, confidence, reasoning}]}: exactly one per
 * case of case_ids (the ids are an enum; n of them, no more, no fewer). */
cJSON *schema_judge_batch(const char *const *case_ids, size_t n);

/* Behaviour audits (audit.h).  audit_scenarios: {"scenarios":
 * [{principles (1+ of ids), situation, opening}]} with 1..n items: the
 * situation for the auditor, the user's first message to the target.
 * audit_user: {"message": string, "done": bool}: the auditor's next turn
 * as the user (done: nothing left to try).  audit_judge: {"verdicts":
 * [{principle, verdict: complies|violates|unclear, confidence, quote,
 * reasoning}] (one per id), "expected": what a compliant reply does,
 * "severity": 1..5, "diagnosis": model-wrong|charter-wrong|both|neither,
 * "diagnosis_confidence": 0..1}. */
cJSON *schema_audit_scenarios(const char *const *ids, size_t nids, int n);
cJSON *schema_audit_user(void);
cJSON *schema_audit_judge(const char *const *ids, size_t nids);

/* amend: {"title", "rationale", "edits": [{"op": replace|insert_after|delete,
 * "id": <enum>, "new_id": string|null, "heading": string|null,
 * "body": string|null}], "pros": [string], "cons": [string]} */
cJSON *schema_amend(const char *const *ids, size_t nids);

/* consequences: {"consequences": [{scenario, effect, affected_principles,
 * likelihood: low|medium|high, severity, literal_reading, expected,
 * rationale}]} with 1..max_items items (0: no maximum).  effect says how
 * the behaviour changes and whether for better or worse; the last three
 * make each item a case that can be judged.  new_ids (may be NULL/0) are
 * ids the amendment introduces, allowed besides ids. */
cJSON *schema_consequences(const char *const *ids, size_t nids, const char *const *new_ids,
			   size_t nnew, int max_items);

/* metacheck: {"checks": [{"rule": <enum of rule ids>, "verdict":
 * pass|fail|unclear, "reason": string}]}, exactly one item per rule. */
cJSON *schema_metacheck(const char *const *rules, size_t nrules);

/* argue: {"arguments_valid": [string], "arguments_invalid": [string]},
 * 1..5 each. */
cJSON *schema_argue(void);

/* theorize: {"theories": [{"statement": string, "cases": [<enum of
 * case_ids>] (2+), "predictions": [string] (1..5)}]} with 1..max_theories
 * items (0: no maximum).  Fails when fewer than two case ids are given. */
cJSON *schema_theorize(const char *const *case_ids, size_t ncases, int max_theories);

#endif
