/* redline.h — differences between two texts, for humans.
 *
 * Word level: both texts are cut into tokens (a run of word characters, a
 * run of whitespace within a line, a line break, or a single punctuation
 * character; UTF-8 sequences are word characters) and the token sequences
 * are diffed with libgit2 (one token per line).  Line level: libgit2's patch from two buffers.
 */
#ifndef CODICIL_REDLINE_H
#define CODICIL_REDLINE_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/buf.h"

typedef enum { REDLINE_EQUAL, REDLINE_DELETE, REDLINE_INSERT } redline_op;

typedef struct redline_seg {
	redline_op op;
	const char *text; /* points into a (EQUAL, DELETE) or b (INSERT) */
	size_t len;
	size_t a_line, b_line; /* 1-based line where the segment starts in a / b */
} redline_seg;

typedef struct redline {
	redline_seg *seg; /* adjacent segments never share an op */
	size_t n;
	size_t deleted_words, inserted_words;
} redline;

/* a and b must outlive the redline. */
int redline_compute(const char *a, size_t alen, const char *b, size_t blen, redline *out);
void redline_clear(redline *r);

/* git --word-diff=plain style: [-old-]{+new+} inline, the rest verbatim.
 * context < 0: the whole text; otherwise only lines with changes plus
 * `context` lines around them, with "@@ -a +b @@" headers. */
int redline_render_plain(const redline *r, int context, cd_buf *out);
/* Same, with deletions red and struck through, insertions green (ANSI). */
int redline_render_color(const redline *r, int context, cd_buf *out);

/* The grouping of changed lines that both renderers (these and the TUI's)
 * use: from line *next of n, the next hunk — its first changed line less
 * `context`, through its last changed line plus `context`, changes whose
 * context would touch sharing one hunk.  1 with [*first, *last] set and
 * *next past it; 0 when no changed line is left. */
int redline_next_hunk(size_t *next, size_t n, size_t context,
		      int (*changed)(const void *lines, size_t i), const void *lines,
		      size_t *first, size_t *last);
/* {"deleted_words":n,"inserted_words":n,"hunks":[{"a_line":n,"b_line":n,
 *  "delete":"...","insert":"...","before":"...","after":"..."}]}
 * before/after: up to a few words of unchanged context. */
cJSON *redline_to_json(const redline *r);

/* Unified line diff (like `git diff`), labels as a/<label> b/<label>.
 * color: ANSI colours.  Appends nothing when the texts are equal. */
int redline_unified(const char *a, size_t alen, const char *b, size_t blen,
		    const char *label, int color, cd_buf *out);

#endif
