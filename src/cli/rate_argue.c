/* rate_argue.c — `codicil rate ID --argue`: the considered-verdict flow of
 * the workbench on the command line.  The rater gives a quick verdict, reads
 * the model's strongest arguments on both sides (argue.h), then gives the
 * verdict that counts; both are recorded (rating.quick_verdict, verdict),
 * so `aggregate` learns how often reading changes a mind.  With
 * codicil.argueAbove set, a case where reading is unlikely to change this
 * rater's mind (argue_advise) skips the arguments unless asked for: the
 * first verdict is the verdict. */
#include "rate_argue.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli_llm.h"
#include "codicil/argue.h"
#include "codicil/error.h"
#include "codicil/sanitize.h"

/* "valid" or "invalid" from a line typed at the prompt; NULL at the end of
 * the input. */
static const char *ask_verdict(const char *question)
{
	char line[64];

	for (;;) {
		fprintf(stderr, "%s (valid/invalid): ", question);
		fflush(stderr);
		if (!fgets(line, sizeof line, stdin))
			return NULL;
		line[strcspn(line, " \t\r\n")] = '\0';
		if (!strcmp(line, "v") || !strcmp(line, "valid"))
			return "valid";
		if (!strcmp(line, "i") || !strcmp(line, "invalid"))
			return "invalid";
		fprintf(stderr, "  answer valid (v) or invalid (i)\n");
	}
}

/* 1 for a yes typed at the prompt; no at the end of the input. */
static int ask_yes(const char *question)
{
	char line[64];

	fprintf(stderr, "%s [y/N]: ", question);
	fflush(stderr);
	if (!fgets(line, sizeof line, stdin))
		return 0;
	line[strcspn(line, " \t\r\n")] = '\0';
	return !strcmp(line, "y") || !strcmp(line, "yes");
}

typedef struct argued {
	int done;
	llm_response resp;
} argued;

static void on_done(void *ud, const llm_call *call, llm_response *resp)
{
	argued *a = ud;

	(void)call;
	a->resp = *resp;
	memset(resp, 0, sizeof *resp); /* ours now */
	a->done = 1;
}

static void print_side(const char *title, char *const *args, size_t n)
{
	printf("%s\n", title);
	for (size_t i = 0; i < n; i++) {
		fputs("  - ", stdout);
		cli_put_safe(stdout, args[i], CD_SAN_ONE_LINE);
		putchar('\n');
	}
}

/* The model's arguments for and against c, printed. */
static int show_arguments(cli_ctx *ctx, const cJSON *c)
{
	llm_client_opts o = { .repair = 1 };
	llm_client *client = cli_llm_client_with_key(ctx, &o);
	argue_request req;
	argued a = { 0 };
	argue_result res = { 0 };
	int rc = -1;

	if (!client)
		return -1;
	if (argue_build(ctx->store, ctx->cfg, c, &req) < 0) {
		cli_fail_err();
		llm_client_free(client);
		return -1;
	}
	if (llm_client_submit(client, &req.req, on_done, &a, NULL) < 0 ||
	    llm_client_run(client) < 0 || !a.done) {
		cli_fail_err();
	} else if (a.resp.status != LLM_OK || argue_parse(&a.resp, &res) < 0) {
		cli_fail("no arguments: %s", a.resp.error ? a.resp.error : cd_err_msg());
	} else {
		print_side("Why the case may be valid (the text does fail here):", res.valid,
			   res.nvalid);
		print_side("Why it may be invalid:", res.invalid, res.ninvalid);
		rc = 0;
	}
	cli_llm_print_spend(ctx, client);
	llm_client_free(client);
	argue_result_clear(&res);
	llm_response_clear(&a.resp);
	argue_request_clear(&req);
	return rc;
}

static void say_advice(const argue_advice *adv)
{
	if (adv->threshold < 0)
		return;
	if (isnan(adv->p_flip))
		printf("(codicil.argueAbove is set, but too few considered ratings to predict from: "
		       "the arguments are shown)\n");
	else
		printf("P(reading the arguments changes your verdict) = %.2f, %s codicil.argueAbove "
		       "(%.2f): the arguments are %s\n", adv->p_flip,
		       adv->show ? "above" : "at or below", adv->threshold,
		       adv->show ? "shown" : "skipped");
}

int rate_argue(cli_ctx *ctx, const cJSON *c, const char *rater, const char *quick,
	       const char **quick_out, const char **verdict_out)
{
	cd_buf text = CD_BUF_INIT;
	argue_advice adv;

	if (case_to_text(c, &text) == 0)
		cli_put_safe(stdout, text.data, 0);
	cd_buf_clear(&text);
	if (argue_advise(ctx->store, ctx->cfg, c, rater, &adv) < 0)
		return cli_fail_err();
	say_advice(&adv);
	fflush(stdout);
	if (!quick && !(quick = ask_verdict(adv.show ? "Your first impression" : "Your verdict")))
		return cli_fail("no verdict given; nothing recorded");
	if (!adv.show && !ask_yes("Read the arguments anyway?")) {
		*quick_out = NULL; /* not a considered rating: nothing was read */
		*verdict_out = quick;
		return CLI_OK;
	}
	if (show_arguments(ctx, c) < 0)
		return CLI_FAIL;
	fflush(stdout);
	if (!(*verdict_out = ask_verdict("Having read them, your verdict")))
		return cli_fail("no verdict given; nothing recorded");
	*quick_out = quick;
	return CLI_OK;
}
