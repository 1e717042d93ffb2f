/* argue.c — asking for the arguments on both sides of a case. */
#include "codicil/argue.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/schemas.h"
#include "codicil/workspace.h"

static void field(cd_buf *out, const char *title, const char *text)
{
	cd_buf_printf(out, "\n%s:\n%s\n", title, text ? text : "");
}

int argue_case_text(const cJSON *c, cd_buf *out)
{
	const cJSON *p;
	const char *sep = "";

	cd_buf_printf(out, "kind: %s\nprinciples: ", cd_json_str(c, "kind") ? cd_json_str(c, "kind") : "");
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles")) {
		if (cJSON_IsString(p))
			cd_buf_printf(out, "%s%s", sep, p->valuestring);
		sep = ", ";
	}
	cd_buf_printf(out, "\nseverity: %d (1 minor .. 5 serious)\n", cd_json_int(c, "severity", 0));
	field(out, "scenario", cd_json_str(c, "scenario"));
	field(out, "literal reading (what the text as written demands)", cd_json_str(c, "literal_reading"));
	field(out, "expected (what a good outcome would be)", cd_json_str(c, "expected"));
	return cd_buf_printf(out, "\nrationale (why the literal reading is wrong):\n%s",
			     cd_json_str(c, "rationale") ? cd_json_str(c, "rationale") : "");
}

int argue_build(store *s, config *cfg, const cJSON *c, argue_request *r)
{
	cd_buf chtext = CD_BUF_INIT, text = CD_BUF_INIT;
	charter *ch = NULL;
	size_t max_bytes;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (workspace_load(s, workspace_charter_path(cfg), "HEAD", 0, &ch) < 0 ||
	    workspace_max_charter_bytes(cfg, &max_bytes) < 0 ||
	    workspace_case_excerpt(ch, c, max_bytes, &chtext) < 0 ||
	    prompt_load(store_workdir(s), "argue", &r->prompt) < 0 ||
	    argue_case_text(c, &text) < 0)
		goto out;
	{
		const prompt_var vars[] = {
			{ "charter", cd_buf_cstr(&chtext) },
			{ "case", cd_buf_cstr(&text) },
		};
		if (prompt_render(&r->prompt, vars, 2, &r->user) < 0)
			goto out;
	}
	if (!(r->schema = schema_argue()))
		goto out;
	r->msg[0].role = "system";
	r->msg[0].content = "You argue both sides of a case against an AI constitution, "
			    "fairly. Reply with JSON only.";
	r->msg[1].role = "user";
	r->msg[1].content = r->user.data;
	r->req.messages = r->msg;
	r->req.nmessages = 2;
	r->req.schema_name = "argue";
	r->req.schema = r->schema;
	r->req.temperature = 0;
	case_about_add(&r->about, c);
	r->req.about = r->about.data;
	if (ch->len <= max_bytes) /* the whole charter: the same for every case */
		r->req.stable_len = prompt_stable_len(r->user.data);
	rc = 0;
out:
	charter_free(ch);
	cd_buf_clear(&chtext);
	cd_buf_clear(&text);
	if (rc < 0)
		argue_request_clear(r);
	return rc;
}

void argue_request_clear(argue_request *r)
{
	cd_buf_clear(&r->user);
	cd_buf_clear(&r->about);
	cJSON_Delete(r->schema);
	if (r->prompt.name)
		prompt_clear(&r->prompt);
	memset(r, 0, sizeof *r);
}

static int take_strings(const cJSON *arr, char ***out, size_t *n)
{
	const cJSON *it;

	*out = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **out);
	if (!*out)
		return -1;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || !*it->valuestring)
			continue;
		if (!((*out)[*n] = strdup(it->valuestring)))
			return -1;
		(*n)++;
	}
	return 0;
}

int argue_parse(const llm_response *resp, argue_result *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(resp->json, "arguments_valid");
	const cJSON *inv = cJSON_GetObjectItemCaseSensitive(resp->json, "arguments_invalid");

	memset(out, 0, sizeof *out);
	if (!cJSON_IsArray(v) || !cJSON_IsArray(inv)) {
		cd_err_set("the reply has no arguments on one side or the other");
		return -1;
	}
	if (take_strings(v, &out->valid, &out->nvalid) < 0 ||
	    take_strings(inv, &out->invalid, &out->ninvalid) < 0) {
		argue_result_clear(out);
		cd_err_set("out of memory");
		return -1;
	}
	return 0;
}

void argue_result_clear(argue_result *r)
{
	for (size_t i = 0; i < r->nvalid; i++)
		free(r->valid[i]);
	for (size_t i = 0; i < r->ninvalid; i++)
		free(r->invalid[i]);
	free(r->valid);
	free(r->invalid);
	memset(r, 0, sizeof *r);
}
