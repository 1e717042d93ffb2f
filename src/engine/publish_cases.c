/* publish_cases.c — the case library page, written one case at a time
 * (the library may be large).  The table is complete without JavaScript;
 * a short script adds filters by status, kind and principle. */
#include "publish_int.h"

#include <string.h>

#include "codicil/case.h"
#include "codicil/case_index.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

/* Builds the filter boxes from the rows' data attributes; hides rows
 * that do not match.  No text from the library passes through it. */
static const char filter_script[] =
	"<script>\n(function () {\n"
	"  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-status]'));\n"
	"  var box = document.getElementById('filters'), keys = ['status', 'kind', 'principles'];\n"
	"  var sel = {};\n"
	"  keys.forEach(function (k) {\n"
	"    var seen = {}, s = document.createElement('select'), l = document.createElement('label');\n"
	"    s.appendChild(new Option('any ' + k, ''));\n"
	"    rows.forEach(function (r) { r.dataset[k].split(' ').forEach(function (v) {\n"
	"      if (v && !seen[v]) { seen[v] = 1; s.appendChild(new Option(v, v)); } }); });\n"
	"    s.onchange = apply; sel[k] = s; l.appendChild(s); box.appendChild(l);\n"
	"  });\n"
	"  function apply() {\n"
	"    rows.forEach(function (r) {\n"
	"      r.hidden = !keys.every(function (k) { var v = sel[k].value;\n"
	"        return !v || r.dataset[k].split(' ').indexOf(v) >= 0; });\n"
	"    });\n"
	"  }\n"
	"})();\n</script>\n";

typedef struct case_page {
	site *st;
	FILE *f;
	cd_buf row;
	int failed;
} case_page;

static void attr(cd_buf *out, const char *name, const char *value)
{
	cd_buf_printf(out, " data-%s=\"", name);
	html_text(out, value);
	cd_buf_putc(out, '"');
}

static void case_row_html(const cJSON *c, const case_row *r, cd_buf *out)
{
	cd_buf_puts(out, "<tr id=\"");
	html_text(out, r->id);
	cd_buf_putc(out, '"');
	attr(out, "status", r->status);
	attr(out, "kind", r->kind);
	attr(out, "principles", r->principles);
	cd_buf_puts(out, "><td class=\"id\">");
	html_text(out, r->id);
	cd_buf_puts(out, "</td><td>");
	html_text(out, r->kind);
	cd_buf_puts(out, "</td><td>");
	html_text(out, r->status);
	cd_buf_printf(out, "</td><td>%d</td><td>", r->severity);
	html_anchor_links(out, cJSON_GetObjectItemCaseSensitive(c, "principles"), "index.html", "",
			  " ");
	cd_buf_puts(out, "</td><td>");
	html_text(out, cd_json_str(c, "scenario"));
	cd_buf_puts(out, "<br><em>Expected:</em> ");
	html_text(out, cd_json_str(c, "expected"));
	cd_buf_puts(out, "</td></tr>\n");
}

static int put(case_page *pg, cd_buf *b)
{
	if (cd_file_put_buf(pg->f, b, "cases.html") < 0) {
		pg->failed = 1;
		return -1;
	}
	cd_buf_reset(b);
	return 0;
}

static int one_case(const case_row *r, void *arg)
{
	case_page *pg = arg;
	cJSON *c = case_index_read_row(pg->st->s, r);
	int rc = -1;

	if (c) {
		case_row_html(c, r, &pg->row);
		rc = put(pg, &pg->row);
		pg->st->r->cases += rc == 0;
	}
	pg->failed |= rc < 0;
	cJSON_Delete(c);
	return rc;
}

int publish_cases(site *st)
{
	case_page pg = { .st = st };
	cd_buf path = CD_BUF_INIT;
	case_query q = { 0 };
	case_index *ix = NULL;
	cd_atomic out;
	int rc = -1;

	if (cd_path_join(&path, st->dir, "cases.html") < 0 || case_index_open(st->s, &ix, NULL) < 0 ||
	    cd_atomic_open(path.data, &out) < 0)
		goto done;
	pg.f = out.f;
	html_open(&pg.row, "Cases", "");
	cd_buf_puts(&pg.row, "<h1>Cases</h1>\n<p>Scenarios where the constitution, read as "
		    "written, gives a wrong result; each with the outcome it should have.</p>\n"
		    "<div class=\"filters\" id=\"filters\"></div>\n<table>\n<tr><th>Case</th>"
		    "<th>Kind</th><th>Status</th><th>Severity</th><th>Principles</th>"
		    "<th>Scenario</th></tr>\n");
	if (put(&pg, &pg.row) == 0 && case_index_each(ix, &q, one_case, &pg) == 0 && !pg.failed) {
		cd_buf_puts(&pg.row, "</table>\n");
		if (!st->r->cases)
			cd_buf_puts(&pg.row, "<p>No cases yet.</p>\n");
		cd_buf_puts(&pg.row, filter_script);
		html_close(&pg.row);
		rc = put(&pg, &pg.row);
	}
	rc = rc == 0 ? cd_atomic_commit(&out) : (cd_atomic_abort(&out), -1);
done:
	case_index_close(ix);
	cd_buf_clear(&pg.row);
	cd_buf_clear(&path);
	return rc;
}
