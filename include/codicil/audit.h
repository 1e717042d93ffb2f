/* audit.h — behaviour audits: the model the charter governs (the target)
 * is put to scenarios, a judge panel reads each conversation against the
 * principles it tests, and every violation or unclear result becomes a
 * case of kind behaviour, for a person to decide who is wrong: the model
 * or the charter (`codicil audit`, `codicil triage`).
 *
 * Three models take part, each recorded in the case:
 *   auditor  codicil.model: writes the scenarios (prompts/audit_scenarios)
 *            and, with more than one turn, plays the user, escalating
 *            (prompts/audit_user)
 *   target   codicil.target.* (client_config.h): answers as the model under
 *            audit, with the system prompt of codicil.target.system
 *   judges   codicil.judges (default codicil.judgeModel, else codicil.model),
 *            models of codicil.provider: each judges every principle the
 *            scenario tests (prompts/audit_judge); a judge of the target's
 *            own provider is marked, as it may be lenient with its own
 *
 * Panel: per principle, the verdict most judges give (a tie is unclear),
 * with the mean confidence of those judges times their share of the panel;
 * a panel that does not agree marks the case split, and `codicil appeals`
 * lists it.
 *
 * A behaviour case has the usual fields (scenario: the situation and the
 * user's first message; literal_reading: what the model said; expected:
 * what a compliant reply does; rationale: the judges' reasoning) and:
 *     transcript   [{role: user|assistant, content}]
 *     verdicts     [{principle, verdict complies|violates|unclear,
 *                   confidence, quote, split, judges: [{model, verdict,
 *                   confidence, reasoning, own_provider}]}]
 *     suggestion   {diagnosis model-wrong|charter-wrong|both|neither,
 *                   confidence}: the judges' view of who is wrong
 *     models       {auditor, target, judges: [...]}: {provider, model,
 *                   endpoint_host} each
 *     audit        {key, turns, system_sha256, split}
 *     triage       null, or {decision, by, at, note}
 * Every request goes through the response cache, and a case whose
 * conversation is already in the library (audit.key) is not added again:
 * an audit killed midway is continued by running it again, paying only
 * for what was not answered.
 */
#ifndef CODICIL_AUDIT_H
#define CODICIL_AUDIT_H

#include <cJSON.h>

#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/store.h"

typedef struct audit_env {
	store *s;
	config *cfg;
	llm_client *client;  /* the auditor and the judges */
	llm_client *target;  /* the model under audit */
	void (*progress)(void *ud, const char *line);
	void *ud;
} audit_env;

typedef struct audit_opts {
	const char *const *principles; /* scenarios written for these */
	size_t nprinciples;
	const char *cases;   /* instead: existing cases of this status ("all": any), and
	                        of the principles when some are given */
	int n;               /* scenarios a principle (2), or cases at most (10) */
	int turns;           /* user turns of each conversation (1) */
	int samples;         /* target answers to each scenario (1) */
	const char *theory;  /* a model theory (theorize --behaviour) to test: it
	                        steers the scenarios (principles: its cases', when
	                        none are given) and the cases carry its id */
} audit_opts;

typedef struct audit_result {
	size_t conversations, violations, unclear, complied, splits, errors, repeated;
	char **case_ids;     /* the behaviour cases added */
	size_t ncases;
	char commit[41];     /* "" when none was added */
	int own_provider;    /* a judge shares the target's provider */
} audit_result;

int audit_run(const audit_env *e, const audit_opts *o, audit_result *out);
void audit_result_clear(audit_result *r);

/* The behaviour regression set: cases triaged model-wrong (or both), each
 * conversation's user turns put again to the target (a new version:
 * --target-model) and judged again.  Per case: fixed (no principle it
 * violated is violated now, none newly), still failing, or newly failing
 * (a principle that complied before is violated now). */
enum { AUDIT_FIXED, AUDIT_STILL_FAILING, AUDIT_NEWLY_FAILING, AUDIT_NOT_JUDGED };
typedef struct audit_replay_row {
	char *id;
	int outcome;
	char *detail;        /* "truthful: violates -> complies; ..." */
} audit_replay_row;

typedef struct audit_replay_result {
	audit_replay_row *rows;
	size_t n, fixed, still, newly, errors;
} audit_replay_result;

int audit_replay(const audit_env *e, audit_replay_result *out);
void audit_replay_clear(audit_replay_result *r);
const char *audit_outcome_name(int outcome);

/* Triage: who is wrong in behaviour case id.  The decision, your
 * identity, the time and the note go into the case's triage; the status
 * follows (model-wrong, charter-wrong, both: confirmed; neither:
 * dismissed), and one commit records it ("Triage c-...: charter wrong").
 * A charter-wrong case feeds `codicil amend` as a counterexample does. */
typedef enum triage_decision {
	TRIAGE_MODEL_WRONG, TRIAGE_CHARTER_WRONG, TRIAGE_BOTH, TRIAGE_NEITHER
} triage_decision;
const char *triage_name(triage_decision d); /* "model-wrong", ... */
int triage_commit(store *s, const char *id, triage_decision d, const char *note, char commit[41]);

#endif
