/* fmt.c — charter_fmt: write every implicit id into its heading. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

/* Where and what to write so that principle i carries its id explicitly:
 * "#id " into an existing attribute block, else " {#id}" after the heading
 * text.  repl is allocated. */
int heading_id_splice(const charter *c, size_t i, struct splice *s)
{
	const principle *p = &c->p[i];
	const struct heading_src *src = &charter_impl_of(c)->src[i];
	cd_buf r = CD_BUF_INIT;
	int has_block = p->attr_start < p->attr_end;

	if (has_block ? cd_buf_printf(&r, "#%s ", p->id) : cd_buf_printf(&r, " {#%s}", p->id)) {
		cd_buf_free(&r);
		return -1;
	}
	s->start = s->end = has_block ? p->attr_start + 1 : src->fmt_at;
	s->repl_len = r.len;
	s->repl = cd_buf_detach(&r);
	return 0;
}

static void free_splices(struct splice *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)s[i].repl);
	free(s);
}

/* The formatted text must keep every id; anything else is a bug here. */
static int check_ids_kept(const charter *c, const cd_buf *text)
{
	charter *after;
	int rc = 0;

	if (charter_parse(c->path, text->data, text->len, &after) < 0)
		return -1;
	if (after->n != c->n)
		rc = -1;
	for (size_t i = 0; i < c->n && rc == 0; i++)
		if (strcmp(after->p[i].id, c->p[i].id) != 0 || !after->p[i].explicit_id)
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
	size_t n = 0, mark = out->len;
	cd_buf text = CD_BUF_INIT;
	int rc = -1;

	*changed = 0;
	if (!s) {
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
		if (heading_id_splice(c, i, &s[n]) < 0)
			goto out;
		n++;
	}
	if (splice_apply(c->text, c->len, s, n, &text) < 0 || (n && check_ids_kept(c, &text) < 0))
		goto out;
	if (cd_buf_append(out, text.data ? text.data : "", text.len) < 0)
		goto out;
	*changed = n;
	rc = 0;
out:
	if (rc < 0 && out->data) {
		out->len = mark;
		out->data[mark] = '\0';
	}
	cd_buf_free(&text);
	free_splices(s, n);
	return rc;
}
