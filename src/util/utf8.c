#include "codicil/utf8.h"

size_t cd_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	uint32_t c;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

size_t cd_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int cd_utf8_mend(const char *s, size_t len, cd_buf *out)
{
	size_t i = 0, run = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = cd_utf8_decode(s + i, len - i, &cp);
		if (n) {
			i += n;
			continue;
		}
		cd_buf_append(out, s + run, i - run);
		cd_buf_puts(out, "\xef\xbf\xbd"); /* U+FFFD */
		run = ++i;
	}
	cd_buf_append(out, s + run, len - run);
	return cd_buf_failed(out) ? -1 : 0;
}
