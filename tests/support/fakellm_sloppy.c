/* fakellm_sloppy.c — answers with the mistakes real models make (see
 * fakellm_codicil.h, FAKELLM_SLOPPY).  Which request gets which mistake
 * depends only on its body, so a run is reproducible, and a re-ask (a new
 * body) rolls again. */
#include "fakellm_codicil.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/json.h"

static const char *const names[SLOPPY_KINDS] = {
	[SLOPPY_NONE] = "clean",
	[SLOPPY_REPEATED_ID] = "repeated principle id",
	[SLOPPY_PROSE] = "JSON inside prose",
	[SLOPPY_FENCE] = "JSON in a code fence with prose",
	[SLOPPY_ORPHAN_ENTRY] = "demand or account for a principle the case lacks",
	[SLOPPY_ENUM_CASE] = "principle id in another case, with spaces",
	[SLOPPY_SEVERITY] = "severity as a string out of range",
	[SLOPPY_WRONG_TARGET] = "case without the asked-for principle",
	[SLOPPY_MISSING_FIELD] = "a case without its scenario (not mendable)",
	[SLOPPY_ALWAYS_INVALID] = "always invalid (FAKELLM_INVALID)",
};

static atomic_ulong counts[SLOPPY_KINDS];

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

enum sloppy fakellm_sloppy_roll(const char *schema_name, const char *body, size_t len)
{
	const char *pct_env = getenv("FAKELLM_SLOPPY"), *invalid = getenv("FAKELLM_INVALID");
	uint64_t h = fnv(body, len);
	long pct = pct_env ? strtol(pct_env, NULL, 10) : 0;
	enum sloppy k;

	if (invalid && schema_name && !strcmp(invalid, schema_name))
		k = SLOPPY_ALWAYS_INVALID;
	else if (pct <= 0 || (long)(h % 100) >= pct)
		k = SLOPPY_NONE;
	else if (schema_name && strcmp(schema_name, "cases"))
		k = (h >> 8) % 2 ? SLOPPY_PROSE : SLOPPY_FENCE; /* other replies: wrapping only */
	else
		k = (enum sloppy)(SLOPPY_REPEATED_ID + (h >> 8) % (SLOPPY_MISSING_FIELD - SLOPPY_REPEATED_ID + 1));
	/* a re-ask (it carries the earlier answer) is answered as a careful
	 * model answers one: what it makes wrong can be mended */
	if (k == SLOPPY_MISSING_FIELD && strstr(body, "\"role\":\"assistant\""))
		k = SLOPPY_REPEATED_ID;
	atomic_fetch_add(&counts[k], 1);
	return k;
}

static void add_id(cJSON *arr, const char *id)
{
	cJSON_AddItemToArray(arr, cJSON_CreateString(id));
}

/* An id the schema allows that the case does not list. */
static const char *other_id(const cJSON *allowed, const cJSON *principles)
{
	const cJSON *a, *p;

	cJSON_ArrayForEach(a, allowed) {
		int listed = 0;
		cJSON_ArrayForEach(p, principles)
			listed |= cJSON_IsString(p) && !strcmp(p->valuestring, a->valuestring);
		if (!listed)
			return a->valuestring;
	}
	return NULL;
}

void fakellm_sloppy_cases(cJSON *root, const cJSON *allowed, enum sloppy k)
{
	cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "cases"), 0);
	cJSON *ps = cJSON_GetObjectItemCaseSensitive(c, "principles"), *first;
	cJSON *entries = cJSON_GetObjectItemCaseSensitive(c, "demands");
	const char *other = other_id(allowed, ps);
	char *shout;

	if (!c || !cJSON_IsArray(ps) || !(first = cJSON_GetArrayItem(ps, 0)))
		return;
	if (!entries)
		entries = cJSON_GetObjectItemCaseSensitive(c, "accounts");
	switch (k) {
	case SLOPPY_REPEATED_ID:
		add_id(ps, first->valuestring);
		break;
	case SLOPPY_ORPHAN_ENTRY:
		if (entries && other) {
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "principle", other);
			cJSON_AddStringToObject(e, cJSON_GetObjectItemCaseSensitive(c, "demands") ?
					       "demands" : "account",
					       "This principle, read as written, also applies here.");
			cJSON_AddItemToArray(entries, e);
		} else {
			add_id(ps, first->valuestring);
		}
		break;
	case SLOPPY_ENUM_CASE:
		if ((shout = malloc(strlen(first->valuestring) + 3))) {
			shout[0] = ' ';
			strcpy(shout + 1, first->valuestring);
			shout[1] = (char)(shout[1] >= 'a' && shout[1] <= 'z' ? shout[1] - 32 : shout[1]);
			strcat(shout, " ");
			cJSON_SetValuestring(first, shout);
			free(shout);
		}
		break;
	case SLOPPY_SEVERITY:
		cJSON_ReplaceItemInObjectCaseSensitive(c, "severity", cJSON_CreateString("9"));
		break;
	case SLOPPY_WRONG_TARGET:
		if (other && !entries && !cJSON_GetObjectItemCaseSensitive(c, "readings"))
			cJSON_SetValuestring(first, other);
		else
			add_id(ps, first->valuestring);
		break;
	case SLOPPY_MISSING_FIELD:
		cJSON_DeleteItemFromObjectCaseSensitive(c, "scenario");
		break;
	case SLOPPY_ALWAYS_INVALID:
		cJSON_ReplaceItemInObjectCaseSensitive(root, "cases", cJSON_CreateArray());
		break;
	default:
		break;
	}
}

void fakellm_sloppy_wrap(cd_buf *answer, enum sloppy k)
{
	cd_buf out = CD_BUF_INIT;

	if (k == SLOPPY_PROSE)
		cd_buf_printf(&out, "Sure! Here is what you asked for: %s\nI hope this helps.",
			      cd_buf_cstr(answer));
	else if (k == SLOPPY_FENCE)
		cd_buf_printf(&out, "Here are the results.\n\n```json\n%s\n```\n\nLet me know if "
			      "you want more.", cd_buf_cstr(answer));
	else
		return;
	cd_buf_reset(answer);
	cd_buf_puts(answer, cd_buf_cstr(&out));
	cd_buf_clear(&out);
}

void fakellm_sloppy_report(FILE *f)
{
	for (int k = 0; k < SLOPPY_KINDS; k++)
		if (atomic_load(&counts[k]))
			fprintf(f, "fakellm-server: sloppy: %lu %s\n", atomic_load(&counts[k]), names[k]);
}
