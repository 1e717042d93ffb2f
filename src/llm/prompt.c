/* prompt.c — prompt templates: built-in or overridden per repository, and
 * {{name}} substitution. */
#include "codicil/prompt.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static size_t line_of(const char *text, const char *at)
{
	size_t line = 1;

	for (; text < at; text++)
		line += *text == '\n';
	return line;
}

/* At a "{{": the length of the name and *end just past "}}"; 0 when the
 * placeholder is malformed (error set). */
static size_t parse_placeholder(const char *what, const char *text, const char *p,
				const char *limit, const char **end)
{
	const char *name = p + 2, *q = name;

	while (q < limit && is_name_char(*q))
		q++;
	if (q == name || q + 2 > limit || q[0] != '}' || q[1] != '}') {
		cd_err_set("%s: line %zu: malformed placeholder (write {{name}} with a-z, 0-9, _)",
			   what, line_of(text, p));
		return 0;
	}
	*end = q + 2;
	return (size_t)(q - name);
}

/* Calls fn for every literal run and every placeholder of text, in order;
 * stops at the first failure. */
typedef int (*walk_fn)(void *ud, const char *lit, size_t litlen, const char *name,
		       size_t namelen);

static const char *find_open(const char *p, const char *limit)
{
	for (; (p = memchr(p, '{', (size_t)(limit - p))) && p + 1 < limit; p++)
		if (p[1] == '{')
			return p;
	return NULL;
}

static int walk(const char *what, const char *text, size_t len, walk_fn fn, void *ud)
{
	const char *p = text, *limit = text + len, *open, *end;
	size_t namelen;

	while ((open = find_open(p, limit))) {
		if (!(namelen = parse_placeholder(what, text, open, limit, &end)))
			return -1;
		if (fn(ud, p, (size_t)(open - p), open + 2, namelen) < 0)
			return -1;
		p = end;
	}
	return fn(ud, p, (size_t)(limit - p), NULL, 0);
}

/* ---- placeholder lists ---- */

static int has_line(const cd_buf *list, const char *name, size_t len)
{
	const char *s = cd_buf_cstr(list);

	for (const char *nl; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if ((size_t)(nl - s) == len && memcmp(s, name, len) == 0)
			return 1;
	}
	return 0;
}

static int collect(void *ud, const char *lit, size_t litlen, const char *name, size_t namelen)
{
	cd_buf *out = ud;

	if (!name || has_line(out, name, namelen))
		return 0;
	if (cd_buf_append(out, name, namelen) < 0 || cd_buf_putc(out, '\n') < 0)
		return -1;
	return 0;
}

int prompt_placeholders(const char *what, const char *text, size_t len, cd_buf *out)
{
	return walk(what, text, len, collect, out);
}

/* ---- loading ---- */

static int builtin_index(const char *name)
{
	for (int i = 0; cd_builtin_prompts[i].name; i++)
		if (strcmp(cd_builtin_prompts[i].name, name) == 0)
			return i;
	return -1;
}

static void no_such_template(const char *name)
{
	cd_buf list = CD_BUF_INIT;

	for (int i = 0; cd_builtin_prompts[i].name; i++)
		cd_buf_printf(&list, "%s%s", i ? ", " : "", cd_builtin_prompts[i].name);
	cd_err_set("no prompt template named '%s' (there are: %s)", name, cd_buf_cstr(&list));
	cd_buf_clear(&list);
}

static int name_ok(const char *name)
{
	if (!*name)
		return 0;
	for (; *name; name++)
		if (!is_name_char(*name) && *name != '-')
			return 0;
	return 1;
}

/* An override may only use placeholders that the program supplies: those
 * of the built-in template it replaces. */
static int check_override(const char *path, const cd_buf *text, int builtin)
{
	cd_buf known = CD_BUF_INIT, used = CD_BUF_INIT;
	const char *s, *nl;
	int rc = -1;

	if (prompt_placeholders("built-in", cd_builtin_prompts[builtin].text,
				cd_builtin_prompts[builtin].len, &known) < 0 ||
	    prompt_placeholders(path, cd_buf_cstr(text), text->len, &used) < 0)
		goto out;
	for (s = cd_buf_cstr(&used); *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!has_line(&known, s, (size_t)(nl - s))) {
			for (char *k = known.data; k && (k = strchr(k, '\n')); )
				*k = k[1] ? ',' : '\0';
			cd_err_set("%s: unknown placeholder {{%.*s}} (known: %s)", path,
				   (int)(nl - s), s, cd_buf_cstr(&known));
			goto out;
		}
	}
	rc = 0;
out:
	cd_buf_clear(&known);
	cd_buf_clear(&used);
	return rc;
}

static int read_override(const char *path, int builtin, cd_buf *text)
{
	if (cd_file_read(path, text) < 0)
		return -1;
	if (!cd_utf8_valid(cd_buf_cstr(text), text->len) || memchr(cd_buf_cstr(text), 0, text->len)) {
		cd_err_set("%s: not UTF-8 text; fix or delete the file to use the built-in template",
			   path);
		return -1;
	}
	return check_override(path, text, builtin);
}

static int fill(prompt *out, const char *name, char *text, size_t len, const char *origin)
{
	out->name = strdup(name);
	out->origin = strdup(origin);
	out->text = text;
	out->len = len;
	if (!out->name || !out->origin || !out->text) {
		prompt_clear(out);
		cd_err_set("out of memory");
		return -1;
	}
	cd_sha256_hex(out->text, out->len, out->sha256);
	return 0;
}

int prompt_load(const char *repo_workdir, const char *name, prompt *out)
{
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	int builtin, rc = -1;

	memset(out, 0, sizeof *out);
	if (!name_ok(name) || (builtin = builtin_index(name)) < 0) {
		no_such_template(name);
		return -1;
	}
	if (repo_workdir && (cd_path_join(&path, repo_workdir, "prompts") < 0 ||
			     cd_buf_printf(&path, "/%s.txt", name) < 0))
		goto out;
	if (repo_workdir && cd_file_exists(path.data)) {
		if (read_override(path.data, builtin, &text) == 0) {
			size_t len = text.len; /* before the detach */
			rc = fill(out, name, cd_buf_detach(&text), len, path.data);
		}
	} else {
		rc = fill(out, name, strndup(cd_builtin_prompts[builtin].text,
					     cd_builtin_prompts[builtin].len),
			  cd_builtin_prompts[builtin].len, "built-in");
	}
out:
	cd_buf_clear(&path);
	cd_buf_clear(&text);
	return rc;
}

void prompt_clear(prompt *p)
{
	free(p->name);
	free(p->text);
	free(p->origin);
	memset(p, 0, sizeof *p);
}

/* ---- rendering ---- */

/* Values sit inside <tag>...</tag> blocks that the templates declare to be
 * data.  A value must not be able to close its block early, so every "</"
 * in it is written as "<\/": the text stays readable, the tag is gone. */
static int put_value(cd_buf *out, const char *v)
{
	const char *close;

	while ((close = strstr(v, "</"))) {
		if (cd_buf_append(out, v, (size_t)(close - v)) < 0 || cd_buf_puts(out, "<\\/") < 0)
			return -1;
		v = close + 2;
	}
	return cd_buf_puts(out, v);
}

typedef struct render {
	const prompt *p;
	const prompt_var *vars;
	size_t n;
	cd_buf *out;
} render;

static int emit(void *ud, const char *lit, size_t litlen, const char *name, size_t namelen)
{
	render *r = ud;
	size_t i;

	if (cd_buf_append(r->out, lit, litlen) < 0)
		return -1;
	if (!name)
		return 0;
	for (i = 0; i < r->n; i++)
		if (strlen(r->vars[i].name) == namelen && memcmp(r->vars[i].name, name, namelen) == 0)
			break;
	if (i == r->n || !r->vars[i].value) {
		cd_err_set("prompt %s (%s): no value for {{%.*s}}", r->p->name, r->p->origin,
			   (int)namelen, name);
		return -1;
	}
	return put_value(r->out, r->vars[i].value);
}

int prompt_render(const prompt *p, const prompt_var *vars, size_t n, cd_buf *out)
{
	cd_buf tmp = CD_BUF_INIT;
	render r = { p, vars, n, &tmp };
	char what[256];
	int rc;

	snprintf(what, sizeof what, "prompt %s (%s)", p->name, p->origin);
	rc = walk(what, p->text, p->len, emit, &r);
	if (rc == 0)
		rc = cd_buf_append(out, cd_buf_cstr(&tmp), tmp.len);
	cd_buf_clear(&tmp);
	return rc;
}

size_t prompt_stable_len(const char *rendered)
{
	static const char end[] = "\n</charter>\n";
	const char *at = rendered ? strstr(rendered, end) : NULL;

	return at ? (size_t)(at - rendered) + sizeof end - 1 : 0;
}
