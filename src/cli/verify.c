#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"
#include "codicil/verify.h"
#include "codicil/workspace.h"

const char cmd_verify_usage[] =
	"usage: codicil verify [--strict] [--json]\n"
	"\n"
	"Check every amendment commit in the history (one with a Codicil-Proposal\n"
	"trailer): its trailers, the proposal file it commits (accepted, same\n"
	"cases, model, prompts and reviewer), the transcripts it lists (present,\n"
	"sha256 equal to their names), its cases (present at HEAD, resolved by it),\n"
	"and that its charter change is exactly the proposal's edits applied to\n"
	"the parent.  Other changes to the charter (initial import, codicil edit,\n"
	"codicil fmt --commit, plain git) are listed.  Exit 1 when anything fails.\n"
	"\n"
	"      --strict    for CI: a charter change made with plain git, outside any\n"
	"                  amendment, codicil edit or fmt, is a problem too\n"
	"      --json      {ok, amendments: [{commit, subject, proposal, problems}],\n"
	"                  other_changes: [{commit, subject, author, email, kind}]}\n"
	"  -h, --help      this text\n";

static cJSON *strings(char **v, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
	return arr;
}

static int print_json(const verify_report *r)
{
	cJSON *o = cJSON_CreateObject(), *am = cJSON_CreateArray(), *other = cJSON_CreateArray();

	cJSON_AddBoolToObject(o, "ok", r->nproblems == 0);
	for (size_t i = 0; i < r->namendments; i++) {
		const verify_amendment *a = &r->amendments[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "commit", a->commit);
		cJSON_AddStringToObject(j, "subject", a->subject);
		cJSON_AddStringToObject(j, "proposal", a->proposal);
		cJSON_AddItemToObject(j, "problems", strings(a->problems, a->nproblems));
		cJSON_AddItemToArray(am, j);
	}
	for (size_t i = 0; i < r->nothers; i++) {
		const verify_other *c = &r->others[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "commit", c->commit);
		cJSON_AddStringToObject(j, "subject", c->subject);
		cJSON_AddStringToObject(j, "author", c->author_name);
		cJSON_AddStringToObject(j, "email", c->author_email);
		cJSON_AddStringToObject(j, "kind", verify_kind_name(c->kind));
		cJSON_AddItemToArray(other, j);
	}
	cJSON_AddItemToObject(o, "amendments", am);
	cJSON_AddItemToObject(o, "other_changes", other);
	return cli_print_json(o);
}

static void print_text(const verify_report *r)
{
	static const char *const kinds[] = {
		"initial import", "codicil edit", "codicil fmt", "codicil revert", "plain git",
	};

	for (size_t i = 0; i < r->namendments; i++) {
		const verify_amendment *a = &r->amendments[i];
		printf("%-6s %.10s ", a->nproblems ? "FAILED" : "ok", a->commit);
		cli_put_safe(stdout, a->subject, CD_SAN_ONE_LINE);
		fputs("  [", stdout);
		cli_put_safe(stdout, a->proposal, CD_SAN_ONE_LINE);
		fputs("]\n", stdout);
		for (size_t k = 0; k < a->nproblems; k++) {
			printf("  commit %.7s (", a->commit);
			cli_put_safe(stdout, a->subject, CD_SAN_ONE_LINE);
			fputs("): ", stdout);
			cli_put_safe(stdout, a->problems[k], CD_SAN_ONE_LINE);
			fputc('\n', stdout);
		}
	}
	for (size_t i = 0; i < r->nothers; i++) {
		const verify_other *c = &r->others[i];
		printf("%-6s %.10s ", "other", c->commit);
		cli_put_safe(stdout, c->subject, CD_SAN_ONE_LINE);
		printf("  (%s, ", kinds[c->kind <= VERIFY_GIT ? c->kind : VERIFY_GIT]);
		cli_put_safe(stdout, c->author_name, CD_SAN_ONE_LINE);
		fputs(")\n", stdout);
	}
}

int cmd_verify(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "strict", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	verify_report r;
	int json = 0, strict = 0, c, rc;
	size_t bad = 0, plain = 0;
	store *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 's': strict = 1; break;
		default: return cli_usage_error("verify ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("verify ", "unexpected argument '%s'", argv[optind]);
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	if (verify_history(s, workspace_charter_path(ctx->cfg), &r) < 0)
		return cli_fail_err();
	if (json) {
		rc = print_json(&r);
	} else {
		print_text(&r);
		rc = CLI_OK;
	}
	for (size_t i = 0; i < r.namendments; i++)
		bad += r.amendments[i].nproblems > 0;
	for (size_t i = 0; i < r.nothers; i++)
		plain += r.others[i].kind == VERIFY_GIT;
	if (rc == CLI_OK && r.nproblems)
		rc = cli_fail("verify found %zu problem%s in %zu of %zu amendment commits", r.nproblems,
			      r.nproblems == 1 ? "" : "s", bad, r.namendments);
	else if (rc == CLI_OK && strict && plain)
		rc = cli_fail("verify --strict: %zu charter change%s made with plain git, outside any "
			      "amendment (listed as 'other ... plain git')", plain, plain == 1 ? "" : "s");
	else if (rc == CLI_OK && !json)
		printf("verify: %zu amendment%s ok, %zu other charter change%s (%zu with plain git)\n",
		       r.namendments, r.namendments == 1 ? "" : "s", r.nothers,
		       r.nothers == 1 ? "" : "s", plain);
	verify_report_clear(&r);
	return rc;
}
