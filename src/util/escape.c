/* escape.c — text inside HTML and XML markup (escape.h). */
#include "codicil/escape.h"

#include <string.h>

void html_textn(cd_buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&': cd_buf_puts(out, "&amp;"); break;
		case '<': cd_buf_puts(out, "&lt;"); break;
		case '>': cd_buf_puts(out, "&gt;"); break;
		case '"': cd_buf_puts(out, "&quot;"); break;
		case '\'': cd_buf_puts(out, "&#39;"); break;
		default:
			if (c >= 0x20 || c == '\n' || c == '\t')
				cd_buf_putc(out, (char)c);
		}
	}
}

void html_text(cd_buf *out, const char *s)
{
	if (s)
		html_textn(out, s, strlen(s));
}
