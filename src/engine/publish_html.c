/* publish_html.c — escaping and the page frame of the static site. */
#include "publish_int.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"

void html_markdown(cd_buf *out, const char *md, size_t len)
{
	/* cmark is safe by default: raw HTML is left out, javascript: links
	 * are emptied */
	char *html = cmark_markdown_to_html(md, len, CMARK_OPT_DEFAULT);

	if (!html) {
		cd_buf_fail(out);
		return;
	}
	cd_buf_puts(out, html);
	free(html);
}

void html_anchor_links(cd_buf *out, const cJSON *arr, const char *page, const char *before,
		       const char *after)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it)) {
			cd_buf_printf(out, "%s<a href=\"%s#", before, page);
			html_text(out, it->valuestring);
			cd_buf_puts(out, "\">");
			html_text(out, it->valuestring);
			cd_buf_printf(out, "</a>%s", after);
		}
}

void html_open(cd_buf *out, const char *title, const char *up)
{
	cd_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>");
	html_text(out, title);
	cd_buf_printf(out, "</title>\n<link rel=\"stylesheet\" href=\"%sstyle.css\">\n</head>\n"
		      "<body>\n<nav><a href=\"%sindex.html\">Constitution</a> "
		      "<a href=\"%scases.html\">Cases</a> <a href=\"%sproposals.html\">"
		      "Proposals</a></nav>\n<main>\n", up, up, up, up);
}

void html_close(cd_buf *out)
{
	cd_buf_puts(out, "</main>\n<footer>Published by codicil.</footer>\n</body>\n</html>\n");
}

int site_write(const site *st, const char *name, const cd_buf *out)
{
	cd_buf path = CD_BUF_INIT;
	int rc;

	if (cd_buf_failed(out) || cd_path_join(&path, st->dir, name) < 0) {
		cd_buf_clear(&path);
		return -1;
	}
	rc = cd_file_write_atomic(path.data, out->data ? out->data : "", out->len);
	cd_buf_clear(&path);
	return rc;
}
