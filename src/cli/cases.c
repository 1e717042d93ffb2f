/* cases.c — `codicil cases`, `codicil case` and `codicil rate`. */
#include "cli.h"
#include "cli_llm.h"
#include "rate_argue.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/case.h"
#include "codicil/case_index.h"
#include "codicil/workspace.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"
#include "codicil/rate.h"
#include "codicil/sanitize.h"

const char cmd_cases_usage[] =
	"usage: codicil cases [--status S] [-p ID] [--kind K] [--grep TEXT] [--json]\n"
	"\n"
	"List the cases of the library (cases/), oldest first.  A corrupt file is\n"
	"reported by its path and the others are still listed.  Lists come from\n"
	"the case index (.git/codicil/index.sqlite; see 'codicil index').\n"
	"\n"
	"      --status S      open, confirmed, dismissed or resolved\n"
	"  -p, --principle ID  only cases on this principle\n"
	"      --kind K        counterexample, tension, vagueness, probe, consequence\n"
	"      --grep TEXT     only cases whose text (scenario, literal reading,\n"
	"                      expected outcome, rationale) has every word of TEXT;\n"
	"                      the last word may be the start of one\n"
	"      --json          an array of the case objects as stored\n"
	"  -h, --help          this text\n";

const char cmd_case_usage[] =
	"usage: codicil case ID [--json]\n"
	"       codicil case ID --set-status open|confirmed|dismissed [-m NOTE]\n"
	"\n"
	"Show one case: scenario, the literal reading, the expected outcome, the\n"
	"rationale, ratings and provenance.  ID may be a unique prefix.\n"
	"\n"
	"      --json          the case as stored\n"
	"      --set-status S  decide the case and commit it (\"Confirm c-...\",\n"
	"                      \"Dismiss c-...\", \"Reopen c-...\"); a resolved case\n"
	"                      stays resolved\n"
	"  -m, --note TEXT     why, in the commit message\n"
	"  -h, --help          this text\n";

const char cmd_rate_usage[] =
	"usage: codicil rate ID --verdict valid|invalid [--confidence C] [--note TEXT]\n"
	"                   [--quick valid|invalid] [--dim NAME=SCORE]... [--rater \"Name <email>\"]\n"
	"       codicil rate ID --argue [--quick valid|invalid] [options as above]\n"
	"\n"
	"Record a human verdict on a case and commit it.  A rater's new rating\n"
	"replaces their earlier one (git keeps the history).\n"
	"\n"
	"      --verdict V     valid: the case shows a real failure; invalid: it does not\n"
	"                      (a probe: valid = the model's account mismatches the intent)\n"
	"      --confidence C  0..1 (default 1)\n"
	"      --note TEXT     why\n"
	"      --quick V       the verdict given before reading the arguments\n"
	"      --argue         the considered flow: your quick verdict (asked, unless\n"
	"                      --quick gives it), then the model's strongest arguments\n"
	"                      on both sides, then the verdict that counts (asked);\n"
	"                      both are recorded\n"
	"      --dim NAME=SCORE  a score on one dimension (repeatable), e.g. severity=4;\n"
	"                      when codicil.dimension lists dimensions, NAME is one of them\n"
	"      --rater WHO     default: git's user.name <user.email>\n"
	"  -h, --help          this text\n";

/* What a listing walks with: the store, and how many it listed. */
typedef struct json_stream {
	store *s;
	size_t n;
} json_stream;

static int print_case_line(const case_row *r, void *arg)
{
	cd_buf line = CD_BUF_INIT;
	size_t n = strlen(r->summary);

	((json_stream *)arg)->n++;
	cd_buf_printf(&line, "%s  %-9s %-14s sev %d  [", r->id, *r->status ? r->status : "?",
		      *r->kind ? r->kind : "?", r->severity);
	for (const char *p = r->principles; *p; p++)
		cd_buf_printf(&line, "%c", *p == ' ' ? ',' : *p);
	cd_buf_printf(&line, "]  %.70s%s", r->summary, n > 70 ? "..." : "");
	cli_put_safe(stdout, line.data, CD_SAN_ONE_LINE);
	fputc('\n', stdout);
	cd_buf_clear(&line);
	return 0;
}

/* --json, one case at a time (constant memory): as stored, in an array. */
static int print_case_json(const case_row *r, void *arg)
{
	cd_buf out = CD_BUF_INIT;
	json_stream *js = arg;
	cJSON *c = case_index_read_row(js->s, r);

	if (c && cd_json_print(c, &out) == 0) {
		fputs(js->n++ ? ",\n\t" : "[\n\t", stdout);
		for (size_t i = 0; i + 1 < out.len; i++) { /* without the final newline */
			fputc(out.data[i], stdout);
			if (out.data[i] == '\n')
				fputc('\t', stdout);
		}
	}
	cJSON_Delete(c);
	cd_buf_clear(&out);
	return 0;
}

static int warn_skipped(const char *path, const char *problem, void *arg)
{
	fputs("codicil: warning: ", stderr);
	cli_put_safe(stderr, path, CD_SAN_ONE_LINE);
	fputs(": ", stderr);
	cli_put_safe(stderr, problem, CD_SAN_ONE_LINE);
	fputs(" (skipped)\n", stderr);
	return 0;
}

/* -p names no principle of the charter (and no case cites it): a typo. */
static int unknown_principle(cli_ctx *ctx, const char *id)
{
	charter *ch = NULL;
	int unknown = 0;

	if (workspace_load(ctx->store, workspace_charter_path(ctx->cfg), NULL, 0, &ch) == 0 &&
	    !charter_find(ch, id)) {
		workspace_no_principle(ch, id);
		unknown = 1;
	}
	charter_free(ch);
	return unknown;
}

int cmd_cases(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "principle", required_argument, NULL, 'p' },
		{ "kind", required_argument, NULL, 'k' },
		{ "grep", required_argument, NULL, 'g' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	case_query q = { 0 };
	case_index *ix;
	json_stream js = { 0 };
	int json = 0, c, rc;
	case_status st;
	case_kind kind;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (case_status_parse(optarg, &st) < 0)
				return cli_usage_error("cases ", "%s", cd_err_msg());
			q.f.status = optarg;
			break;
		case 'k':
			if (case_kind_parse(optarg, &kind) < 0)
				return cli_usage_error("cases ", "%s", cd_err_msg());
			q.f.kind = optarg;
			break;
		case 'p': q.f.principle = optarg; break;
		case 'g': q.grep = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage_error("cases ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("cases ", "unexpected argument '%s'", argv[optind]);
	if (!(js.s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	if (case_index_open(js.s, &ix, NULL) < 0)
		return cli_fail_err();
	case_index_each_error(ix, warn_skipped, NULL);
	rc = case_index_each(ix, &q, json ? print_case_json : print_case_line, &js);
	/* nothing listed (nor "[" printed) on a -p the charter lacks: a typo */
	if (rc == 0 && q.f.principle && !js.n && unknown_principle(ctx, q.f.principle)) {
		case_index_close(ix);
		return cli_usage_error("cases ", "%s", cd_err_msg());
	}
	if (json)
		fputs(js.n ? "\n]\n" : "[]\n", stdout);
	case_index_close(ix);
	return rc < 0 ? cli_fail_err() : CLI_OK;
}

static int set_status(store *s, const cJSON *c, const char *status, const char *note)
{
	case_status st;
	cd_buf who = CD_BUF_INIT;
	char commit[41];
	int rc;

	if (case_status_parse(status, &st) < 0)
		return cli_usage_error("case ", "%s", cd_err_msg());
	if (rate_rater(s, &who) < 0 ||
	    case_status_commit(s, case_id(c), st, who.data, note, commit) < 0) {
		rc = cli_fail_err();
	} else {
		printf("%s is %s (commit %.10s)\n", case_id(c), status, commit);
		rc = CLI_OK;
	}
	cd_buf_clear(&who);
	return rc;
}

int cmd_case(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "set-status", required_argument, NULL, 's' },
		{ "note", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *status = NULL, *note = NULL;
	cJSON *c;
	int json = 0, rc = CLI_OK, opt;
	store *s;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 's': status = optarg; break;
		case 'm': note = optarg; break;
		default: return cli_usage_error("case ", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("case ", "give one case id");
	if (note && !status)
		return cli_usage_error("case ", "--note goes with --set-status");
	if (!(s = cli_store(ctx)))
		return CLI_FAIL;
	if (!(c = workspace_case_read(s, argv[optind]))) {
		rc = cli_fail_err(); /* the error says how to list them */
	} else if (status) {
		rc = set_status(s, c, status, note);
	} else if (json) {
		rc = cli_print_json(c);
		c = NULL;
	} else {
		cd_buf out = CD_BUF_INIT;
		case_to_text(c, &out);
		fwrite(out.data, 1, out.len, stdout);
		cd_buf_clear(&out);
	}
	cJSON_Delete(c);
	return rc;
}

typedef struct rate_args {
	const char *id, *verdict, *note, *quick, *rater;
	double confidence;
	rating_dimension dims[16];
	size_t ndims;
	int argue;
} rate_args;

static int parse_rate(cli_ctx *ctx, int argc, char **argv, rate_args *a)
{
	static const struct option opts[] = {
		{ "verdict", required_argument, NULL, 'v' }, { "confidence", required_argument, NULL, 'c' },
		{ "note", required_argument, NULL, 'n' }, { "quick", required_argument, NULL, 'q' },
		{ "dim", required_argument, NULL, 'd' }, { "rater", required_argument, NULL, 'r' },
		{ "argue", no_argument, NULL, 'a' }, CLI_LLM_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	char *end, *eq;
	int c;

	a->confidence = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'v': a->verdict = optarg; break;
		case 'n': a->note = optarg; break;
		case 'q': a->quick = optarg; break;
		case 'r': a->rater = optarg; break;
		case 'a': a->argue = 1; break;
		case 'c':
			a->confidence = strtod(optarg, &end);
			if (*end || a->confidence < 0 || a->confidence > 1)
				return cli_usage_error("rate ", "--confidence is a number from 0 to 1");
			break;
		case 'd':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg || a->ndims == 16)
				return cli_usage_error("rate ", "--dim takes NAME=SCORE");
			*eq = '\0';
			a->dims[a->ndims].name = optarg;
			a->dims[a->ndims].score = strtod(eq + 1, &end);
			if (*end || !eq[1])
				return cli_usage_error("rate ", "--dim %s: the score must be a number", optarg);
			a->ndims++;
			break;
		default:
			if (cli_llm_option(ctx, c, optarg))
				break;
			return cli_usage_error("rate ", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("rate ", "give exactly one case id");
	a->id = argv[optind];
	if (a->argue && a->verdict)
		return cli_usage_error("rate ", "--argue asks for the verdict after the arguments; "
				       "leave --verdict out");
	if (!a->verdict && !a->argue)
		return cli_usage_error("rate ", "--verdict valid|invalid is required (or --argue)");
	return 0;
}

/* With codicil.dimension set, a --dim name must be one of its values. */
static int check_dims(config *cfg, const rate_args *a)
{
	const char **names;
	size_t n;

	if (config_get_all(cfg, "codicil.dimension", &names, &n) < 0)
		return cli_fail_err();
	for (size_t i = 0; n && i < a->ndims; i++) {
		size_t k = 0;
		while (k < n && strcmp(names[k], a->dims[i].name))
			k++;
		if (k == n)
			return cli_usage_error("rate ", "--dim %s: not a dimension of this repository "
					       "(codicil.dimension lists them)", a->dims[i].name);
	}
	return 0;
}

int cmd_rate(cli_ctx *ctx, int argc, char **argv)
{
	rate_args a = { 0 };
	rating r = { 0 };
	cd_buf who = CD_BUF_INIT;
	cJSON *c = NULL;
	int rc = CLI_FAIL;
	store *s;

	if ((rc = parse_rate(ctx, argc, argv, &a)) != 0)
		return rc;
	rc = CLI_FAIL;
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	if ((rc = check_dims(ctx->cfg, &a)) != 0)
		return rc;
	rc = CLI_FAIL;
	if (!a.rater) {
		if (rate_rater(s, &who) < 0)
			return cli_fail_err();
		a.rater = who.data;
	}
	if (!(c = workspace_case_read(s, a.id))) { /* the id may be a prefix */
		cli_fail_err();
		goto out;
	}
	if (a.argue && (rc = rate_argue(ctx, c, a.rater, a.quick, &a.quick, &a.verdict)) != CLI_OK)
		goto out;
	rc = CLI_FAIL;
	r.rater = a.rater;
	r.verdict = a.verdict;
	r.confidence = a.confidence;
	r.note = a.note;
	r.quick_verdict = a.quick;
	r.dims = a.dims;
	r.ndims = a.ndims;
	if (rate_case_file(s, case_id(c), &r, NULL) < 0) {
		cli_fail_err();
		goto out;
	}
	printf("Rated %s: %s\n", case_id(c), a.verdict);
	rc = CLI_OK;
out:
	if (a.argue)
		cli_llm_finish(ctx, rc);
	cJSON_Delete(c);
	cd_buf_clear(&who);
	return rc;
}
