/* utf8.h — decoding UTF-8, once for everyone (sanitising, slugs, drawing,
 * length limits). */
#ifndef CODICIL_UTF8_H
#define CODICIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "codicil/buf.h"

/* Decode the sequence at s (at most len bytes): its length, with the code
 * point in *cp; 0 when it is not valid UTF-8 (overlong forms, surrogates
 * and values past U+10FFFF included). */
size_t cd_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* s with every byte that is not part of valid UTF-8 replaced by U+FFFD and
 * nothing else changed (control characters stay): text kept as data, in a
 * format that must be UTF-8 (a JSON journal).  Appends to out. */
int cd_utf8_mend(const char *s, size_t len, cd_buf *out);

/* Characters (code points) in a NUL-terminated string: bytes that are not
 * continuation bytes. */
size_t cd_utf8_chars(const char *s);

#endif
