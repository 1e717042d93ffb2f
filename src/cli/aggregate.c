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
	"usage: codicil aggregate [--apply] [--json]\n"
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
	"      --apply   set each confirmed/dismissed suggestion that differs from the\n"
	"                case's status (never a resolved case) and commit\n"
	"      --json    {raters: [...], cases: [...], dimensions: [...], ratings, converged}\n"
	"  -h, --help    this text\n";

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

int cmd_aggregate(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "apply", no_argument, NULL, 'a' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, apply = 0, c, rc = CLI_FAIL;
	case_library lib = { 0 };
	agg_settings as;
	agg_result r = { 0 };
	char commit[41] = "";
	size_t changed = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': apply = 1; break;
		case 'j': json = 1; break;
		default: return cli_usage_error("aggregate ", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("aggregate ", "unexpected argument '%s'", argv[optind]);
	if (!cli_store(ctx) || !cli_config(ctx))
		return CLI_FAIL;
	if (agg_settings_load(ctx->cfg, &as) < 0 || cli_load_cases(ctx->store, &lib) < 0 ||
	    aggregate_library(&lib, &as, &r) < 0 ||
	    (apply && aggregate_apply(ctx->store, &r, &changed, commit) < 0)) {
		cli_fail_err();
		goto out;
	}
	if (json) {
		cli_print_json(agg_result_to_json(&r));
	} else if (r.ncases == 0) {
		printf("no ratings yet (rate cases with 'codicil rate ID --verdict valid|invalid')\n");
	} else {
		print_raters(&r);
		print_cases(&r);
		print_dims(&r);
		print_agreement(&r);
	}
	if (apply)
		fprintf(stderr, "%zu case status%s changed%s%.10s\n", changed, changed == 1 ? "" : "es",
			commit[0] ? "; committed " : "", commit);
	rc = CLI_OK;
out:
	agg_result_clear(&r);
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
	const char *rev = NULL, *file;
	int json = 0, c, rc = CLI_FAIL;
	cd_buf text = CD_BUF_INIT;
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
	file = workspace_charter_path(ctx->cfg);
	if ((rev ? store_read(ctx->store, rev, file, &text)
		 : store_read_worktree(ctx->store, file, &text)) < 0 ||
	    appeals_find(ctx->store, ctx->cfg, client, text.data, text.len, &r) < 0) {
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
	}
	rc = r.errors ? CLI_FAIL : CLI_OK;
out:
	appeals_result_clear(&r);
	cd_buf_clear(&text);
	llm_client_free(client);
	return rc;
}
