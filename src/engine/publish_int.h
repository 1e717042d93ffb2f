/* publish_int.h — what the files of the static site (publish*.c) share:
 * escaping, the page frame, and the facts every page draws on. */
#ifndef CODICIL_PUBLISH_INT_H
#define CODICIL_PUBLISH_INT_H

#include <stdio.h>

#include <cJSON.h>

#include "codicil/buf.h"
#include "codicil/charter.h"
#include "codicil/proposal.h"
#include "codicil/escape.h"
#include "codicil/publish.h"

typedef struct site {
	store *s;
	config *cfg;
	const char *dir;
	charter *ch;
	proposal_list pl;
	char head[41];       /* the commit published */
	publish_result *r;
} site;

/* Markdown (the charter's own text) as HTML, raw HTML in it shown as text. */
void html_markdown(cd_buf *out, const char *md, size_t len);
/* Each string of arr as a link to page#it, between before and after:
 * "<a href="cases.html#c-...">c-...</a>". */
void html_anchor_links(cd_buf *out, const cJSON *arr, const char *page, const char *before,
		       const char *after);
/* The top of a page (title escaped, css relative to the page: "" or "../")
 * and its end. */
void html_open(cd_buf *out, const char *title, const char *up);
void html_close(cd_buf *out);
/* Write dir/name from out (atomically). */
int site_write(const site *st, const char *name, const cd_buf *out);

/* publish_cases.c, publish_proposals.c */
int publish_cases(site *st);
int publish_proposals(site *st);
/* The accepted proposals whose edits touch principle id, oldest first. */
size_t publish_history(const site *st, const char *id, const cJSON **out, size_t max);

#endif
