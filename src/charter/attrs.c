/* attrs.c — Pandoc/kramdown heading attribute blocks:
 *
 *     {#id .class key=value key="quoted value" bare}
 *
 * The block must end the heading text (an ATX closing sequence may follow).
 * "{#" opens a block anywhere; "{." and "{key=" only after a blank or at the
 * start, so that ordinary braces in a title stay text.  Backslash escapes and
 * code spans are skipped. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/buf.h"
#include "codicil/error.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == ':' || c == '.';
}

void charter_attrs_free(charter_attr *attrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(attrs[i].key);
		free(attrs[i].value);
	}
	free(attrs);
}

void attr_block_clear(struct attr_block *b)
{
	free(b->id);
	charter_attrs_free(b->attrs, b->nattrs);
	memset(b, 0, sizeof *b);
}

/* Index just past the code span that starts with the backtick run at i, or
 * past the run itself when it is never closed. */
static size_t skip_code_span(const char *s, size_t len, size_t i)
{
	size_t run = 0, j, k;

	while (i + run < len && s[i + run] == '`')
		run++;
	for (j = i + run; j < len; j = k) {
		if (s[j] != '`') {
			k = j + 1;
			continue;
		}
		for (k = j; k < len && s[k] == '`'; k++)
			;
		if (k - j == run)
			return k;
	}
	return i + run;
}

static int opens_block(const char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	while (j < len && is_blank(s[j]))
		j++;
	if (j >= len)
		return 0;
	if (s[j] == '#')
		return 1;
	if (i > 0 && !is_blank(s[i - 1]))
		return 0;
	if (s[j] == '.')
		return 1;
	while (j < len && is_key_char(s[j]))
		j++;
	return j > i + 1 && j < len && s[j] == '=';
}

static int at_token_end(const char *s, size_t len, size_t j)
{
	return j >= len || is_blank(s[j]) || s[j] == '}';
}

static char *dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int push_attr(struct attr_block *b, char *key, char *value)
{
	charter_attr *a = realloc(b->attrs, (b->nattrs + 1) * sizeof *a);

	if (!a || !key) {
		free(key);
		free(value);
		if (a)
			b->attrs = a;
		return -1;
	}
	b->attrs = a;
	a[b->nattrs].key = key;
	a[b->nattrs].value = value;
	b->nattrs++;
	return 0;
}

/* A quoted value starting at the quote s[*j]; backslash escapes the quote
 * and itself.  NULL with *err set when unterminated. */
static char *read_quoted(const char *s, size_t len, size_t *j, const char **err, int *oom)
{
	char q = s[(*j)++];
	cd_buf v = CD_BUF_INIT;

	while (*j < len && s[*j] != q) {
		if (s[*j] == '\\' && *j + 1 < len && (s[*j + 1] == q || s[*j + 1] == '\\'))
			(*j)++;
		if (cd_buf_putc(&v, s[(*j)++]) < 0) {
			*oom = 1;
			cd_buf_clear(&v);
			return NULL;
		}
	}
	if (*j >= len) {
		*err = "unterminated quote";
		cd_buf_clear(&v);
		return NULL;
	}
	(*j)++;
	return cd_buf_detach(&v);
}

/* key, key=value or key="value" at s[*j]. */
static int parse_pair(const char *s, size_t len, size_t *j, struct attr_block *b, int *oom)
{
	size_t k0 = *j, v0;
	char *key, *value = NULL;

	while (*j < len && is_key_char(s[*j]))
		(*j)++;
	if (*j == k0) {
		b->error = "unexpected character (expected #id, .class or key=value)";
		return -1;
	}
	key = dup_range(s + k0, *j - k0);
	if (*j < len && s[*j] == '=') {
		(*j)++;
		if (*j < len && (s[*j] == '"' || s[*j] == '\'')) {
			value = read_quoted(s, len, j, &b->error, oom);
			if (!value) {
				free(key);
				return -1;
			}
		} else {
			for (v0 = *j; !at_token_end(s, len, *j); (*j)++)
				;
			value = dup_range(s + v0, *j - v0);
			if (!value)
				*oom = 1;
		}
	}
	if (!at_token_end(s, len, *j)) {
		b->error = "unexpected character after a value (separate attributes with spaces)";
		free(key);
		free(value);
		return -1;
	}
	if (*oom) {
		free(key);
		return -1;
	}
	if (push_attr(b, key, value) < 0) { /* it frees both */
		*oom = 1;
		return -1;
	}
	return 0;
}

static int parse_token(const char *s, size_t len, size_t *j, struct attr_block *b, int *oom)
{
	char sigil = s[*j];
	size_t t0;

	if (sigil != '#' && sigil != '.')
		return parse_pair(s, len, j, b, oom);
	for (t0 = ++(*j); !at_token_end(s, len, *j); (*j)++)
		;
	if (*j == t0) {
		b->error = sigil == '#' ? "empty id in {#}" : "empty class name";
		return -1;
	}
	if (sigil == '.') {
		/* a class is kept with its dot: key ".x", no value */
		if (push_attr(b, dup_range(s + t0 - 1, *j - t0 + 1), NULL) == 0)
			return 0;
	} else if (b->id) {
		b->error = "more than one #id";
		return -1;
	} else if ((b->id = dup_range(s + t0, *j - t0))) {
		return 0;
	}
	*oom = 1;
	return -1;
}

/* After the closing brace only blanks (and for ATX a closing '#' run). */
static int trailer_ok(const char *s, size_t len, size_t j, int atx)
{
	while (j < len && is_blank(s[j]))
		j++;
	while (atx && j < len && s[j] == '#')
		j++;
	while (j < len && is_blank(s[j]))
		j++;
	return j == len;
}

static int parse_block(const char *s, size_t len, size_t open, int atx, struct attr_block *b)
{
	size_t j = open + 1;
	int oom = 0;

	for (;;) {
		while (j < len && is_blank(s[j]))
			j++;
		if (j >= len) {
			b->error = "missing '}' to close the attribute block";
			break;
		}
		if (s[j] == '}') {
			j++;
			if (!trailer_ok(s, len, j, atx))
				b->error = "text after the attribute block (it must end the heading)";
			break;
		}
		if (parse_token(s, len, &j, b, &oom) < 0)
			break;
	}
	if (b->error || oom) {
		const char *err = b->error;

		attr_block_clear(b);
		b->error = err;
		return oom ? -1 : 0;
	}
	b->start = open;
	b->end = j;
	return 0;
}

int attr_block_scan(const char *s, size_t len, int atx, struct attr_block *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < len; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (s[i] == '`') {
			i = skip_code_span(s, len, i) - 1;
		} else if (s[i] == '{' && opens_block(s, len, i)) {
			if (parse_block(s, len, i, atx, out) < 0) {
				cd_err_set("out of memory");
				return -1;
			}
			return 0;
		}
	}
	return 0;
}
