/* escape.h — text made inert inside HTML or XML markup: the published
 * site's pages and the JUnit report of `codicil regress`. */
#ifndef CODICIL_ESCAPE_H
#define CODICIL_ESCAPE_H

#include <stddef.h>

#include "codicil/buf.h"

/* Text as character data or an attribute value: & < > " ' escaped, control
 * characters other than newline and tab dropped (XML 1.0 allows no
 * others).  Invalid UTF-8 passes through: sanitise first (sanitize.h)
 * where the text may hold any bytes. */
void html_text(cd_buf *out, const char *s);
void html_textn(cd_buf *out, const char *s, size_t len);

#endif
