/* linediff.c — unified line diff of two texts, as `git diff` prints it.
 *
 * libgit2 makes the patch (three lines of context, git's default hunk
 * function names); the lines are printed here so that the header can carry
 * a label instead of libgit2's "diff --git"/"index" lines.  With colour, the
 * escape sequences are the ones git itself emits (bold header, cyan hunk
 * header, red deletions, green additions, trailing blanks of added lines on
 * red) and the text is sanitised, since coloured output is meant for a
 * terminal.
 */
#include "codicil/redline.h"
#include "codicil/error.h"
#include "codicil/sanitize.h"

#include <git2.h>
#include <string.h>

#define RESET "\033[m"

struct printer {
	cd_buf *out;
	int color;
	int failed;
};

static int put_text(struct printer *p, const char *s, size_t len)
{
	if (p->color)
		return cd_sanitize(s, len, 0, p->out);
	return cd_buf_append(p->out, s, len);
}

static int put_header(struct printer *p, const char *label)
{
	size_t n = strlen(label);

	if (!p->color)
		return cd_buf_printf(p->out, "--- a/%s\n+++ b/%s\n", label, label);
	if (cd_buf_puts(p->out, "\033[1m--- a/") < 0 || put_text(p, label, n) < 0 ||
	    cd_buf_puts(p->out, RESET "\n\033[1m+++ b/") < 0 || put_text(p, label, n) < 0)
		return -1;
	return cd_buf_puts(p->out, RESET "\n");
}

static const char *find_close(const char *s, size_t len)
{
	for (size_t i = 2; i + 1 < len; i++)
		if (s[i] == '@' && s[i + 1] == '@')
			return s + i;
	return NULL;
}

/* "@@ -1,3 +1,4 @@ function name\n": the @@ part cyan, the name plain. */
static int put_hunk_header(struct printer *p, const char *s, size_t len)
{
	const char *close = find_close(s, len);
	size_t at_len, rest;

	if (!p->color || !close)
		return put_text(p, s, len);
	at_len = (size_t)(close + 2 - s);
	rest = len - at_len;
	if (rest && s[len - 1] == '\n')
		rest--;
	if (cd_buf_puts(p->out, "\033[36m") < 0 || put_text(p, s, at_len) < 0 ||
	    cd_buf_puts(p->out, RESET) < 0)
		return -1;
	if (rest > 1 && (cd_buf_puts(p->out, " " RESET) < 0 ||
			 put_text(p, s + at_len + 1, rest - 1) < 0 || cd_buf_puts(p->out, RESET) < 0))
		return -1;
	return cd_buf_putc(p->out, '\n');
}

/* An added line: git's "+" and text in green, trailing blanks on red. */
static int put_added(struct printer *p, const char *s, size_t len)
{
	size_t body = len;

	while (body && (s[body - 1] == ' ' || s[body - 1] == '\t' || s[body - 1] == '\r'))
		body--;
	if (cd_buf_puts(p->out, "\033[32m+" RESET) < 0)
		return -1;
	if (body && (cd_buf_puts(p->out, "\033[32m") < 0 || put_text(p, s, body) < 0 ||
		     cd_buf_puts(p->out, RESET) < 0))
		return -1;
	if (body < len && (cd_buf_puts(p->out, "\033[41m") < 0 ||
			   put_text(p, s + body, len - body) < 0 || cd_buf_puts(p->out, RESET) < 0))
		return -1;
	return 0;
}

/* One diff line; content keeps its own newline, if it has one. */
static int put_line(struct printer *p, char origin, const char *s, size_t len)
{
	int nl = len && s[len - 1] == '\n';
	int rc;

	if (!p->color)
		return cd_buf_putc(p->out, origin) < 0 ? -1 : cd_buf_append(p->out, s, len);
	len -= (size_t)nl;
	if (origin == '+')
		rc = put_added(p, s, len);
	else if (cd_buf_puts(p->out, origin == '-' ? "\033[31m-" : " ") < 0 ||
		 put_text(p, s, len) < 0)
		rc = -1;
	else
		rc = cd_buf_puts(p->out, RESET);
	if (rc < 0)
		return -1;
	return nl ? cd_buf_putc(p->out, '\n') : 0;
}

/* "\n\\ No newline at end of file\n" after a line that had none. */
static int put_eofnl(struct printer *p, const char *s, size_t len)
{
	if (!p->color)
		return cd_buf_append(p->out, s, len);
	return cd_buf_puts(p->out, "\n\\ No newline at end of file" RESET "\n");
}

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		   const git_diff_line *line, void *payload)
{
	struct printer *p = payload;
	int rc = 0;

	switch (line->origin) {
	case GIT_DIFF_LINE_HUNK_HDR:
		rc = put_hunk_header(p, line->content, line->content_len);
		break;
	case GIT_DIFF_LINE_CONTEXT:
	case GIT_DIFF_LINE_ADDITION:
	case GIT_DIFF_LINE_DELETION:
		rc = put_line(p, line->origin, line->content, line->content_len);
		break;
	case GIT_DIFF_LINE_CONTEXT_EOFNL:
	case GIT_DIFF_LINE_ADD_EOFNL:
	case GIT_DIFF_LINE_DEL_EOFNL:
		rc = put_eofnl(p, line->content, line->content_len);
		break;
	default: /* file header: replaced by ours */
		break;
	}
	if (rc < 0)
		p->failed = 1;
	return rc;
}

int redline_unified(const char *a, size_t alen, const char *b, size_t blen,
		    const char *label, int color, cd_buf *out)
{
	git_diff_options opts;
	git_patch *patch = NULL;
	struct printer p = { out, color, 0 };
	size_t start = out->len;
	int rc;

	if (!a)
		a = "", alen = 0;
	if (!b)
		b = "", blen = 0;
	if (alen == blen && !memcmp(a, b, alen))
		return 0;
	if (!label)
		label = "text";
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 3;
	opts.flags = GIT_DIFF_FORCE_TEXT | GIT_DIFF_INDENT_HEURISTIC; /* git's default */
	rc = git_patch_from_buffers(&patch, a, alen, label, b, blen, label, &opts);
	if (rc == 0) {
		rc = put_header(&p, label);
		p.failed = rc < 0;
	}
	if (rc == 0)
		rc = git_patch_print(patch, on_line, &p);
	if (rc < 0 && !p.failed) {
		const git_error *e = git_error_last();

		cd_err_set("making a line diff failed: %s", e && e->message ? e->message : "libgit2 error");
	}
	git_patch_free(patch);
	if (rc < 0) {
		cd_buf_truncate(out, start);
		return -1;
	}
	return 0;
}
