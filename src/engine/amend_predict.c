/* amend_predict.c — the questions after the draft: its predicted
 * consequences (each also a case that can be judged later) and its
 * verdict under every rule of META.md. */
#include "amend_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/schemas.h"

static size_t item_ids(const cJSON *item, const char **out, size_t max)
{
	const cJSON *it;
	size_t n = 0;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(item, "affected_principles"))
		if (cJSON_IsString(it) && n < max)
			out[n++] = it->valuestring;
	return n;
}

/* The consequence as a case of kind consequence, or NULL when it would
 * not be a valid case (it then stays in the proposal without one). */
static cJSON *consequence_case(const amend_draft *d, const cJSON *item, const amend_answer *a)
{
	const char *ids[64];
	case_fields f = {
		.principles = ids, .nprinciples = item_ids(item, ids, 64),
		.scenario = cd_json_str(item, "scenario"),
		.literal_reading = cd_json_str(item, "literal_reading"),
		.expected = cd_json_str(item, "expected"),
		.rationale = cd_json_str(item, "rationale"),
		.severity = cd_json_int(item, "severity", 0),
		.proposal = proposal_id(d->proposal),
	};
	case_provenance prov = {
		.provider = llm_client_provider(d->env->client),
		.model = llm_client_model(d->env->client),
		.endpoint_host = a->endpoint_host[0] ? a->endpoint_host : NULL,
		.prompt_name = d->pr_consequences.name, .prompt_sha256 = d->pr_consequences.sha256,
		.request_sha256 = a->request_sha256, .response_sha256 = a->response_sha256,
		.constitution_commit = d->base, .input_tokens = a->input_tokens,
		.output_tokens = a->output_tokens, .latency_ms = a->latency_ms,
	};
	cJSON *c = case_new(CASE_CONSEQUENCE, &f, &prov);
	cd_buf problems = CD_BUF_INIT;

	if (c && case_validate(c, d->allowed, d->nallowed, &problems) < 0) {
		cd_err_clear();
		cJSON_Delete(c);
		c = NULL;
	}
	cd_buf_clear(&problems);
	return c;
}

static cJSON *copy_field(cJSON *to, const cJSON *from, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);

	cJSON_AddItemToObject(to, key, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
	return to;
}

static int add_consequence(amend_draft *d, cJSON *list, const cJSON *item, const amend_answer *a)
{
	static const char *const keys[] = { "scenario", "effect", "affected_principles",
					    "likelihood", "severity" };
	cJSON *o = cJSON_CreateObject(), *c = consequence_case(d, item, a);

	for (size_t k = 0; o && k < sizeof keys / sizeof *keys; k++)
		copy_field(o, item, keys[k]);
	if (!o || !cJSON_AddItemToObject(o, "case", c ? cJSON_CreateString(case_id(c))
						       : cJSON_CreateNull()) ||
	    !cJSON_AddItemToArray(list, o)) {
		cJSON_Delete(o);
		cJSON_Delete(c);
		cd_err_set("out of memory");
		return -1;
	}
	if (c)
		d->consequences[d->nconsequences++] = c;
	return 0;
}

int amend__ask_consequences(amend_draft *d, int n)
{
	cJSON *schema = schema_consequences(d->ids, d->nids, d->allowed + d->nids,
					    d->nallowed - d->nids, n);
	cJSON *list = cJSON_GetObjectItemCaseSensitive(d->proposal, "consequences");
	const cJSON *items, *it;
	cd_buf block = CD_BUF_INIT, text = CD_BUF_INIT;
	amend_answer a = { 0 };
	char num[16];
	int rc = -1;

	snprintf(num, sizeof num, "%d", n);
	amend__proposal_block(d->proposal, &block);
	if (amend__excerpt(d, 1, &text) < 0)
		goto out;
	{
		const prompt_var vars[] = {
			{ "charter", cd_buf_cstr(&text) }, { "proposal", block.data }, { "n", num },
		};
		if (!schema || amend__ask(d->env->client, &d->pr_consequences, vars, 3,
					  "consequences", schema, NULL, "predicting consequences",
					  d->about.data, &a) < 0)
			goto out;
	}
	items = cJSON_GetObjectItemCaseSensitive(a.json, "consequences");
	d->consequences = calloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *d->consequences);
	if (!d->consequences || !cJSON_IsArray(list)) {
		cd_err_set("out of memory");
		goto out;
	}
	cJSON_ArrayForEach(it, items)
		if (add_consequence(d, list, it, &a) < 0)
			goto out;
	if (a.transcript[0] && proposal_add_transcript(d->proposal, a.transcript) < 0)
		goto out;
	rc = 0;
out:
	amend__answer_clear(&a);
	cJSON_Delete(schema);
	cd_buf_clear(&block);
	cd_buf_clear(&text);
	return rc;
}

/* The reply's entry for a rule: its first, if any. */
static const cJSON *check_for(const cJSON *checks, const char *rule)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, checks) {
		const char *r = cd_json_str(it, "rule");
		if (r && !strcmp(r, rule))
			return it;
	}
	return NULL;
}

/* One entry per rule, in META.md's order, whatever order the reply has. */
static int meta_entries(amend_draft *d, const cJSON *checks)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(d->proposal, "meta_check");

	for (size_t i = 0; i < d->nrules; i++) {
		const cJSON *c = check_for(checks, d->rules[i]);
		const char *v = c ? cd_json_str(c, "verdict") : NULL;
		const char *reason = c ? cd_json_str(c, "reason") : NULL;
		cJSON *o = cJSON_CreateObject();

		if (!v || !reason || !*reason) {
			v = "unclear";
			reason = "the model gave no verdict on this rule";
		}
		if (!o || !cJSON_AddStringToObject(o, "rule", d->rules[i]) ||
		    !cJSON_AddStringToObject(o, "verdict", v) ||
		    !cJSON_AddStringToObject(o, "reason", reason) || !cJSON_AddItemToArray(list, o)) {
			cJSON_Delete(o);
			cd_err_set("out of memory");
			return -1;
		}
	}
	return 0;
}

static void rules_block(const amend_draft *d, cd_buf *out)
{
	for (size_t i = 0; i < d->nrules; i++) {
		const principle *p = charter_find(d->meta, d->rules[i]);
		cd_buf_printf(out, "%s: %s\n", d->rules[i], p ? p->title : "");
	}
}

static int rule_checked(const cJSON *checks, const cJSON *upto, const char *rule)
{
	const cJSON *q;

	cJSON_ArrayForEach(q, checks) {
		if (q == upto)
			break;
		if (cd_json_str(q, "rule") && !strcmp(cd_json_str(q, "rule"), rule))
			return 1;
	}
	return 0;
}

/* A rule checked twice: the first verdict counts.  A rule not checked:
 * "unclear", and the repair says the model gave no verdict on it. */
static void metacheck_repair(void *ud, cJSON *reply, cd_buf *notes)
{
	const amend_draft *d = ud;
	cJSON *checks = cJSON_GetObjectItemCaseSensitive(reply, "checks"), *c, *next;
	int i = 0;

	if (!cJSON_IsArray(checks))
		return;
	for (c = checks->child; c; c = next, i++) {
		const char *rule = cd_json_str(c, "rule");

		next = c->next;
		if (rule && rule_checked(checks, c, rule)) {
			cd_buf_printf(notes, "$.checks[%d]: dropped a second verdict on rule '%.60s'\n",
				      i, rule);
			cJSON_Delete(cJSON_DetachItemViaPointer(checks, c));
		}
	}
	for (size_t r = 0; r < d->nrules; r++) {
		if (rule_checked(checks, NULL, d->rules[r]))
			continue;
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "rule", d->rules[r]);
		cJSON_AddStringToObject(c, "verdict", "unclear");
		cJSON_AddStringToObject(c, "reason", "the model gave no verdict on this rule");
		cJSON_AddItemToArray(checks, c);
		cd_buf_printf(notes, "$.checks: no verdict on rule '%s'; recorded as unclear\n",
			      d->rules[r]);
	}
}

int amend__ask_metacheck(amend_draft *d)
{
	llm_check check = { metacheck_repair, NULL, d };
	cJSON *schema;
	cd_buf block = CD_BUF_INIT, rules = CD_BUF_INIT, text = CD_BUF_INIT;
	amend_answer a = { 0 };
	int rc = -1;

	if (!d->nrules)
		return 0;
	schema = schema_metacheck(d->rules, d->nrules);
	amend__proposal_block(d->proposal, &block);
	rules_block(d, &rules);
	if (amend__excerpt(d, 1, &text) < 0)
		goto out;
	{
		const prompt_var vars[] = {
			{ "meta", d->meta_text }, { "rules", rules.data },
			{ "charter", cd_buf_cstr(&text) }, { "proposal", block.data },
		};
		if (!schema || amend__ask(d->env->client, &d->pr_metacheck, vars, 4, "metacheck",
					  schema, &check, "checking against META.md", d->about.data, &a) < 0)
			goto out;
	}
	if (meta_entries(d, cJSON_GetObjectItemCaseSensitive(a.json, "checks")) < 0 ||
	    amend__note_repairs(d->proposal, "metacheck", &a) < 0)
		goto out;
	if (a.transcript[0] && proposal_add_transcript(d->proposal, a.transcript) < 0)
		goto out;
	rc = 0;
out:
	amend__answer_clear(&a);
	cJSON_Delete(schema);
	cd_buf_clear(&block);
	cd_buf_clear(&text);
	cd_buf_clear(&rules);
	return rc;
}
