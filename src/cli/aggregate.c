/* aggregate.c — `codicil aggregate` (the multi-rater consensus) and
 * `codicil appeals` (the court of appeal). */
#include "cli_llm.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/aggregate.h"
#include "codicil/appeals.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

const char cmd_aggregate_usage[] =
	"usage: codicil aggregate [--apply] [--consensus model|weighted] [--json]\n"
	"                        [--judge [--rev REV] [--no-cache] [--budget N] [--dry-run]]\n"
	"\n"
	"Combine every rating of every case into a consensus that allows for the\n"
	"raters' leniency.  Model: P(rater r calls case c valid) = sigmoid(v_c + b_r),\n"
	"v_c the case's validity, b_r the rater's bias (> 0: calls more cases valid),\n"
	"fitted by maximum likelihood with priors v ~ N(0, 2^2), b ~ N(0, 1).  A rating\n"
	"counts with its confidence as weight.  Raters listed in codicil.reliableRater\n"
	"(multi-valued: \"Name <email>\" or the email) are anchors with bias 0.\n"
	"stderr is the standard error of v_c; consensus is sigmoid(v_c).  Suggested\n"
	"status: confirmed when the consensus reaches codicil.aggregateConfirm (0.8),\n"
	"dismissed at or below codicil.aggregateDismiss (1 - confirm), else open.\n"
	"\n"
	"Dimensions (codicil.dimension, multi-valued, e.g. in .codicil; default: every\n"
	"name found in 'codicil rate --dim' scores): each score is modelled as the\n"
	"case's mean plus the rater's offset (reliable raters 0, a ridge prior on the\n"
	"rest); mean is the case's score with the offsets taken out, raw_mean the\n"
	"plain average.\n"
	"\n"
	"Weighted consensus (--consensus weighted, or codicil.consensus): each rater's\n"
	"vote counts with w_r = log(a_r / (1 - a_r)) (0 when a_r <= 1/2), a_r their\n"
	"modelled agreement with a reliable rater, mean over their cases of\n"
	"q p + (1 - q)(1 - p), p = sigmoid(v_c), q = sigmoid(v_c + b_r); times the\n"
	"rating's confidence.  Agreement: Krippendorff's alpha (nominal) overall and\n"
	"per principle; below codicil.vagueAlpha (0.45) a principle is flagged vague.\n"
	"\n"
	"      --apply       set each confirmed/dismissed suggestion that differs from\n"
	"                    the case's status (never a resolved case) and commit\n"
	"      --consensus C model (default: sigmoid(v_c)) or weighted\n"
	"      --judge       also judge every rated case (not probes, not resolved\n"
	"                    ones) under the charter and report Cohen's kappa of the\n"
	"                    judge's verdicts against the consensus (costs requests;\n"
	"                    judgments made before come from the cache)\n"
	"      --rev REV     with --judge: the charter at a revision (default: the\n"
	"                    work tree's)\n"
	"      --no-cache    with --judge: ask again even for judgments made before\n"
	CLI_LLM_USAGE
	"      --json        {raters, cases, dimensions, ratings, converged, consensus,\n"
	"                    agreement, contemplation[, judge]}\n"
	"  -h, --help        this text\n";

const char cmd_appeals_usage[] =
	"usage: codicil appeals [--rev REV] [--no-cache] [--json]\n"
	"\n"
	"The court of appeal: cases where the LLM judge and the human raters disagree\n"
	"while both are confident, strongest first, so that a human decides which is\n"
	"wrong.  The judge judges every confidently rated case under the charter (the\n"
	"work tree's, or --rev); the raters' verdict is the consensus of 'codicil\n"
	"aggregate'.  Raters' valid (a real failure) faces the judge's mishandled,\n"
	"invalid faces handled.  Thresholds: judge confidence >=\n"
	"codicil.appealJudgeConfidence (0.7), human confidence max(p, 1 - p) >=\n"
	"codicil.appealHumanConfidence (0.8), p the consensus.  Resolved cases and\n"
	"probes are left out.\n"
	"\n"
	"      --rev REV   judge under the charter at a revision\n"
	"      --no-cache  ask the judge even for judgments made before\n"
	"      --json      {appeals: [{id, judge, raters, strength, ...}], candidates, errors, thresholds}\n"
	"  -h, --help      this text\n";

static void put_line(const char *text)
{
	cli_put_safe(stdout, text, CD_SAN_ONE_LINE);
	fputc('\n', stdout);
}

static void print_raters(const agg_result *r)
{
	cd_buf line = CD_BUF_INIT;

	printf("raters (bias > 0: calls more cases valid; * reliable, bias fixed at 0)\n");
	for (size_t i = 0; i < r->nraters; i++) {
		const agg_rater *a = &r->raters[i];
		cd_buf_reset(&line);
		cd_buf_printf(&line, "  %-36s%s bias %+5.2f ±%.2f  %3zu rating%s", a->rater,
			      a->reliable ? "*" : " ", a->bias, a->bias_se, a->ratings,
			      a->ratings == 1 ? " " : "s");
		if (!isnan(a->agreement))
			cd_buf_printf(&line, "  agrees with reliable %3.0f%% of %zu", 100 * a->agreement,
				      a->shared);
		if (a->considered)
			cd_buf_printf(&line, "  changed %zu of %zu verdicts after the arguments",
				      a->flips, a->considered);
		put_line(line.data);
	}
	cd_buf_clear(&line);
}

static void print_cases(const agg_result *r)
{
	printf("cases (validity ± stderr, consensus, ratings, status -> what --apply sets)\n");
	for (size_t i = 0; i < r->ncases; i++) {
		const agg_case *c = &r->cases[i];
		const char *st = cd_json_str(c->c, "status"), *to = aggregate_change(c);
		printf("  %s  %+5.2f ±%.2f  %.2f  %2zu  %s%s%s\n", case_id(c->c), c->validity, c->se,
		       c->p, c->ratings, st ? st : "?", to ? " -> " : "", to ? to : "");
	}
}

static void print_dims(const agg_result *r)
{
	cd_buf line = CD_BUF_INIT;

	for (size_t d = 0; d < r->ndims; d++) {
		const agg_dim *dim = &r->dims[d];
		cd_buf_reset(&line);
		cd_buf_printf(&line, "dimension %s (mean with rater offsets taken out; raw mean)", dim->name);
		put_line(line.data);
		for (size_t i = 0; i < r->nraters; i++)
			if (dim->scored[i]) {
				cd_buf_reset(&line);
				cd_buf_printf(&line, "  offset %+5.2f  %s", dim->offset[i], r->raters[i].rater);
				put_line(line.data);
			}
		for (size_t i = 0; i < dim->ncases; i++)
			printf("  %s  %5.2f  (raw %.2f, %zu score%s)\n", dim->cases[i].id, dim->cases[i].mean,
			       dim->cases[i].raw_mean, dim->cases[i].n, dim->cases[i].n == 1 ? "" : "s");
	}
	cd_buf_clear(&line);
}

/* Krippendorff's alpha overall and per principle; the vague ones offered
 * to `codicil vagueness`. */
static void print_agreement(const agg_result *r)
{
	cd_buf line = CD_BUF_INIT;

	if (isnan(r->alpha))
		printf("agreement: not measurable yet (it needs cases rated by two raters or more, "
		       "who do not all say the same)\n");
	else
		printf("agreement: Krippendorff's alpha %.2f (1: perfect, 0: chance)\n", r->alpha);
	for (size_t i = 0; i < r->nprinciples; i++) {
		const agg_principle *p = &r->principles[i];
		if (isnan(p->alpha))
			continue;
		cd_buf_reset(&line);
		cd_buf_printf(&line, "  %-28s alpha %5.2f over %zu case%s%s%s", p->id, p->alpha,
			      p->cases, p->cases == 1 ? "" : "s",
			      p->vague ? "  vague: raters read it differently; try 'codicil vagueness -p "
				       : "", p->vague ? p->id : "");
		if (p->vague)
			cd_buf_putc(&line, '\'');
		put_line(line.data);
	}
	cd_buf_clear(&line);
}

/* Judge the rated cases (the confident ones, or every one) under the
 * charter of rev or the work tree, and find the appeals. */
static int judge_rated(cli_ctx *ctx, llm_client *client, const char *rev, int every,
		       appeals_result *r)
{
	const char *file = workspace_charter_path(ctx->cfg);
	cd_buf text = CD_BUF_INIT;
	int rc = -1;

	if ((rev ? store_read(ctx->store, rev, file, &text)
		 : store_read_worktree(ctx->store, file, &text)) == 0)
		rc = appeals_find(ctx->store, ctx->cfg, client, text.data, text.len, every, r);
	cd_buf_clear(&text);
	return rc;
}

static void print_judge(const appeals_result *a)
{
	if (isnan(a->kappa))
		printf("judge: nothing to compare (%zu judged, %zu unclear, %zu failed)\n",
		       a->judged, a->unclear, a->errors);
	else
		printf("judge: Cohen's kappa %.2f against the consensus (agrees on %.0f%% of %zu "
		       "cases; %zu unclear, %zu failed)\n", a->kappa, 100 * a->agreement,
		       a->judged, a->unclear, a->errors);
}

int cmd_aggregate(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "apply", no_argument, NULL, 'a' }, { "json", no_argument, NULL, 'j' },
		{ "consensus", required_argument, NULL, 'c' }, { "judge", no_argument, NULL, 'J' },
		{ "rev", required_argument, NULL, 'r' }, { "no-cache", no_argument, NULL, 'C' },
		CLI_LLM_OPTIONS, { NULL, 0, NULL, 0 },
	};
	llm_client_opts copts = { .repair = 1 };
	llm_client *client = NULL;
	const char *consensus = NULL, *rev = NULL;
	int json = 0, apply = 0, judge = 0, c, rc = CLI_FAIL;
	case_library lib = { 0 };
	agg_settings as;
	agg_result own = { 0 }, *r = &own;
	appeals_result ar = { 0 };
	char commit[41] = "";
	size_t changed = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': apply = 1; break;
		case 'j': json = 1; break;
		case 'c': consensus = optarg; break;
		case 'J': judge = 1; break;
		case 'r': rev = optarg; break;
		case 'C': copts.no_cache = 1; break;
		default:
			if (cli_llm_option(ctx, c, optarg))
				break;
			return cli_usage_error("aggregate ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("aggregate ", "unexpected argument '%s'", argv[optind]);
	if (consensus && strcmp(consensus, "model") && strcmp(consensus, "weighted"))
		return cli_usage_error("aggregate ", "--consensus is model or weighted");
	if (!judge && (rev || copts.no_cache || ctx->budget || ctx->dry_run))
		return cli_usage_error("aggregate ", "--rev, --no-cache, --budget and --dry-run go "
				       "with --judge");
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	if (consensus && config_set_flag(ctx->cfg, "codicil.consensus", consensus) < 0)
		return cli_fail_err();
	if (judge) {
		if (!(client = cli_llm_client_with_key(ctx, &copts)))
			return CLI_FAIL;
		if (judge_rated(ctx, client, rev, 1, &ar) < 0) {
			cli_fail_err();
			goto out;
		}
		r = &ar.agg;
	} else if (agg_settings_load(ctx->cfg, &as) < 0 || cli_load_cases(ctx->store, &lib) < 0 ||
		   aggregate_library(&lib, &as, r) < 0) {
		cli_fail_err();
		goto out;
	}
	if (apply && aggregate_apply(ctx->store, r, &changed, commit) < 0) {
		cli_fail_err();
		goto out;
	}
	if (json) {
		cJSON *o = agg_result_to_json(r);
		if (judge)
			cJSON_AddItemToObject(o, "judge", appeals_agreement_json(&ar));
		cli_print_json(o);
	} else if (r->ncases == 0) {
		printf("no ratings yet (rate cases with 'codicil rate ID --verdict valid|invalid')\n");
	} else {
		print_raters(r);
		print_cases(r);
		print_dims(r);
		print_agreement(r);
		if (judge)
			print_judge(&ar);
	}
	if (apply)
		fprintf(stderr, "%zu case status%s changed%s%.10s\n", changed, changed == 1 ? "" : "es",
			commit[0] ? "; committed " : "", commit);
	rc = judge && ar.errors && !ctx->dry_run ? CLI_FAIL : CLI_OK;
out:
	if (client && ctx->dry_run)
		cli_llm_print_estimate(stderr, client, "the kappa above counts only the judgments "
				       "already in the cache");
	if (client) {
		cli_llm_print_spend(ctx, client);
		llm_client_free(client);
		cli_llm_finish(ctx, rc);
	}
	agg_result_clear(&own);
	appeals_result_clear(&ar);
	case_library_clear(&lib);
	return rc;
}

static void print_appeal(const appeal *a)
{
	const char *sc = cd_json_str(a->human->c, "scenario");
	cd_buf line = CD_BUF_INIT;

	cd_buf_printf(&line, "%s  judge %s %.2f  vs  raters %s %.2f (%zu rating%s)  %.60s%s",
		      case_id(a->human->c), verdict_name(a->judge.verdict), a->judge.confidence,
		      a->human->p >= 0.5 ? "valid" : "invalid", fmax(a->human->p, 1 - a->human->p),
		      a->human->ratings, a->human->ratings == 1 ? "" : "s", sc ? sc : "",
		      sc && strlen(sc) > 60 ? "..." : "");
	put_line(line.data);
	cd_buf_reset(&line);
	cd_buf_printf(&line, "    judge: %s", a->judge.reasoning ? a->judge.reasoning : "");
	put_line(line.data);
	cd_buf_clear(&line);
}

int cmd_appeals(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rev", required_argument, NULL, 'r' }, { "json", no_argument, NULL, 'j' },
		{ "no-cache", no_argument, NULL, 'C' }, { NULL, 0, NULL, 0 },
	};
	llm_client_opts copts = { .repair = 1 };
	const char *rev = NULL;
	int json = 0, c, rc = CLI_FAIL;
	appeals_result r = { 0 };
	llm_client *client = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rev = optarg; break;
		case 'j': json = 1; break;
		case 'C': copts.no_cache = 1; break;
		default: return cli_usage_error("appeals ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("appeals ", "unexpected argument '%s'", argv[optind]);
	if (!cli_store(ctx) || !cli_config(ctx) || !(client = cli_llm_client_with_key(ctx, &copts)))
		return CLI_FAIL;
	if (judge_rated(ctx, client, rev, 0, &r) < 0) {
		cli_fail_err();
		goto out;
	}
	if (json) {
		cli_print_json(appeals_to_json(&r));
	} else {
		for (size_t i = 0; i < r.n; i++)
			print_appeal(&r.appeals[i]);
		printf("%zu appeal%s among %zu confidently rated case%s", r.n, r.n == 1 ? "" : "s",
		       r.candidates, r.candidates == 1 ? "" : "s");
		if (r.errors)
			printf(" (%zu could not be judged)", r.errors);
		putchar('\n');
		for (size_t i = 0; i < r.nsplits; i++)
			printf("%s  the judge panel split on this behaviour case: triage it "
			       "('codicil case %s')\n", r.splits[i], r.splits[i]);
	}
	rc = r.errors ? CLI_FAIL : CLI_OK;
out:
	appeals_result_clear(&r);
	llm_client_free(client);
	return rc;
}
