/* verify_checks.c — the checks on one amendment commit. */
#include "verify_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/charter.h"
#include "codicil/workspace.h"
#include "codicil/autonomy.h"
#include "codicil/error.h"
#include "codicil/hash.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "codicil/proposal.h"

typedef struct amend_ctx {
	store *s;
	const store_commit_info *ci;
	verify_amendment *a;
	cJSON *prop;        /* proposals/<id>.json in the commit, or NULL */
	int oom;
} amend_ctx;

int verify__problem(verify_amendment *a, const char *fmt, ...)
{
	char **v = realloc(a->problems, (a->nproblems + 1) * sizeof *v);
	cd_buf line = CD_BUF_INIT;
	va_list ap;
	int n;

	if (!v)
		return -1;
	a->problems = v;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || cd_buf_grow(&line, (size_t)n + 1) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(line.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	line.len = (size_t)n;
	a->problems[a->nproblems++] = cd_buf_detach(&line);
	return 0;
}

#define PROBLEM(x, ...) ((x)->oom |= verify__problem((x)->a, __VA_ARGS__) < 0)

/* A file at a revision: 1 read, 0 absent (or unreadable). */
static int read_at(store *s, const char *rev, const char *path, cd_buf *out)
{
	cd_buf_reset(out);
	if (store_read(s, rev, path, out) == 0)
		return 1;
	cd_err_clear();
	return 0;
}

static size_t count_trailer(const store_commit_info *ci, const char *key)
{
	size_t n = 0;

	for (size_t i = 0; i < ci->ntrailers; i++)
		n += strcmp(ci->trailers[i].key, key) == 0;
	return n;
}

static void check_trailers_present(amend_ctx *x)
{
	static const struct { const char *key; int many; } need[] = {
		{ "Codicil-Proposal", 0 }, { "Codicil-Case", 1 }, { "Codicil-Model", 0 },
		{ "Codicil-Prompt", 1 }, { "Reviewed-by", 0 },
	};

	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		size_t n = count_trailer(x->ci, need[i].key);
		if (!n)
			PROBLEM(x, "no %s trailer", need[i].key);
		else if (n > 1 && !need[i].many)
			PROBLEM(x, "%zu %s trailers; an amendment has one", n, need[i].key);
	}
}

static void load_proposal(amend_ctx *x)
{
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	const char *id;
	int st;

	if (workspace_record_path(x->a->proposal, &path) < 0) {
		PROBLEM(x, "its Codicil-Proposal trailer is not a proposal id");
		goto out;
	}
	if (!read_at(x->s, x->ci->id, path.data, &text)) {
		PROBLEM(x, "%s is not in the commit", path.data);
		goto out;
	}
	if (!(x->prop = proposal_parse(cd_buf_cstr(&text), text.len, path.data))) {
		PROBLEM(x, "%s", cd_err_msg());
		goto out;
	}
	id = proposal_id(x->prop);
	if (strcmp(id, x->a->proposal) != 0)
		PROBLEM(x, "%s has id %s", path.data, id);
	st = proposal_get_status(x->prop);
	if (st != PROPOSAL_ACCEPTED)
		PROBLEM(x, "%s has status %s, not accepted", path.data,
			st < 0 ? "(none)" : proposal_status_name((proposal_status)st));
out:
	cd_buf_clear(&path);
	cd_buf_clear(&text);
}

/* "a, b, c" of the values of key, in order. */
static void join_values(const store_trailer *t, size_t n, const char *key, cd_buf *out)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].key, key))
			cd_buf_printf(out, "%s%s", out->len ? ", " : "", t[i].value);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The values of key as a sorted multiset, comparable with another. */
static void sorted_values(const store_trailer *t, size_t n, const char *key, cd_buf *out)
{
	const char **v = calloc(n ? n : 1, sizeof *v);
	size_t k = 0;

	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].key, key))
			v[k++] = t[i].value;
	qsort(v, k, sizeof *v, cmp_str);
	for (size_t i = 0; i < k; i++)
		cd_buf_printf(out, "%s\n", v[i]);
	free(v);
}

/* The commit's trailers must say what the proposal says. */
static void check_trailers_match(amend_ctx *x)
{
	static const char *const keys[] = {
		"Codicil-Case", "Codicil-Model", "Codicil-Prompt", "Codicil-Regression",
		"Reviewed-by", NULL,
	};
	const char *by = cd_json_str(cJSON_GetObjectItemCaseSensitive(x->prop, "decision"), "by");
	cd_buf msg = CD_BUF_INIT, want = CD_BUF_INIT, have = CD_BUF_INIT;
	store_trailer *t = NULL;
	size_t n = 0;

	if (proposal_commit_message(x->prop, by ? by : "", &msg, &t, &n) < 0) {
		PROBLEM(x, "%s", cd_err_msg());
		goto out;
	}
	for (const char *const *k = keys; *k; k++) {
		cd_buf_reset(&want);
		cd_buf_reset(&have);
		sorted_values(t, n, *k, &want);
		sorted_values(x->ci->trailers, x->ci->ntrailers, *k, &have);
		if (!strcmp(cd_buf_cstr(&want), cd_buf_cstr(&have)))
			continue;
		cd_buf_reset(&want);
		cd_buf_reset(&have);
		join_values(t, n, *k, &want);
		join_values(x->ci->trailers, x->ci->ntrailers, *k, &have);
		PROBLEM(x, "%s trailer says '%s' but the proposal says '%s'", *k,
			have.len ? have.data : "(none)", want.len ? want.data : "(none)");
	}
out:
	store_trailers_free(t, n);
	cd_buf_clear(&msg);
	cd_buf_clear(&want);
	cd_buf_clear(&have);
}

/* 1 when text hashes to the name. */
static int hash_is(const cd_buf *text, const char *sha)
{
	char got[CD_SHA256_HEX];

	cd_sha256_hex(text->data ? text->data : "", text->len, got);
	return strcmp(got, sha) == 0;
}

static void check_transcripts(amend_ctx *x)
{
	const cJSON *it;
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(x->prop, "transcripts")) {
		const char *sha = cJSON_GetStringValue(it);
		int at_head, in_commit, bad = 0;

		if (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) {
			PROBLEM(x, "the proposal lists transcript '%s', which is not a sha256",
				sha ? sha : "(not a string)");
			continue;
		}
		cd_buf_reset(&path);
		workspace_transcript_at(x->s, "HEAD", sha, &path);
		if ((at_head = read_at(x->s, NULL, path.data, &text)))
			bad |= !hash_is(&text, sha);
		cd_buf_reset(&path);
		workspace_transcript_at(x->s, x->ci->id, sha, &path);
		if ((in_commit = read_at(x->s, x->ci->id, path.data, &text)))
			bad |= !hash_is(&text, sha);
		if (!at_head && !in_commit)
			PROBLEM(x, "%s is missing (neither at HEAD nor in the commit)", path.data);
		else if (bad)
			PROBLEM(x, "%s does not match its hash", path.data);
	}
	cd_buf_clear(&path);
	cd_buf_clear(&text);
}

/* Resolved by this proposal in the commit itself. */
static void check_case_in_commit(amend_ctx *x, const char *path, cd_buf *text)
{
	cJSON *c;
	const char *status, *by;

	if (!read_at(x->s, x->ci->id, path, text)) {
		PROBLEM(x, "%s is not in the commit", path);
		return;
	}
	if (!(c = cd_json_parse(cd_buf_cstr(text), text->len, path))) {
		PROBLEM(x, "%s", cd_err_msg());
		return;
	}
	status = cd_json_str(c, "status");
	by = cd_json_str(c, "resolved_by");
	if (!status || strcmp(status, "resolved") != 0 || !by || strcmp(by, x->a->proposal) != 0)
		PROBLEM(x, "%s is not marked resolved by %s in the commit", path, x->a->proposal);
	cJSON_Delete(c);
}

static void check_cases(amend_ctx *x)
{
	const cJSON *it;
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(x->prop, "cases")) {
		const char *id = cJSON_GetStringValue(it);

		if (!id || !cd_id_valid(id)) {
			PROBLEM(x, "the proposal's cases list '%s', which is not a case id",
				id ? id : "(not a string)");
			continue;
		}
		cd_buf_reset(&path);
		workspace_record_at(x->s, "HEAD", id, &path); /* a valid id: checked above */
		if (!read_at(x->s, NULL, path.data, &text))
			PROBLEM(x, "case %s is referenced by this amendment but no longer exists at "
				"HEAD", id);
		check_case_in_commit(x, path.data, &text);
	}
	cd_buf_clear(&path);
	cd_buf_clear(&text);
}

/* 1-based line of the first byte where a and b differ. */
static size_t first_diff_line(const cd_buf *a, const cd_buf *b)
{
	size_t i = 0, line = 1;

	while (i < a->len && i < b->len && a->data[i] == b->data[i])
		line += a->data[i++] == '\n';
	return line;
}

static void check_charter(amend_ctx *x)
{
	const char *path = proposal_charter(x->prop);
	cd_buf parent_rev = CD_BUF_INIT, before = CD_BUF_INIT, after = CD_BUF_INIT;
	cd_buf want = CD_BUF_INIT;
	charter *c = NULL;
	charter_edit *e = NULL;
	size_t n = 0;

	cd_buf_printf(&parent_rev, "%s^", x->ci->id);
	if (!read_at(x->s, x->ci->id, path, &after)) {
		PROBLEM(x, "%s is not in the commit", path);
	} else if (!read_at(x->s, parent_rev.data, path, &before)) {
		PROBLEM(x, "the commit has no parent with %s to amend", path);
	} else if (charter_parse(path, cd_buf_cstr(&before), before.len, &c) < 0 ||
		   proposal_edits(x->prop, &e, &n) < 0 || charter_apply(c, e, n, &want) < 0) {
		PROBLEM(x, "the proposal's edits do not apply to the parent's %s: %s", path,
			cd_err_msg());
	} else if (want.len != after.len || memcmp(want.data, after.data, want.len) != 0) {
		PROBLEM(x, "the change to %s is not what the proposal's edits give (they differ "
			"from line %zu)", path, first_diff_line(&want, &after));
	}
	free(e);
	charter_free(c);
	cd_buf_clear(&parent_rev);
	cd_buf_clear(&before);
	cd_buf_clear(&after);
	cd_buf_clear(&want);
}

/* An automatic acceptance (autonomy.h): the trailer and the decision
 * agree, the proposal met the conditions, and META.md at the parent
 * permitted it. */
static void check_autonomy(amend_ctx *x)
{
	const char *trailer = NULL, *decided = cd_json_str(
		cJSON_GetObjectItemCaseSensitive(x->prop, "decision"), "autonomy");
	cd_buf why = CD_BUF_INIT, rule = CD_BUF_INIT, parent = CD_BUF_INIT;

	for (size_t i = 0; i < x->ci->ntrailers; i++)
		if (!strcmp(x->ci->trailers[i].key, "Codicil-Autonomy"))
			trailer = x->ci->trailers[i].value;
	if (!trailer && !decided)
		return;
	if (!trailer || !decided || strcmp(trailer, decided))
		PROBLEM(x, "Codicil-Autonomy is %s but the proposal's decision.autonomy is %s",
			trailer ? trailer : "absent", decided ? decided : "absent");
	else if (strcmp(trailer, AUTONOMY_AUTO_META))
		PROBLEM(x, "Codicil-Autonomy '%s' is not a known autonomy (%s)", trailer,
			AUTONOMY_AUTO_META);
	if (!autonomy_passes(x->prop, &why))
		PROBLEM(x, "accepted automatically although %s", why.data);
	cd_buf_printf(&parent, "%s^", x->ci->id);
	if (autonomy_meta_rule(x->s, parent.data, &rule) != 1)
		PROBLEM(x, "accepted automatically, but %s at its parent has no rule with "
			"autonomy=%s", STORE_META, AUTONOMY_AUTO_META);
	cd_err_clear();
	cd_buf_clear(&why);
	cd_buf_clear(&rule);
	cd_buf_clear(&parent);
}

int verify__amendment(store *s, const store_commit_info *ci, verify_amendment *a)
{
	amend_ctx x = { .s = s, .ci = ci, .a = a };

	check_trailers_present(&x);
	if (a->proposal && !cd_id_valid(a->proposal))
		PROBLEM(&x, "Codicil-Proposal '%s' is not a proposal id", a->proposal);
	else if (a->proposal)
		load_proposal(&x);
	if (x.prop) {
		check_trailers_match(&x);
		check_transcripts(&x);
		check_cases(&x);
		check_charter(&x);
		check_autonomy(&x);
	}
	cJSON_Delete(x.prop);
	if (x.oom) {
		cd_err_set("out of memory");
		return -1;
	}
	return 0;
}
