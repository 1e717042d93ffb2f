/* buf.h — growable byte buffers with an optional hard size cap.
 *
 * data is always NUL-terminated once anything has been appended, so a
 * buffer of text can be handed to string functions directly.  A buffer with
 * max != 0 refuses to grow past max bytes (the append fails, the content
 * stays as it was).
 */
#ifndef CODICIL_BUF_H
#define CODICIL_BUF_H

#include <stddef.h>

typedef struct cd_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0: no cap */
} cd_buf;

#define CD_BUF_INIT { 0 }

int cd_buf_grow(cd_buf *b, size_t extra);
int cd_buf_append(cd_buf *b, const void *data, size_t len);
int cd_buf_puts(cd_buf *b, const char *s);
int cd_buf_putc(cd_buf *b, char c);
int cd_buf_printf(cd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empty the buffer, keeping its memory. */
void cd_buf_reset(cd_buf *b);
/* Hand the (NUL-terminated, possibly empty) string to the caller. */
char *cd_buf_detach(cd_buf *b);
void cd_buf_free(cd_buf *b);
/* "" when nothing was ever appended. */
const char *cd_buf_cstr(const cd_buf *b);

/* An array of n elements of elem bytes (room for *cap) with room for one
 * more: arr itself, or a larger copy with *cap doubled (first, when it
 * was empty).  NULL with cd_err set when memory ran out; arr and *cap are
 * then unchanged, so the caller still owns arr:
 *
 *     item *grown = cd_grow(l->v, l->n, &l->cap, sizeof *grown, 64);
 *     if (!grown)
 *             return -1;
 *     l->v = grown;
 */
void *cd_grow(void *arr, size_t n, size_t *cap, size_t elem, size_t first);

#endif
