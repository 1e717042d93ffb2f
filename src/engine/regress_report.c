/* regress_report.c — a regression as a CI system reads it: JUnit XML (one
 * test case per judged case) and GitHub Actions workflow commands (an
 * annotation on the charter for every case that got worse).  The judge's
 * reasoning is model output: it is sanitised and escaped for the format,
 * never passed through. */
#include "codicil/judge.h"

#include <string.h>

#include "codicil/error.h"
#include "codicil/escape.h"
#include "codicil/sanitize.h"

static int is_error(const regress_row *row)
{
	return row->before.verdict == VERDICT_ERROR || row->after.verdict == VERDICT_ERROR;
}

static const char *row_error(const regress_row *row)
{
	const char *e = row->after.error ? row->after.error : row->before.error;
	return e ? e : "no verdict";
}

/* "handled -> mishandled (0.90 -> 0.85)" */
static void move_text(cd_buf *out, const regress_row *row)
{
	cd_buf_printf(out, "%s -> %s (%.2f -> %.2f)", verdict_name(row->before.verdict),
		      verdict_name(row->after.verdict), row->before.confidence,
		      row->after.confidence);
}

/* The 1-based line of the principle's heading in the candidate charter, 0
 * when it is not there (a principle the change removed). */
static size_t principle_line(const charter *ch, const char *id)
{
	const principle *p = ch && id ? charter_find(ch, id) : NULL;
	return p ? p->line : 0;
}

/* Model text as XML character data: terminal escapes and bad UTF-8 gone. */
static void xml_untrusted(cd_buf *out, const char *s)
{
	cd_buf clean = CD_BUF_INIT;

	if (!s)
		return;
	if (cd_sanitize(s, strlen(s), 0, &clean) == 0)
		html_textn(out, clean.data ? clean.data : "", clean.len);
	else
		cd_buf_fail(out);
	cd_buf_clear(&clean);
}

static void junit_case(cd_buf *out, const regress_row *row, const char *path, const charter *ch)
{
	size_t line = principle_line(ch, row->principle);
	cd_buf msg = CD_BUF_INIT;

	cd_buf_puts(out, "    <testcase classname=\"");
	xml_untrusted(out, row->principle && *row->principle ? row->principle : "(none)");
	cd_buf_puts(out, "\" name=\"");
	xml_untrusted(out, row->case_id);
	cd_buf_puts(out, "\" file=\"");
	html_text(out, path);
	cd_buf_puts(out, "\"");
	if (line)
		cd_buf_printf(out, " line=\"%zu\"", line);
	if (!is_error(row) && row->direction >= 0) {
		cd_buf_puts(out, "/>\n");
		return;
	}
	if (is_error(row)) {
		cd_buf_puts(out, ">\n      <error type=\"not judged\" message=\"");
		xml_untrusted(out, row_error(row));
		cd_buf_puts(out, "\"/>\n");
	} else {
		move_text(&msg, row);
		cd_buf_printf(out, ">\n      <failure type=\"%s\" message=\"",
			      row->flip == FLIP_BROKEN ? "broken" : "worse");
		html_textn(out, msg.data, msg.len);
		cd_buf_printf(out, ", severity %d\">", row->severity);
		xml_untrusted(out, row->after.reasoning);
		cd_buf_puts(out, "</failure>\n");
	}
	cd_buf_puts(out, "    </testcase>\n");
	cd_buf_clear(&msg);
}

int regress_to_junit(const regress_result *r, const char *path, const charter *ch, cd_buf *out)
{
	size_t failures = 0, errors = 0;

	for (size_t i = 0; i < r->n; i++) {
		errors += is_error(&r->rows[i]);
		failures += !is_error(&r->rows[i]) && r->rows[i].direction < 0;
	}
	cd_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	cd_buf_printf(out, "<testsuites name=\"codicil regress\" tests=\"%zu\" failures=\"%zu\" "
		      "errors=\"%zu\">\n", r->n, failures, errors);
	cd_buf_puts(out, "  <testsuite name=\"");
	html_text(out, path);
	cd_buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\">\n", r->n,
		      failures, errors);
	for (size_t i = 0; i < r->n; i++)
		junit_case(out, &r->rows[i], path, ch);
	cd_buf_puts(out, "  </testsuite>\n</testsuites>\n");
	if (cd_buf_failed(out)) {
		cd_err_set("out of memory");
		return -1;
	}
	return 0;
}

/* A workflow command's data or (prop) property value: one line, with the
 * characters the runner reads as syntax percent-encoded. */
static void gha_escape(cd_buf *out, const char *s, int prop)
{
	cd_buf clean = CD_BUF_INIT;

	if (s && cd_sanitize(s, strlen(s), CD_SAN_ONE_LINE, &clean) == 0 && clean.data) {
		for (const char *p = clean.data; *p; p++) {
			if (*p == '%')
				cd_buf_puts(out, "%25");
			else if (*p == '\r')
				cd_buf_puts(out, "%0D");
			else if (*p == '\n')
				cd_buf_puts(out, "%0A");
			else if (prop && *p == ':')
				cd_buf_puts(out, "%3A");
			else if (prop && *p == ',')
				cd_buf_puts(out, "%2C");
			else
				cd_buf_putc(out, *p);
		}
	}
	cd_buf_clear(&clean);
}

static void gha_command(cd_buf *out, const char *level, const regress_row *row, const char *path,
			const charter *ch, const char *title, const char *text)
{
	size_t line = principle_line(ch, row->principle);
	cd_buf t = CD_BUF_INIT;

	cd_buf_printf(out, "::%s file=", level);
	gha_escape(out, path, 1);
	if (line)
		cd_buf_printf(out, ",line=%zu", line);
	cd_buf_printf(&t, "codicil regress: %s %s", row->case_id ? row->case_id : "", title);
	cd_buf_puts(out, ",title=");
	gha_escape(out, t.data, 1);
	cd_buf_puts(out, "::");
	gha_escape(out, text, 0);
	cd_buf_putc(out, '\n');
	cd_buf_clear(&t);
}

int regress_to_github(const regress_result *r, const char *path, const charter *ch, cd_buf *out)
{
	cd_buf text = CD_BUF_INIT;

	for (size_t i = 0; i < r->n; i++) {
		const regress_row *row = &r->rows[i];
		cd_buf_reset(&text);
		if (is_error(row)) {
			gha_command(out, "warning", row, path, ch, "not judged", row_error(row));
			continue;
		}
		if (row->direction == 0)
			continue;
		move_text(&text, row);
		cd_buf_printf(&text, ", severity %d, %s: %s", row->severity,
			      row->principle ? row->principle : "",
			      row->after.reasoning ? row->after.reasoning : "");
		gha_command(out, row->direction < 0 ? "error" : "notice", row, path, ch,
			    row->direction < 0 ? (row->flip == FLIP_BROKEN ? "broken" : "worse")
					       : "better", text.data);
	}
	cd_buf_clear(&text);
	if (cd_buf_failed(out)) {
		cd_err_set("out of memory");
		return -1;
	}
	return 0;
}
