/* reflow.c — markdown paragraphs as prose for a pane of any width. */
#include "app.h"

#include <string.h>

/* A line that starts a block of its own in markdown (a list item, a
 * quote, a table row, a fence, indented code): never joined to the line
 * before. */
static int starts_block(const char *s, size_t len)
{
	size_t i = 0;

	if (len >= 4 && !strncmp(s, "    ", 4))
		return 1;
	while (i < len && s[i] == ' ')
		i++;
	if (i < len && strchr("#>|`~\t", s[i]))
		return 1;
	if (i + 1 < len && strchr("-*+", s[i]) && s[i + 1] == ' ')
		return 1;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && i + 1 < len && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ' &&
	       s[0] >= '0' && s[0] <= '9';
}

/* Join the soft line breaks of paragraphs so the pane wraps prose to its
 * own width; fenced code and block starts keep their lines. */
void tui_reflow(const char *s, size_t len, cd_buf *out)
{
	int prev_text = 0, fenced = 0;

	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) : len, t = n;
		int blank, fence;

		while (t && (s[t - 1] == ' ' || s[t - 1] == '\r'))
			t--;
		blank = t == 0;
		fence = t >= 3 && (!strncmp(s, "```", 3) || !strncmp(s, "~~~", 3));
		if (prev_text && !blank && !fenced && !fence && !starts_block(s, t))
			cd_buf_putc(out, ' ');
		else if (out->len)
			cd_buf_putc(out, '\n');
		cd_buf_append(out, s, t);
		if (fence)
			fenced = !fenced;
		prev_text = !blank && !fenced && !fence;
		s += nl ? n + 1 : n;
		len -= nl ? n + 1 : n;
	}
}
