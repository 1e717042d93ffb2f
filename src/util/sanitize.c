#include "codicil/utf8.h"
#include "codicil/sanitize.h"

#include <string.h>

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

static size_t utf8_len(const unsigned char *s, size_t len)
{
	uint32_t cp;

	return cd_utf8_decode((const char *)s, len, &cp);
}

int cd_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_len(p + i, len - i);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

/* Skip an escape sequence starting at p[i] == ESC (or a C1 introducer given
 * as its 7-bit final byte `intro`); return the index just after it. */
static size_t skip_escape(const unsigned char *p, size_t len, size_t i, unsigned char intro)
{
	switch (intro) {
	case '[': /* CSI: parameters and intermediates, then a final byte */
		while (i < len && !(p[i] >= 0x40 && p[i] <= 0x7e))
			i++;
		return i < len ? i + 1 : len;
	case ']': case 'P': case '_': case '^': case 'X':
		/* string: until BEL, ST (ESC \) or C1 ST */
		while (i < len) {
			if (p[i] == 0x07)
				return i + 1;
			if (p[i] == 0x1b && i + 1 < len && p[i + 1] == '\\')
				return i + 2;
			if (p[i] == 0xc2 && i + 1 < len && p[i + 1] == 0x9c)
				return i + 2;
			i++;
		}
		return len;
	case 0:
		/* ESC, intermediates 0x20-0x2f, then one final byte */
		while (i < len && p[i] >= 0x20 && p[i] <= 0x2f)
			i++;
		return i < len ? i + 1 : len;
	default: /* two-byte form: ESC and its final byte, already consumed */
		return i;
	}
}

int cd_sanitize(const char *in, size_t len, unsigned flags, cd_buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0;

	if (cd_buf_append(out, "", 0) < 0)
		return -1;
	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		if (c == 0x1b) {
			if (i + 1 >= len) {
				i++;
				continue;
			}
			if (p[i + 1] < 0x20 || p[i + 1] >= 0x7f) {
				i++; /* a lone ESC: drop it, look at what follows */
				continue;
			}
			if (p[i + 1] >= 0x20 && p[i + 1] <= 0x2f)
				i = skip_escape(p, len, i + 1, 0); /* intermediates, final */
			else
				i = skip_escape(p, len, i + 2, p[i + 1]);
			continue;
		}
		if (c == '\n' || c == '\t') {
			if (cd_buf_putc(out, (flags & CD_SAN_ONE_LINE) ? ' ' : (char)c) < 0)
				return -1;
			i++;
			continue;
		}
		if (c == '\r') {
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			if (cd_buf_puts(out, replacement) < 0)
				return -1;
			i++;
			continue;
		}
		n = utf8_len(p + i, len - i);
		if (n == 2 && c == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			/* C1 control; CSI/OSC/DCS... introducers start sequences */
			unsigned char c1 = p[i + 1];
			if (c1 == 0x9b)
				i = skip_escape(p, len, i + 2, '[');
			else if (c1 == 0x9d || c1 == 0x90 || c1 == 0x9e || c1 == 0x9f || c1 == 0x98)
				i = skip_escape(p, len, i + 2, ']');
			else
				i += 2;
			continue;
		}
		if (!n) {
			if (cd_buf_puts(out, replacement) < 0)
				return -1;
			i++;
			continue;
		}
		if (cd_buf_append(out, p + i, n) < 0)
			return -1;
		i += n;
	}
	return 0;
}

char *cd_sanitize_dup(const char *in, unsigned flags)
{
	cd_buf b = CD_BUF_INIT;

	if (cd_sanitize(in, in ? strlen(in) : 0, flags, &b) < 0) {
		cd_buf_clear(&b);
		return NULL;
	}
	return cd_buf_detach(&b);
}
