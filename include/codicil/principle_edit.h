/* principle_edit.h — edit one principle of the work-tree charter in the
 * user's editor and commit the result ("Edit ID: title").  Shared by
 * `codicil edit` and the TUI's edit action, which must leave curses mode
 * around principle_edit_run_editor().
 *
 * The principle's whole span (heading, text, sub-principles) is written to
 * the draft .git/codicil/drafts/ID.md; an existing draft is resumed.  A
 * result that does not validate is kept there for the next attempt.
 */
#ifndef CODICIL_PRINCIPLE_EDIT_H
#define CODICIL_PRINCIPLE_EDIT_H

#include "codicil/buf.h"
#include "codicil/charter.h"
#include "codicil/config.h"
#include "codicil/store.h"

typedef struct principle_edit {
	char *id;
	const char *file;  /* the charter's path in the work tree */
	charter *ch;       /* the charter before the edit */
	cd_buf draft;      /* absolute path of the draft file */
	cd_buf span;       /* the principle's text before the edit */
	int resumed;       /* the draft existed already: tell the user */
	const char *reason;/* why, for the commit message's body; may be NULL */
	int changed;       /* set by principle_edit_finish(): 1 when committed */
} principle_edit;

/* Check the charter is clean and valid, find id, write (or resume) the
 * draft.  On failure nothing needs freeing. */
int principle_edit_begin(store *s, config *cfg, const char *id, principle_edit *pe);
/* $VISUAL, else $EDITOR, else vi, run through the shell on the draft (as
 * git does).  Fails when the editor cannot start or exits non-zero. */
int principle_edit_run_editor(principle_edit *pe);
/* Read the draft back; no change: remove the draft, changed = 0.
 * Otherwise splice, validate, commit (under the repository lock), remove
 * the draft, changed = 1.  Errors say where the user's text is kept. */
int principle_edit_finish(store *s, principle_edit *pe);
void principle_edit_clear(principle_edit *pe);

#endif
