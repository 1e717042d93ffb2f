/* text.c — byte-level helpers on the source text: the line table, line
 * endings, blank lines and splicing. */
#include "internal.h"

#include <assert.h>

#include <stdlib.h>

#include "codicil/error.h"

int lines_build(const char *text, size_t len, struct lines *out)
{
	size_t cap = 64, n = 0, i;
	size_t *start = malloc(cap * sizeof *start);

	if (!start)
		goto oom;
	for (i = 0; i < len; i++) {
		if (n + 2 > cap) {
			size_t *s2 = realloc(start, (cap *= 2) * sizeof *start);

			if (!s2)
				goto oom;
			start = s2;
		}
		if (i == 0)
			start[n++] = 0;
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		if ((text[i] == '\n' || text[i] == '\r') && i + 1 < len)
			start[n++] = i + 1;
	}
	start[n] = len;
	out->start = start;
	out->n = n;
	return 0;
oom:
	free(start);
	cd_err_set("out of memory");
	return -1;
}

size_t lines_content_end(const char *text, const struct lines *lt, size_t line)
{
	size_t b = lt->start[line - 1], e = lt->start[line];

	if (e > b && text[e - 1] == '\n')
		e--;
	if (e > b && text[e - 1] == '\r')
		e--;
	return e;
}

const char *text_eol(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			return "\n";
		if (text[i] == '\r')
			return i + 1 < len && text[i + 1] == '\n' ? "\r\n" : "\r";
	}
	return "\n";
}

int text_is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

int text_blank_line_before(const char *text, size_t off)
{
	size_t i = off;

	if (i == 0)
		return 1;
	if (text[i - 1] == '\n')
		i--;
	if (i > 0 && text[i - 1] == '\r')
		i--;
	if (i == off)
		return 0; /* off is not at a line start */
	while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
		i--;
	return i == 0 || text[i - 1] == '\n' || text[i - 1] == '\r';
}

int splice_apply(const char *text, size_t len, const struct splice *s, size_t n, cd_buf *out)
{
	size_t at = 0;

	for (size_t i = 0; i < n; i++) {
		/* in order and inside the text, by construction; never copy a
		 * negative length if that is ever broken */
		assert(s[i].start >= at && s[i].end >= s[i].start && s[i].end <= len);
		if (s[i].start < at || s[i].end < s[i].start || s[i].end > len) {
			cd_err_set("internal error: edits out of order at byte %zu; the charter is "
				   "unchanged", s[i].start);
			return -1;
		}
		if (cd_buf_append(out, text + at, s[i].start - at) < 0 ||
		    cd_buf_append(out, s[i].repl, s[i].repl_len) < 0)
			return -1;
		at = s[i].end;
	}
	return cd_buf_append(out, text + at, len - at);
}
