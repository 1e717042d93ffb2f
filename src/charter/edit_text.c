/* edit_text.c — the new text for one structured edit.  Only the bytes the
 * edit is about change; inserted text uses the file's line ending and is
 * kept apart from its neighbours by blank lines. */
#include "edit.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static int is_eol(char c)
{
	return c == '\n' || c == '\r';
}

/* End of the line starting at i: just past its line ending. */
static size_t next_line(const char *s, size_t i, size_t end)
{
	while (i < end && !is_eol(s[i]))
		i++;
	if (i < end && s[i] == '\r')
		i++;
	else if (i < end)
		return i + 1;
	if (i < end && s[i] == '\n')
		i++;
	return i;
}

/* body with leading and trailing blank lines dropped, lines joined with
 * eol, ending with eol. */
int edit_body_text(const char *body, const char *eol, cd_buf *out)
{
	size_t len = strlen(body), i = 0, j, first = len, last = 0;
	int rc = 0;

	for (i = 0; i < len; i = j) {
		j = next_line(body, i, len);
		if (!text_is_blank(body + i, j - i)) {
			if (first == len)
				first = i;
			last = j;
		}
	}
	for (i = first; i < last && rc == 0; i = j) {
		size_t e;

		j = next_line(body, i, last);
		for (e = j; e > i && is_eol(body[e - 1]); e--)
			;
		rc = cd_buf_append(out, body + i, e - i) < 0 || cd_buf_puts(out, eol) < 0 ? -1 : 0;
	}
	return rc;
}

/* The new body region: the old leading and trailing blank lines stay, the
 * lines between are replaced; a blank line separates body from heading and
 * from a following heading. */
static int body_splice(const charter *c, const principle *p, const char *body, const char *eol,
		       cd_buf *r)
{
	size_t a = p->heading_end, z = p->body_end, i, j, lead = a, content_end = a;
	int seen = 0;

	for (i = a; i < z; i = j) {
		j = next_line(c->text, i, z);
		if (!text_is_blank(c->text + i, j - i))
			seen = 1, content_end = j;
		else if (!seen)
			lead = j;
	}
	if (a > 0 && !is_eol(c->text[a - 1]) && cd_buf_puts(r, eol) < 0)
		return -1;
	if (lead > a ? cd_buf_append(r, c->text + a, lead - a) : cd_buf_puts(r, eol))
		return -1;
	if (edit_body_text(body, eol, r) < 0)
		return -1;
	if (seen && content_end < z)
		return cd_buf_append(r, c->text + content_end, z - content_end);
	return z < c->len ? cd_buf_puts(r, eol) : 0;
}

static int title_splice(const charter *c, size_t t, const char *title, struct splice *s)
{
	const struct heading_src *src = &charter_impl_of(c)->src[t];
	size_t at = src->title_start;
	cd_buf r = CD_BUF_INIT;

	if (at > 0 && c->text[at - 1] == '#' && cd_buf_putc(&r, ' ') < 0)
		return -1;
	if (edit_trimmed(title, &r) < 0) {
		cd_buf_clear(&r);
		return -1;
	}
	s->start = at;
	s->end = src->title_end;
	s->repl_len = r.len;
	s->repl = cd_buf_detach(&r);
	return 0;
}

static int replace_splices(const charter *c, size_t t, const charter_edit *e, const char *eol,
			   struct splice *s, size_t *n)
{
	cd_buf r = CD_BUF_INIT;

	if (e->heading) {
		if (title_splice(c, t, e->heading, &s[(*n)++]) < 0)
			return -1;
		/* a new title would give an implicit id a new slug: pin the old id */
		if (!c->p[t].explicit_id) {
			struct splice *id = &s[*n];
			if (heading_id_splice(c, t, &s[(*n)++]) < 0)
				return -1;
			/* an empty title ("# "): the id's place, at the trimmed end of
			 * the line, is before the title's; it goes after the new one */
			if (id->start < id[-1].end)
				id->start = id->end = id[-1].end;
		}
	}
	if (!e->body)
		return 0;
	if (body_splice(c, &c->p[t], e->body, eol, &r) < 0) {
		cd_buf_clear(&r);
		return -1;
	}
	s[*n].start = c->p[t].heading_end;
	s[*n].end = c->p[t].body_end;
	s[*n].repl_len = r.len;
	s[(*n)++].repl = cd_buf_detach(&r);
	return 0;
}

static int insert_splice(const charter *c, size_t t, const charter_edit *e, int level,
			 const char *eol, struct splice *s)
{
	size_t at = c->p[t].end;
	cd_buf r = CD_BUF_INIT;
	int rc = 0;

	if (at > 0 && !is_eol(c->text[at - 1]))
		rc = cd_buf_printf(&r, "%s%s", eol, eol);
	else if (!text_blank_line_before(c->text, at))
		rc = cd_buf_puts(&r, eol);
	for (int i = 0; i < level && rc == 0; i++)
		rc = cd_buf_putc(&r, '#');
	if (rc == 0 && cd_buf_putc(&r, ' ') == 0 && edit_trimmed(e->heading, &r) == 0 &&
	    cd_buf_printf(&r, " {#%s}%s%s", e->new_id, eol, eol) == 0 &&
	    edit_body_text(e->body, eol, &r) == 0 && (at == c->len || cd_buf_puts(&r, eol) == 0)) {
		s->start = s->end = at;
		s->repl_len = r.len;
		s->repl = cd_buf_detach(&r);
		return 0;
	}
	cd_buf_clear(&r);
	return -1;
}

int edit_build_text(const charter *c, size_t t, const charter_edit *e, int level, cd_buf *out)
{
	struct splice s[3] = { { 0 } };
	const char *eol = text_eol(c->text, c->len);
	size_t n = 0;
	int rc = -1;

	switch (e->kind) {
	case CHARTER_EDIT_REPLACE:
		rc = replace_splices(c, t, e, eol, s, &n);
		break;
	case CHARTER_EDIT_INSERT_AFTER:
		rc = insert_splice(c, t, e, level, eol, &s[n++]);
		break;
	case CHARTER_EDIT_DELETE:
		s[n++] = (struct splice){ c->p[t].start, c->p[t].end, NULL, 0 };
		rc = 0;
		break;
	}
	if (rc == 0)
		rc = splice_apply(c->text, c->len, s, n, out);
	for (size_t i = 0; i < n; i++)
		free((char *)s[i].repl);
	return rc;
}
