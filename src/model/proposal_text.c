/* proposal_text.c — a proposal as plain text for a terminal.  Every string
 * that comes from the record goes through cd_sanitize. */
#include "codicil/proposal.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/json.h"
#include "codicil/sanitize.h"

/* s made inert; one_line folds newlines. */
static void put(cd_buf *out, const char *s, int one_line)
{
	if (s)
		cd_sanitize(s, strlen(s), one_line ? CD_SAN_ONE_LINE : 0, out);
}

/* A multi-line text, each line indented. */
static void put_block(cd_buf *out, const char *s, const char *indent)
{
	cd_buf clean = CD_BUF_INIT;
	const char *line, *nl;

	if (!s)
		return;
	cd_sanitize(s, strlen(s), 0, &clean);
	for (line = cd_buf_cstr(&clean); *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		cd_buf_puts(out, indent);
		cd_buf_append(out, line, nl ? (size_t)(nl - line) : strlen(line));
		cd_buf_putc(out, '\n');
		if (!nl)
			break;
	}
	cd_buf_clear(&clean);
}

static void put_list(cd_buf *out, const cJSON *p, const char *key, const char *label)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, key), *it;

	if (!cJSON_GetArraySize(arr))
		return;
	cd_buf_printf(out, "\n%s:\n", label);
	cJSON_ArrayForEach(it, arr) {
		cd_buf_puts(out, "  - ");
		put(out, cJSON_GetStringValue(it), 1);
		cd_buf_putc(out, '\n');
	}
}

static void put_header(cd_buf *out, const cJSON *p)
{
	const cJSON *cases = cJSON_GetObjectItemCaseSensitive(p, "cases"), *it;
	const char *base = cd_json_str(p, "base");

	put(out, proposal_id(p), 1);
	cd_buf_puts(out, "  ");
	put(out, cd_json_str(p, "status"), 1);
	cd_buf_puts(out, "  ");
	put(out, cd_json_str(p, "title"), 1);
	cd_buf_puts(out, "\ncharter: ");
	put(out, proposal_charter(p), 1);
	if (base) {
		char *b = strndup(base, 10); /* a commit id shown short, made inert */
		cd_buf_puts(out, " at ");
		put(out, b ? b : "", 1);
		free(b);
	}
	cd_buf_puts(out, "\ncases:");
	cJSON_ArrayForEach(it, cases) {
		cd_buf_putc(out, ' ');
		put(out, cJSON_GetStringValue(it), 1);
	}
	cd_buf_puts(out, "\n\nRationale:\n");
	put_block(out, cd_json_str(p, "rationale"), "  ");
}

static void put_edits(cd_buf *out, const cJSON *p)
{
	const cJSON *it;

	cd_buf_puts(out, "\nEdits:\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "edits")) {
		const char *op = cd_json_str(it, "op"), *heading = cd_json_str(it, "heading");
		cd_buf_puts(out, "  ");
		put(out, op ? op : "?", 1);
		cd_buf_putc(out, ' ');
		put(out, cd_json_str(it, "id"), 1);
		if (cd_json_str(it, "new_id")) {
			cd_buf_puts(out, " as ");
			put(out, cd_json_str(it, "new_id"), 1);
		}
		if (heading) {
			cd_buf_puts(out, ": ");
			put(out, heading, 1);
		}
		cd_buf_putc(out, '\n');
		put_block(out, cd_json_str(it, "body"), "      ");
	}
}

static void put_consequences(cd_buf *out, const cJSON *p)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, "consequences"), *it, *a;

	if (!cJSON_GetArraySize(arr))
		return;
	cd_buf_puts(out, "\nPredicted consequences:\n");
	cJSON_ArrayForEach(it, arr) {
		cd_buf_puts(out, "  - [");
		put(out, cd_json_str(it, "likelihood"), 1);
		cd_buf_printf(out, ", severity %d] ", cd_json_int(it, "severity", 0));
		put(out, cd_json_str(it, "scenario"), 1);
		cd_buf_puts(out, "\n    effect: ");
		put(out, cd_json_str(it, "effect"), 1);
		cd_buf_puts(out, "\n    principles:");
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(it, "affected_principles")) {
			cd_buf_putc(out, ' ');
			put(out, cJSON_GetStringValue(a), 1);
		}
		cd_buf_putc(out, '\n');
	}
}

static void put_meta(cd_buf *out, const cJSON *p)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, "meta_check"), *it;

	if (!cJSON_GetArraySize(arr))
		return;
	cd_buf_puts(out, "\nMeta-check:\n");
	cJSON_ArrayForEach(it, arr) {
		cd_buf_puts(out, "  ");
		put(out, cd_json_str(it, "verdict"), 1);
		cd_buf_puts(out, "  ");
		put(out, cd_json_str(it, "rule"), 1);
		cd_buf_puts(out, ": ");
		put(out, cd_json_str(it, "reason"), 1);
		cd_buf_putc(out, '\n');
	}
}

/* "  c-..: handled -> unclear  WORSE  severity 5  privacy  0.90 -> 0.55"
 * then the judge's reasoning under the new text, indented. */
static void put_flip(cd_buf *out, const cJSON *f)
{
	const char *dir = cd_json_str(f, "direction");
	const cJSON *conf = cJSON_GetObjectItemCaseSensitive(f, "confidence");

	cd_buf_puts(out, "  ");
	put(out, cd_json_str(f, "case"), 1);
	cd_buf_puts(out, ": ");
	put(out, cd_json_str(f, "before"), 1);
	cd_buf_puts(out, " -> ");
	put(out, cd_json_str(f, "after"), 1);
	if (dir)
		cd_buf_printf(out, "  %s", !strcmp(dir, "worse") ? "WORSE" : dir);
	if (cd_json_int(f, "severity", 0))
		cd_buf_printf(out, "  severity %d", cd_json_int(f, "severity", 0));
	if (cd_json_str(f, "principle")) {
		cd_buf_puts(out, "  ");
		put(out, cd_json_str(f, "principle"), 1);
	}
	if (cJSON_GetArraySize(conf) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(conf, 0)) &&
	    cJSON_IsNumber(cJSON_GetArrayItem(conf, 1)))
		cd_buf_printf(out, "  confidence %.2f -> %.2f",
			      cJSON_GetArrayItem(conf, 0)->valuedouble,
			      cJSON_GetArrayItem(conf, 1)->valuedouble);
	cd_buf_putc(out, '\n');
	if (cd_json_str(f, "why") && *cd_json_str(f, "why")) {
		cd_buf_puts(out, "      ");
		put(out, cd_json_str(f, "why"), 1);
		cd_buf_putc(out, '\n');
	}
}

static void put_regression(cd_buf *out, const cJSON *p)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(p, "regression"), *it;

	if (!cJSON_IsObject(r))
		return;
	cd_buf_printf(out, "\nRegression: fixed=%d broken=%d changed=%d unchanged=%d",
		      cd_json_int(r, "fixed", 0), cd_json_int(r, "broken", 0),
		      cd_json_int(r, "changed", 0), cd_json_int(r, "unchanged", 0));
	if (cd_json_int(r, "worse", 0))
		cd_buf_printf(out, "; WORSE for %d case%s", cd_json_int(r, "worse", 0),
			      cd_json_int(r, "worse", 0) == 1 ? "" : "s");
	cd_buf_putc(out, '\n');
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r, "flips"))
		put_flip(out, it);
}

/* What drafting cost: "  cost: 12 requests, 48210 tokens in (9000 of them
 * cached), 3120 out, $0.1500". */
static void put_usage(cd_buf *out, const cJSON *u)
{
	const cJSON *usd = cJSON_GetObjectItemCaseSensitive(u, "usd");

	if (!cJSON_IsObject(u))
		return;
	cd_buf_printf(out, "\n  cost: %ld request%s, %ld tokens in",
		      cd_json_long(u, "requests", 0), cd_json_long(u, "requests", 0) == 1 ? "" : "s",
		      cd_json_long(u, "input_tokens", 0));
	if (cd_json_long(u, "cached_input_tokens", 0))
		cd_buf_printf(out, " (%ld of them cached)", cd_json_long(u, "cached_input_tokens", 0));
	cd_buf_printf(out, ", %ld out", cd_json_long(u, "output_tokens", 0));
	if (cJSON_IsNumber(usd))
		cd_buf_printf(out, ", $%.4f", usd->valuedouble);
	else if (cd_json_long(u, "requests", 0))
		cd_buf_puts(out, ", no price set");
}

static void put_provenance(cd_buf *out, const cJSON *p)
{
	const cJSON *prov = cJSON_GetObjectItemCaseSensitive(p, "provenance"), *it;

	if (!cJSON_IsObject(prov))
		return;
	cd_buf_puts(out, "\nDrafted by: ");
	put(out, cd_json_str(prov, "provider") ? cd_json_str(prov, "provider") : "(by hand)", 1);
	if (cd_json_str(prov, "model")) {
		cd_buf_putc(out, '/');
		put(out, cd_json_str(prov, "model"), 1);
	}
	if (cd_json_str(prov, "endpoint_host")) {
		cd_buf_puts(out, " at ");
		put(out, cd_json_str(prov, "endpoint_host"), 1);
	}
	cd_buf_puts(out, ", ");
	put(out, cd_json_str(prov, "created"), 1);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(prov, "prompts")) {
		cd_buf_puts(out, "\n  prompt ");
		put(out, cd_json_str(it, "name"), 1);
		cd_buf_puts(out, " sha256:");
		put(out, cd_json_str(it, "sha256"), 1);
	}
	put_usage(out, cJSON_GetObjectItemCaseSensitive(prov, "usage"));
	cd_buf_printf(out, "\n  transcripts: %d\n",
		      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "transcripts")));
}

static void put_outcome(cd_buf *out, const cJSON *p, const char *key, const char *label,
			const char *text_key)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, key);

	if (!cJSON_IsObject(o))
		return;
	cd_buf_printf(out, "\n%s by ", label);
	put(out, cd_json_str(o, "by"), 1);
	cd_buf_puts(out, " at ");
	put(out, cd_json_str(o, "at"), 1);
	cd_buf_putc(out, '\n');
	put_block(out, cd_json_str(o, text_key), "  ");
}

int proposal_to_text(const cJSON *p, cd_buf *out)
{
	put_header(out, p);
	put_edits(out, p);
	put_list(out, p, "pros", "Pros");
	put_list(out, p, "cons", "Cons");
	put_consequences(out, p);
	put_meta(out, p);
	put_regression(out, p);
	put_provenance(out, p);
	put_outcome(out, p, "decision", "Accepted", "note");
	put_outcome(out, p, "rejection", "Rejected", "reason");
	return 0;
}
