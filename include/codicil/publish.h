/* publish.h — the constitution as a static site for people who will never
 * open a terminal: works from file://, readable without JavaScript, prints
 * well.  Every piece of model or user text is escaped (it is untrusted).
 *
 *   index.html           the charter, an anchor per principle id (#id), each
 *                        principle with its legislative history: every
 *                        accepted amendment that touched it, with its
 *                        rationale, reviewer, date and the cases behind it
 *   cases.html           the case library (a little script filters it; the
 *                        table is all there without it)
 *   proposals.html       every proposal, pending, accepted and rejected
 *   amendments/<id>.html one per proposal: the word-level redline of its
 *                        change, its rationale, pros and cons, its cases
 *   style.css
 */
#ifndef CODICIL_PUBLISH_H
#define CODICIL_PUBLISH_H

#include <stddef.h>

#include "codicil/config.h"
#include "codicil/store.h"

typedef struct publish_result {
	size_t principles, cases, proposals, amendments;
} publish_result;

/* Write the site into dir (created when missing; files there of the same
 * names are replaced, one at a time and atomically). */
int publish_site(store *s, config *cfg, const char *dir, publish_result *r);

#endif
