/* publish_proposals.c — the proposals page and one page per proposal
 * with the word-level redline of its change. */
#include "publish_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/amend.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/redline.h"

static void string_list(cd_buf *out, const cJSON *arr, const char *title)
{
	const cJSON *it;

	if (!cJSON_GetArraySize(arr))
		return;
	cd_buf_puts(out, "<h2>");
	html_text(out, title);
	cd_buf_puts(out, "</h2>\n<ul>\n");
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it)) {
			cd_buf_puts(out, "<li>");
			html_text(out, it->valuestring);
			cd_buf_puts(out, "</li>\n");
		}
	cd_buf_puts(out, "</ul>\n");
}

/* The charter at the proposal's base and with its edits applied, as a
 * redline; a proposal that no longer applies says so. */
static void redline_of(const site *st, const cJSON *p, cd_buf *out)
{
	cd_buf before = CD_BUF_INIT, after = CD_BUF_INIT;
	redline r = { 0 };

	if (amend_texts(st->s, p, &before, &after) < 0 ||
	    redline_compute(cd_buf_cstr(&before), before.len, cd_buf_cstr(&after), after.len,
			    &r) < 0) {
		cd_buf_puts(out, "<p>The change cannot be shown: ");
		html_text(out, cd_err_msg());
		cd_buf_puts(out, "</p>\n");
		goto out;
	}
	cd_buf_printf(out, "<p>%zu words deleted, %zu inserted.</p>\n<div class=\"redline\">",
		      r.deleted_words, r.inserted_words);
	for (size_t i = 0; i < r.n; i++) {
		const char *tag = r.seg[i].op == REDLINE_DELETE ? "del"
				  : r.seg[i].op == REDLINE_INSERT ? "ins" : NULL;
		if (tag)
			cd_buf_printf(out, "<%s>", tag);
		html_textn(out, r.seg[i].text, r.seg[i].len);
		if (tag)
			cd_buf_printf(out, "</%s>", tag);
	}
	cd_buf_puts(out, "</div>\n");
out:
	redline_clear(&r);
	cd_buf_clear(&before);
	cd_buf_clear(&after);
}

static const char *status_of(const cJSON *p)
{
	int st = proposal_get_status(p);
	return st >= 0 ? proposal_status_name((proposal_status)st) : "?";
}

static int amendment_page(site *st, const cJSON *p)
{
	cd_buf out = CD_BUF_INIT, name = CD_BUF_INIT;
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(p, "decision");
	int rc;

	html_open(&out, cd_json_str(p, "title"), "../");
	cd_buf_puts(&out, "<h1>");
	html_text(&out, cd_json_str(p, "title"));
	cd_buf_puts(&out, "</h1>\n<p class=\"id\">");
	html_text(&out, proposal_id(p));
	cd_buf_puts(&out, ", ");
	html_text(&out, status_of(p));
	if (cJSON_IsObject(d)) {
		cd_buf_puts(&out, " ");
		html_text(&out, cd_json_str(d, "at"));
		cd_buf_puts(&out, " by ");
		html_text(&out, cd_json_str(d, "by"));
	}
	cd_buf_puts(&out, "</p>\n<h2>Rationale</h2>\n<p>");
	html_text(&out, cd_json_str(p, "rationale"));
	cd_buf_puts(&out, "</p>\n<h2>The change</h2>\n");
	redline_of(st, p, &out);
	string_list(&out, cJSON_GetObjectItemCaseSensitive(p, "pros"), "For");
	string_list(&out, cJSON_GetObjectItemCaseSensitive(p, "cons"), "Against");
	cd_buf_puts(&out, "<h2>Cases</h2>\n<ul>\n");
	html_anchor_links(&out, cJSON_GetObjectItemCaseSensitive(p, "cases"), "../cases.html",
			  "<li>", "</li>\n");
	cd_buf_puts(&out, "</ul>\n");
	html_close(&out);
	cd_buf_printf(&name, "amendments/%s.html", proposal_id(p));
	rc = site_write(st, cd_buf_cstr(&name), &out);
	cd_buf_clear(&out);
	cd_buf_clear(&name);
	return rc;
}

int publish_proposals(site *st)
{
	cd_buf out = CD_BUF_INIT;
	size_t *order = calloc(st->pl.n + 1, sizeof *order);
	int rc = 0;

	if (!order) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < st->pl.n; i++)
		order[i] = i;
	proposal_list_order(&st->pl, order, st->pl.n);
	html_open(&out, "Proposals", "");
	cd_buf_puts(&out, "<h1>Proposals</h1>\n<table>\n<tr><th>Proposal</th><th>Status</th>"
		    "<th>Title</th></tr>\n");
	for (size_t k = 0; k < st->pl.n && rc == 0; k++) {
		const cJSON *p = st->pl.items[order[k]];
		cd_buf_puts(&out, "<tr><td><a href=\"amendments/");
		html_text(&out, proposal_id(p));
		cd_buf_puts(&out, ".html\">");
		html_text(&out, proposal_id(p));
		cd_buf_puts(&out, "</a></td><td>");
		html_text(&out, status_of(p));
		cd_buf_puts(&out, "</td><td>");
		html_text(&out, cd_json_str(p, "title"));
		cd_buf_puts(&out, "</td></tr>\n");
		rc = amendment_page(st, p);
		st->r->amendments += rc == 0;
	}
	cd_buf_puts(&out, "</table>\n");
	if (!st->pl.n)
		cd_buf_puts(&out, "<p>No proposals yet.</p>\n");
	html_close(&out);
	if (rc == 0)
		rc = site_write(st, "proposals.html", &out);
	st->r->proposals = st->pl.n;
	cd_buf_clear(&out);
	free(order);
	return rc;
}
