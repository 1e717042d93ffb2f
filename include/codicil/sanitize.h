/* sanitize.h — make untrusted text (LLM output, file content) inert before
 * it reaches a terminal.
 *
 * Escape sequences (CSI, OSC, DCS, APC, PM, SOS and two-byte ESC forms) are
 * removed whole, including their parameters and string bodies; other C0 and
 * C1 control characters and DEL become U+FFFD; invalid UTF-8 bytes become
 * U+FFFD.  Newlines and tabs are kept unless the flags say otherwise, and
 * CR is dropped.
 */
#ifndef CODICIL_SANITIZE_H
#define CODICIL_SANITIZE_H

#include <stddef.h>

#include "codicil/buf.h"

enum {
	CD_SAN_ONE_LINE = 1 << 0, /* newlines and tabs become spaces */
};

int cd_sanitize(const char *in, size_t len, unsigned flags, cd_buf *out);
/* Convenience: sanitised copy as a new string (NULL on out of memory). */
char *cd_sanitize_dup(const char *in, unsigned flags);
/* 1 when s is valid UTF-8 over len bytes. */
int cd_utf8_valid(const char *s, size_t len);

#endif
