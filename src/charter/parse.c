/* parse.c — charter_parse: cmark finds the headings (so code blocks, HTML
 * blocks and setext headings are right), then everything else is read from
 * the untouched source bytes by line number. */
#include "internal.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

struct heading_pos {
	int level;
	size_t first_line, last_line; /* last_line: the ATX line or setext underline */
};

static int is_atx_line(const char *text, size_t b, size_t e)
{
	size_t i = b, h;

	if (b == 0 && e >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < e && text[i] == ' ')
		i++;
	for (h = i; h < e && text[h] == '#'; h++)
		;
	return h > i && h - i <= 6 && (h == e || text[h] == ' ' || text[h] == '\t');
}

static int is_setext_underline(const char *text, size_t b, size_t e)
{
	size_t i = b, k;

	while (i < e && i - b < 3 && text[i] == ' ')
		i++;
	if (i >= e || (text[i] != '=' && text[i] != '-'))
		return 0;
	for (k = i; k < e && text[k] == text[i]; k++)
		;
	while (k < e && (text[k] == ' ' || text[k] == '\t'))
		k++;
	return k == e;
}

/* cmark reports a setext heading's end line as the line after it, so find
 * the underline ourselves: the first underline-shaped line after the text. */
static size_t setext_underline(const char *text, const struct lines *lt, size_t first,
			       size_t cmark_end)
{
	for (size_t l = first + 1; l <= lt->n; l++)
		if (is_setext_underline(text, lt->start[l - 1], lines_content_end(text, lt, l)))
			return l;
	return cmark_end < lt->n ? cmark_end : lt->n;
}

/* Top-level headings only: one inside a list item or block quote is part of
 * its principle's body. */
static int collect_headings(const char *text, size_t len, const struct lines *lt,
			    struct heading_pos **out, size_t *n)
{
	cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT), *node;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (!doc)
		goto oom;
	for (node = cmark_node_first_child(doc); node; node = cmark_node_next(node)) {
		struct heading_pos h;
		int start = cmark_node_get_start_line(node);

		if (cmark_node_get_type(node) != CMARK_NODE_HEADING || start < 1 ||
		    (size_t)start > lt->n)
			continue;
		h.level = cmark_node_get_heading_level(node);
		h.first_line = (size_t)start;
		if (is_atx_line(text, lt->start[start - 1], lines_content_end(text, lt, h.first_line)))
			h.last_line = h.first_line;
		else
			h.last_line = setext_underline(text, lt, h.first_line,
						       (size_t)cmark_node_get_end_line(node));
		if (*n == cap) {
			struct heading_pos *o = realloc(*out, (cap = cap ? cap * 2 : 32) * sizeof *o);

			if (!o)
				goto oom;
			*out = o;
		}
		(*out)[(*n)++] = h;
	}
	cmark_node_free(doc);
	return 0;
oom:
	cmark_node_free(doc);
	free(*out);
	*out = NULL;
	cd_err_set("out of memory");
	return -1;
}

/* end, body_end and parent, with a stack of open principles: O(n). */
static int link_spans(charter *c)
{
	size_t *stack = malloc((c->n + 1) * sizeof *stack), depth = 0;

	if (!stack) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->n; i++) {
		principle *p = &c->p[i];

		p->body_end = i + 1 < c->n ? c->p[i + 1].start : c->len;
		while (depth && c->p[stack[depth - 1]].level >= p->level)
			c->p[stack[--depth]].end = p->start;
		p->parent = depth ? (int)stack[depth - 1] : -1;
		stack[depth++] = i;
	}
	while (depth)
		c->p[stack[--depth]].end = c->len;
	free(stack);
	return 0;
}

static char *numbered(const char *base, size_t k)
{
	size_t n = strlen(base) + 24;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s-%zu", base, k);
	return s;
}

/* GitHub's de-duplication (github-slugger), seeded with every explicit id
 * so that an implicit id never collides with an explicit one. */
static int implicit_id(principle *p, struct strmap *seen)
{
	char *base = charter_slug(p->title), *id = NULL;
	struct strmap_entry *e;
	size_t k;

	if (base && !*base) {
		free(base);
		base = strdup("section");
	}
	if (!base)
		return -1;
	e = strmap_get(seen, base);
	if (!e) {
		id = base;
		base = NULL;
	} else {
		for (k = e->value + 1;; k++) {
			id = numbered(base, k);
			if (!id || !strmap_get(seen, id))
				break;
			free(id);
		}
		if (id)
			strmap_get(seen, base)->value = k;
	}
	free(base);
	if (!id || strmap_put(seen, id, 0) < 0) {
		free(id);
		return -1;
	}
	p->id = id;
	return 0;
}

static int assign_ids(struct charter_impl *ci)
{
	charter *c = &ci->pub;
	struct strmap seen = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < c->n && rc == 0; i++)
		if (c->p[i].explicit_id && strmap_put(&seen, c->p[i].id, 0) < 0)
			rc = -1;
	for (i = 0; i < c->n && rc == 0; i++)
		if (!c->p[i].explicit_id && implicit_id(&c->p[i], &seen) < 0)
			rc = -1;
	for (i = 0; i < c->n && rc == 0; i++)
		if (strmap_put(&ci->first_index, c->p[i].id, i) < 0)
			rc = -1;
	strmap_clear(&seen);
	if (rc < 0)
		cd_err_set("out of memory");
	return rc;
}

static int build_principles(struct charter_impl *ci, const struct lines *lt,
			    const struct heading_pos *h, size_t n)
{
	charter *c = &ci->pub;

	c->p = calloc(n ? n : 1, sizeof *c->p);
	ci->src = calloc(n ? n : 1, sizeof *ci->src);
	if (!c->p || !ci->src) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		principle *p = &c->p[i];
		int setext = h[i].last_line != h[i].first_line;

		c->n = i + 1;
		p->level = h[i].level;
		p->line = h[i].first_line;
		p->start = lt->start[h[i].first_line - 1];
		if (p->start == 0 && c->len >= 3 && memcmp(c->text, "\xef\xbb\xbf", 3) == 0)
			p->start = 3;
		p->heading_end = lt->start[h[i].last_line];
		if (heading_analyse(c->text, lt, h[i].first_line,
				    setext ? h[i].last_line - 1 : h[i].first_line, setext, p,
				    &ci->src[i]) < 0)
			return -1;
	}
	return 0;
}

int charter_parse(const char *path, const char *text, size_t len, charter **out)
{
	struct charter_impl *ci = calloc(1, sizeof *ci);
	struct heading_pos *h = NULL;
	struct lines lt = { 0 };
	size_t nh = 0;
	charter *c;

	*out = NULL;
	if (!ci)
		goto oom;
	c = &ci->pub;
	c->path = strdup(path ? path : "charter");
	c->text = malloc(len + 1);
	if (!c->path || !c->text)
		goto oom;
	if (len)
		memcpy(c->text, text, len);
	c->text[len] = '\0';
	c->len = len;
	if (lines_build(c->text, len, &lt) < 0 || collect_headings(c->text, len, &lt, &h, &nh) < 0 ||
	    build_principles(ci, &lt, h, nh) < 0 || link_spans(c) < 0 || assign_ids(ci) < 0)
		goto fail;
	free(lt.start);
	free(h);
	*out = c;
	return 0;
oom:
	cd_err_set("out of memory");
fail:
	free(lt.start);
	free(h);
	charter_free(ci ? &ci->pub : NULL);
	return -1;
}
