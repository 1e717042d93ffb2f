/* fmt.c — charter_fmt: write every implicit id into its heading. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

/* Where and what to write so that principle i carries its id explicitly:
 * "#id " into an existing attribute block, else " {#id}" after the heading
 * text.  repl is allocated. */
int heading_id_splice(const charter *c, size_t i, struct splice *s)
{
	return heading_id_splice_as(c, i, c->p[i].id, s);
}

int heading_id_splice_as(const charter *c, size_t i, const char *id, struct splice *s)
{
	const principle *p = &c->p[i];
	const struct heading_src *src = &charter_impl_of(c)->src[i];
	cd_buf r = CD_BUF_INIT;
	int has_block = p->attr_start < p->attr_end;

	if (has_block ? cd_buf_printf(&r, "#%s ", id) : cd_buf_printf(&r, " {#%s}", id)) {
		cd_buf_clear(&r);
		return -1;
	}
	s->start = s->end = has_block ? p->attr_start + 1 : src->fmt_at;
	s->repl_len = r.len;
	s->repl = cd_buf_detach(&r);
	return 0;
}

struct taken_ctx {
	const charter *c;
	char *const *chosen;
};

static int id_taken(void *ud, const char *id)
{
	const struct taken_ctx *t = ud;

	if (charter_find(t->c, id))
		return 1;
	for (size_t k = 0; k < t->c->n; k++)
		if (t->chosen[k] && !strcmp(t->chosen[k], id))
			return 1;
	return 0;
}

/* An id for a heading whose slug has characters outside the id alphabet:
 * accents folded, other runs made '-', and unique in the charter ("café
 * au lait" -> cafe-au-lait; nothing left -> principle-LINE). */
static char *ascii_id(const charter *c, size_t i, char *const *chosen)
{
	struct taken_ctx t = { c, chosen };
	char fallback[40];

	snprintf(fallback, sizeof fallback, "principle-%zu", c->p[i].line);
	return charter_make_id(c->p[i].id, fallback, id_taken, &t);
}

static void free_splices(struct splice *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)s[i].repl);
	free(s);
}

/* The formatted text must keep every id (or carry the ASCII id chosen for
 * it, in want[i]); anything else is a bug here. */
static int check_ids_kept(const charter *c, const cd_buf *text, char **want)
{
	charter *after;
	int rc = 0;

	if (charter_parse(c->path, text->data, text->len, &after) < 0)
		return -1;
	if (after->n != c->n)
		rc = -1;
	for (size_t i = 0; i < c->n && rc == 0; i++)
		if (strcmp(after->p[i].id, want[i] ? want[i] : c->p[i].id) != 0 ||
		    !after->p[i].explicit_id)
			rc = -1;
	if (rc < 0)
		cd_err_set("%s: formatting would change the headings; nothing was written",
			   c->path);
	charter_free(after);
	return rc;
}

int charter_fmt(const charter *c, cd_buf *out, size_t *changed)
{
	struct splice *s = calloc(c->n ? c->n : 1, sizeof *s);
	char **want = calloc(c->n ? c->n : 1, sizeof *want);
	size_t n = 0, mark = out->len;
	cd_buf text = CD_BUF_INIT;
	int rc = -1;

	*changed = 0;
	if (!s || !want) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (c->p[i].explicit_id)
			continue;
		if (charter_impl_of(c)->src[i].attr_error) {
			cd_err_set("%s:%zu: malformed attribute block (%s); fix it before formatting",
				   c->path, charter_impl_of(c)->src[i].attr_line,
				   charter_impl_of(c)->src[i].attr_error);
			goto out;
		}
		if (!charter_id_valid(c->p[i].id) && !(want[i] = ascii_id(c, i, want)))
			goto out;
		if (heading_id_splice_as(c, i, want[i] ? want[i] : c->p[i].id, &s[n]) < 0)
			goto out;
		n++;
	}
	if (splice_apply(c->text, c->len, s, n, &text) < 0 || (n && check_ids_kept(c, &text, want) < 0))
		goto out;
	if (cd_buf_append(out, text.data ? text.data : "", text.len) < 0)
		goto out;
	*changed = n;
	rc = 0;
out:
	if (rc < 0)
		cd_buf_truncate(out, mark);
	cd_buf_clear(&text);
	free_splices(s, n);
	for (size_t i = 0; want && i < c->n; i++)
		free(want[i]);
	free(want);
	return rc;
}
