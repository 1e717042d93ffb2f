/* schema.c — structured replies: unwrap, parse, and check against the JSON
 * schema subset codicil's prompts use. */
#include "codicil/utf8.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "llm_internal.h"

#include <ctype.h>
#include <regex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_problems(const llm_request *req, llm_response *out)
{
	cd_buf errors = CD_BUF_INIT, line = CD_BUF_INIT;
	int rc = 0;

	if (!req->check || !req->check->validate ||
	    req->check->validate(req->check->ud, out->json, &errors) == 0)
		goto out;
	/* one line for the user and for the re-ask: "e1; e2; e3" */
	for (char *p = errors.data; p && *p;) {
		size_t n = strcspn(p, "\n");
		if (n)
			cd_buf_printf(&line, "%s%.*s", line.len ? "; " : "", (int)n, p);
		p += n + (p[n] == '\n');
	}
	rc = llm_response_fail(out, LLM_ERR_INVALID, "the reply is not usable: %s",
			       line.len ? line.data : "rejected by its check");
out:
	cd_buf_clear(&errors);
	cd_buf_clear(&line);
	return rc;
}

/* Parse the JSON in out->text, which becomes that JSON alone (the raw
 * body stays in out->body); notes what had to be cut away. */
static int parse_reply(llm_response *out, cd_buf *notes)
{
	const char *text = out->text ? out->text : "", *how;
	size_t len = strlen(text), a, b;
	char *json;

	llm_find_json(text, len, &a, &b, &how);
	out->json = cd_json_parse(text + a, b - a, "the reply");
	if (!out->json)
		return llm_response_fail(out, LLM_ERR_INVALID, "%s, not the JSON asked for",
					 cd_err_msg());
	if (how)
		cd_buf_printf(notes, "$: took the JSON out of the %s around it\n",
			      !strcmp(how, "fence") ? "code fence" : "prose");
	if (a > 0 || b < len) {
		if (!(json = strndup(text + a, b - a)))
			return llm_response_fail(out, LLM_ERR_PARSE, "out of memory reading the reply");
		free(out->text);
		out->text = json;
	}
	return 0;
}

int llm_structured_finish(const llm_request *req, llm_response *out)
{
	cd_buf path = CD_BUF_INIT, notes = CD_BUF_INIT;
	int rc = -1;

	free(out->repairs);
	out->repairs = NULL;
	if (!out->json && parse_reply(out, &notes) < 0)
		goto out;
	if (req->schema)
		llm_schema_repair(req->schema, out->json, &notes);
	if (req->check && req->check->repair)
		req->check->repair(req->check->ud, out->json, &notes);
	if (req->schema && llm_schema_validate(req->schema, out->json, &path) < 0) {
		llm_response_fail(out, LLM_ERR_INVALID, "the reply does not match the schema: %s",
				  cd_err_msg());
		goto out;
	}
	if (check_problems(req, out) < 0)
		goto out;
	if (cd_buf_failed(&notes)) { /* what was mended is provenance: never lost */
		llm_response_fail(out, LLM_ERR_PARSE, "out of memory noting the repairs");
		goto out;
	}
	out->status = LLM_OK;
	rc = 0;
out:
	if (rc < 0) {
		cJSON_Delete(out->json);
		out->json = NULL;
	}
	if (notes.len && !cd_buf_failed(&notes))
		out->repairs = cd_buf_detach(&notes);
	cd_buf_clear(&notes);
	cd_buf_clear(&path);
	return rc;
}

/* ---- validation ---- */

static int type_matches(const char *type, const cJSON *v)
{
	if (!strcmp(type, "object"))
		return cJSON_IsObject(v);
	if (!strcmp(type, "array"))
		return cJSON_IsArray(v);
	if (!strcmp(type, "string"))
		return cJSON_IsString(v);
	if (!strcmp(type, "number"))
		return cJSON_IsNumber(v);
	if (!strcmp(type, "integer"))
		return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
		       floor(v->valuedouble) == v->valuedouble;
	if (!strcmp(type, "boolean"))
		return cJSON_IsBool(v);
	if (!strcmp(type, "null"))
		return cJSON_IsNull(v);
	return 1; /* an unknown type name constrains nothing */
}

static const char *kind(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

static int fail(const cd_buf *path, cd_buf *err_path, const char *what)
{
	if (err_path) {
		cd_buf_reset(err_path);
		cd_buf_puts(err_path, cd_buf_cstr(path));
	}
	cd_err_set("%s: %s", cd_buf_cstr(path), what);
	return -1;
}

static int check_type(const cJSON *schema, const cJSON *v, const cd_buf *path, cd_buf *err)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type"), *t;
	char what[160];

	if (cJSON_IsString(type)) {
		if (type_matches(type->valuestring, v))
			return 0;
		snprintf(what, sizeof what, "expected %.40s, got %s", type->valuestring, kind(v));
		return fail(path, err, what);
	}
	if (!cJSON_IsArray(type))
		return 0;
	cJSON_ArrayForEach(t, type)
		if (cJSON_IsString(t) && type_matches(t->valuestring, v))
			return 0;
	snprintf(what, sizeof what, "%s is not of an allowed type", kind(v));
	return fail(path, err, what);
}

static int check_enum(const cJSON *schema, const cJSON *v, const cd_buf *path, cd_buf *err)
{
	const cJSON *options = cJSON_GetObjectItemCaseSensitive(schema, "enum"), *o;
	cd_buf what = CD_BUF_INIT;
	int n = 0;

	if (!cJSON_IsArray(options))
		return 0;
	cJSON_ArrayForEach(o, options)
		if (cJSON_Compare(o, v, 1))
			return 0;
	if (cJSON_IsString(v)) {
		cd_buf_putc(&what, '"');
		llm_error_text(v->valuestring, strlen(v->valuestring), 40, &what);
		cd_buf_puts(&what, "\" ");
	}
	cd_buf_puts(&what, "is not one of the allowed values (");
	cJSON_ArrayForEach(o, options) {
		if (n++ == 8) {
			cd_buf_puts(&what, ", ...");
			break;
		}
		if (cJSON_IsString(o))
			cd_buf_printf(&what, "%s%.40s", n > 1 ? ", " : "", o->valuestring);
	}
	cd_buf_putc(&what, ')');
	fail(path, err, cd_buf_cstr(&what));
	cd_buf_clear(&what);
	return -1;
}

/* "pattern": a POSIX extended regular expression (the ids codicil asks
 * for are simple enough for it). */
static int check_pattern(const cJSON *schema, const cJSON *v, const cd_buf *path, cd_buf *err)
{
	const char *pattern = cd_json_str(schema, "pattern");
	regex_t re;
	int match;
	cd_buf what = CD_BUF_INIT;

	if (!pattern || !cJSON_IsString(v) || regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return 0;
	match = regexec(&re, v->valuestring, 0, NULL, 0) == 0;
	regfree(&re);
	if (match)
		return 0;
	cd_buf_putc(&what, '"');
	llm_error_text(v->valuestring, strlen(v->valuestring), 40, &what);
	cd_buf_printf(&what, "\" does not match the pattern %.60s", pattern);
	fail(path, err, cd_buf_cstr(&what));
	cd_buf_clear(&what);
	return -1;
}

static int check_number(const cJSON *schema, const cJSON *v, const cd_buf *path, cd_buf *err)
{
	const cJSON *min = cJSON_GetObjectItemCaseSensitive(schema, "minimum");
	const cJSON *max = cJSON_GetObjectItemCaseSensitive(schema, "maximum");
	char what[160];

	if (!cJSON_IsNumber(v))
		return 0;
	if (cJSON_IsNumber(min) && v->valuedouble < min->valuedouble) {
		snprintf(what, sizeof what, "%g is below the minimum %g", v->valuedouble,
			 min->valuedouble);
		return fail(path, err, what);
	}
	if (cJSON_IsNumber(max) && v->valuedouble > max->valuedouble) {
		snprintf(what, sizeof what, "%g is above the maximum %g", v->valuedouble,
			 max->valuedouble);
		return fail(path, err, what);
	}
	return 0;
}

/* minLength/maxLength for strings (in characters), minItems/maxItems for
 * arrays. */
static int check_size(const cJSON *schema, const cJSON *v, const cd_buf *path, cd_buf *err)
{
	const char *lo_key = cJSON_IsString(v) ? "minLength" : "minItems";
	const char *hi_key = cJSON_IsString(v) ? "maxLength" : "maxItems";
	const char *unit = cJSON_IsString(v) ? "characters" : "items";
	double lo, hi;
	size_t n;
	char what[160];

	if (!cJSON_IsString(v) && !cJSON_IsArray(v))
		return 0;
	n = cJSON_IsString(v) ? cd_utf8_chars(v->valuestring) : (size_t)cJSON_GetArraySize(v);
	lo = cd_json_num(schema, lo_key, 0);
	hi = cd_json_num(schema, hi_key, -1);
	if ((double)n < lo) {
		snprintf(what, sizeof what, "%zu %s, fewer than the %s of %g", n, unit, lo_key, lo);
		return fail(path, err, what);
	}
	if (hi >= 0 && (double)n > hi) {
		snprintf(what, sizeof what, "%zu %s, more than the %s of %g", n, unit, hi_key, hi);
		return fail(path, err, what);
	}
	return 0;
}

static int validate(const cJSON *schema, const cJSON *v, cd_buf *path, cd_buf *err);

void llm_path_push_key(cd_buf *path, const char *key)
{
	int plain = isalpha((unsigned char)key[0]) || key[0] == '_';

	for (const char *p = key; plain && *p; p++)
		plain = isalnum((unsigned char)*p) || *p == '_';
	if (plain && strlen(key) <= 64) {
		cd_buf_printf(path, ".%s", key);
		return;
	}
	/* a model's key: inert and short, never half a character */
	cd_buf_puts(path, "[\"");
	llm_error_text(key, strlen(key), 64, path);
	cd_buf_puts(path, "\"]");
}

static int validate_child(const cJSON *schema, const cJSON *v, cd_buf *path, cd_buf *err,
			  const char *key, int index)
{
	size_t mark = path->len;
	int rc;

	if (key)
		llm_path_push_key(path, key);
	else
		cd_buf_printf(path, "[%d]", index);
	rc = validate(schema, v, path, err);
	cd_buf_truncate(path, mark);
	return rc;
}

static int check_items(const cJSON *schema, const cJSON *v, cd_buf *path, cd_buf *err)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items"), *it;
	int i = 0;

	if (!cJSON_IsArray(v) || !cJSON_IsObject(items))
		return 0;
	cJSON_ArrayForEach(it, v)
		if (validate_child(items, it, path, err, NULL, i++) < 0)
			return -1;
	return 0;
}

static int check_object(const cJSON *schema, const cJSON *v, cd_buf *path, cd_buf *err)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
	const cJSON *extra = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(schema, "required"), *it;

	if (!cJSON_IsObject(v))
		return 0;
	cJSON_ArrayForEach(it, req) {
		if (!cJSON_IsString(it) || cJSON_GetObjectItemCaseSensitive(v, it->valuestring))
			continue;
		size_t mark = path->len;
		llm_path_push_key(path, it->valuestring);
		fail(path, err, "required property is missing");
		cd_buf_truncate(path, mark);
		return -1;
	}
	cJSON_ArrayForEach(it, v) {
		const cJSON *sub = cJSON_GetObjectItemCaseSensitive(props, it->string);

		if (!sub && cJSON_IsFalse(extra)) {
			llm_path_push_key(path, it->string);
			return fail(path, err, "property not allowed by the schema");
		}
		if (!sub && cJSON_IsObject(extra))
			sub = extra;
		if (sub && validate_child(sub, it, path, err, it->string, 0) < 0)
			return -1;
	}
	return 0;
}

static int validate(const cJSON *schema, const cJSON *v, cd_buf *path, cd_buf *err)
{
	if (!cJSON_IsObject(schema))
		return 0;
	if (check_type(schema, v, path, err) < 0 || check_enum(schema, v, path, err) < 0 ||
	    check_pattern(schema, v, path, err) < 0 || check_number(schema, v, path, err) < 0 || check_size(schema, v, path, err) < 0 ||
	    check_items(schema, v, path, err) < 0 || check_object(schema, v, path, err) < 0)
		return -1;
	return 0;
}

int llm_schema_validate(const cJSON *schema, const cJSON *value, cd_buf *err_path)
{
	cd_buf path = CD_BUF_INIT;
	int rc;

	cd_buf_puts(&path, "$");
	rc = validate(schema, value, &path, err_path);
	cd_buf_clear(&path);
	return rc;
}
