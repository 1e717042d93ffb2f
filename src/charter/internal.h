/* internal.h — what the charter/ files share and nobody else sees. */
#ifndef CODICIL_CHARTER_INTERNAL_H
#define CODICIL_CHARTER_INTERNAL_H

#include <stddef.h>

#include "codicil/buf.h"
#include "codicil/charter.h"
#include "codicil/strmap.h"

/* Start offset of every line: line L (1-based) is [start[L-1], start[L]),
 * line ending included; start[n] is the text length.  Lines end at "\n",
 * "\r\n" or a lone "\r", as in cmark, so cmark's line numbers index this. */
struct lines {
	size_t *start;
	size_t n;
};

int lines_build(const char *text, size_t len, struct lines *out);
/* Offset just before line L's line ending. */
size_t lines_content_end(const char *text, const struct lines *lt, size_t line);

/* An attribute block found in one heading text line; offsets relative to
 * that line.  start == end when there is none (or it is malformed). */
struct attr_block {
	size_t start, end;
	char *id;
	charter_attr *attrs;
	size_t nattrs;
	const char *error; /* why a block that was opened is malformed */
};

/* atx: a closing sequence of '#' may follow the block.  -1: out of memory. */
int attr_block_scan(const char *s, size_t len, int atx, struct attr_block *out);
void attr_block_clear(struct attr_block *b);
void charter_attrs_free(charter_attr *attrs, size_t n);

/* Where the heading's pieces are in the text, for validate/fmt/apply. */
struct heading_src {
	int setext;
	size_t title_start, title_end; /* the raw title bytes */
	size_t fmt_at;      /* after the last non-blank byte of the text line */
	size_t attr_line;   /* 1-based line holding the attribute block */
	const char *attr_error;
};

int heading_analyse(const char *text, const struct lines *lt, size_t first_line,
		    size_t text_last_line, int setext, principle *p, struct heading_src *src);


/* What charter_parse allocates; the public struct comes first. */
struct charter_impl {
	charter pub;
	struct heading_src *src;  /* one per principle */
	struct strmap first_index; /* id -> index of its first principle */
};

static inline const struct charter_impl *charter_impl_of(const charter *c)
{
	return (const struct charter_impl *)c;
}

/* Replace [start, end) with repl; splices sorted, not overlapping. */
struct splice {
	size_t start, end;
	const char *repl;
	size_t repl_len;
};

/* The splice that makes principle i's id explicit (fmt.c); repl is malloc'd. */
int heading_id_splice(const charter *c, size_t i, struct splice *s);
/* The same with another id (fmt's ASCII id for a non-ASCII slug). */
int heading_id_splice_as(const charter *c, size_t i, const char *id, struct splice *s);

int splice_apply(const char *text, size_t len, const struct splice *s, size_t n, cd_buf *out);
/* The text's line ending: that of its first line, "\n" if it has none. */
const char *text_eol(const char *text, size_t len);
/* 1 when the line ending just before off is preceded by a blank line
 * (only spaces and tabs), or off is 0. */
int text_blank_line_before(const char *text, size_t off);
int text_is_blank(const char *s, size_t len);

#endif
