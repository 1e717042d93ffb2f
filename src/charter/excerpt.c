/* excerpt.c — the charter as a model needs it for some principles, when
 * the whole of it would cost too much to send with every request. */
#include "codicil/charter.h"
#include "codicil/error.h"

#include <stdlib.h>

enum { NOT_SENT, OWN_TEXT, WHOLE_SPAN };

/* Principles at stake get their whole span; their ancestors their heading
 * and own text, so that what frames them is there too.  0: none known. */
static size_t mark_at_stake(const charter *c, const char *const *ids, size_t nids,
			    unsigned char *mark)
{
	size_t found = 0;

	for (size_t k = 0; k < nids; k++) {
		int i = charter_index(c, ids[k]);
		if (i < 0)
			continue;
		mark[i] = WHOLE_SPAN;
		found++;
		for (int a = c->p[i].parent; a >= 0; a = c->p[a].parent)
			if (mark[a] == NOT_SENT)
				mark[a] = OWN_TEXT;
	}
	return found;
}

int charter_excerpt(const charter *c, const char *const *ids, size_t nids, size_t max_bytes,
		    cd_buf *out)
{
	unsigned char *mark;
	int rc = 0;

	if (c->len <= max_bytes || nids == 0)
		return cd_buf_append(out, c->text, c->len);
	if (!(mark = calloc(c->n ? c->n : 1, 1))) {
		cd_err_set("out of memory");
		return -1;
	}
	if (!mark_at_stake(c, ids, nids, mark)) {
		free(mark);
		return cd_buf_append(out, c->text, c->len);
	}
	rc |= cd_buf_puts(out, "(This charter is long: its table of contents, then the principles "
			       "at stake in full, with the text of the sections around them.)\n\n");
	for (size_t i = 0; i < c->n; i++)
		rc |= cd_buf_printf(out, "%*s- %s {#%s}\n", 2 * (c->p[i].level - 1), "",
				    c->p[i].title, c->p[i].id);
	rc |= cd_buf_putc(out, '\n');
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		const principle *p = &c->p[i];
		if (mark[i] == WHOLE_SPAN) {
			rc = cd_buf_append(out, c->text + p->start, p->end - p->start);
			while (i + 1 < c->n && c->p[i + 1].start < p->end)
				i++; /* inside the span just sent */
		} else if (mark[i] == OWN_TEXT) {
			rc = cd_buf_append(out, c->text + p->start, p->body_end - p->start);
		}
	}
	free(mark);
	return rc < 0 ? -1 : 0;
}
