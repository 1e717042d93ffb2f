/* edit.h — shared by edit.c and edit_text.c. */
#ifndef CODICIL_CHARTER_EDIT_H
#define CODICIL_CHARTER_EDIT_H

#include "internal.h"

/* c's text with edit e applied to principle t (level: for an insert). */
int edit_build_text(const charter *c, size_t t, const charter_edit *e, int level, cd_buf *out);
/* body normalised: no leading/trailing blank lines, eol line endings. */
int edit_body_text(const char *body, const char *eol, cd_buf *out);
/* s without leading and trailing white space. */
int edit_trimmed(const char *s, cd_buf *out);

#endif
