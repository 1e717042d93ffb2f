/* record.c — a successful reply as a JSON record (cache entries, cassette
 * lines). */
#include "codicil/json.h"
#include "llm_internal.h"

#include <stdlib.h>

cJSON *llm_reply_to_json(const llm_response *r)
{
	cJSON *j = cJSON_CreateObject(), *usage;
	int ok = j && cJSON_AddStringToObject(j, "text", r->text ? r->text : "");

	if (ok && r->finish_reason)
		ok = cJSON_AddStringToObject(j, "finish_reason", r->finish_reason) != NULL;
	ok = ok && (usage = cJSON_AddObjectToObject(j, "usage")) &&
	     cJSON_AddNumberToObject(usage, "input_tokens", (double)r->usage.input_tokens) &&
	     cJSON_AddNumberToObject(usage, "output_tokens", (double)r->usage.output_tokens) &&
	     (!r->usage.cached_input_tokens ||
	      cJSON_AddNumberToObject(usage, "cached_input_tokens",
				      (double)r->usage.cached_input_tokens));
	if (!ok) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int llm_reply_from_json(const cJSON *j, llm_response *out)
{
	const char *text = cd_json_str(j, "text"), *fr = cd_json_str(j, "finish_reason");
	const cJSON *usage = cJSON_GetObjectItemCaseSensitive(j, "usage");

	if (!text)
		return -1;
	out->text = llm_strdup(text);
	out->finish_reason = llm_strdup(fr);
	out->usage.input_tokens = cd_json_long(usage, "input_tokens", 0);
	out->usage.output_tokens = cd_json_long(usage, "output_tokens", 0);
	out->usage.cached_input_tokens = cd_json_long(usage, "cached_input_tokens", 0);
	out->status = LLM_OK;
	return 0;
}
