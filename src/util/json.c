#include "codicil/json.h"
#include "codicil/error.h"
#include "codicil/file.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

cJSON *cd_json_parse(const char *text, size_t len, const char *what)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);

	if (!j) {
		size_t off = end && end >= text ? (size_t)(end - text) : 0, line = 1;
		for (size_t i = 0; i < off && i < len; i++)
			line += text[i] == '\n';
		cd_err_set("%s: invalid JSON near line %zu", what, line);
	}
	return j;
}

cJSON *cd_json_read_file(const char *path)
{
	cd_buf b = CD_BUF_INIT;
	cJSON *j;

	if (cd_file_read(path, &b) < 0)
		return NULL;
	j = cd_json_parse(b.data, b.len, path);
	cd_buf_clear(&b);
	return j;
}

/* cJSON's formatted printer indents with tabs; records use two spaces. */
static int reindent(const char *s, cd_buf *out)
{
	int in_string = 0, escaped = 0, at_line_start = 1;

	for (; *s; s++) {
		if (at_line_start && !in_string && *s == '\t') {
			if (cd_buf_puts(out, "  ") < 0)
				return -1;
			continue;
		}
		at_line_start = 0;
		if (in_string) {
			if (escaped)
				escaped = 0;
			else if (*s == '\\')
				escaped = 1;
			else if (*s == '"')
				in_string = 0;
		} else if (*s == '"') {
			in_string = 1;
		} else if (*s == '\n') {
			at_line_start = 1;
		}
		if (*s == '\t' && !in_string && !at_line_start) {
			/* cJSON puts a tab after "key": */
			if (cd_buf_putc(out, ' ') < 0)
				return -1;
			continue;
		}
		if (cd_buf_putc(out, *s) < 0)
			return -1;
	}
	return 0;
}

int cd_json_print(const cJSON *j, cd_buf *out)
{
	char *s = cJSON_Print(j);
	int rc;

	if (!s) {
		cd_err_set("out of memory");
		return -1;
	}
	rc = reindent(s, out);
	free(s);
	return rc < 0 ? -1 : cd_buf_putc(out, '\n');
}

int cd_json_print_compact(const cJSON *j, cd_buf *out)
{
	char *s = cJSON_PrintUnformatted(j);
	int rc;

	if (!s) {
		cd_err_set("out of memory");
		return -1;
	}
	rc = cd_buf_puts(out, s);
	free(s);
	return rc;
}

int cd_json_write_file(const char *path, const cJSON *j)
{
	cd_buf b = CD_BUF_INIT;
	int rc = cd_json_print(j, &b);

	if (rc == 0)
		rc = cd_file_write_atomic(path, b.data, b.len);
	cd_buf_clear(&b);
	return rc;
}

const char *cd_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double cd_json_num(const cJSON *obj, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

/* A number from a file or a model may be anything a double holds: clamp
 * it, converting out of range is undefined behaviour. */
static double clamp(double v, double lo, double hi)
{
	return v != v ? 0 : v < lo ? lo : v > hi ? hi : v;
}

int cd_json_int(const cJSON *obj, const char *key, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? (int)clamp(v->valuedouble, INT_MIN, INT_MAX) : def;
}

long cd_json_long(const cJSON *obj, const char *key, long def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	/* LONG_MAX is not a double: stay a little below it */
	return cJSON_IsNumber(v) ? (long)clamp(v->valuedouble, -9.2e18, 9.2e18) : def;
}

int cd_json_bool(const cJSON *obj, const char *key, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

static int cmp_keys(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

cJSON *cd_json_canonical(const cJSON *j)
{
	cJSON *copy = cJSON_Duplicate(j, 1), *it;
	size_t n = 0, i = 0;
	cJSON **items;

	if (!copy || !(cJSON_IsObject(copy) || cJSON_IsArray(copy)))
		return copy;
	for (it = copy->child; it; it = it->next)
		n++;
	items = calloc(n ? n : 1, sizeof *items);
	if (!items) {
		cJSON_Delete(copy);
		return NULL;
	}
	for (it = copy->child; it; it = it->next)
		items[i++] = it;
	for (i = 0; i < n; i++) {
		cJSON *c = cd_json_canonical(items[i]);
		items[i]->next = items[i]->prev = NULL;
		cJSON_Delete(items[i]);
		items[i] = c;
	}
	if (cJSON_IsObject(copy))
		qsort(items, n, sizeof *items, cmp_keys);
	copy->child = n ? items[0] : NULL;
	for (i = 0; i < n; i++) {
		items[i]->prev = i ? items[i - 1] : items[n - 1];
		items[i]->next = i + 1 < n ? items[i + 1] : NULL;
	}
	free(items);
	return copy;
}

cJSON *cd_json_lines(const char *text)
{
	cJSON *a = cJSON_CreateArray();

	for (const char *p = text; a && p && *p;) {
		size_t n = strcspn(p, "\n");
		char *line = n ? strndup(p, n) : NULL;
		cJSON *item = line ? cJSON_CreateString(line) : NULL;

		free(line);
		if (n && !item) {
			cJSON_Delete(a);
			return NULL;
		}
		if (item)
			cJSON_AddItemToArray(a, item);
		p += n + (p[n] == '\n');
	}
	return a;
}

void cd_json_add_rounded(cJSON *obj, const char *key, double x, int digits)
{
	double scale = digits >= 0 ? pow(10, digits) : 1;

	if (!isfinite(x))
		cJSON_AddNullToObject(obj, key);
	else
		cJSON_AddNumberToObject(obj, key, digits >= 0 ? round(x * scale) / scale : x);
}

void cd_json_add_to(cJSON *obj, const char *key, double delta)
{
	cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsNumber(n))
		cJSON_SetNumberValue(n, n->valuedouble + delta);
	else if (!n)
		cJSON_AddNumberToObject(obj, key, delta);
}

cJSON *cd_json_child(cJSON *obj, const char *key)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsObject(c) ? c : c ? NULL : cJSON_AddObjectToObject(obj, key);
}
