/* blame_version.c — charter versions for blame, parsed or derived.
 *
 * Deriving: cmark parses blocks line by line, so after the common prefix of
 * two texts both parsers are in the same state.  If the lines that differ
 * are, in both texts, non-empty runs of plain paragraph lines (starting
 * with a letter, no '>' that could end an HTML block, no lone CR), each
 * run leaves the parser in the same kind of state (a paragraph continued
 * or opened in the same container, or the same code/HTML block still
 * open), so the common suffix parses the same way.  When, in addition, the
 * lines sit inside one principle's body and not in a heading (a setext
 * heading's text is plain lines too), the second text has the same
 * principles, with the offsets after the change shifted.  Anything else is
 * parsed. */
#include "blame_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static int is_blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int alloc_spans(blame_version *v, size_t n)
{
	v->start = malloc((n ? n : 1) * sizeof *v->start);
	v->heading_end = malloc((n ? n : 1) * sizeof *v->heading_end);
	v->body_end = malloc((n ? n : 1) * sizeof *v->body_end);
	if (v->start && v->heading_end && v->body_end)
		return 0;
	free(v->start);
	free(v->heading_end);
	free(v->body_end);
	v->start = v->heading_end = v->body_end = NULL;
	cd_err_set("out of memory");
	return -1;
}

int blame_version_parse(blame_version *v, git_blob *blob, const char *path)
{
	charter *c = NULL;

	memset(v, 0, sizeof *v);
	v->blob = blob;
	v->text = git_blob_rawcontent(blob);
	v->len = (size_t)git_blob_rawsize(blob);
	git_oid_cpy(&v->oid, git_blob_id(blob));
	if (charter_parse(path, v->text, v->len, &c) < 0)
		goto fail;
	if (!(v->shape = malloc(sizeof *v->shape))) {
		cd_err_set("out of memory");
		charter_free(c);
		goto fail;
	}
	*v->shape = (blame_shape){ c, 1 };
	if (alloc_spans(v, c->n) < 0)
		goto fail;
	for (size_t i = 0; i < c->n; i++) {
		v->start[i] = c->p[i].start;
		v->heading_end[i] = c->p[i].heading_end;
		v->body_end[i] = c->p[i].body_end;
	}
	return 0;
fail:
	blame_version_clear(v);
	return -1;
}

void blame_version_clear(blame_version *v)
{
	if (v->shape && --v->shape->refs == 0) {
		charter_free(v->shape->c);
		free(v->shape);
	}
	git_blob_free(v->blob);
	free(v->start);
	free(v->heading_end);
	free(v->body_end);
	memset(v, 0, sizeof *v);
}

int blame_version_index(const blame_version *v, const char *id)
{
	return charter_index(v->shape->c, id);
}

static const char *own_text(const blame_version *v, int i, size_t *len)
{
	size_t e = v->body_end[i];

	while (e > v->heading_end[i] && is_blank_byte(v->text[e - 1]))
		e--;
	*len = e - v->start[i];
	return v->text + v->start[i];
}

int blame_version_same(const blame_version *a, int ia, const blame_version *b, int ib)
{
	size_t la, lb;
	const char *ta = own_text(a, ia, &la), *tb = own_text(b, ib, &lb);

	return la == lb && memcmp(ta, tb, la) == 0;
}

/* 1 when every line of t[b, e) is a plain paragraph line. */
static int plain_lines(const char *t, size_t b, size_t e)
{
	if (b >= e)
		return 0;
	while (b < e) {
		const char *nl = memchr(t + b, '\n', e - b);
		size_t end = nl ? (size_t)(nl - t) : e, content = end;
		unsigned char c0 = (unsigned char)t[b];

		if (content > b && t[content - 1] == '\r')
			content--;
		if (content == b || !(isalpha(c0) || (c0 >= 0x80 && b > 0)))
			return 0;
		if (memchr(t + b, '>', content - b) || memchr(t + b, '\r', content - b))
			return 0;
		b = end + 1;
	}
	return 1;
}

/* 1 when line t[b, e) is shaped like a setext underline ("===", "- - -"
 * is not, "---" is). */
static int underline_shaped(const char *t, size_t b, size_t e)
{
	size_t i = b;
	char c;

	while (i < e && i - b < 3 && t[i] == ' ')
		i++;
	if (i >= e || (t[i] != '=' && t[i] != '-'))
		return 0;
	for (c = t[i]; i < e && t[i] == c; i++)
		;
	while (i < e && is_blank_byte(t[i]))
		i++;
	return i == e;
}

/* The paragraph the changed lines may belong to runs on into the common
 * suffix; its text decides whether a later underline makes it a heading
 * (link reference definitions are not paragraph text).  Safe when a blank
 * line or an ATX heading ends it before any underline-shaped line. */
static int paragraph_ends_safely(const char *t, size_t b, size_t len)
{
	for (int lines = 0; b < len && lines < 64; lines++) {
		const char *nl = memchr(t + b, '\n', len - b);
		size_t e = nl ? (size_t)(nl - t) : len, i = b;

		while (i < e && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r'))
			i++;
		if (i == e || t[i] == '#')
			return 1;
		if (underline_shaped(t, b, e))
			return 0;
		b = e + 1;
	}
	return b >= len;
}

/* The changed lines: [*b, *ea) in a and [*b, *eb) in b, whole lines,
 * everything outside them byte-identical.  0 when the texts are equal. */
static int changed_lines(const char *a, size_t la, const char *b, size_t lb, size_t *start,
			 size_t *ea, size_t *eb)
{
	size_t min = la < lb ? la : lb, p = 0, s = 0;

	while (p < min && a[p] == b[p])
		p++;
	if (p == la && p == lb)
		return 0;
	while (s < min - p && a[la - 1 - s] == b[lb - 1 - s])
		s++;
	while (p > 0 && a[p - 1] != '\n')
		p--;
	*ea = la - s;
	*eb = lb - s;
	if ((*ea == p || *eb == p) && p > 0 && a[*ea - 1] == '\n' && b[*eb - 1] == '\n') {
		/* lines only added or removed: take the line before into both */
		for (p--; p > 0 && a[p - 1] != '\n'; p--)
			;
	}
	*start = p;
	if (s && *ea > p && *eb > p && a[*ea - 1] == '\n' && b[*eb - 1] == '\n')
		return 1;
	/* move the end forward to just past a newline in the common suffix */
	while (*ea < la && a[*ea] != '\n')
		++*ea, ++*eb;
	if (*ea < la)
		++*ea, ++*eb;
	return 1;
}

/* The principle whose body holds [b, e), -2 for the preamble, -1 if none.
 * Plain lines inside a heading are a setext heading's text, which the
 * underline check already refuses; this keeps the rule stated directly. */
static int body_holding(const blame_version *v, size_t b, size_t e)
{
	size_t lo = 0, hi = v->shape->c->n;

	if (hi == 0 || e <= v->start[0])
		return -2;
	while (hi - lo > 1) { /* last principle starting at or before b */
		size_t mid = lo + (hi - lo) / 2;
		if (v->start[mid] <= b)
			lo = mid;
		else
			hi = mid;
	}
	if (v->start[lo] > b || b < v->heading_end[lo] || e > v->body_end[lo])
		return -1;
	return (int)lo;
}

int blame_version_derive(blame_version *v, const blame_version *from, git_blob *blob)
{
	const char *text = git_blob_rawcontent(blob);
	size_t len = (size_t)git_blob_rawsize(blob), b, ea, eb, n = from->shape->c->n;

	if (!changed_lines(from->text, from->len, text, len, &b, &ea, &eb) ||
	    !plain_lines(from->text, b, ea) || !plain_lines(text, b, eb) ||
	    !paragraph_ends_safely(from->text, ea, from->len) || body_holding(from, b, ea) == -1)
		return 0;
	memset(v, 0, sizeof *v);
	if (alloc_spans(v, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		v->start[i] = from->start[i] >= ea ? from->start[i] - ea + eb : from->start[i];
		v->heading_end[i] = from->heading_end[i] >= ea ? from->heading_end[i] - ea + eb
							       : from->heading_end[i];
		v->body_end[i] = from->body_end[i] >= ea ? from->body_end[i] - ea + eb
							 : from->body_end[i];
	}
	v->blob = blob;
	v->text = text;
	v->len = len;
	git_oid_cpy(&v->oid, git_blob_id(blob));
	v->shape = from->shape;
	v->shape->refs++;
	return 1;
}
