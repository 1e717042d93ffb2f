/* publish.c — the static site (publish.h): the constitution page, with
 * each principle's legislative history, and the style sheet. */
#include "publish_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"
#include "codicil/workspace.h"

static const char css[] =
	"body { font: 16px/1.5 Georgia, serif; max-width: 46em; margin: 0 auto; padding: 1em; "
	"color: #222; }\n"
	"nav a { margin-right: 1em; } nav { border-bottom: 1px solid #ccc; padding: .5em 0; }\n"
	"section.principle { border-left: 3px solid #ddd; padding-left: 1em; margin: 1.5em 0; }\n"
	".id { color: #777; font: 13px monospace; } td.id { white-space: nowrap; }\n"
	".history { font-size: 14px; background: #f7f7f4; padding: .5em 1em; }\n"
	"table { border-collapse: collapse; width: 100%; font-size: 14px; }\n"
	"td, th { border-bottom: 1px solid #ddd; padding: .3em; vertical-align: top; "
	"text-align: left; }\n"
	"del { background: #fdd; color: #900; } ins { background: #dfd; color: #060; "
	"text-decoration: none; }\n"
	".redline { white-space: pre-wrap; font-family: Georgia, serif; }\n"
	".filters { margin: 1em 0; } .filters label { margin-right: 1em; }\n"
	"@media print { nav, .filters { display: none; } body { max-width: none; } "
	"a { color: inherit; text-decoration: none; } section.principle { "
	"break-inside: avoid; } }\n";

size_t publish_history(const site *st, const char *id, const cJSON **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < st->pl.n && n < max; i++) {
		const cJSON *p = st->pl.items[i], *e;
		int touches = 0;

		if (proposal_get_status(p) != PROPOSAL_ACCEPTED)
			continue;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "edits")) {
			const char *eid = cd_json_str(e, "id"), *nid = cd_json_str(e, "new_id");
			touches |= (eid && !strcmp(eid, id)) || (nid && !strcmp(nid, id));
		}
		if (touches)
			out[n++] = p;
	}
	return n;
}

/* "Amended by p-...: title (by Name, 2026-11-02): rationale. Cases: ..." */
static void history(const site *st, const char *id, cd_buf *out)
{
	const cJSON *h[64];
	size_t n = publish_history(st, id, h, 64);

	if (!n)
		return;
	cd_buf_puts(out, "<div class=\"history\"><strong>History</strong><ul>\n");
	for (size_t i = 0; i < n; i++) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(h[i], "decision");
		cd_buf_puts(out, "<li><a href=\"amendments/");
		html_text(out, proposal_id(h[i]));
		cd_buf_puts(out, ".html\">");
		html_text(out, cd_json_str(h[i], "title"));
		cd_buf_puts(out, "</a>, accepted ");
		html_text(out, cd_json_str(d, "at"));
		cd_buf_puts(out, " by ");
		html_text(out, cd_json_str(d, "by"));
		cd_buf_puts(out, ". ");
		html_text(out, cd_json_str(h[i], "rationale"));
		cd_buf_puts(out, " <span class=\"cases\">Cases:");
		html_anchor_links(out, cJSON_GetObjectItemCaseSensitive(h[i], "cases"), "cases.html",
				  " ", "");
		cd_buf_puts(out, "</span></li>\n");
	}
	cd_buf_puts(out, "</ul></div>\n");
}

static void principle_html(const site *st, size_t i, cd_buf *out)
{
	const principle *p = &st->ch->p[i];
	cd_buf body = CD_BUF_INIT;

	cd_buf_puts(out, "<section class=\"principle\" id=\"");
	html_text(out, p->id);
	cd_buf_printf(out, "\">\n<h%d>", p->level);
	html_text(out, p->title);
	cd_buf_puts(out, " <a class=\"id\" href=\"#");
	html_text(out, p->id);
	cd_buf_puts(out, "\">#");
	html_text(out, p->id);
	cd_buf_printf(out, "</a></h%d>\n", p->level);
	if (charter_principle_body(st->ch, p, &body) == 0)
		html_markdown(out, body.data ? body.data : "", body.len);
	else
		cd_buf_fail(out);
	history(st, p->id, out);
	cd_buf_puts(out, "</section>\n");
	cd_buf_clear(&body);
}

static int publish_charter(site *st)
{
	cd_buf out = CD_BUF_INIT;
	const char *title = st->ch->n ? st->ch->p[0].title : "Constitution";
	int rc;

	html_open(&out, title, "");
	if (st->ch->n && st->ch->p[0].start > 0) /* text before the first heading */
		html_markdown(&out, st->ch->text, st->ch->p[0].start);
	for (size_t i = 0; i < st->ch->n; i++)
		principle_html(st, i, &out);
	cd_buf_printf(&out, "<p class=\"id\">As of commit %.12s.</p>\n", st->head);
	html_close(&out);
	rc = site_write(st, "index.html", &out);
	cd_buf_clear(&out);
	st->r->principles = st->ch->n;
	return rc;
}

static int load(site *st)
{
	cd_buf dir = CD_BUF_INIT;
	int rc;

	if (workspace_load(st->s, workspace_charter_path(st->cfg), "HEAD", 0, &st->ch) < 0 ||
	    store_resolve(st->s, "HEAD", st->head) < 0 ||
	    cd_buf_printf(&dir, "%s%s", store_workdir(st->s), PROPOSAL_DIR) < 0) {
		cd_buf_clear(&dir);
		return -1;
	}
	rc = proposal_list_load(dir.data, &st->pl);
	cd_buf_clear(&dir);
	return rc;
}

int publish_site(store *s, config *cfg, const char *dir, publish_result *r)
{
	site st = { .s = s, .cfg = cfg, .dir = dir, .r = r };
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (cd_mkdir_p(dir, 0755) < 0 || load(&st) < 0)
		goto out;
	{
		cd_buf style = CD_BUF_INIT;
		cd_buf_puts(&style, css);
		rc = site_write(&st, "style.css", &style);
		cd_buf_clear(&style);
	}
	if (rc < 0 || publish_charter(&st) < 0 || publish_proposals(&st) < 0 ||
	    publish_cases(&st) < 0)
		rc = -1;
out:
	charter_free(st.ch);
	proposal_list_clear(&st.pl);
	return rc;
}
