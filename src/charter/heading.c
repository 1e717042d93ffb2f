/* heading.c — one heading's title, id and attributes, read from the source
 * lines that cmark says form it. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t skip_blanks(const char *text, size_t i, size_t end)
{
	while (i < end && (text[i] == ' ' || text[i] == '\t'))
		i++;
	return i;
}

static size_t trim_back(const char *text, size_t start, size_t end)
{
	while (end > start && is_space(text[end - 1]))
		end--;
	return end;
}

/* The offset of line L's first byte, past a UTF-8 byte order mark. */
static size_t line_begin(const char *text, const struct lines *lt, size_t line)
{
	size_t b = lt->start[line - 1];

	if (b == 0 && lt->start[1] >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		b = 3;
	return b;
}

/* Drop an ATX closing sequence: a run of '#' after a blank, or the whole
 * content when it is only '#'s. */
static size_t strip_closing(const char *text, size_t start, size_t end)
{
	size_t k = end;

	while (k > start && text[k - 1] == '#')
		k--;
	if (k == end)
		return end;
	if (k == start)
		return start;
	if (text[k - 1] == ' ' || text[k - 1] == '\t')
		return trim_back(text, start, k);
	return end;
}

/* The title with each line break (and the blanks around it) as one space. */
static char *collapse_title(const char *text, size_t start, size_t end)
{
	cd_buf t = CD_BUF_INIT;
	size_t i = start;
	int rc = 0;

	while (i < end && rc == 0) {
		if (text[i] != '\r' && text[i] != '\n') {
			rc = cd_buf_putc(&t, text[i++]);
			continue;
		}
		while (t.len && (t.data[t.len - 1] == ' ' || t.data[t.len - 1] == '\t'))
			t.len--;
		while (i < end && is_space(text[i]))
			i++;
		rc = cd_buf_putc(&t, ' ');
	}
	if (rc < 0 || cd_buf_append(&t, "", 0) < 0) {
		cd_buf_clear(&t);
		return NULL;
	}
	return cd_buf_detach(&t);
}

int heading_analyse(const char *text, const struct lines *lt, size_t first_line,
		    size_t text_last_line, int setext, principle *p, struct heading_src *src)
{
	size_t ls = line_begin(text, lt, text_last_line);
	size_t le = lines_content_end(text, lt, text_last_line);
	size_t c0 = skip_blanks(text, ls, le), c1, title_end;
	struct attr_block b;

	src->setext = setext;
	if (!setext) {
		while (c0 < le && text[c0] == '#')
			c0++;
		c0 = skip_blanks(text, c0, le);
	}
	c1 = trim_back(text, c0, le);
	if (attr_block_scan(text + c0, c1 - c0, !setext, &b) < 0)
		return -1;
	title_end = b.start < b.end ? trim_back(text, c0, c0 + b.start) : c1;
	src->title_start = setext ? skip_blanks(text, line_begin(text, lt, first_line), le) : c0;
	if (setext)
		title_end = trim_back(text, src->title_start, title_end);
	else
		title_end = strip_closing(text, c0, title_end);
	src->title_end = title_end;
	src->fmt_at = trim_back(text, ls, le);
	src->attr_line = text_last_line;
	src->attr_error = b.error;
	p->attr_start = b.start < b.end ? c0 + b.start : c1;
	p->attr_end = b.start < b.end ? c0 + b.end : c1;
	p->title = collapse_title(text, src->title_start, title_end);
	p->id = b.id;
	p->explicit_id = b.id != NULL;
	p->attrs = b.attrs;
	p->nattrs = b.nattrs;
	if (!p->title) {
		cd_err_set("out of memory");
		return -1;
	}
	return 0;
}
