/* edit.c — charter_apply: each edit is checked against the current text,
 * applied, re-parsed, and the result compared with what the edit promises
 * (the expected ids, titles and levels, in order).  Nothing is half done. */
#include "edit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

struct expect {
	const char *id;
	const char *title;
	int level;
};

static const char *kind_name(charter_edit_kind kind)
{
	switch (kind) {
	case CHARTER_EDIT_REPLACE:
		return "replace";
	case CHARTER_EDIT_INSERT_AFTER:
		return "insert after";
	case CHARTER_EDIT_DELETE:
		return "delete";
	}
	return "unknown";
}

__attribute__((format(printf, 3, 4)))
static int edit_fail(size_t k, const charter_edit *e, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cd_err_set("edit %zu (%s '%s'): %s", k, kind_name(e->kind), e->id ? e->id : "", msg);
	return -1;
}

int edit_trimmed(const char *s, cd_buf *out)
{
	size_t len = strlen(s);

	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	while (len && strchr(" \t\r\n", *s))
		s++, len--;
	return cd_buf_append(out, s, len);
}

static int blank(const char *s)
{
	return !s || text_is_blank(s, strlen(s));
}

static int multiline(const char *s)
{
	size_t b = 0, e = s ? strlen(s) : 0;

	while (e > b && strchr(" \t\r\n", s[e - 1]))
		e--;
	while (b < e && strchr(" \t\r\n", s[b]))
		b++;
	for (; b < e; b++)
		if (s[b] == '\r' || s[b] == '\n')
			return 1;
	return 0;
}

/* Index just past principle t's sub-principles. */
static size_t span_end_index(const charter *c, size_t t)
{
	size_t k = t + 1;

	while (k < c->n && c->p[k].start < c->p[t].end)
		k++;
	return k;
}

static int check_target(const charter *c, size_t k, const charter_edit *e, size_t *t)
{
	int i;

	if (!e->id || !*e->id)
		return edit_fail(k, e, "no target id given");
	i = charter_index(c, e->id);
	if (i < 0)
		return edit_fail(k, e, "no principle has id '%s'", e->id);
	for (size_t j = (size_t)i + 1; j < c->n; j++)
		if (strcmp(c->p[j].id, e->id) == 0)
			return edit_fail(k, e, "id '%s' is used twice (lines %zu and %zu); fix the "
				       "charter first", e->id, c->p[i].line, c->p[j].line);
	*t = (size_t)i;
	return 0;
}

static int check_insert(const charter *c, size_t k, const charter_edit *e, int level)
{
	int other;

	if (!e->new_id || !charter_id_valid(e->new_id))
		return edit_fail(k, e, "new id '%s' is not valid (use only A-Za-z0-9_.-)",
				 e->new_id ? e->new_id : "");
	other = charter_index(c, e->new_id);
	if (other >= 0)
		return edit_fail(k, e, "new id '%s' already exists (line %zu)", e->new_id,
				 c->p[other].line);
	if (level < 1 || level > 6)
		return edit_fail(k, e, "heading level %d of '%s' is outside 1..6", level, e->new_id);
	if (blank(e->heading))
		return edit_fail(k, e, "the heading of new principle '%s' is empty", e->new_id);
	if (multiline(e->heading))
		return edit_fail(k, e, "the heading of new principle '%s' must be one line",
				 e->new_id);
	if (blank(e->body))
		return edit_fail(k, e, "the body of new principle '%s' is empty", e->new_id);
	return 0;
}

static int check_replace(size_t k, const charter_edit *e)
{
	if (!e->heading && !e->body)
		return edit_fail(k, e, "nothing to replace: give a new body or heading");
	if (e->heading && blank(e->heading))
		return edit_fail(k, e, "the new heading of '%s' is empty", e->id);
	if (multiline(e->heading))
		return edit_fail(k, e, "the new heading of '%s' must be one line", e->id);
	if (e->body && blank(e->body))
		return edit_fail(k, e, "the new body of '%s' is empty", e->id);
	return 0;
}

static int check_edit(const charter *c, size_t k, const charter_edit *e, size_t *t, int *level)
{
	if (e->kind != CHARTER_EDIT_REPLACE && e->kind != CHARTER_EDIT_INSERT_AFTER &&
	    e->kind != CHARTER_EDIT_DELETE)
		return edit_fail(k, e, "unknown edit kind %d", (int)e->kind);
	if (check_target(c, k, e, t) < 0)
		return -1;
	*level = e->level ? e->level : c->p[*t].level;
	if (e->kind == CHARTER_EDIT_INSERT_AFTER)
		return check_insert(c, k, e, *level);
	if (e->kind == CHARTER_EDIT_REPLACE)
		return check_replace(k, e);
	return 0;
}

/* The principles the result must have, in order. */
static struct expect *expected(const charter *c, size_t t, const charter_edit *e, int level,
			       const char *title, size_t *n)
{
	struct expect *x = malloc((c->n + 1) * sizeof *x);
	size_t k = span_end_index(c, t), i;

	*n = 0;
	if (!x) {
		cd_err_set("out of memory");
		return NULL;
	}
	for (i = 0; i < c->n; i++) {
		if (e->kind == CHARTER_EDIT_DELETE && i >= t && i < k)
			continue;
		if (e->kind == CHARTER_EDIT_INSERT_AFTER && i == k)
			x[(*n)++] = (struct expect){ e->new_id, title, level };
		x[(*n)++] = (struct expect){ c->p[i].id, c->p[i].title, c->p[i].level };
		if (e->kind == CHARTER_EDIT_REPLACE && i == t && e->heading)
			x[*n - 1].title = title;
	}
	if (e->kind == CHARTER_EDIT_INSERT_AFTER && k == c->n)
		x[(*n)++] = (struct expect){ e->new_id, title, level };
	return x;
}

static int verify_one(const charter *r, size_t i, const struct expect *x, size_t k,
		      const charter_edit *e)
{
	const principle *p = &r->p[i];
	int first;

	if (strcmp(p->id, x->id) != 0)
		return edit_fail(k, e, "line %zu of the result would have id '%s' where '%s' was "
				 "expected; a body must not contain headings, and implicit ids "
				 "can shift (run `codicil fmt` first)", p->line, p->id, x->id);
	if (strcmp(p->title, x->title) != 0 || p->level != x->level)
		return edit_fail(k, e, "the heading of '%s' would read '%s' (level %d) instead of "
				 "'%s' (level %d); check for '#', '{' and missing blank lines",
				 x->id, p->title, p->level, x->title, x->level);
	first = charter_index(r, p->id);
	if (first >= 0 && (size_t)first != i)
		return edit_fail(k, e, "id '%s' would be used twice (lines %zu and %zu)", p->id,
				 r->p[first].line, p->line);
	return 0;
}

static int verify(const charter *r, const struct expect *x, size_t nx, size_t k,
		  const charter_edit *e)
{
	for (size_t i = 0; i < r->n || i < nx; i++) {
		if (i >= r->n)
			return edit_fail(k, e, "principle '%s' would be lost; check for unclosed "
					 "code fences or HTML blocks", x[i].id);
		if (i >= nx)
			return edit_fail(k, e, "the result would have an extra heading '%s' (line "
					 "%zu); a body must not contain headings", r->p[i].title,
					 r->p[i].line);
		if (verify_one(r, i, &x[i], k, e) < 0)
			return -1;
	}
	return 0;
}

static int apply_one(const charter *cur, size_t k, const charter_edit *e, charter **next)
{
	cd_buf text = CD_BUF_INIT, title = CD_BUF_INIT;
	struct expect *x = NULL;
	size_t t = 0, nx;
	int level = 0, rc = -1;

	*next = NULL;
	if (check_edit(cur, k, e, &t, &level) < 0)
		return -1;
	if (e->heading && edit_trimmed(e->heading, &title) < 0)
		goto out;
	if (edit_build_text(cur, t, e, level, &text) < 0 ||
	    charter_parse(cur->path, cd_buf_cstr(&text), text.len, next) < 0)
		goto out;
	x = expected(cur, t, e, level, cd_buf_cstr(&title), &nx);
	if (x && verify(*next, x, nx, k, e) == 0)
		rc = 0;
out:
	if (rc < 0) {
		charter_free(*next);
		*next = NULL;
	}
	free(x);
	cd_buf_clear(&text);
	cd_buf_clear(&title);
	return rc;
}

int charter_apply(const charter *c, const charter_edit *edits, size_t n, cd_buf *out)
{
	const charter *cur = c;
	charter *next;
	int rc = 0;

	cd_buf_reset(out);
	for (size_t k = 0; k < n && rc == 0; k++) {
		rc = apply_one(cur, k + 1, &edits[k], &next);
		if (cur != c)
			charter_free((charter *)cur);
		cur = rc == 0 ? next : c;
	}
	if (rc == 0)
		rc = charter_serialize(cur, out);
	if (cur != c)
		charter_free((charter *)cur);
	if (rc < 0)
		cd_buf_reset(out);
	return rc;
}
