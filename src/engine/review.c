/* review.c — a proposal for a reviewer: the word-level redline of its
 * change next to everything the record says about it. */
#include "amend_int.h"

#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"

#define REVIEW_CONTEXT_LINES 2

int amend_review_load(store *s, const char *id, const char *charter_path, amend_review *r)
{
	cd_buf before = CD_BUF_INIT, after = CD_BUF_INIT;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (amend_load(s, id, &r->proposal) < 0)
		return -1;
	if (charter_path && strcmp(charter_path, proposal_charter(r->proposal))) {
		cd_err_set("proposal %s amends %s, not %s", proposal_id(r->proposal),
			   proposal_charter(r->proposal), charter_path);
		goto out;
	}
	/* The texts are made inert once, so the redline can be coloured. */
	if (amend_texts(s, r->proposal, &before, &after) < 0 ||
	    cd_sanitize(cd_buf_cstr(&before), before.len, 0, &r->before) < 0 ||
	    cd_sanitize(cd_buf_cstr(&after), after.len, 0, &r->after) < 0 ||
	    redline_compute(cd_buf_cstr(&r->before), r->before.len, cd_buf_cstr(&r->after),
			    r->after.len, &r->redline) < 0)
		goto out;
	rc = 0;
out:
	cd_buf_clear(&before);
	cd_buf_clear(&after);
	if (rc < 0)
		amend_review_clear(r);
	return rc;
}

void amend_review_clear(amend_review *r)
{
	cJSON_Delete(r->proposal);
	cd_buf_clear(&r->before);
	cd_buf_clear(&r->after);
	redline_clear(&r->redline);
	memset(r, 0, sizeof *r);
}

cJSON *amend_review_json(const amend_review *r)
{
	cJSON *o = cJSON_Duplicate(r->proposal, 1), *rl = redline_to_json(&r->redline);

	if (!o || !rl || !cJSON_AddItemToObject(o, "redline", rl)) {
		cJSON_Delete(o);
		cJSON_Delete(rl);
		cd_err_set("out of memory");
		return NULL;
	}
	return o;
}

static void put_line(cd_buf *out, const char *s)
{
	if (s)
		cd_sanitize(s, strlen(s), CD_SAN_ONE_LINE, out);
}

int amend_review_text(const amend_review *r, int color, cd_buf *out)
{
	const cJSON *p = r->proposal;
	int rc;

	cd_buf_puts(out, "Proposal ");
	put_line(out, proposal_id(p));
	cd_buf_puts(out, " (");
	put_line(out, cd_json_str(p, "status"));
	cd_buf_puts(out, "): ");
	put_line(out, cd_json_str(p, "title"));
	cd_buf_puts(out, "\n\nChange to ");
	put_line(out, proposal_charter(p));
	cd_buf_printf(out, " (%zu word%s deleted, %zu inserted):\n\n", r->redline.deleted_words,
		      r->redline.deleted_words == 1 ? "" : "s", r->redline.inserted_words);
	rc = color ? redline_render_color(&r->redline, REVIEW_CONTEXT_LINES, out)
		   : redline_render_plain(&r->redline, REVIEW_CONTEXT_LINES, out);
	if (rc < 0)
		return -1;
	if (out->len && out->data[out->len - 1] != '\n')
		cd_buf_putc(out, '\n');
	cd_buf_puts(out, "\n");
	return proposal_to_text(p, out);
}
