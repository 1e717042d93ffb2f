/* csv.h — RFC 4180 CSV: fields quoted when they hold a comma, a quote or a
 * line break (a quote doubled inside), records ended by CRLF or LF.
 * Reading streams: one record at a time, a quoted field may span lines. */
#ifndef CODICIL_CSV_H
#define CODICIL_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "codicil/buf.h"

/* Append s as one field, after a comma unless it is the record's first. */
int csv_put_field(cd_buf *out, const char *s, int first);

typedef struct csv_record {
	cd_buf text;       /* the fields, each NUL-terminated, one after another */
	size_t *off;       /* where each field starts in text */
	size_t n, cap;
	long line;         /* the line the record starts on (1-based) */
} csv_record;

typedef struct csv_reader {
	FILE *f;
	long line;         /* lines read so far */
} csv_reader;

/* The next record into rec (reused): 1, 0 at the end, -1 with an error
 * naming the line (an unterminated quoted field, a quote inside an
 * unquoted field, a NUL byte). */
int csv_read(csv_reader *r, csv_record *rec);
const char *csv_field(const csv_record *rec, size_t i);
void csv_record_clear(csv_record *rec);

#endif
