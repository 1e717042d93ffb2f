/* fuzz_charter — the charter parser, writer and editor: any bytes parse
 * (or fail cleanly), write back byte for byte, validate, format, and take a
 * replace, an insert and a delete on their first principle, with a redline
 * of each change. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/charter.h"
#include "codicil/redline.h"

static void redline_of(const charter *c, const cd_buf *after)
{
	redline r;
	cd_buf out = CD_BUF_INIT;

	if (redline_compute(c->text, c->len, cd_buf_cstr(after), after->len, &r) == 0) {
		redline_render_plain(&r, 2, &out);
		redline_clear(&r);
	}
	cd_buf_clear(&out);
}

static void edit(const charter *c, charter_edit e)
{
	cd_buf out = CD_BUF_INIT;

	if (charter_apply(c, &e, 1, &out) == 0)
		redline_of(c, &out);
	cd_buf_clear(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	charter *c = NULL;
	cd_buf out = CD_BUF_INIT;
	size_t changed;

	if (charter_parse("fuzz.md", (const char *)data, size, &c) < 0)
		return 0;
	if (charter_serialize(c, &out) < 0 || out.len != size ||
	    (size && memcmp(out.data, data, size)))
		abort(); /* the byte-exact round trip is a promise */
	cd_buf_reset(&out);
	charter_validate(c, &out);
	cd_buf_reset(&out);
	charter_fmt(c, &out, &changed);
	if (c->n) {
		const char *id = c->p[0].id;
		edit(c, (charter_edit){ .kind = CHARTER_EDIT_REPLACE, .id = id, .heading = "A new title",
					.body = "A new body.\nOn two lines." });
		edit(c, (charter_edit){ .kind = CHARTER_EDIT_REPLACE, .id = id, .heading = "" });
		edit(c, (charter_edit){ .kind = CHARTER_EDIT_INSERT_AFTER, .id = id,
					.new_id = "fuzz-new", .heading = "Inserted", .body = "Text." });
		edit(c, (charter_edit){ .kind = CHARTER_EDIT_DELETE, .id = id });
	}
	cd_buf_clear(&out);
	charter_free(c);
	return 0;
}
