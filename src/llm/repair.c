/* repair.c — be liberal in what a model sends: find the JSON in a reply,
 * and mend the parsed value toward its schema where the intent is plain.
 * Every change is one line of notes, so that what was mended is recorded
 * with the answer (journal, provenance). */
#include "llm_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim_span(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_space(s[*a]))
		(*a)++;
	while (*b > *a && is_space(s[*b - 1]))
		(*b)--;
}

static const char *find_fence(const char *s, size_t len)
{
	for (size_t i = 0; i + 3 <= len; i++)
		if (s[i] == '`' && s[i + 1] == '`' && s[i + 2] == '`')
			return s + i;
	return NULL;
}

/* "```json\n...\n```" anywhere in the text: the inside of the first fence. */
static int fenced(const char *s, size_t len, size_t *start, size_t *end)
{
	const char *open = find_fence(s, len), *close;
	size_t a, b;

	if (!open)
		return -1;
	a = (size_t)(open - s) + 3;
	while (a < len && (isalnum((unsigned char)s[a]) || s[a] == '_' || s[a] == '-'))
		a++; /* the language tag */
	close = find_fence(s + a, len - a);
	if (!close)
		return -1;
	b = (size_t)(close - s);
	trim_span(s, &a, &b);
	if (a == b || (s[a] != '{' && s[a] != '['))
		return -1;
	*start = a;
	*end = b;
	return 0;
}

/* The first balanced {...} from a '{', skipping over strings. */
static int balanced_from(const char *s, size_t len, size_t from, size_t *end)
{
	int depth = 0, in_string = 0;

	for (size_t i = from; i < len; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"')
			in_string = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0) {
			*end = i + 1;
			return 0;
		}
	}
	return -1;
}

int llm_find_json(const char *text, size_t len, size_t *start, size_t *end, const char **how)
{
	size_t a = 0, b = len;

	*how = NULL;
	trim_span(text, &a, &b);
	if (a < b && (text[a] == '{' || text[a] == '[') &&
	    (text[b - 1] == '}' || text[b - 1] == ']')) {
		*start = a;
		*end = b;
		return 0;
	}
	if (fenced(text + a, b - a, start, end) == 0) {
		*start += a;
		*end += a;
		*how = "fence";
		return 0;
	}
	for (const char *o = memchr(text + a, '{', b - a); o; o = memchr(o + 1, '{', (size_t)(text + b - o - 1))) {
		size_t from = (size_t)(o - text), to;
		cJSON *probe;

		if (balanced_from(text, b, from, &to) < 0)
			break;
		probe = cJSON_ParseWithLength(text + from, to - from);
		if (probe) {
			cJSON_Delete(probe);
			*start = from;
			*end = to;
			*how = "prose";
			return 0;
		}
	}
	*start = a;
	*end = b;
	return -1;
}

/* ---- mending toward the schema ---- */

typedef struct mender {
	cd_buf path;
	cd_buf *notes;
} mender;

static void note(mender *m, const char *fmt, const char *value)
{
	cd_buf v = CD_BUF_INIT;

	if (!m->notes)
		return;
	if (value)
		llm_error_text(value, strlen(value), 60, &v);
	if (cd_buf_failed(&m->path) || cd_buf_failed(&v)) {
		cd_buf_fail(m->notes); /* a note without its path would mislead */
		cd_buf_clear(&v);
		return;
	}
	cd_buf_printf(m->notes, "%s: ", cd_buf_cstr(&m->path));
	cd_buf_printf(m->notes, fmt, cd_buf_cstr(&v));
	cd_buf_putc(m->notes, '\n');
	cd_buf_clear(&v);
}

static int has_type(const cJSON *schema, const char *name)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type"), *t;

	if (cJSON_IsString(type))
		return !strcmp(type->valuestring, name);
	cJSON_ArrayForEach(t, type)
		if (cJSON_IsString(t) && !strcmp(t->valuestring, name))
			return 1;
	return 0;
}

static const cJSON *enum_match(const cJSON *options, const char *s, size_t len)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, options)
		if (cJSON_IsString(o) && strlen(o->valuestring) == len &&
		    !strncasecmp(o->valuestring, s, len))
			return o;
	return NULL;
}

/* " Privacy " for the enum value "privacy". */
static void mend_enum_string(mender *m, const cJSON *schema, cJSON *v)
{
	const cJSON *options = cJSON_GetObjectItemCaseSensitive(schema, "enum"), *hit;
	size_t a = 0, b;

	if (!cJSON_IsString(v) || !cJSON_IsArray(options))
		return;
	b = strlen(v->valuestring);
	trim_span(v->valuestring, &a, &b);
	hit = enum_match(options, v->valuestring + a, b - a);
	if (!hit || !strcmp(hit->valuestring, v->valuestring))
		return;
	note(m, "'%s' read as the allowed value", v->valuestring);
	cJSON_SetValuestring(v, hit->valuestring);
}

static void mend_number(mender *m, const cJSON *schema, cJSON *v)
{
	const cJSON *min = cJSON_GetObjectItemCaseSensitive(schema, "minimum");
	const cJSON *max = cJSON_GetObjectItemCaseSensitive(schema, "maximum");
	int integer = has_type(schema, "integer");
	double x;
	char *end;

	if (cJSON_IsString(v) && (integer || has_type(schema, "number")) && !has_type(schema, "string")) {
		x = strtod(v->valuestring, &end);
		if (end == v->valuestring || *end || !isfinite(x))
			return;
		note(m, "the number '%s' was given as a string", v->valuestring);
		v->type = cJSON_Number;
		free(v->valuestring);
		v->valuestring = NULL;
		cJSON_SetNumberValue(v, x);
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return;
	x = v->valuedouble;
	if (integer && x != floor(x))
		x = round(x);
	if (cJSON_IsNumber(min) && x < min->valuedouble)
		x = min->valuedouble;
	if (cJSON_IsNumber(max) && x > max->valuedouble)
		x = max->valuedouble;
	if (x != v->valuedouble) {
		char was[32];
		snprintf(was, sizeof was, "%g", v->valuedouble);
		note(m, "%s brought into the allowed range", was);
		cJSON_SetNumberValue(v, x);
	}
}

static void mend(mender *m, const cJSON *schema, cJSON *v);

static void mend_child(mender *m, const cJSON *schema, cJSON *v, const char *key, int index)
{
	size_t mark = m->path.len;

	if (key)
		llm_path_push_key(&m->path, key);
	else
		cd_buf_printf(&m->path, "[%d]", index);
	mend(m, schema, v);
	cd_buf_truncate(&m->path, mark);
}

static int repeated_before(const cJSON *arr, const cJSON *it)
{
	for (const cJSON *q = arr->child; q && q != it; q = q->next)
		if (cJSON_IsString(q) && !strcmp(q->valuestring, it->valuestring))
			return 1;
	return 0;
}

/* In an array that must hold one object for each value of an enum (a
 * verdict per principle, a check per rule: minItems = maxItems = the
 * enum's size), the property that enum constrains; else NULL. */
static const char *enum_key(const cJSON *schema)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items"), *p;
	const cJSON *lo = cJSON_GetObjectItemCaseSensitive(schema, "minItems");
	const cJSON *hi = cJSON_GetObjectItemCaseSensitive(schema, "maxItems");

	if (!cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) || lo->valuedouble != hi->valuedouble)
		return NULL;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(items, "properties")) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(p, "enum");
		if (cJSON_IsArray(e) && cJSON_GetArraySize(e) == (int)hi->valuedouble)
			return p->string;
	}
	return NULL;
}

/* An object item whose enum key names what an earlier item named (a
 * principle judged twice), or nothing the enum allows (a principle the
 * request did not ask about): dropped, so that what is left may fit. */
static int stray_item(mender *m, const cJSON *items, const char *key, cJSON *arr, cJSON *it,
		      int i)
{
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(it, key), *q;
	const char *why = NULL;
	size_t mark = m->path.len;

	if (!cJSON_IsString(val))
		return 0;
	if (!enum_match(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
									 items, "properties"), key),
				"enum"),
			val->valuestring, strlen(val->valuestring)))
		why = "dropped the item for '%s', which was not asked about";
	for (q = arr->child; !why && q && q != it; q = q->next) {
		const cJSON *other = cJSON_GetObjectItemCaseSensitive(q, key);
		if (cJSON_IsString(other) && !strcmp(other->valuestring, val->valuestring))
			why = "dropped the repeated item for '%s'";
	}
	if (!why)
		return 0;
	cd_buf_printf(&m->path, "[%d]", i);
	note(m, why, val->valuestring);
	cd_buf_truncate(&m->path, mark);
	cJSON_Delete(cJSON_DetachItemViaPointer(arr, it));
	return 1;
}

static void mend_array(mender *m, const cJSON *schema, cJSON *v)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
	const cJSON *max = cJSON_GetObjectItemCaseSensitive(schema, "maxItems");
	int i = 0, enum_items = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(items, "enum"));
	const char *key = enum_key(schema);
	cJSON *it, *next;

	for (it = v->child; it; it = next, i++) {
		next = it->next;
		mend_child(m, items, it, NULL, i);
		if (key && cJSON_IsObject(it) && stray_item(m, items, key, v, it, i))
			continue;
		if (enum_items && cJSON_IsString(it) && repeated_before(v, it)) {
			size_t mark = m->path.len;
			cd_buf_printf(&m->path, "[%d]", i);
			note(m, "dropped the repeated '%s'", it->valuestring);
			cd_buf_truncate(&m->path, mark);
			cJSON_Delete(cJSON_DetachItemViaPointer(v, it));
		}
	}
	if (cJSON_IsNumber(max) && max->valuedouble >= 1 && max->valuedouble < 1e9) {
		int keep = (int)max->valuedouble, n = cJSON_GetArraySize(v);
		if (n > keep) {
			char what[64];
			snprintf(what, sizeof what, "kept the first %d of %d items", keep, n);
			note(m, "%s", what);
			while (cJSON_GetArraySize(v) > keep)
				cJSON_DeleteItemFromArray(v, keep);
		}
	}
}

static void mend_object(mender *m, const cJSON *schema, cJSON *v)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
	const cJSON *extra = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
	cJSON *it, *next;

	for (it = v->child; it; it = next) {
		const cJSON *sub = cJSON_GetObjectItemCaseSensitive(props, it->string);
		next = it->next;
		if (!sub && cJSON_IsFalse(extra) && cJSON_IsObject(props)) {
			note(m, "dropped the property '%s' the schema does not have", it->string);
			cJSON_Delete(cJSON_DetachItemViaPointer(v, it));
			continue;
		}
		if (sub)
			mend_child(m, sub, it, it->string, 0);
	}
}

static void mend(mender *m, const cJSON *schema, cJSON *v)
{
	if (!cJSON_IsObject(schema))
		return;
	if (cJSON_IsString(v))
		mend_enum_string(m, schema, v);
	mend_number(m, schema, v);
	if (cJSON_IsArray(v))
		mend_array(m, schema, v);
	else if (cJSON_IsObject(v))
		mend_object(m, schema, v);
}

void llm_schema_repair(const cJSON *schema, cJSON *v, cd_buf *notes)
{
	mender m = { CD_BUF_INIT, notes };

	cd_buf_puts(&m.path, "$");
	mend(&m, schema, v);
	cd_buf_clear(&m.path);
}
