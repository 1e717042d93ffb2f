/* validate.c — what a user must fix, as "path:line: message" lines. */
#include "internal.h"

#include <stdint.h>
#include <string.h>

#include "codicil/utf8.h"

static int report_attrs(const charter *c, size_t i, cd_buf *out)
{
	const struct heading_src *src = &charter_impl_of(c)->src[i];

	if (!src->attr_error)
		return 0;
	cd_buf_printf(out, "%s:%zu: malformed attribute block in heading '%s': %s\n", c->path,
		      src->attr_line, c->p[i].title, src->attr_error);
	return 1;
}

static int report_id_chars(const charter *c, const principle *p, cd_buf *out)
{
	if (charter_id_valid(p->id))
		return 0;
	if (p->explicit_id)
		cd_buf_printf(out, "%s:%zu: id '%s' has characters outside [A-Za-z0-9_.-]\n",
			      c->path, p->line, p->id);
	else
		cd_buf_printf(out,
			      "%s:%zu: heading '%s' has no {#id} and its slug '%s' has characters "
			      "outside [A-Za-z0-9_.-]; add an explicit {#id} or run 'codicil fmt'\n",
			      c->path, p->line, p->title, p->id);
	return 1;
}

static int report_duplicate(const charter *c, size_t i, cd_buf *out)
{
	int first = charter_index(c, c->p[i].id);

	if (first < 0 || (size_t)first == i)
		return 0;
	cd_buf_printf(out, "%s:%zu: duplicate id '%s' (first used on line %zu)\n", c->path,
		      c->p[i].line, c->p[i].id, c->p[first].line);
	return 1;
}

/* Text that is not UTF-8 cannot be sent to a model (JSON is UTF-8). */
static int report_encoding(const charter *c, cd_buf *out)
{
	size_t i = 0, n, line = 1;
	uint32_t cp;

	while (i < c->len && (n = cd_utf8_decode(c->text + i, c->len - i, &cp)) > 0) {
		line += c->text[i] == '\n';
		i += n;
	}
	if (i == c->len)
		return 0;
	cd_buf_printf(out, "%s:%zu: not UTF-8 at byte offset %zu; convert the file (iconv -f "
		      "latin1 -t utf-8)\n", c->path, line, i);
	return 1;
}

static size_t validate(const charter *c, int id_chars, cd_buf *out)
{
	size_t problems = (size_t)report_encoding(c, out);

	for (size_t i = 0; i < c->n; i++) {
		int bad_attrs = report_attrs(c, i, out);

		problems += (size_t)bad_attrs;
		if (!bad_attrs && id_chars)
			problems += (size_t)report_id_chars(c, &c->p[i], out);
		problems += (size_t)report_duplicate(c, i, out);
	}
	return problems;
}

size_t charter_validate(const charter *c, cd_buf *out)
{
	return validate(c, 1, out);
}

size_t charter_validate_structure(const charter *c, cd_buf *out)
{
	return validate(c, 0, out);
}
