/* judge.c — judgments of cases under a charter text, cached on disk. */
#include "judge_int.h"
#include "codicil/workflow.h"
#include "codicil/workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/hash.h"
#include "codicil/json.h"
#include "codicil/schemas.h"

static const char *const verdict_names[] = { "handled", "mishandled", "unclear", "error" };

const char *verdict_name(verdict v)
{
	return v <= VERDICT_ERROR ? verdict_names[v] : "error";
}

static verdict verdict_parse(const char *s)
{
	for (int v = VERDICT_HANDLED; v < VERDICT_ERROR; v++)
		if (s && !strcmp(s, verdict_names[v]))
			return (verdict)v;
	return VERDICT_ERROR;
}

void judgment_clear(judgment *j)
{
	free(j->reasoning);
	free(j->error);
	memset(j, 0, sizeof *j);
}

int judge_open(store *s, config *cfg, llm_client *client, judge_ctx *j)
{
	long batch;

	memset(j, 0, sizeof *j);
	j->store = s;
	j->cfg = cfg;
	j->client = client;
	j->model = config_get(cfg, "codicil.judgeModel");
	if (!j->model || !*j->model)
		j->model = llm_client_model(client);
	if (workspace_max_charter_bytes(cfg, &j->max_charter_bytes) < 0 ||
	    config_get_setting_long(cfg, "codicil.judgeBatch", &batch) < 0)
		return -1;
	j->batch = (size_t)batch;
	if (j->batch > 1 && prompt_load(store_workdir(s), "judge_batch", &j->batch_prompt) < 0)
		return -1;
	return prompt_load(store_workdir(s), "judge", &j->prompt);
}

void judge_close(judge_ctx *j)
{
	if (j->prompt.name)
		prompt_clear(&j->prompt);
	if (j->batch_prompt.name)
		prompt_clear(&j->batch_prompt);
	memset(j, 0, sizeof *j);
}

/* The parts of a case that a judgment depends on: not its status or ratings. */
static void case_content_hash(const cJSON *c, char out[CD_SHA256_HEX])
{
	cd_sha256 *h = cd_sha256_new();
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
		cd_sha256_part_str(h, cJSON_IsString(p) ? p->valuestring : "");
	cd_sha256_part_str(h, cd_json_str(c, "scenario"));
	cd_sha256_part_str(h, cd_json_str(c, "expected"));
	cd_sha256_finish(h, out);
}

static void judgment_path(judge_ctx *j, const cJSON *c, const char *blob, cd_buf *out)
{
	char content[CD_SHA256_HEX], key[CD_SHA256_HEX], name[80];
	cd_sha256 *h = cd_sha256_new();

	case_content_hash(c, content);
	cd_sha256_part_str(h, content);
	cd_sha256_part_str(h, blob);
	cd_sha256_part_str(h, j->model);
	cd_sha256_part_str(h, j->batch > 1 ? j->batch_prompt.sha256 : j->prompt.sha256);
	cd_sha256_finish(h, key);
	snprintf(name, sizeof name, "judgments/%.2s/%s.json", key, key + 2);
	store_local_path(j->store, name, out);
}

static int load_cached(const char *path, judgment *out)
{
	cJSON *c;

	if (!cd_file_exists(path) || !(c = cd_json_read_file(path)))
		return 0;
	out->verdict = verdict_parse(cd_json_str(c, "verdict"));
	out->confidence = cd_json_num(c, "confidence", 0);
	out->reasoning = strdup(cd_json_str(c, "reasoning") ? cd_json_str(c, "reasoning") : "");
	out->cached = 1;
	cJSON_Delete(c);
	return out->verdict != VERDICT_ERROR;
}

typedef struct pending {
	judge_ctx *j;
	judgment *out;
	char *path;
} pending;

static void on_judged(void *ud, const llm_call *call, llm_response *resp)
{
	pending *p = ud;
	const cJSON *v = resp->json;

	if (resp->status != LLM_OK) {
		p->out->verdict = VERDICT_ERROR;
		p->out->error = strdup(resp->error ? resp->error : llm_status_name(resp->status));
	} else {
		judge__take(v, p->path, call->transcript, p->out);
	}
	free(p->path);
	free(p);
}

void judge__take(const cJSON *v, const char *path, const char *transcript, judgment *out)
{
	cJSON *kept;

	out->verdict = verdict_parse(cd_json_str(v, "verdict"));
	out->confidence = cd_json_num(v, "confidence", 0);
	out->reasoning = strdup(cd_json_str(v, "reasoning") ? cd_json_str(v, "reasoning") : "");
	snprintf(out->transcript, sizeof out->transcript, "%s", transcript);
	if (out->verdict == VERDICT_ERROR) {
		out->error = strdup("the judge gave no verdict");
		return;
	}
	/* the cache keeps the verdict, not the case id of a batched answer */
	if ((kept = cJSON_CreateObject())) {
		cJSON_AddStringToObject(kept, "verdict", verdict_name(out->verdict));
		cJSON_AddNumberToObject(kept, "confidence", out->confidence);
		cJSON_AddStringToObject(kept, "reasoning", out->reasoning ? out->reasoning : "");
		cd_json_write_file(path, kept);
		cJSON_Delete(kept);
	}
}

int judge__principle_lines(const cJSON *c, cd_buf *out)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
		if (cJSON_IsString(p))
			cd_buf_printf(out, "%s\n", p->valuestring);
	return cd_buf_puts(out, "");
}

int judge__ask(judge_ctx *j, const charter *ch, const cJSON *c, const char *path,
	       judgment *out, const cJSON *schema)
{
	cd_buf user = CD_BUF_INIT, principles = CD_BUF_INIT, text = CD_BUF_INIT, about = CD_BUF_INIT;
	llm_message msg[2] = { { "system", "You judge AI constitutions. Reply with JSON only." },
			       { "user", NULL } };
	llm_request req = { 0 };
	pending *p;
	int rc;

	if (workspace_case_excerpt(ch, c, j->max_charter_bytes, &text) < 0)
		return -1;
	judge__principle_lines(c, &principles);
	{
		const prompt_var vars[] = {
			{ "charter", cd_buf_cstr(&text) },
			{ "principles", principles.data },
			{ "scenario", cd_json_str(c, "scenario") ? cd_json_str(c, "scenario") : "" },
			{ "expected", cd_json_str(c, "expected") ? cd_json_str(c, "expected") : "" },
		};
		rc = prompt_render(&j->prompt, vars, 4, &user);
	}
	cd_buf_clear(&principles);
	cd_buf_clear(&text);
	if (rc < 0 || !(p = calloc(1, sizeof *p))) {
		cd_buf_clear(&user);
		return -1;
	}
	p->j = j;
	p->out = out;
	p->path = strdup(path);
	msg[1].content = user.data;
	req = (llm_request){ .model = j->model, .messages = msg, .nmessages = 2,
			     .schema_name = "judge", .schema = schema, .temperature = 0 };
	case_about_add(&about, c);
	req.about = about.data;
	/* the whole charter is the same in every judgment: worth caching */
	if (ch->len <= j->max_charter_bytes)
		req.stable_len = prompt_stable_len(user.data);
	rc = llm_client_submit(j->client, &req, on_judged, p, NULL);
	cd_buf_clear(&user);
	cd_buf_clear(&about);
	if (rc < 0) {
		free(p->path);
		free(p);
		return -1;
	}
	j->calls++;
	return 0;
}

int judge_cases(judge_ctx *j, const char *charter_text, size_t len, cJSON *const *cases,
		size_t n, judgment *out)
{
	cJSON *schema = schema_judge();
	char blob[41];
	charter *ch = NULL;
	judge_item *items = NULL;
	size_t nitems = 0;
	int rc = 0;

	if (!schema || charter_parse("charter", charter_text, len, &ch) < 0) {
		cJSON_Delete(schema);
		if (!*cd_err_msg())
			cd_err_set("out of memory");
		return -1;
	}
	store_hash_blob(charter_text, len, blob);
	items = calloc(n + 1, sizeof *items);
	if (!items) {
		cd_err_set("out of memory");
		rc = -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		cd_buf path = CD_BUF_INIT;

		memset(&out[i], 0, sizeof out[i]);
		judgment_path(j, cases[i], blob, &path);
		if (load_cached(path.data, &out[i])) {
			cd_buf_clear(&path);
			continue;
		}
		judgment_clear(&out[i]);
		if (j->batch > 1) {
			items[nitems++] = (judge_item){ cases[i], cd_buf_detach(&path), &out[i] };
			continue;
		}
		rc = judge__ask(j, ch, cases[i], path.data, &out[i], schema);
		cd_buf_clear(&path);
	}
	if (rc == 0 && nitems)
		rc = judge__ask_batches(j, ch, items, nitems, schema);
	if (rc == 0)
		rc = workflow_run_client(j->client);
	for (size_t i = 0; i < nitems; i++)
		free(items[i].path);
	free(items);
	cJSON_Delete(schema);
	charter_free(ch);
	return rc;
}
