/* buf.h — growable byte buffers with a hard size cap.
 *
 * data is always NUL-terminated once anything has been appended, so a
 * buffer of text can be handed to string functions directly.  No buffer
 * grows past its cap: max, or CD_BUF_MAX when max is 0 (the append fails,
 * the content stays as it was).
 *
 * A failed append is sticky: every later one fails too, without touching
 * the content, until the buffer is reset or freed.  So a run of appends
 * needs one check at the end (cd_buf_failed), not one per call.
 */
#ifndef CODICIL_BUF_H
#define CODICIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct cd_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0: CD_BUF_MAX */
	int failed; /* an append has failed since the last reset */
} cd_buf;

#define CD_BUF_MAX ((size_t)1 << 30) /* 1 GiB: nothing codicil keeps is larger */

#define CD_BUF_INIT { 0 }

int cd_buf_grow(cd_buf *b, size_t extra);
int cd_buf_append(cd_buf *b, const void *data, size_t len);
int cd_buf_puts(cd_buf *b, const char *s);
int cd_buf_putc(cd_buf *b, char c);
int cd_buf_printf(cd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cd_buf_vprintf(cd_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* 1 when an append has failed since the last reset (cd_err said why). */
int cd_buf_failed(const cd_buf *b);
/* Mark b failed, as a failed append would: for when what b was built from
 * (an intermediate buffer) failed, so b's content is incomplete. */
void cd_buf_fail(cd_buf *b);
/* Cut back to the first len bytes (to undo what was appended since a
 * mark); nothing happens when len is past the end.  A failed buffer
 * stays failed. */
void cd_buf_truncate(cd_buf *b, size_t len);
/* Empty the buffer, keeping its memory; it may be appended to again. */
void cd_buf_reset(cd_buf *b);
/* Hand the (NUL-terminated, possibly empty) string to the caller; NULL
 * when an append failed (the buffer is then empty again): so a string
 * built by appends needs one check, of what this returns. */
char *cd_buf_detach(cd_buf *b);
void cd_buf_clear(cd_buf *b);
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
