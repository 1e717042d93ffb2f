/* audit_int.h — between the files of the behaviour audit (audit.h). */
#ifndef CODICIL_AUDIT_INT_H
#define CODICIL_AUDIT_INT_H

#include "codicil/audit.h"

#include "codicil/charter.h"
#include "codicil/prompt.h"

/* One conversation with the target. */
typedef struct convo {
	cJSON *principles;     /* ids (strings) */
	char *situation;
	cJSON *transcript;     /* [{role, content}] */
	unsigned sample;
	int done;              /* the auditor has nothing left to try */
	char *error;           /* set: the conversation failed, no case */
	cJSON **judged;        /* per judge: its parsed answer, or NULL */
	char **judge_error;
	cJSON *target_call;    /* {provider, model, endpoint_host} of its answers */
} convo;

typedef struct audit_ctx {
	const audit_env *e;
	charter *ch;
	size_t max_charter_bytes;
	prompt p_scenarios, p_user, p_judge;
	const char *system;    /* the target's system prompt, or NULL */
	cd_buf system_text;
	const char **judges;   /* model names */
	size_t njudges;
	convo *cv;
	size_t n, cap;
	cJSON *auditor_call;   /* {provider, model, endpoint_host} */
	char *theory;          /* the theory under test, or NULL */
	cd_buf steer;          /* its steering text */
	cJSON *judge_calls;    /* [{provider, model, endpoint_host, own_provider}] */
} audit_ctx;

int audit__open(audit_ctx *a, const audit_env *e);
void audit__close(audit_ctx *a);
convo *audit__add(audit_ctx *a, const cJSON *principles, const char *situation,
		  const char *opening, unsigned sample);

/* audit_talk.c */
int audit__scenarios(audit_ctx *a, const audit_opts *o);
/* Turn number turn (1-based) of every live conversation. */
int audit__turn(audit_ctx *a, int turn);
/* Put recorded user turns to the target again (replay): the transcript's
 * assistant messages are replaced. */
int audit__replay_turns(audit_ctx *a);
/* "[user] ...\n[model] ...\n" */
void audit__conversation_text(const cJSON *transcript, cd_buf *out);
cJSON *audit__call_json(const llm_call *call);

/* audit_judge.c: every conversation by every judge, then the panel */
int audit__judge(audit_ctx *a);
/* {verdicts, suggestion, split, expected, severity, rationale} from the
 * panel's answers for c; NULL when no judge answered. */
cJSON *audit__panel(const audit_ctx *a, const convo *c);

#endif
