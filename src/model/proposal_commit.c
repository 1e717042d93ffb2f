/* proposal_commit.c — the commit message and trailers of an accepted
 * proposal: the one format `accept` writes and `verify` reads back. */
#include "codicil/proposal.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"

#define SUBJECT_MAX_IDS 3

/* The id an edit is about: the new principle for an insert. */
static const char *edit_subject_id(const cJSON *e)
{
	const char *op = cd_json_str(e, "op");

	if (op && !strcmp(op, "insert_after") && cd_json_str(e, "new_id"))
		return cd_json_str(e, "new_id");
	return cd_json_str(e, "id");
}

static int listed_before(const cJSON *edits, const cJSON *stop, const char *id)
{
	for (const cJSON *e = edits->child; e && e != stop; e = e->next) {
		const char *other = edit_subject_id(e);
		if (other && !strcmp(other, id))
			return 1;
	}
	return 0;
}

int proposal_commit_subject(const cJSON *p, cd_buf *out)
{
	const cJSON *edits = cJSON_GetObjectItemCaseSensitive(p, "edits"), *e;
	const char *title = cd_json_str(p, "title");
	cd_buf ids = CD_BUF_INIT;
	size_t n = 0;
	int rc;

	cd_buf_puts(&ids, "Amend ");
	cJSON_ArrayForEach(e, edits) {
		const char *id = edit_subject_id(e);
		if (!id || listed_before(edits, e, id))
			continue;
		if (n++ == SUBJECT_MAX_IDS) {
			cd_buf_puts(&ids, ", ...");
			break;
		}
		cd_buf_printf(&ids, "%s%s", n > 1 ? ", " : "", id);
	}
	if (!n || !title || !*title) {
		cd_buf_clear(&ids);
		cd_err_set("proposal %s has no %s; it cannot be committed",
			   proposal_id(p) ? proposal_id(p) : "(no id)", n ? "title" : "edits");
		return -1;
	}
	cd_buf_puts(&ids, ": ");
	cd_buf_puts(&ids, title);
	rc = cd_sanitize(ids.data, ids.len, CD_SAN_ONE_LINE, out);
	cd_buf_clear(&ids);
	return rc;
}

typedef struct trailers {
	store_trailer *v;
	size_t n, cap;
	int failed;
} trailers;

static void trim_spaces(char *s)
{
	size_t lead = strspn(s, " "), len = strlen(s + lead);

	memmove(s, s + lead, len + 1);
	while (len && s[len - 1] == ' ')
		s[--len] = '\0';
}

/* Append key: value made one clean line; empty values are dropped. */
static void add(trailers *t, const char *key, const char *value)
{
	char *clean;

	if (t->failed || !value)
		return;
	if (!(clean = cd_sanitize_dup(value, CD_SAN_ONE_LINE)))
		goto oom;
	trim_spaces(clean);
	if (!*clean) {
		free(clean);
		return;
	}
	store_trailer *nv = cd_grow(t->v, t->n, &t->cap, sizeof *nv, 16);
	if (!nv)
		goto oom_clean;
	t->v = nv;
	t->v[t->n].key = strdup(key);
	t->v[t->n].value = clean;
	if (!t->v[t->n].key)
		goto oom_clean;
	t->n++;
	return;
oom_clean:
	free(clean);
oom:
	t->failed = 1;
}

static void add_model(trailers *t, const cJSON *prov)
{
	const char *provider = cd_json_str(prov, "provider"), *model = cd_json_str(prov, "model");
	cd_buf b = CD_BUF_INIT;

	if (!model || !*model)
		return;
	if (provider && *provider)
		cd_buf_printf(&b, "%s/%s", provider, model);
	else
		cd_buf_puts(&b, model);
	add(t, "Codicil-Model", cd_buf_cstr(&b));
	cd_buf_clear(&b);
}

static void add_prompts(trailers *t, const cJSON *prov)
{
	const cJSON *it;
	cd_buf b = CD_BUF_INIT;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(prov, "prompts")) {
		const char *name = cd_json_str(it, "name"), *sha = cd_json_str(it, "sha256");
		if (!name || !sha)
			continue;
		cd_buf_reset(&b);
		cd_buf_printf(&b, "%s sha256:%s", name, sha);
		add(t, "Codicil-Prompt", b.data);
	}
	cd_buf_clear(&b);
}

static void add_regression(trailers *t, const cJSON *r)
{
	int changed = cd_json_int(r, "changed", 0);
	cd_buf b = CD_BUF_INIT;

	if (!cJSON_IsObject(r))
		return;
	cd_buf_printf(&b, "fixed=%d broken=%d ", cd_json_int(r, "fixed", 0),
		      cd_json_int(r, "broken", 0));
	if (cd_json_int(r, "worse", 0))
		cd_buf_printf(&b, "worse=%d ", cd_json_int(r, "worse", 0));
	if (changed)
		cd_buf_printf(&b, "changed=%d ", changed);
	cd_buf_printf(&b, "unchanged=%d", cd_json_int(r, "unchanged", 0));
	add(t, "Codicil-Regression", b.data);
	cd_buf_clear(&b);
}

/* What an accepted amendment must record; the same list verify checks. */
static int check_recordable(const cJSON *p, const trailers *t)
{
	static const char *const needed[] = {
		"Codicil-Proposal", "Codicil-Case", "Codicil-Model", "Codicil-Prompt",
		"Reviewed-by", NULL,
	};
	static const char *const why[] = {
		"an id", "cases", "provenance.model", "provenance.prompts", "a reviewer",
	};
	const char *id = proposal_id(p);

	for (size_t k = 0; needed[k]; k++) {
		size_t i = 0;
		while (i < t->n && strcmp(t->v[i].key, needed[k]) != 0)
			i++;
		if (i == t->n) {
			cd_err_set("proposal %s has no %s; an accepted amendment must record it "
				   "(%s trailer)", id ? id : "(no id)", why[k], needed[k]);
			return -1;
		}
	}
	return 0;
}

/* The rationale must not end in a paragraph git would read as trailers:
 * store_commit would then append ours to it, and the rationale (model
 * text) could add "Reviewed-by:" lines of its own. */
static int close_rationale(cd_buf *msg)
{
	store_trailer *tr = NULL;
	size_t n = 0;

	if (store_parse_trailers(msg->data, &tr, &n) < 0)
		return -1;
	store_trailers_free(tr, n);
	if (n)
		return cd_buf_puts(msg, "\n(end of rationale)\n");
	return 0;
}

static int build_body(const cJSON *p, cd_buf *msg)
{
	const char *rationale = cd_json_str(p, "rationale");
	cd_buf clean = CD_BUF_INIT;
	size_t b = 0, e;
	int rc = 0;

	if (proposal_commit_subject(p, msg) < 0 || cd_buf_putc(msg, '\n') < 0)
		return -1;
	if (rationale && cd_sanitize(rationale, strlen(rationale), 0, &clean) < 0)
		rc = -1;
	e = clean.len;
	while (e > 0 && strchr(" \t\n", clean.data[e - 1]))
		e--;
	while (b < e && clean.data[b] == '\n')
		b++;
	if (rc == 0 && e > b) {
		cd_buf_putc(msg, '\n');
		cd_buf_append(msg, clean.data + b, e - b);
		cd_buf_putc(msg, '\n');
		rc = close_rationale(msg);
	}
	cd_buf_clear(&clean);
	return rc;
}

size_t proposal_objections(const cJSON *p, cd_buf *why)
{
	const cJSON *it;
	size_t failed = 0, broken = (size_t)cd_json_int(
		cJSON_GetObjectItemCaseSensitive(p, "regression"), "broken", 0);

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "meta_check")) {
		const char *v = cd_json_str(it, "verdict");
		if (!v || strcmp(v, "fail"))
			continue;
		cd_buf_printf(why, "%s%s", failed++ ? ", " : "fails the meta-check (rules ",
			      cd_json_str(it, "rule") ? cd_json_str(it, "rule") : "?");
	}
	if (failed)
		cd_buf_putc(why, ')');
	if (broken)
		cd_buf_printf(why, "%sbreaks %zu case%s", failed ? " and " : "", broken,
			      broken == 1 ? "" : "s");
	return failed + (broken > 0);
}

/* The reviewer's words, after the rationale: git log shows them. */
static int add_decision_note(const cJSON *p, cd_buf *msg)
{
	const char *note = cd_json_str(cJSON_GetObjectItemCaseSensitive(p, "decision"), "note");
	char *clean;

	if (!note || !*note)
		return 0;
	if (!(clean = cd_sanitize_dup(note, 0)))
		return -1;
	cd_buf_printf(msg, "\nReviewer's note: %s\n", clean);
	free(clean);
	return 0;
}

int proposal_commit_message(const cJSON *p, const char *reviewer, cd_buf *msg,
			    store_trailer **tr, size_t *n)
{
	const cJSON *prov = cJSON_GetObjectItemCaseSensitive(p, "provenance"), *it;
	trailers t = { 0 };

	*tr = NULL;
	*n = 0;
	add(&t, "Codicil-Proposal", proposal_id(p));
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "cases"))
		add(&t, "Codicil-Case", cJSON_GetStringValue(it));
	add_model(&t, prov);
	add_prompts(&t, prov);
	add_regression(&t, cJSON_GetObjectItemCaseSensitive(p, "regression"));
	add(&t, "Reviewed-by", reviewer);
	add(&t, "Codicil-Override", cd_json_str(cJSON_GetObjectItemCaseSensitive(p, "decision"),
						 "override"));
	add(&t, "Codicil-Autonomy", cd_json_str(cJSON_GetObjectItemCaseSensitive(p, "decision"),
						 "autonomy"));
	if (t.failed) {
		cd_err_set("out of memory");
		goto fail;
	}
	if (check_recordable(p, &t) < 0 || build_body(p, msg) < 0 || add_decision_note(p, msg) < 0)
		goto fail;
	*tr = t.v;
	*n = t.n;
	return 0;
fail:
	store_trailers_free(t.v, t.n);
	return -1;
}
