/* charter.c — lookups, text views and freeing. */
#include "internal.h"

#include <stdlib.h>

void charter_free(charter *c)
{
	struct charter_impl *ci = (struct charter_impl *)c;

	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->p[i].id);
		free(c->p[i].title);
		charter_attrs_free(c->p[i].attrs, c->p[i].nattrs);
	}
	free(c->p);
	free(ci->src);
	strmap_clear(&ci->first_index);
	free(c->path);
	free(c->text);
	free(ci);
}

int charter_index(const charter *c, const char *id)
{
	const struct strmap_entry *e;

	if (!c || !id)
		return -1;
	e = strmap_get(&charter_impl_of(c)->first_index, id);
	return e ? (int)e->value : -1;
}

int charter_has_children(const charter *c, size_t i)
{
	for (size_t k = i + 1; k < c->n; k++)
		if (c->p[k].parent == (int)i)
			return 1;
	return 0;
}

const principle *charter_find(const charter *c, const char *id)
{
	int i = charter_index(c, id);

	return i < 0 ? NULL : &c->p[i];
}

int charter_serialize(const charter *c, cd_buf *out)
{
	return cd_buf_append(out, c->text, c->len);
}

int charter_principle_text(const charter *c, const principle *p, cd_buf *out)
{
	return cd_buf_append(out, c->text + p->start, p->end - p->start);
}

int charter_principle_body(const charter *c, const principle *p, cd_buf *out)
{
	return cd_buf_append(out, c->text + p->heading_end, p->body_end - p->heading_end);
}
