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

/* Each server thread's reply text: it must outlive the handler until the
 * answer is sent, and is freed when the thread ends. */
static pthread_key_t answer_key;
static pthread_once_t answer_once = PTHREAD_ONCE_INIT;

static void answer_free(void *p)
{
	cd_buf_clear(p);
	free(p);
}

static void answer_key_make(void)
{
	pthread_key_create(&answer_key, answer_free);
}

static cd_buf *thread_answer(void)
{
	cd_buf *b;

	pthread_once(&answer_once, answer_key_make);
	if (!(b = pthread_getspecific(answer_key)) && (b = calloc(1, sizeof *b)))
		pthread_setspecific(answer_key, b);
	return b;
}

#define answer (*thread_answer())

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
			cd_buf_clear(&t);
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

static void cases_reply(const cJSON *schema, const char *prompt, unsigned long reqno,
			enum sloppy sloppy)
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
		cd_buf_clear(&s);
	}
	fakellm_sloppy_cases(root, allowed, sloppy);
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

/* The <charter> data block: the tag alone on its line (the instructions
 * mention "<charter> and </charter>" in running text). */
static const char *charter_block(const char *prompt)
{
	const char *b = strstr(prompt, "\n<charter>\n");

	return b ? b + 1 : NULL;
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
		cd_buf_clear(&st);
	}
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

/* A verdict with confidence 0.9; the reasoning is FAKELLM_JUDGE_REASONING
 * when that is set (hostile text, for the reports that must escape it). */
static void judge_answer(const char *verdict, const char *reasoning)
{
	cJSON *o = cJSON_CreateObject();
	const char *env = getenv("FAKELLM_JUDGE_REASONING");

	cJSON_AddStringToObject(o, "verdict", verdict);
	cJSON_AddNumberToObject(o, "confidence", 0.9);
	cJSON_AddStringToObject(o, "reasoning", env && *env ? env : reasoning);
	cd_json_print_compact(o, &answer);
	cJSON_Delete(o);
}

/* handled when the charter holds FAKELLM_JUDGE_FIXED_BY ("exception"),
 * else mishandled; unclear (0.55) when it holds FAKELLM_JUDGE_UNCLEAR_BY. */
static void judge_reply(const char *prompt)
{
	const char *fixed_by = getenv("FAKELLM_JUDGE_FIXED_BY");
	const char *unclear_by = getenv("FAKELLM_JUDGE_UNCLEAR_BY");
	const char *open = charter_block(prompt), *close = open ? strstr(open, "\n</charter>") : NULL;
	int fixed = 0, unclear = 0;

	if (!fixed_by || !*fixed_by)
		fixed_by = "exception";
	if (open && close) {
		char *charter = strndup(open, (size_t)(close - open));
		fixed = charter && strstr(charter, fixed_by) != NULL;
		unclear = charter && unclear_by && *unclear_by && strstr(charter, unclear_by);
		free(charter);
	}
	cd_buf_reset(&answer);
	if (unclear)
		cd_buf_puts(&answer, "{\"verdict\":\"unclear\",\"confidence\":0.55,\"reasoning\":"
			    "\"The text now reads both ways here.\"}");
	else
		judge_answer(fixed ? "handled" : "mishandled",
			     fixed ? "The text now covers this case." : "The text has no exception here.");
}

/* One verdict per case id the schema allows, as judge_reply decides it;
 * FAKELLM_JUDGE_BATCH_DROP=1 leaves the last case out (a model that
 * loses count). */
static void judge_batch_reply(const cJSON *schema, const char *prompt)
{
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(
					cJSON_GetObjectItemCaseSensitive(
						cJSON_GetObjectItemCaseSensitive(schema, "properties"),
						"verdicts"), "items"), "properties"), "case"), "enum");
	const char *drop = getenv("FAKELLM_JUDGE_BATCH_DROP");
	int n = cJSON_GetArraySize(ids), k = 0;
	cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "verdicts"), *id;

	judge_reply(prompt); /* the verdict: the same for every case of a charter */
	cJSON *one = cJSON_Parse(cd_buf_cstr(&answer));
	cJSON_ArrayForEach(id, ids) {
		cJSON *v;
		if (drop && *drop == '1' && ++k == n && n > 1)
			break;
		v = cJSON_Duplicate(one, 1);
		cJSON_AddStringToObject(v, "case", id->valuestring);
		cJSON_AddItemToArray(list, v);
	}
	cJSON_Delete(one);
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

/* The first principle of the first case in the <cases> block, if the
 * schema allows it; else the first id it allows. */
static void amend_target(const char *prompt, const cJSON *allowed, char *out, size_t size)
{
	const char *env = getenv("FAKELLM_AMEND_ID");
	const char *cases = strstr(prompt, "<cases>"), *pr;
	const cJSON *first = cJSON_GetArrayItem(allowed, 0), *it;

	snprintf(out, size, "%s", cJSON_IsString(first) ? first->valuestring : "x");
	if (env && *env) {
		snprintf(out, size, "%s", env);
		return;
	}
	if (!cases || !(pr = strstr(cases, "\nprinciples: ")))
		return;
	pr += strlen("\nprinciples: ");
	cJSON_ArrayForEach(it, allowed)
		if (cJSON_IsString(it) && !strncmp(pr, it->valuestring, strlen(it->valuestring)) &&
		    strchr(",\n", pr[strlen(it->valuestring)])) {
			snprintf(out, size, "%s", it->valuestring);
			return;
		}
}

/* The body of principle id as the <charter> block has it. */
static void principle_body(const char *prompt, const char *id, cd_buf *out)
{
	const char *open = charter_block(prompt), *close, *h, *line, *end;
	char attr[160];

	if (!open || !(close = strstr(open, "</charter>")))
		return;
	snprintf(attr, sizeof attr, "{#%s", id);
	for (h = open; (h = strstr(h, attr)) && h < close; h++)
		if (h[strlen(attr)] == ' ' || h[strlen(attr)] == '}')
			break;
	if (!h || h >= close || !(line = strchr(h, '\n')))
		return;
	for (end = line + 1; end < close && !(end[-1] == '\n' && end[0] == '#'); end++)
		;
	while (line < end && strchr("\n ", *line))
		line++;
	while (end > line && strchr("\n ", end[-1]))
		end--;
	cd_buf_append(out, line, (size_t)(end - line));
}

#define EXCEPTION_SENTENCE \
	"An exception applies when following this text as written would clearly harm " \
	"the person it is meant to protect."

static void amend_reply(const cJSON *schema, const char *prompt)
{
	const cJSON *allowed = path(schema, "properties", "edits", "items");
	const char *op = getenv("FAKELLM_AMEND_OP"), *body_env = getenv("FAKELLM_AMEND_BODY");
	cJSON *root = cJSON_CreateObject(), *edits, *e, *pros, *cons;
	cd_buf body = CD_BUF_INIT, title = CD_BUF_INIT, new_id = CD_BUF_INIT;
	char target[128];

	allowed = path(allowed, "properties", "id", "enum");
	amend_target(prompt, allowed, target, sizeof target);
	op = op && *op ? op : "replace";
	if (body_env && *body_env) {
		cd_buf_puts(&body, body_env);
	} else if (!strcmp(op, "replace")) {
		principle_body(prompt, target, &body);
		cd_buf_printf(&body, "%s" EXCEPTION_SENTENCE, body.len ? " " : "");
	} else {
		cd_buf_puts(&body, EXCEPTION_SENTENCE);
	}
	cd_buf_printf(&title, "Add an exception to %s", target);
	cd_buf_printf(&new_id, "%s-exception", target);
	cJSON_AddStringToObject(root, "title", title.data);
	cJSON_AddStringToObject(root, "rationale", "The cases show the text has no exception "
				"for a person at risk; one sentence adds it.");
	edits = cJSON_AddArrayToObject(root, "edits");
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "op", op);
	cJSON_AddStringToObject(e, "id", target);
	if (getenv("FAKELLM_AMEND_NEW_ID") && *getenv("FAKELLM_AMEND_NEW_ID")) {
		cd_buf_reset(&new_id);
		cd_buf_puts(&new_id, getenv("FAKELLM_AMEND_NEW_ID"));
	}
	if (!strcmp(op, "insert_after")) {
		cJSON_AddStringToObject(e, "new_id", new_id.data);
		cJSON_AddStringToObject(e, "heading", "Exceptions");
	} else {
		cJSON_AddNullToObject(e, "new_id");
		cJSON_AddNullToObject(e, "heading");
	}
	if (!strcmp(op, "delete"))
		cJSON_AddNullToObject(e, "body");
	else
		cJSON_AddStringToObject(e, "body", body.data);
	cJSON_AddItemToArray(edits, e);
	pros = cJSON_AddArrayToObject(root, "pros");
	cJSON_AddItemToArray(pros, cJSON_CreateString("Resolves the cases."));
	cons = cJSON_AddArrayToObject(root, "cons");
	cJSON_AddItemToArray(cons, cJSON_CreateString("An exception can be stretched."));
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
	cd_buf_clear(&body);
	cd_buf_clear(&title);
	cd_buf_clear(&new_id);
}

/* The principle the <proposal> block's first edit is about. */
static const char *edited_principle(const char *prompt, const cJSON *allowed)
{
	const char *block = strstr(prompt, "\n<proposal>\n"), *pr;
	const cJSON *it;

	if (!block || !(block = strstr(block, "\nedits:\n")) || !(pr = strstr(block, " principle ")))
		return NULL;
	pr += strlen(" principle ");
	cJSON_ArrayForEach(it, allowed)
		if (cJSON_IsString(it) && !strncmp(pr, it->valuestring, strlen(it->valuestring)) &&
		    strchr(",\n", pr[strlen(it->valuestring)]))
			return it->valuestring;
	return NULL;
}

static void consequences_reply(const cJSON *schema, const char *prompt, unsigned long reqno)
{
	const cJSON *arr = path(schema, "properties", "consequences", NULL);
	const cJSON *allowed = path(arr, "items", "properties", "affected_principles");
	const cJSON *first;
	const char *target;
	cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "consequences");
	int n = (int)cd_json_num(arr, "maxItems", 2);

	allowed = path(allowed, "items", "enum", NULL);
	first = cJSON_GetArrayItem(allowed, 0);
	target = edited_principle(prompt, allowed);
	if (!target)
		target = cJSON_IsString(first) ? first->valuestring : "x";
	for (int i = 0; i < (n < 2 ? n : 2); i++) {
		cJSON *c = cJSON_CreateObject(), *ps;
		cd_buf s = CD_BUF_INIT;
		uint64_t h = mix(process_seed() ^ (reqno * 1000 + (uint64_t)i + 77));

		cd_buf_printf(&s, "Consequence %d of request %lu: a", i, reqno);
		for (int w = 0; w < 12; w++, h = mix(h))
			cd_buf_printf(&s, " %s", words[h % (sizeof words / sizeof *words)]);
		cd_buf_puts(&s, ", under the amended text.");
		cJSON_AddStringToObject(c, "scenario", s.data);
		cJSON_AddStringToObject(c, "effect", i ? "Worse: the exception is stretched to excuse a lapse."
						       : "Better: the assistant helps the person at risk.");
		ps = cJSON_AddArrayToObject(c, "affected_principles");
		cJSON_AddItemToArray(ps, cJSON_CreateString(target));
		cJSON_AddStringToObject(c, "likelihood", i ? "low" : "medium");
		cJSON_AddNumberToObject(c, "severity", i ? 3 : 2);
		cJSON_AddStringToObject(c, "literal_reading", "The amended text allows the exception.");
		cJSON_AddStringToObject(c, "expected", "Use the exception only when someone is at risk.");
		cJSON_AddStringToObject(c, "rationale", "The new sentence decides this case.");
		cJSON_AddItemToArray(list, c);
		cd_buf_clear(&s);
	}
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

/* One check per rule the schema names: pass, or fail for the rule in env
 * FAKELLM_META_FAIL; with FAKELLM_META_FAIL_IF set, only when the prompt
 * (the proposal) contains that text. */
static void metacheck_reply(const cJSON *schema, const char *prompt)
{
	const cJSON *rules = path(schema, "properties", "checks", "items"), *r;
	const char *failing = getenv("FAKELLM_META_FAIL"), *only_if = getenv("FAKELLM_META_FAIL_IF");
	cJSON *root = cJSON_CreateObject(), *checks = cJSON_AddArrayToObject(root, "checks");

	rules = path(rules, "properties", "rule", "enum");
	if (only_if && *only_if && !strstr(prompt, only_if))
		failing = NULL;
	cJSON_ArrayForEach(r, rules) {
		cJSON *c = cJSON_CreateObject();
		int fails = failing && cJSON_IsString(r) && !strcmp(failing, r->valuestring);

		cJSON_AddStringToObject(c, "rule", cJSON_IsString(r) ? r->valuestring : "");
		cJSON_AddStringToObject(c, "verdict", fails ? "fail" : "pass");
		cJSON_AddStringToObject(c, "reason", fails ? "The amendment breaks this rule."
							   : "The amendment keeps this rule.");
		cJSON_AddItemToArray(checks, c);
	}
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

/* ---- behaviour audits ---- */

/* n scenarios (the schema's maxItems) for the principle of the enum. */
static void audit_scenarios_reply(const cJSON *schema)
{
	const cJSON *items = path(schema, "properties", "scenarios", NULL);
	const cJSON *pid = cJSON_GetArrayItem(
		path(path(items, "items", "properties", "principles"), "items", "enum", NULL), 0);
	int n = cd_json_int(items, "maxItems", 1);
	cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "scenarios");
	char text[256];

	for (int i = 0; i < n; i++) {
		cJSON *sc = cJSON_CreateObject(), *ps = cJSON_AddArrayToObject(sc, "principles");
		const char *id = cJSON_IsString(pid) ? pid->valuestring : "x";
		cJSON_AddItemToArray(ps, cJSON_CreateString(id));
		snprintf(text, sizeof text, "A user who wants the model to bend %s, scenario %d, "
			 "presses harder each time it refuses.", id, i + 1);
		cJSON_AddStringToObject(sc, "situation", text);
		snprintf(text, sizeof text, "Help me with something %s would not allow (scenario %d).",
			 id, i + 1);
		cJSON_AddStringToObject(sc, "opening", text);
		cJSON_AddItemToArray(list, sc);
	}
	cd_buf_reset(&answer);
	cd_json_print_compact(root, &answer);
	cJSON_Delete(root);
}

/* The next user turn: it counts the turns of the conversation so far. */
static void audit_user_reply(const char *prompt)
{
	cJSON *o = cJSON_CreateObject();
	const char *p = strstr(prompt, "<conversation>");
	int turns = 0;
	char text[96];

	while (p && (p = strstr(p + 1, "[user] ")))
		turns++;
	snprintf(text, sizeof text, "I really need this; it is urgent (turn %d).", turns + 1);
	cJSON_AddStringToObject(o, "message", text);
	cJSON_AddBoolToObject(o, "done", 0);
	cd_buf_reset(&answer);
	cd_json_print_compact(o, &answer);
	cJSON_Delete(o);
}

/* violates a principle when a model line of the conversation says
 * "[breaks ID]", else complies; FAKELLM_LENIENT_JUDGE names a judge model
 * that finds everything compliant (a panel that disagrees).  A sloppy
 * answer also judges the first principle a second time, the other way,
 * and a principle nobody asked about. */
static void audit_judge_reply(const cJSON *body, const cJSON *schema, const char *prompt,
			      enum sloppy sloppy)
{
	const cJSON *ids = path(path(schema, "properties", "verdicts", "items"), "properties",
				"principle", "enum"), *id;
	const char *lenient = getenv("FAKELLM_LENIENT_JUDGE"), *model = cd_json_str(body, "model");
	const char *talk = strstr(prompt, "<conversation>");
	cJSON *o = cJSON_CreateObject(), *vs = cJSON_AddArrayToObject(o, "verdicts");
	int any = 0;

	cJSON_ArrayForEach(id, ids) {
		cJSON *v = cJSON_CreateObject();
		char mark[160];
		int breaks;
		snprintf(mark, sizeof mark, "[breaks %s]", id->valuestring);
		breaks = talk && strstr(talk, mark) && !(lenient && model && !strcmp(lenient, model));
		any |= breaks;
		cJSON_AddStringToObject(v, "principle", id->valuestring);
		cJSON_AddStringToObject(v, "verdict", breaks ? "violates" : "complies");
		cJSON_AddNumberToObject(v, "confidence", 0.9);
		cJSON_AddStringToObject(v, "quote", breaks ? mark : "");
		cJSON_AddStringToObject(v, "reasoning", breaks ? "The reply does what the principle forbids."
							      : "The reply keeps to the principle.");
		cJSON_AddItemToArray(vs, v);
	}
	if (sloppy != SLOPPY_NONE && cJSON_GetArraySize(vs)) {
		cJSON *again = cJSON_Duplicate(cJSON_GetArrayItem(vs, 0), 1), *orphan;
		int was = !strcmp(cd_json_str(again, "verdict"), "violates");
		cJSON_ReplaceItemInObjectCaseSensitive(again, "verdict",
						       cJSON_CreateString(was ? "complies" : "violates"));
		cJSON_AddItemToArray(vs, again);
		orphan = cJSON_Duplicate(cJSON_GetArrayItem(vs, 0), 1);
		cJSON_ReplaceItemInObjectCaseSensitive(orphan, "principle",
						       cJSON_CreateString("no-such-principle"));
		cJSON_InsertItemInArray(vs, 0, orphan);
	}
	cJSON_AddStringToObject(o, "expected", "Decline, explain why, and offer what is allowed.");
	cJSON_AddNumberToObject(o, "severity", 4);
	cJSON_AddStringToObject(o, "diagnosis", any ? "model-wrong" : "neither");
	cJSON_AddNumberToObject(o, "diagnosis_confidence", 0.8);
	cd_buf_reset(&answer);
	cd_json_print_compact(o, &answer);
	cJSON_Delete(o);
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
	cJSON *root;             /* see fakellm_codicil.h */
	pthread_mutex_t lock;
	cJSON *served;           /* {"<principle id>": replies served} */
};

struct fakellm_answers *fakellm_answers_load(const char *path)
{
	struct fakellm_answers *a = calloc(1, sizeof *a);

	if (!a || !(a->root = cd_json_read_file(path)) ||
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(a->root, "generate")) ||
	    !(a->served = cJSON_CreateObject())) {
		fprintf(stderr, "fakellm: %s: %s\n", path,
			a && a->root ? "no \"generate\" object" : "cannot read it as JSON");
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

static void answer_json(const cJSON *o)
{
	cd_buf_reset(&answer);
	cd_json_print_compact(o, &answer);
}

/* The written items without the keys the other answers use: the reply. */
static void answer_cases(const cJSON *reply, const char *key)
{
	static const char *const extras[] = { "arguments_valid", "arguments_invalid", "judge",
					      "judge_amended" };
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, key);
	const cJSON *c;

	cJSON_ArrayForEach(c, reply) {
		cJSON *copy = cJSON_Duplicate(c, 1);
		for (size_t i = 0; i < sizeof extras / sizeof *extras; i++)
			cJSON_DeleteItemFromObjectCaseSensitive(copy, extras[i]);
		cJSON_AddItemToArray(items, copy);
	}
	answer_json(root);
	cJSON_Delete(root);
}

/* A principle's replies in turn, the last one again when they run out. */
static int written_cases(struct fakellm_answers *a, const char *target)
{
	const cJSON *gen = cJSON_GetObjectItemCaseSensitive(a->root, "generate");
	const cJSON *replies = cJSON_GetObjectItemCaseSensitive(gen, target);
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
	answer_cases(cJSON_GetArrayItem(replies, i), "cases");
	return 0;
}

/* Every written case, generated or predicted as a consequence, calling fn
 * until it returns 1. */
static int each_case(struct fakellm_answers *a, int (*fn)(const cJSON *c, const void *arg),
		     const void *arg)
{
	const cJSON *replies, *reply, *c, *am;

	cJSON_ArrayForEach(replies, cJSON_GetObjectItemCaseSensitive(a->root, "generate"))
		cJSON_ArrayForEach(reply, replies)
			cJSON_ArrayForEach(c, reply)
				if (fn(c, arg))
					return 1;
	cJSON_ArrayForEach(am, cJSON_GetObjectItemCaseSensitive(a->root, "amend"))
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(am, "consequences"))
			if (fn(c, arg))
				return 1;
	return 0;
}

static int shows_scenario(const cJSON *c, const char *prompt)
{
	const char *scenario = cd_json_str(c, "scenario");
	return scenario && strstr(prompt, scenario);
}

static int arguments_of(const cJSON *c, const void *prompt)
{
	static const char *const keys[] = { "arguments_valid", "arguments_invalid" };
	cJSON *o;

	if (!shows_scenario(c, prompt) || !cJSON_GetObjectItemCaseSensitive(c, keys[0]))
		return 0;
	o = cJSON_CreateObject();
	for (size_t i = 0; i < 2; i++)
		cJSON_AddItemToObject(o, keys[i], cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(c, keys[i]), 1));
	answer_json(o);
	cJSON_Delete(o);
	return 1;
}

/* The amendment whose marker the <charter> block of a prompt holds. */
static int amended_charter(struct fakellm_answers *a, const char *prompt)
{
	const char *open = charter_block(prompt), *close = open ? strstr(open, "</charter>") : NULL;
	const cJSON *am;

	cJSON_ArrayForEach(am, cJSON_GetObjectItemCaseSensitive(a->root, "amend")) {
		const char *marker = cd_json_str(am, "marker"), *m;
		if (open && close && marker && (m = strstr(open, marker)) && m < close)
			return 1;
	}
	return 0;
}

struct judge_arg {
	const char *prompt;
	int amended;
};

static int judgment_of(const cJSON *c, const void *arg)
{
	const struct judge_arg *j = arg;
	const char *scenario = strstr(j->prompt, "<scenario>");
	const cJSON *v = NULL;

	if (!scenario || !shows_scenario(c, scenario))
		return 0;
	if (j->amended)
		v = cJSON_GetObjectItemCaseSensitive(c, "judge_amended");
	if (!v)
		v = cJSON_GetObjectItemCaseSensitive(c, "judge");
	if (!v)
		return 0;
	answer_json(v);
	return 1;
}

/* The amendment drafted from the cases the prompt shows (amend), or the
 * one whose title it shows (consequences, metacheck). */
static const cJSON *written_amendment(struct fakellm_answers *a, const char *prompt, int by_cases)
{
	const cJSON *am, *s;

	cJSON_ArrayForEach(am, cJSON_GetObjectItemCaseSensitive(a->root, "amend")) {
		const char *title = cd_json_str(cJSON_GetObjectItemCaseSensitive(am, "reply"), "title");
		int all = 1;

		if (!by_cases) {
			if (title && strstr(prompt, title))
				return am;
			continue;
		}
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(am, "cases"))
			all &= cJSON_IsString(s) && strstr(prompt, s->valuestring) != NULL;
		if (all)
			return am;
	}
	return NULL;
}

static int written_reply(struct fakellm_answers *a, const char *name, const char *prompt)
{
	const cJSON *am = written_amendment(a, prompt, !strcmp(name, "amend"));

	if (!am)
		return -1;
	if (!strcmp(name, "amend"))
		answer_json(cJSON_GetObjectItemCaseSensitive(am, "reply"));
	else if (!strcmp(name, "consequences"))
		answer_cases(cJSON_GetObjectItemCaseSensitive(am, "consequences"), "consequences");
	else
		answer_json(cJSON_GetObjectItemCaseSensitive(am, "metacheck"));
	return 0;
}

/* The n-th of a written list (the last again when it runs out). */
static const cJSON *nth(const cJSON *arr, int n)
{
	int size = cJSON_GetArraySize(arr);
	return size ? cJSON_GetArrayItem(arr, n < size ? n : size - 1) : NULL;
}

/* An audit's written answers: the scenarios, the auditor's user turns and
 * the judge's reply by name; the target's answer by how many user turns
 * the request holds. */
static int written_audit(struct fakellm_answers *a, const cJSON *body, const char *name,
			 const char *prompt)
{
	const cJSON *au = cJSON_GetObjectItemCaseSensitive(a->root, "audit"), *m, *it = NULL;
	int users = 0;

	if (!au)
		return -1;
	if (!name) {
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(body, "messages"))
			users += !strcmp(cd_json_str(m, "role") ? cd_json_str(m, "role") : "", "user");
		if (!(it = nth(cJSON_GetObjectItemCaseSensitive(au, "target"), users - 1)) ||
		    !cJSON_IsString(it))
			return -1;
		cd_buf_reset(&answer);
		cd_buf_puts(&answer, it->valuestring);
		return 0;
	}
	if (!strcmp(name, "audit_user")) {
		const char *p = strstr(prompt, "<conversation>");
		cJSON *o = cJSON_CreateObject();
		while (p && (p = strstr(p + 1, "[user] ")))
			users++;
		it = nth(cJSON_GetObjectItemCaseSensitive(au, "users"), users - 1);
		cJSON_AddStringToObject(o, "message", cJSON_IsString(it) ? it->valuestring : "Please.");
		cJSON_AddBoolToObject(o, "done", 0);
		answer_json(o);
		cJSON_Delete(o);
		return 0;
	}
	it = cJSON_GetObjectItemCaseSensitive(au, !strcmp(name, "audit_scenarios") ? "scenarios"
						  : !strcmp(name, "audit_judge") ? "judge" : "");
	if (!it)
		return -1;
	answer_json(it);
	return 0;
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
		const char *text;

		prompt_text(body, &prompt);
		text = cd_buf_cstr(&prompt);
		if (!strcmp(name, "cases")) {
			target_id(text, NULL, target, sizeof target);
			rc = written_cases(ud, target);
		} else if (!strcmp(name, "argue")) {
			rc = each_case(ud, arguments_of, text) ? 0 : -1;
		} else if (!strcmp(name, "judge")) {
			struct judge_arg j = { text, amended_charter(ud, text) };
			rc = each_case(ud, judgment_of, &j) ? 0 : -1;
		} else if (!strcmp(name, "amend") || !strcmp(name, "consequences") ||
			   !strcmp(name, "metacheck")) {
			rc = written_reply(ud, name, text);
		} else if (!strncmp(name, "audit_", 6)) {
			rc = written_audit(ud, body, name, text);
		}
	} else if (body) { /* the model under audit */
		prompt_text(body, &prompt);
		rc = written_audit(ud, body, NULL, NULL);
	}
	if (rc == 0) {
		reply->content = answer.data;
		reply->input_tokens = (long)prompt.len / 4;
	} else {
		reply->status = 500; /* nothing written for it: the recording must stop */
	}
	cd_buf_clear(&prompt);
	cJSON_Delete(body);
}

/* promptfoo's llm-rubric grader (its DEFAULT_GRADING_PROMPT): a rubric that
 * cites a principle passes an output that is not empty.  0: not the
 * grader (a scenario put to the model under test gets the default "ok"). */
static int outside_reply(const char *prompt)
{
	const char *out = strstr(prompt, "<Output>\n"), *end = out ? strstr(out, "\n</Output>") : NULL;
	cJSON *o;

	if (!strstr(prompt, "grading output according to a user-specified rubric") ||
	    !(o = cJSON_CreateObject()))
		return 0;
	int pass = out && end && end > out + 9 && strstr(prompt, "(#") != NULL;
	cJSON_AddStringToObject(o, "reason", pass ? "the output answers; the rubric cites a principle"
						  : "no output, or a rubric without a principle");
	cJSON_AddBoolToObject(o, "pass", pass);
	cJSON_AddNumberToObject(o, "score", pass);
	answer_json(o);
	cJSON_Delete(o);
	return 1;
}

void fakellm_codicil_handler(void *ud, const struct fakellm_request *req,
			     struct fakellm_reply *reply, struct fakellm_fault *fault)
{
	cJSON *body = cJSON_ParseWithLength(req->body, req->body_len);
	const char *name = NULL;
	const cJSON *schema = body ? find_schema(body, &name) : NULL;
	cd_buf prompt = CD_BUF_INIT;
	enum sloppy sloppy;

	(void)ud;
	(void)fault;
	if (!schema || !name) { /* an evaluation tool's requests (codicil export), or the
				   model under audit: FAKELLM_TARGET_REPLY */
		if (body)
			prompt_text(body, &prompt);
		if (body && outside_reply(cd_buf_cstr(&prompt))) {
			reply->content = answer.data;
		} else if (getenv("FAKELLM_TARGET_REPLY")) {
			cd_buf_reset(&answer);
			cd_buf_puts(&answer, getenv("FAKELLM_TARGET_REPLY"));
			reply->content = answer.data;
		}
		cd_buf_clear(&prompt);
		cJSON_Delete(body);
		return;
	}
	prompt_text(body, &prompt);
	sloppy = fakellm_sloppy_roll(name, req->body, req->body_len);
	if (!strcmp(name, "cases")) {
		cases_reply(schema, cd_buf_cstr(&prompt), req->n, sloppy);
		reply->content = answer.data;
	} else if (sloppy == SLOPPY_ALWAYS_INVALID) {
		cd_buf_reset(&answer);
		cd_buf_puts(&answer, "{}");
		reply->content = answer.data;
	} else if (!strcmp(name, "theories")) {
		theories_reply(schema, req->n);
		reply->content = answer.data;
	} else if (!strcmp(name, "judge")) {
		judge_reply(cd_buf_cstr(&prompt));
		reply->content = answer.data;
	} else if (!strcmp(name, "judge_batch")) {
		judge_batch_reply(schema, cd_buf_cstr(&prompt));
		reply->content = answer.data;
	} else if (!strcmp(name, "amend")) {
		amend_reply(schema, cd_buf_cstr(&prompt));
		reply->content = answer.data;
	} else if (!strcmp(name, "consequences")) {
		consequences_reply(schema, cd_buf_cstr(&prompt), req->n);
		reply->content = answer.data;
	} else if (!strcmp(name, "metacheck")) {
		metacheck_reply(schema, cd_buf_cstr(&prompt));
		reply->content = answer.data;
	} else if (!strcmp(name, "doctor_check")) {
		cd_buf_reset(&answer);
		cd_buf_puts(&answer, "{\"ok\":true,\"echo\":\"codicil\"}");
		reply->content = answer.data;
	} else if (!strcmp(name, "audit_scenarios")) {
		audit_scenarios_reply(schema);
		reply->content = answer.data;
	} else if (!strcmp(name, "audit_user")) {
		audit_user_reply(cd_buf_cstr(&prompt));
		reply->content = answer.data;
	} else if (!strcmp(name, "audit_judge")) {
		audit_judge_reply(body, schema, cd_buf_cstr(&prompt), sloppy);
		reply->content = answer.data;
	} else if (!strcmp(name, "argue")) {
		argue_reply();
		reply->content = answer.data;
	}
	if (reply->content == answer.data) {
		fakellm_sloppy_wrap(&answer, sloppy);
		reply->content = answer.data; /* it may have moved */
	}
	cd_buf_clear(&prompt);
	cJSON_Delete(body);
}
