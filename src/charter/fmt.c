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
	return heading_id_splice_as(c, i, c->p[i].id, s);
}

int heading_id_splice_as(const charter *c, size_t i, const char *id, struct splice *s)
{
	const principle *p = &c->p[i];
	const struct heading_src *src = &charter_impl_of(c)->src[i];
	cd_buf r = CD_BUF_INIT;
	int has_block = p->attr_start < p->attr_end;

	if (has_block ? cd_buf_printf(&r, "#%s ", id) : cd_buf_printf(&r, " {#%s}", id)) {
		cd_buf_free(&r);
		return -1;
	}
	s->start = s->end = has_block ? p->attr_start + 1 : src->fmt_at;
	s->repl_len = r.len;
	s->repl = cd_buf_detach(&r);
	return 0;
}

/* Latin letters with accents, folded to ASCII for ids (UTF-8 in, ASCII
 * out); anything else that is not an id character separates words. */
static const char *fold_latin(const unsigned char *p, size_t *len)
{
	static const struct { const char *from, *to; } folds[] = {
		{ "à", "a" }, { "á", "a" }, { "â", "a" }, { "ã", "a" }, { "ä", "a" }, { "å", "a" },
		{ "æ", "ae" }, { "ç", "c" }, { "è", "e" }, { "é", "e" }, { "ê", "e" }, { "ë", "e" },
		{ "ì", "i" }, { "í", "i" }, { "î", "i" }, { "ï", "i" }, { "ñ", "n" }, { "ò", "o" },
		{ "ó", "o" }, { "ô", "o" }, { "õ", "o" }, { "ö", "o" }, { "ø", "o" }, { "œ", "oe" },
		{ "ù", "u" }, { "ú", "u" }, { "û", "u" }, { "ü", "u" }, { "ý", "y" }, { "ÿ", "y" },
		{ "ß", "ss" },
	};

	for (size_t k = 0; k < sizeof folds / sizeof *folds; k++) {
		size_t n = strlen(folds[k].from);
		if (!strncmp((const char *)p, folds[k].from, n)) {
			*len = n;
			return folds[k].to;
		}
	}
	*len = 1;
	while ((p[*len] & 0xc0) == 0x80)
		(*len)++;
	return NULL;
}

/* An id for a heading whose slug has characters outside the id alphabet:
 * accents folded, other runs made '-', and unique in the charter ("café
 * au lait" -> cafe-au-lait; nothing left -> principle-LINE). */
static int id_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '-';
}

static int id_taken(const charter *c, char *const *chosen, const char *id)
{
	if (charter_find(c, id))
		return 1;
	for (size_t k = 0; k < c->n; k++)
		if (chosen[k] && !strcmp(chosen[k], id))
			return 1;
	return 0;
}

static char *ascii_id(const charter *c, size_t i, char *const *chosen)
{
	const unsigned char *p = (const unsigned char *)c->p[i].id;
	cd_buf id = CD_BUF_INIT, try = CD_BUF_INIT;
	size_t n;

	while (*p) {
		const char *f = *p >= 0x80 ? fold_latin(p, &n) : NULL;
		if (*p < 0x80) {
			n = 1;
			if (id_char(*p))
				cd_buf_putc(&id, (char)*p);
			else if (id.len && id.data[id.len - 1] != '-')
				cd_buf_putc(&id, '-');
		} else if (f) {
			cd_buf_puts(&id, f);
		} else if (id.len && id.data[id.len - 1] != '-') {
			cd_buf_putc(&id, '-');
		}
		p += n;
	}
	while (id.len && id.data[id.len - 1] == '-')
		id.data[--id.len] = '\0';
	if (!id.len)
		cd_buf_printf(&id, "principle-%zu", c->p[i].line);
	cd_buf_puts(&try, cd_buf_cstr(&id));
	for (int k = 2; id_taken(c, chosen, try.data); k++) {
		cd_buf_reset(&try);
		cd_buf_printf(&try, "%s-%d", id.data, k);
	}
	cd_buf_free(&id);
	return cd_buf_detach(&try);
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
	if (rc < 0 && out->data) {
		out->len = mark;
		out->data[mark] = '\0';
	}
	cd_buf_free(&text);
	free_splices(s, n);
	for (size_t i = 0; want && i < c->n; i++)
		free(want[i]);
	free(want);
	return rc;
}
