#include "fakellm_codicil.h"

#include <cJSON.h>
#include <pthread.h>
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
		cJSON_AddStringToObject(c, "scenario", s.data);
		cJSON_AddStringToObject(c, "literal_reading", "The text as written demands a refusal.");
		cJSON_AddStringToObject(c, "expected", "Help, with care for the person at risk.");
		cJSON_AddStringToObject(c, "rationale", "The rule has no exception for this case.");
		cJSON_AddNumberToObject(c, "severity", (double)(1 + h % 5));
		cJSON_AddItemToArray(cases, c);
		cd_buf_free(&s);
	}
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

static void judge_reply(const char *prompt)
{
	const char *fixed_by = getenv("FAKELLM_JUDGE_FIXED_BY");
	const char *open = strstr(prompt, "<charter>"), *close = open ? strstr(open, "</charter>") : NULL;
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

static void argue_reply(void)
{
	cd_buf_reset(&answer);
	cd_buf_puts(&answer,
		    "{\"arguments_valid\":[\"The principle says always and names no exception, "
		    "so the literal reading is what the text demands.\",\"The expected outcome "
		    "serves the person better than the literal one.\"],"
		    "\"arguments_invalid\":[\"A careful reader would apply the principle's "
		    "purpose, not its letter, and reach the expected outcome anyway.\"]}");
}

/* ---- answers written in advance (--answers FILE) ---- */

struct fakellm_answers {
	cJSON *root;             /* {"<principle id>": [[case, ...], ...]} */
	pthread_mutex_t lock;
	cJSON *served;           /* {"<principle id>": replies served} */
};

struct fakellm_answers *fakellm_answers_load(const char *path)
{
	struct fakellm_answers *a = calloc(1, sizeof *a);

	if (!a || !(a->root = cd_json_read_file(path)) || !cJSON_IsObject(a->root) ||
	    !(a->served = cJSON_CreateObject())) {
		fprintf(stderr, "fakellm: %s: %s\n", path,
			a && a->root ? "not an object of principle ids" : "cannot read it as JSON");
		fakellm_answers_free(a);
		return NULL;
	}
	pthread_mutex_init(&a->lock, NULL);
	return a;
}

void fakellm_answers_free(struct fakellm_answers *a)
{
	if (!a)
		return;
	cJSON_Delete(a->root);
	cJSON_Delete(a->served);
	free(a);
}

/* The written cases without their arguments: the model's reply. */
static void answer_cases(const cJSON *reply)
{
	cJSON *root = cJSON_CreateObject(), *cases = cJSON_AddArrayToObject(root, "cases");
	const cJSON *c;

	cJSON_ArrayForEach(c, reply) {
		cJSON *copy = cJSON_Duplicate(c, 1);
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "arguments_valid");
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "arguments_invalid");
		cJSON_AddItemToArray(cases, copy);
	}
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

/* A principle's replies in turn, the last one again when they run out. */
static int written_cases(struct fakellm_answers *a, const char *target)
{
	const cJSON *replies = cJSON_GetObjectItemCaseSensitive(a->root, target);
	cJSON *n;
	int i;

	if (!cJSON_GetArraySize(replies))
		return -1;
	pthread_mutex_lock(&a->lock);
	n = cJSON_GetObjectItemCaseSensitive(a->served, target);
	if (!n)
		n = cJSON_AddNumberToObject(a->served, target, 0);
	i = n->valueint < cJSON_GetArraySize(replies) ? n->valueint : cJSON_GetArraySize(replies) - 1;
	cJSON_SetNumberValue(n, n->valueint + 1);
	pthread_mutex_unlock(&a->lock);
	answer_cases(cJSON_GetArrayItem(replies, i));
	return 0;
}

/* The arguments written with the case whose scenario the prompt shows. */
static int written_arguments(struct fakellm_answers *a, const char *prompt)
{
	const cJSON *replies, *reply, *c;

	cJSON_ArrayForEach(replies, a->root)
		cJSON_ArrayForEach(reply, replies)
			cJSON_ArrayForEach(c, reply) {
				const char *scenario = cd_json_str(c, "scenario");
				cJSON *o;

				if (!scenario || !strstr(prompt, scenario))
					continue;
				o = cJSON_CreateObject();
				cJSON_AddItemToObject(o, "arguments_valid", cJSON_Duplicate(
					cJSON_GetObjectItemCaseSensitive(c, "arguments_valid"), 1));
				cJSON_AddItemToObject(o, "arguments_invalid", cJSON_Duplicate(
					cJSON_GetObjectItemCaseSensitive(c, "arguments_invalid"), 1));
				cd_buf_reset(&answer);
				cd_json_print_compact(o, &answer);
				cJSON_Delete(o);
				return 0;
			}
	return -1;
}

void fakellm_answers_handler(void *ud, const struct fakellm_request *req,
			     struct fakellm_reply *reply, struct fakellm_fault *fault)
{
	cJSON *body = cJSON_ParseWithLength(req->body, req->body_len);
	const char *name = NULL;
	const cJSON *schema = body ? find_schema(body, &name) : NULL;
	cd_buf prompt = CD_BUF_INIT;
	char target[128];
	int rc = -1;

	(void)fault;
	if (schema && name) {
		prompt_text(body, &prompt);
		if (!strcmp(name, "cases")) {
			target_id(cd_buf_cstr(&prompt), NULL, target, sizeof target);
			rc = written_cases(ud, target);
		} else if (!strcmp(name, "argue")) {
			rc = written_arguments(ud, cd_buf_cstr(&prompt));
		}
	}
	if (rc == 0) {
		reply->content = answer.data;
		reply->input_tokens = (long)prompt.len / 4;
	} else {
		reply->status = 500; /* nothing written for it: the recording must stop */
	}
	cd_buf_free(&prompt);
	cJSON_Delete(body);
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
	} else if (!strcmp(name, "judge")) {
		judge_reply(cd_buf_cstr(&prompt));
		reply->content = answer.data;
	} else if (!strcmp(name, "argue")) {
		argue_reply();
		reply->content = answer.data;
	}
	cd_buf_free(&prompt);
	cJSON_Delete(body);
}
