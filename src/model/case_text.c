/* case_text.c — the plain-text view of a case (`codicil case ID`).  Every
 * string from the record is untrusted (LLM output, hand edits) and goes
 * through cd_sanitize before it is appended. */
#include "codicil/case.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The many appends below need one check at the end: a failed append
 * sticks (buf.h). */
typedef cd_buf text;

static void put(text *t, const char *s)
{
	cd_buf_puts(t, s);
}

static void putf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(text *t, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	put(t, tmp);
}

/* A sanitised one-line value; "-" when absent. */
static void put_value(text *t, const char *s)
{
	if (!s || !*s)
		s = "-";
	cd_sanitize(s, strlen(s), CD_SAN_ONE_LINE, t);
}

/* n labels, each followed by its value: put_labelled(t, 2, "case ", id,
 * "\nkind: ", kind). */
static void put_labelled(text *t, int n, ...)
{
	va_list ap;

	va_start(ap, n);
	while (n-- > 0) {
		put(t, va_arg(ap, const char *));
		put_value(t, va_arg(ap, const char *));
	}
	va_end(ap);
}

static void put_paragraph(text *t, const char *title, const char *body)
{
	cd_buf clean = CD_BUF_INIT;
	const char *line, *nl;
	size_t len;

	putf(t, "\n%s\n", title);
	if (!body || !*body) {
		put(t, "  -\n");
		return;
	}
	if (cd_sanitize(body, strlen(body), 0, &clean) < 0)
		t->failed = 1; /* as if appending it had failed */
	for (line = cd_buf_cstr(&clean); *line; line = nl + 1) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (len) {
			put(t, "  ");
			cd_buf_append(t, line, len);
		}
		put(t, "\n");
		if (!nl)
			break;
	}
	cd_buf_clear(&clean);
}

static void put_header(text *t, const cJSON *c)
{
	const cJSON *p, *sev = cJSON_GetObjectItemCaseSensitive(c, "severity");
	const char *by = cd_json_str(c, "resolved_by");
	const char *sep = "";

	put_labelled(t, 3, "case ", case_id(c), "\nkind: ", cd_json_str(c, "kind"),
		     "\nstatus: ", cd_json_str(c, "status"));
	if (by) {
		put(t, " by ");
		put_value(t, by);
	}
	if (cJSON_IsNumber(sev))
		putf(t, "\nseverity: %g/5", sev->valuedouble);
	put(t, "\nprinciples: ");
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles")) {
		put(t, sep);
		put_value(t, cJSON_IsString(p) ? p->valuestring : "?");
		sep = ", ";
	}
	put(t, "\n");
}

static void put_rating(text *t, const cJSON *r)
{
	const char *quick = cd_json_str(r, "quick_verdict"), *note = cd_json_str(r, "note");
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(r, "dimensions"), *d;

	put(t, "  ");
	put_value(t, cd_json_str(r, "verdict"));
	putf(t, " (confidence %.2f", cd_json_num(r, "confidence", 0));
	if (quick) {
		put(t, ", first impression ");
		put_value(t, quick);
	}
	put(t, ") by ");
	put_value(t, cd_json_str(r, "rater"));
	put(t, " at ");
	put_value(t, cd_json_str(r, "at"));
	put(t, "\n");
	if (cJSON_IsObject(dims) && dims->child) {
		put(t, "   ");
		cJSON_ArrayForEach(d, dims) {
			put(t, " ");
			put_value(t, d->string);
			putf(t, "=%g", cJSON_IsNumber(d) ? d->valuedouble : 0);
		}
		put(t, "\n");
	}
	if (note) {
		put(t, "    ");
		put_value(t, note);
		put(t, "\n");
	}
}

static void put_ratings(text *t, const cJSON *c)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(c, "ratings"), *r;
	int valid = 0, invalid = 0;

	cJSON_ArrayForEach(r, arr) {
		const char *v = cd_json_str(r, "verdict");
		valid += v && strcmp(v, "valid") == 0;
		invalid += v && strcmp(v, "invalid") == 0;
	}
	putf(t, "\nRatings: %d valid, %d invalid\n", valid, invalid);
	cJSON_ArrayForEach(r, arr)
		put_rating(t, r);
}

static void put_provenance(text *t, const cJSON *c)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "provenance");
	const cJSON *prompt = cJSON_GetObjectItemCaseSensitive(p, "prompt");
	const cJSON *usage = cJSON_GetObjectItemCaseSensitive(p, "usage");

	if (!cJSON_IsObject(p))
		return;
	put(t, "\nProvenance\n");
	if (!cd_json_str(p, "model")) {
		put(t, "  written by hand\n");
	} else {
		put_labelled(t, 6, "  model: ", cd_json_str(p, "provider"), "/", cd_json_str(p, "model"),
			     " at ", cd_json_str(p, "endpoint_host"),
			     "\n  prompt: ", cd_json_str(prompt, "name"),
			     " sha256:", cd_json_str(prompt, "sha256"),
			     "\n  constitution: ", cd_json_str(p, "constitution_commit"));
		putf(t, "\n  usage: %.0f tokens in, %.0f out, %.0f ms\n",
		     cd_json_num(usage, "input_tokens", 0), cd_json_num(usage, "output_tokens", 0),
		     cd_json_num(p, "latency_ms", 0));
	}
	put(t, "  created: ");
	put_value(t, cd_json_str(p, "created"));
	put(t, " by codicil ");
	put_value(t, cd_json_str(p, "codicil_version"));
	put(t, "\n");
}

/* A list of {key_a, key_b} pairs as "  a: b" lines under a title: what each
 * principle demands (tension), the readings of a vague term and the action
 * each leads to (vagueness), the model's account per principle (probe). */
static void put_pairs(text *t, const char *title, const cJSON *arr, const char *a,
		      const char *b)
{
	const cJSON *it;

	if (!cJSON_IsArray(arr) || !cJSON_GetArraySize(arr))
		return;
	putf(t, "\n%s\n", title);
	cJSON_ArrayForEach(it, arr) {
		put(t, "  ");
		put_value(t, cd_json_str(it, a));
		put(t, ": ");
		put_value(t, cd_json_str(it, b));
		put(t, "\n");
	}
}

/* A behaviour case: the conversation turn by turn, the panel's verdicts,
 * who the judges think is wrong, the triage, and the three models. */
static void put_behaviour(text *t, const cJSON *c)
{
	const cJSON *m, *v, *j, *models = cJSON_GetObjectItemCaseSensitive(c, "models");
	const cJSON *sug = cJSON_GetObjectItemCaseSensitive(c, "suggestion");
	const cJSON *tri = cJSON_GetObjectItemCaseSensitive(c, "triage");
	int turn = 0;

	if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(c, "transcript")))
		put(t, "\nTranscript\n");
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(c, "transcript")) {
		int user = !strcmp(cd_json_str(m, "role") ? cd_json_str(m, "role") : "", "user");
		if (user)
			putf(t, "  turn %d\n", ++turn);
		put(t, user ? "    user:  " : "    model: ");
		put_value(t, cd_json_str(m, "content"));
		put(t, "\n");
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "verdicts")))
		put(t, "\nVerdicts\n");
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(c, "verdicts")) {
		put_labelled(t, 2, "  ", cd_json_str(v, "principle"), ": ", cd_json_str(v, "verdict"));
		putf(t, " (%.2f)%s", cd_json_num(v, "confidence", 0),
		     cd_json_bool(v, "split", 0) ? ", the judges split" : "");
		if (cd_json_str(v, "quote") && *cd_json_str(v, "quote")) {
			put(t, "\n    quote: ");
			put_value(t, cd_json_str(v, "quote"));
		}
		put(t, "\n");
		cJSON_ArrayForEach(j, cJSON_GetObjectItemCaseSensitive(v, "judges")) {
			put_labelled(t, 2, "    ", cd_json_str(j, "model"), ": ", cd_json_str(j, "verdict"));
			putf(t, " (%.2f)%s\n", cd_json_num(j, "confidence", 0),
			     cd_json_bool(j, "own_provider", 0) ? ", the target's own provider" : "");
		}
	}
	if (cJSON_IsObject(sug)) {
		put_labelled(t, 1, "\nThe judges' suggestion: ", cd_json_str(sug, "diagnosis"));
		putf(t, " (%.2f)\n", cd_json_num(sug, "confidence", 0));
	}
	if (cJSON_IsObject(tri)) {
		put_labelled(t, 3, "Triage: ", cd_json_str(tri, "decision"), " by ", cd_json_str(tri, "by"),
			     ", ", cd_json_str(tri, "at"));
		put(t, "\n");
	} else if (cJSON_IsObject(sug)) {
		put(t, "Triage: not yet (codicil triage ID --model-wrong|--charter-wrong|--both|"
		       "--neither)\n");
	}
	if (cJSON_IsObject(models)) {
		const cJSON *tg = cJSON_GetObjectItemCaseSensitive(models, "target");
		const cJSON *au = cJSON_GetObjectItemCaseSensitive(models, "auditor");
		put_labelled(t, 4, "\nModels\n  target: ", cd_json_str(tg, "provider"), "/",
			     cd_json_str(tg, "model"), "\n  auditor: ", cd_json_str(au, "provider"), "/",
			     cd_json_str(au, "model"));
		cJSON_ArrayForEach(j, cJSON_GetObjectItemCaseSensitive(models, "judges"))
			put_labelled(t, 2, "\n  judge: ", cd_json_str(j, "provider"), "/",
				     cd_json_str(j, "model"));
		put(t, "\n");
	}
}

static void put_kind_details(text *t, const cJSON *c)
{
	const char *term = cd_json_str(c, "term");

	put_pairs(t, "What each principle demands",
		  cJSON_GetObjectItemCaseSensitive(c, "demands"), "principle", "demands");
	if (term) {
		putf(t, "\nVague term\n  ");
		put_value(t, term);
		put(t, "\n");
	}
	put_pairs(t, "Readings and the action each leads to",
		  cJSON_GetObjectItemCaseSensitive(c, "readings"), "reading", "action");
	put_pairs(t, "The model's account of each principle",
		  cJSON_GetObjectItemCaseSensitive(c, "accounts"), "principle", "account");
	if (case_get_kind(c) == CASE_BEHAVIOUR)
		put_behaviour(t, c);
}

int case_to_text(const cJSON *c, cd_buf *out)
{
	put_header(out, c);
	put_paragraph(out, "Scenario", cd_json_str(c, "scenario"));
	put_paragraph(out, "Literal reading", cd_json_str(c, "literal_reading"));
	put_paragraph(out, "Expected", cd_json_str(c, "expected"));
	put_paragraph(out, "Rationale", cd_json_str(c, "rationale"));
	put_kind_details(out, c);
	put_ratings(out, c);
	put_provenance(out, c);
	return cd_buf_failed(out) ? -1 : 0;
}
