/* judge_batch.c — several cases to a judge request (codicil.judgeBatch):
 * the cases citing the same principles go together, so they share the
 * charter excerpt and the instructions; the answer must give one verdict
 * per case id, and a case it leaves out is asked again on its own. */
#include "judge_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/prompt.h"
#include "codicil/schemas.h"
#include "codicil/workspace.h"

/* One request of the batch: its items, until its callback has run. */
typedef struct chunk {
	judge_ctx *j;
	const charter *ch;
	const cJSON *single_schema;
	judge_item *items;
	size_t n;
	const char **ids;
	llm_check check;
	cd_buf about;
} chunk;

static void chunk_free(chunk *k)
{
	free(k->ids);
	cd_buf_clear(&k->about);
	free(k);
}

static int by_principles(const void *a, const void *b)
{
	const judge_item *x = a, *y = b;
	cd_buf kx = CD_BUF_INIT, ky = CD_BUF_INIT;
	int c;

	judge__principle_lines(x->c, &kx); /* the cases of one group go together */
	judge__principle_lines(y->c, &ky);
	c = strcmp(cd_buf_cstr(&kx), cd_buf_cstr(&ky));
	cd_buf_clear(&kx);
	cd_buf_clear(&ky);
	return c ? c : strcmp(case_id(x->c), case_id(y->c));
}

/* Each case id exactly once (the schema asks for it; this says which). */
static int one_verdict_each(void *ud, const cJSON *reply, cd_buf *errors)
{
	const chunk *k = ud;
	const cJSON *verdicts = cJSON_GetObjectItemCaseSensitive(reply, "verdicts"), *v;
	int bad = 0;

	for (size_t i = 0; i < k->n; i++) {
		size_t seen = 0;
		cJSON_ArrayForEach(v, verdicts) {
			const char *id = cd_json_str(v, "case");
			seen += id && !strcmp(id, k->ids[i]);
		}
		if (seen != 1) {
			cd_buf_printf(errors, "case %s: %s\n", k->ids[i],
				      seen ? "judged more than once" : "no verdict");
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/* The one well-formed verdict for case id in an answer, or NULL.  An
 * answer that stayed invalid (a case left out or judged twice) was paid
 * for: its well-formed verdicts are used, the rest asked again. */
static const cJSON *verdict_for(const llm_response *resp, const cJSON *reply, const char *id)
{
	static const char *const ok[] = { "handled", "mishandled", "unclear" };
	const cJSON *v, *mine = NULL;
	size_t seen = 0;

	if (resp->status != LLM_OK && resp->status != LLM_ERR_INVALID)
		return NULL;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(reply, "verdicts")) {
		const char *word = cd_json_str(v, "verdict");
		int known = 0;

		if (!cd_json_str(v, "case") || strcmp(cd_json_str(v, "case"), id))
			continue;
		seen++;
		for (size_t i = 0; word && i < 3; i++)
			known |= !strcmp(word, ok[i]);
		if (known && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(v, "confidence")))
			mine = v;
	}
	return seen == 1 ? mine : NULL;
}

/* Each verdict to its case; a case without one is asked on its own. */
static void on_batch_judged(void *ud, const llm_call *call, llm_response *resp)
{
	chunk *k = ud;
	/* an invalid answer keeps its text, not its parsed JSON */
	cJSON *kept = !resp->json && resp->status == LLM_ERR_INVALID && resp->text ?
		      cJSON_Parse(resp->text) : NULL;
	const cJSON *reply = resp->json ? resp->json : kept;

	for (size_t i = 0; i < k->n; i++) {
		const cJSON *mine = verdict_for(resp, reply, k->ids[i]);

		if (mine) {
			judge__take(mine, k->items[i].path, call->transcript, k->items[i].out);
		} else if (resp->status == LLM_ERR_NOT_SENT || resp->status == LLM_ERR_CANCELLED) {
			k->items[i].out->verdict = VERDICT_ERROR;
			k->items[i].out->error = strdup(resp->error ? resp->error : "not sent");
		} else if (judge__ask(k->j, k->ch, k->items[i].c, k->items[i].path,
				      k->items[i].out, k->single_schema) < 0) {
			k->items[i].out->verdict = VERDICT_ERROR;
			k->items[i].out->error = strdup(cd_err_msg());
		}
	}
	cJSON_Delete(kept);
	chunk_free(k);
}

static int cases_block(const judge_item *items, size_t n, cd_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		const cJSON *c = items[i].c, *p;
		const char *sep = "";

		cd_buf_printf(out, "%s=== case %s ===\nprinciples: ", i ? "\n" : "", case_id(c));
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
			if (cJSON_IsString(p)) {
				cd_buf_printf(out, "%s%s", sep, p->valuestring);
				sep = ", ";
			}
		cd_buf_printf(out, "\nscenario: %s\nexpected: %s\n",
			      cd_json_str(c, "scenario") ? cd_json_str(c, "scenario") : "",
			      cd_json_str(c, "expected") ? cd_json_str(c, "expected") : "");
	}
	return cd_buf_puts(out, "");
}

static int ask_chunk(judge_ctx *j, const charter *ch, judge_item *items, size_t n,
		     const cJSON *single_schema)
{
	llm_message msg[2] = { { "system", "You judge AI constitutions. Reply with JSON only." },
			       { "user", NULL } };
	const cJSON **cases = calloc(n, sizeof *cases);
	cd_buf text = CD_BUF_INIT, block = CD_BUF_INIT, user = CD_BUF_INIT;
	chunk *k = calloc(1, sizeof *k);
	llm_request req = { 0 };
	cJSON *schema = NULL;
	int rc = -1;

	if (!cases || !k || !(k->ids = calloc(n, sizeof *k->ids)))
		goto out;
	*k = (chunk){ .j = j, .ch = ch, .single_schema = single_schema, .items = items, .n = n,
		      .ids = k->ids };
	for (size_t i = 0; i < n; i++) {
		cases[i] = items[i].c;
		k->ids[i] = case_id(items[i].c);
	}
	if (workspace_cases_excerpt(ch, cases, n, j->max_charter_bytes, &text) < 0 ||
	    cases_block(items, n, &block) < 0 || !(schema = schema_judge_batch(k->ids, n)))
		goto out;
	{
		const prompt_var vars[] = { { "charter", cd_buf_cstr(&text) },
					    { "cases", block.data } };
		if (prompt_render(&j->batch_prompt, vars, 2, &user) < 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++)
		case_about_add(&k->about, items[i].c);
	k->check = (llm_check){ .validate = one_verdict_each, .ud = k };
	msg[1].content = user.data;
	req = (llm_request){ .model = j->model, .messages = msg, .nmessages = 2,
			     .schema_name = "judge_batch", .schema = schema, .temperature = 0,
			     .check = &k->check, .about = k->about.data };
	req.max_tokens = (int)(512 * n < 16384 ? 512 * n : 16384);
	if (ch->len <= j->max_charter_bytes)
		req.stable_len = prompt_stable_len(user.data);
	if (llm_client_submit(j->client, &req, on_batch_judged, k, NULL) == 0) {
		k = NULL; /* the callback frees it */
		j->calls++;
		rc = 0;
	}
out:
	if (rc < 0 && !*cd_err_msg())
		cd_err_set("out of memory");
	if (k)
		chunk_free(k);
	free(cases);
	cJSON_Delete(schema);
	cd_buf_clear(&text);
	cd_buf_clear(&block);
	cd_buf_clear(&user);
	return rc;
}

int judge__ask_batches(judge_ctx *j, const charter *ch, judge_item *items, size_t n,
		       const cJSON *single_schema)
{
	qsort(items, n, sizeof *items, by_principles);
	for (size_t at = 0; at < n; at += j->batch) {
		size_t m = n - at < j->batch ? n - at : j->batch;
		if (m == 1) {
			if (judge__ask(j, ch, items[at].c, items[at].path, items[at].out,
				       single_schema) < 0)
				return -1;
		} else if (ask_chunk(j, ch, items + at, m, single_schema) < 0) {
			return -1;
		}
	}
	return 0;
}
