#include "fakellm_codicil.h"

#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codicil/buf.h"
#include "codicil/json.h"

static _Thread_local cd_buf answer;

static const char *const words[] = {
	"nurse", "tenant", "farmer", "student", "pilot", "chemist", "refugee", "teacher",
	"lawyer", "child", "retiree", "journalist", "landlord", "activist", "patient", "coach",
	"bakery", "hospital", "courtroom", "border", "river", "factory", "archive", "clinic",
	"midnight", "storm", "election", "outbreak", "audit", "eviction", "strike", "funeral",
	"secretly", "urgently", "politely", "angrily", "quietly", "openly", "twice", "late",
	"password", "diagnosis", "map", "recipe", "contract", "ledger", "vaccine", "rumor",
	"insists", "pleads", "threatens", "jokes", "hesitates", "confesses", "negotiates", "lies",
	"forty", "seven", "nineteen", "eleven", "ninety", "three", "sixty", "twelve",
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* The schema and its name, for either API. */
static const cJSON *find_schema(const cJSON *body, const char **name)
{
	const cJSON *rf = cJSON_GetObjectItemCaseSensitive(body, "response_format");
	const cJSON *js = cJSON_GetObjectItemCaseSensitive(rf, "json_schema");
	const cJSON *tools = cJSON_GetObjectItemCaseSensitive(body, "tools");

	if (js) {
		*name = cd_json_str(js, "name");
		return cJSON_GetObjectItemCaseSensitive(js, "schema");
	}
	if (cJSON_GetArraySize(tools) > 0) {
		const cJSON *t = cJSON_GetArrayItem(tools, 0);
		*name = cd_json_str(t, "name");
		return cJSON_GetObjectItemCaseSensitive(t, "input_schema");
	}
	return NULL;
}

/* All message text of the request, joined. */
static void prompt_text(const cJSON *body, cd_buf *out)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(body, "messages")) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(m, "content"), *part;
		if (cJSON_IsString(c))
			cd_buf_puts(out, c->valuestring);
		if (cJSON_IsArray(c))
			cJSON_ArrayForEach(part, c)
				if (cd_json_str(part, "text"))
					cd_buf_puts(out, cd_json_str(part, "text"));
		cd_buf_putc(out, '\n');
	}
}

static const cJSON *path(const cJSON *j, const char *a, const char *b, const char *c)
{
	j = cJSON_GetObjectItemCaseSensitive(j, a);
	j = b ? cJSON_GetObjectItemCaseSensitive(j, b) : j;
	return c ? cJSON_GetObjectItemCaseSensitive(j, c) : j;
}

static void target_id(const char *prompt, const cJSON *allowed, char *out, size_t size)
{
	const char *block = strstr(prompt, "<target_principles>"), *id;
	const cJSON *first = cJSON_GetArrayItem(allowed, 0);

	snprintf(out, size, "%s", cJSON_IsString(first) ? first->valuestring : "x");
	if (block && (id = strstr(block, "{#")) && id < strstr(block, "</target_principles>")) {
		size_t n = strcspn(id + 2, " }");
		snprintf(out, size, "%.*s", (int)n, id + 2);
	}
}

/* Differs between server processes, so that a restarted fake does not
 * repeat the cases of an earlier one. */
static uint64_t process_seed(void)
{
	static uint64_t seed;

	if (!seed)
		seed = mix((uint64_t)getpid() << 32 ^ (uint64_t)time(NULL)) | 1;
	return seed;
}

/* The fields a kind adds (schemas.h), when the schema asks for them. */
static void kind_fields(const cJSON *item, cJSON *c)
{
	const cJSON *p;
	const char *list = NULL, *key = NULL;

	if (cJSON_GetObjectItemCaseSensitive(item, "demands"))
		list = "demands", key = "demands";
	if (cJSON_GetObjectItemCaseSensitive(item, "accounts"))
		list = "accounts", key = "account";
	if (list) {
		cJSON *arr = cJSON_AddArrayToObject(c, list);
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles")) {
			cJSON *e = cJSON_CreateObject();
			cd_buf t = CD_BUF_INIT;
			cd_buf_printf(&t, "Principle %s, read as written, %s here.", p->valuestring,
				      !strcmp(list, "demands") ? "demands its own course" : "applies");
			cJSON_AddStringToObject(e, "principle", p->valuestring);
			cJSON_AddStringToObject(e, key, t.data);
			cJSON_AddItemToArray(arr, e);
			cd_buf_free(&t);
		}
	}
	if (cJSON_GetObjectItemCaseSensitive(item, "readings")) {
		cJSON *arr = cJSON_AddArrayToObject(c, "readings");
		cJSON *a = cJSON_CreateObject(), *b = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "term", "reasonable");
		cJSON_AddStringToObject(a, "reading", "what most people would accept");
		cJSON_AddStringToObject(a, "action", "Help at once.");
		cJSON_AddStringToObject(b, "reading", "what an expert would require");
		cJSON_AddStringToObject(b, "action", "Ask for credentials first.");
		cJSON_AddItemToArray(arr, a);
		cJSON_AddItemToArray(arr, b);
	}
}

/* The rationale: it names the first line of a non-empty <steering> block,
 * so that a test can see the steering reached the model. */
static const char *steer_note(const char *prompt)
{
	static _Thread_local char note[256];
	const char *b = strstr(prompt, "<steering>\n"), *e = b ? strstr(b, "</steering>") : NULL;
	size_t n;

	snprintf(note, sizeof note, "The rule has no exception for this case.");
	if (!b || !e || e - b <= (long)strlen("<steering>\n"))
		return note;
	b += strlen("<steering>\n");
	n = strcspn(b, "\n");
	if (n && b + n <= e)
		snprintf(note, sizeof note, "The rule has no exception for this case. Steered by: %.*s",
			 (int)(n > 160 ? 160 : n), b);
	return note;
}

static void cases_reply(const cJSON *schema, const char *prompt, unsigned long reqno)
{
	const cJSON *arr = path(schema, "properties", "cases", NULL);
	const cJSON *item = path(arr, "items", "properties", NULL);
	const cJSON *allowed = path(item, "principles", "items", "enum");
	const cJSON *kinds = path(item, "kind", "enum", NULL);
	const char *kind = cJSON_IsString(cJSON_GetArrayItem(kinds, 0))
				   ? cJSON_GetArrayItem(kinds, 0)->valuestring : "counterexample";
	int n = (int)cd_json_num(arr, "maxItems", 3);
	char target[128];
	cJSON *root = cJSON_CreateObject(), *cases = cJSON_AddArrayToObject(root, "cases");

	target_id(prompt, allowed, target, sizeof target);
	for (int i = 0; i < n; i++) {
		cJSON *c = cJSON_CreateObject(), *ps = cJSON_AddArrayToObject(c, "principles");
		cd_buf s = CD_BUF_INIT;
		uint64_t h = mix(process_seed() ^ (reqno * 1000 + (uint64_t)i + 1));

		cd_buf_printf(&s, "Request %lu case %d: a", reqno, i);
		for (int w = 0; w < 14; w++, h = mix(h))
			cd_buf_printf(&s, " %s", words[h % (sizeof words / sizeof *words)]);
		cd_buf_puts(&s, ", and the assistant must decide what the text demands.");
		cJSON_AddStringToObject(c, "kind", kind);
		cJSON_AddItemToArray(ps, cJSON_CreateString(target));
		if (!strcmp(kind, "tension")) {
			const cJSON *other = cJSON_GetArrayItem(allowed, 1);
			if (other && strcmp(other->valuestring, target))
				cJSON_AddItemToArray(ps, cJSON_CreateString(other->valuestring));
			else
				cJSON_AddItemToArray(ps, cJSON_CreateString(
						 cJSON_GetArrayItem(allowed, 0)->valuestring));
		}
		kind_fields(item, c);
		cJSON_AddStringToObject(c, "scenario", s.data);
		cJSON_AddStringToObject(c, "literal_reading", "The text as written demands a refusal.");
		cJSON_AddStringToObject(c, "expected", "Help, with care for the person at risk.");
		cJSON_AddStringToObject(c, "rationale", steer_note(prompt));
		cJSON_AddNumberToObject(c, "severity", (double)(1 + h % 5));
		cJSON_AddItemToArray(cases, c);
		cd_buf_free(&s);
	}
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

/* Up to two theories over the case ids the schema allows: the first half
 * and the second half (or all of them when there are fewer than four). */
static void theories_reply(const cJSON *schema, unsigned long reqno)
{
	const cJSON *arr = path(schema, "properties", "theories", NULL);
	const cJSON *ids = path(path(arr, "items", "properties", "cases"), "items", "enum", NULL);
	int n = cJSON_GetArraySize(ids), ntheories = n >= 4 ? 2 : 1;
	cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "theories");
	static const char *const mechanisms[] = {
		"the user claims a professional identity the text treats as trusted",
		"two duties apply at once and the text ranks neither",
		"a rule written for one person is applied to a group",
		"harm is delayed and the text only weighs immediate effects",
	};

	for (int t = 0; t < ntheories; t++) {
		cJSON *o = cJSON_CreateObject(), *cs = cJSON_AddArrayToObject(o, "cases");
		cJSON *ps = cJSON_AddArrayToObject(o, "predictions");
		int lo = ntheories == 2 ? t * (n / 2) : 0, hi = ntheories == 2 && t == 0 ? n / 2 : n;
		cd_buf st = CD_BUF_INIT;

		cd_buf_printf(&st, "The charter fails when %s (pattern %lx-%lu-%d).",
			      mechanisms[(reqno + (unsigned long)t) % 4],
			      (unsigned long)(process_seed() & 0xffff), reqno, t);
		cJSON_AddStringToObject(o, "statement", st.data);
		for (int i = lo; i < hi; i++)
			cJSON_AddItemToArray(cs, cJSON_CreateString(cJSON_GetArrayItem(ids, i)->valuestring));
		cJSON_AddItemToArray(ps, cJSON_CreateString("A caller says they are a nurse and asks for dosages."));
		cJSON_AddItemToArray(ps, cJSON_CreateString("A teacher asks on behalf of a whole class."));
		cJSON_AddItemToArray(list, o);
		cd_buf_free(&st);
	}
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

static void judge_reply(const char *prompt)
{
	const char *fixed_by = getenv("FAKELLM_JUDGE_FIXED_BY");
	/* the block itself, not the instructions that name its tags */
	const char *open = strstr(prompt, "\n<charter>\n");
	const char *close = open ? strstr(open, "\n</charter>") : NULL;
	int fixed = 0;

	if (!fixed_by || !*fixed_by)
		fixed_by = "exception";
	if (open && close) {
		char *charter = strndup(open, (size_t)(close - open));
		fixed = charter && strstr(charter, fixed_by) != NULL;
		free(charter);
	}
	cd_buf_reset(&answer);
	cd_buf_printf(&answer, "{\"verdict\":\"%s\",\"confidence\":0.9,\"reasoning\":\"%s\"}",
		      fixed ? "handled" : "mishandled",
		      fixed ? "The text now covers this case." : "The text has no exception here.");
}

void fakellm_codicil_handler(void *ud, const struct fakellm_request *req,
			     struct fakellm_reply *reply, struct fakellm_fault *fault)
{
	cJSON *body = cJSON_ParseWithLength(req->body, req->body_len);
	const char *name = NULL;
	const cJSON *schema = body ? find_schema(body, &name) : NULL;
	cd_buf prompt = CD_BUF_INIT;

	(void)ud;
	(void)fault;
	if (!schema || !name) {
		cJSON_Delete(body);
		return;
	}
	prompt_text(body, &prompt);
	if (!strcmp(name, "cases")) {
		cases_reply(schema, cd_buf_cstr(&prompt), req->n);
		reply->content = answer.data;
	} else if (!strcmp(name, "theories")) {
		theories_reply(schema, req->n);
		reply->content = answer.data;
	} else if (!strcmp(name, "judge")) {
		judge_reply(cd_buf_cstr(&prompt));
		reply->content = answer.data;
	}
	cd_buf_free(&prompt);
	cJSON_Delete(body);
}
