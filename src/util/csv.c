/* csv.c — RFC 4180 CSV, written and read one record at a time (csv.h). */
#include "codicil/csv.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"

int csv_put_field(cd_buf *out, const char *s, int first)
{
	if (!first)
		cd_buf_putc(out, ',');
	if (!s[strcspn(s, ",\"\r\n")])
		return cd_buf_puts(out, s);
	cd_buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			cd_buf_putc(out, '"');
		cd_buf_putc(out, *s);
	}
	return cd_buf_putc(out, '"');
}

static int end_field(csv_record *rec)
{
	size_t *grown = cd_grow(rec->off, rec->n, &rec->cap, sizeof *grown, 16);

	if (!grown)
		return -1;
	rec->off = grown;
	return cd_buf_putc(&rec->text, '\0');
}

/* Where each field starts: after the NUL of the one before. */
static void index_fields(csv_record *rec)
{
	size_t at = 0;

	for (size_t i = 0; i < rec->n; i++) {
		rec->off[i] = at;
		at += strlen(rec->text.data + at) + 1;
	}
}

static int bad(long line, const char *what)
{
	cd_err_set("line %ld: %s", line, what);
	return -1;
}

/* Inside a quoted field: c is the character read; 1 when the field's
 * closing quote was read. */
static int quoted_char(csv_reader *r, csv_record *rec, int c)
{
	int next;

	if (c != '"') {
		if (c == '\n')
			r->line++;
		cd_buf_putc(&rec->text, (char)c);
		return 0;
	}
	if ((next = getc(r->f)) == '"') {
		cd_buf_putc(&rec->text, '"');
		return 0;
	}
	if (next != EOF)
		ungetc(next, r->f);
	return 1;
}

int csv_read(csv_reader *r, csv_record *rec)
{
	size_t field_start = 0;
	int c, quoted = 0, in_quotes = 0, any = 0;

	cd_buf_reset(&rec->text);
	rec->n = 0;
	rec->line = r->line + 1;
	while ((c = getc(r->f)) != EOF) {
		any = 1;
		if (c == '\0')
			return bad(r->line + 1, "a NUL byte");
		if (in_quotes) {
			in_quotes = !quoted_char(r, rec, c);
		} else if (c == '"') {
			if (quoted || rec->text.len != field_start)
				return bad(r->line + 1, "a quote inside an unquoted field");
			quoted = in_quotes = 1;
		} else if (c == ',') {
			if (end_field(rec) < 0)
				return -1;
			rec->n++;
			field_start = rec->text.len;
			quoted = 0;
		} else if (c == '\n') {
			r->line++;
			break;
		} else if (c != '\r') {
			if (quoted)
				return bad(r->line + 1, "text after a closing quote");
			cd_buf_putc(&rec->text, (char)c);
		}
	}
	if (in_quotes)
		return bad(rec->line, "a quoted field that never ends");
	if (!any)
		return 0;
	if (end_field(rec) < 0)
		return -1;
	rec->n++;
	if (cd_buf_failed(&rec->text))
		return -1;
	index_fields(rec);
	return 1;
}

const char *csv_field(const csv_record *rec, size_t i)
{
	return i < rec->n ? rec->text.data + rec->off[i] : NULL;
}

void csv_record_clear(csv_record *rec)
{
	cd_buf_clear(&rec->text);
	free(rec->off);
	memset(rec, 0, sizeof *rec);
}
