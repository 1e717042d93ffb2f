/* cases_rate.c — rating a case in three steps, after the idea that a
 * rater's considered judgment is worth more than their first impression:
 * a quick verdict first, then the model's strongest arguments on both
 * sides (prompts/argue.txt, asked in the event loop; Esc cancels), then the
 * considered verdict and a confidence.  Both verdicts are recorded
 * (rating.quick_verdict and rating.verdict) and committed as `codicil rate`
 * commits them (rate.h).  With codicil.argueAbove set and a case where the
 * arguments are unlikely to change this rater's mind (argue_advise), the
 * first verdict is the verdict, and the arguments come only when asked for
 * (the rate key again, before the confidence). */
#include "cases.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/rate.h"

void rate_end(struct cases *cs)
{
	if (cs->rate.step != RATE_NONE)
		cs->lv->focus_text = 0; /* back to the list, for the next case */
	argue_result_clear(&cs->rate.args);
	free(cs->rate.args_error);
	cJSON_Delete(cs->rate.c);
	memset(&cs->rate, 0, sizeof cs->rate);
	cases_text_stale(cs);
}

/* The case being rated, committed (a case still arriving cannot be). */
static const cJSON *rated_case(struct cases *cs)
{
	return cs->rate.c;
}

/* Whether the arguments come first for this rater on this case. */
static int advise(tui_app *app, struct cases *cs)
{
	cd_buf rater = CD_BUF_INIT;
	argue_advice adv;
	int rc = -1;

	if (rate_rater(tui_store(app), &rater) == 0 &&
	    argue_advise(tui_store(app), tui_config(app), cs->rate.c, rater.data, &adv) == 0) {
		cs->rate.skip = !adv.show;
		cs->rate.p_flip = adv.p_flip;
		cs->rate.argue_above = adv.threshold;
		rc = 0;
	}
	cd_buf_clear(&rater);
	return rc;
}

void rate_start(tui_app *app, struct cases *cs)
{
	const cJSON *c = cases_selected(app, cs);

	if (tui_llm_busy(app, "Rating"))
		return;
	rate_end(cs);
	snprintf(cs->rate.id, sizeof cs->rate.id, "%s", case_id(c) ? case_id(c) : "");
	if (c && !cases_is_pending(cs, c))
		cs->rate.c = cJSON_Duplicate(c, 1);
	if (!rated_case(cs)) {
		tui_message(app, "This case is not committed yet; rate it when the generation ends");
		return;
	}
	if (advise(app, cs) < 0) {
		tui_error(app, "%s", cd_err_msg());
		rate_end(cs);
		return;
	}
	cs->rate.app = app;
	cs->rate.step = RATE_QUICK;
	cs->lv->focus_text = 1;
	cs->lv->text.top = 0;
}

static void argued(void *ud, const llm_call *call, llm_response *resp)
{
	struct cases *cs = ud;
	tui_app *app = cs->rate.app;

	tui_set_jobs(app, 0, 0);
	tui_set_cancel(app, NULL, NULL);
	cases_text_stale(cs);
	if (resp->status == LLM_ERR_CANCELLED) {
		rate_end(cs);
		tui_message(app, "Rating cancelled; nothing recorded");
		return;
	}
	cs->rate.step = RATE_CONSIDERED;
	cs->rate.tokens = resp->usage.input_tokens + resp->usage.output_tokens;
	if (resp->status != LLM_OK)
		cs->rate.args_error = strdup(resp->error ? resp->error : llm_status_name(resp->status));
	else if (argue_parse(resp, &cs->rate.args) < 0)
		cs->rate.args_error = strdup(cd_err_msg());
}

static void cancel_argue(void *ud)
{
	struct cases *cs = ud;

	llm_client_cancel(tui_llm(cs->rate.app), cs->rate.call);
}

/* The arguments: asked of the model; without them (no model, an error)
 * the rater still gives a considered verdict. */
static void ask(tui_app *app, struct cases *cs)
{
	llm_client *client = tui_llm(app);
	argue_request req;

	cs->rate.step = RATE_CONSIDERED;
	if (!client) {
		cs->rate.args_error = strdup("no model is set up (see 'codicil doctor')");
		return;
	}
	if (argue_build(tui_store(app), tui_config(app), rated_case(cs), &req) < 0) {
		cs->rate.args_error = strdup(cd_err_msg());
		return;
	}
	if (llm_client_submit(client, &req.req, argued, cs, &cs->rate.call) < 0)
		cs->rate.args_error = strdup(cd_err_msg());
	else
		cs->rate.step = RATE_ASKING;
	argue_request_clear(&req);
	if (cs->rate.step == RATE_ASKING) {
		tui_set_jobs(app, 1, 0);
		tui_set_cancel(app, cancel_argue, cs);
	}
}

static void record(tui_app *app, struct cases *cs, double confidence)
{
	rating r = { .verdict = cs->rate.verdict, .confidence = confidence,
		     .quick_verdict = cs->rate.quick };
	cd_buf rater = CD_BUF_INIT;
	char commit[41];

	if (rate_rater(tui_store(app), &rater) < 0 ||
	    (r.rater = rater.data, rate_case_file(tui_store(app), cs->rate.id, &r, commit) < 0)) {
		tui_error(app, "%s", cd_err_msg());
	} else {
		tui_message(app, "Rated %s: %s%s%s%s, confidence %.1f; committed %.7s", cs->rate.id,
			    r.verdict, r.quick_verdict ? " (first impression " : "",
			    r.quick_verdict ? r.quick_verdict : "", r.quick_verdict ? ")" : "",
			    confidence, commit);
		tui_cases_changed(app, 1);
	}
	cd_buf_clear(&rater);
	rate_end(cs);
}

static void verdict(tui_app *app, struct cases *cs, const char *v)
{
	switch (cs->rate.step) {
	case RATE_QUICK:
		if (cs->rate.skip) {
			cs->rate.verdict = v;
			cs->rate.step = RATE_CONFIDENCE;
			break;
		}
		cs->rate.quick = v;
		ask(app, cs);
		break;
	case RATE_CONSIDERED:
		cs->rate.verdict = v;
		cs->rate.step = RATE_CONFIDENCE;
		break;
	case RATE_ASKING:
		tui_message(app, "The arguments are on their way (Esc cancels)");
		break;
	default:
		tui_message(app, "Now the confidence: a key from 1 to 5");
		break;
	}
}

int rate_action(tui_app *app, struct cases *cs, enum tui_action a)
{
	if (cs->rate.step == RATE_NONE)
		return 0;
	cases_text_stale(cs);
	switch (a) {
	case ACT_VALID: verdict(app, cs, "valid"); return 1;
	case ACT_INVALID: verdict(app, cs, "invalid"); return 1;
	case ACT_CANCEL: case ACT_BACK:
		if (cs->rate.step == RATE_ASKING) {
			cancel_argue(cs); /* the answer ends the flow */
			return 1;
		}
		rate_end(cs);
		tui_message(app, "Rating cancelled; nothing recorded");
		return 1;
	case ACT_RATE:
		if (cs->rate.skip && cs->rate.step == RATE_CONFIDENCE) {
			cs->rate.skip = 0; /* the arguments after all: that verdict was the quick one */
			cs->rate.quick = cs->rate.verdict;
			cs->rate.verdict = NULL;
			ask(app, cs);
			return 1;
		}
		tui_message(app, "Finish the rating first, or Esc to cancel it");
		return 1;
	case ACT_RATE_NEXT: case ACT_TRIAGE: case ACT_BY_STATUS: case ACT_BY_KIND: case ACT_BY_SEVERITY:
	case ACT_BY_PRINCIPLE: case ACT_SHOW_ALL: case ACT_MARK: case ACT_GENERATE:
	case ACT_AMEND: case ACT_PANE: case ACT_OPEN: case ACT_ACCEPT: case ACT_REJECT:
		tui_message(app, "Finish the rating first, or Esc to cancel it");
		return 1;
	default:
		return 0; /* moving and scrolling read the text */
	}
}

int rate_key(tui_app *app, struct cases *cs, int key)
{
	if (cs->rate.step != RATE_CONFIDENCE || key < '1' || key > '5')
		return 0;
	record(app, cs, (key - '0') * 0.2);
	return 1;
}

static void line(tui_pager *t, const char *s, int style)
{
	tui_pager_add(t, s, strlen(s), style);
}

/* "v valid · i invalid · Esc cancel", with the keys in effect. */
static void choices(tui_app *app, tui_pager *t)
{
	char valid[64], invalid[64], cancel[64];

	tui_action_keys(app, ACT_VALID, valid, sizeof valid);
	tui_action_keys(app, ACT_INVALID, invalid, sizeof invalid);
	tui_action_keys(app, ACT_CANCEL, cancel, sizeof cancel);
	tui_pager_addf(t, ST_ADD, "%s valid · %s invalid · %s cancel", valid, invalid, cancel);
}

static void arguments(tui_pager *t, const char *title, char **args, size_t n, char bullet)
{
	tui_pager_add(t, title, strlen(title), ST_TITLE);
	for (size_t i = 0; i < n; i++)
		tui_pager_addf(t, ST_NORMAL, "%c %s", bullet, args[i]);
	if (!n)
		line(t, "(none given)", ST_DIM);
}

/* The two steps when the arguments are skipped: the verdict, the confidence. */
static void skipped_panel(tui_app *app, struct cases *cs, tui_pager *t)
{
	rate_flow *f = &cs->rate;
	char cancel[64], rate[64];

	tui_action_keys(app, ACT_RATE, rate, sizeof rate);
	if (f->step == RATE_QUICK) {
		line(t, "Rating 1/2: your verdict", ST_TITLE);
		choices(app, t);
		line(t, "Does following the text as written really go wrong here?", ST_NORMAL);
	} else {
		line(t, "Rating 2/2: how sure are you?", ST_TITLE);
		tui_action_keys(app, ACT_CANCEL, cancel, sizeof cancel);
		tui_pager_addf(t, ST_ADD, "1 (0.2) · 2 (0.4) · 3 (0.6) · 4 (0.8) · 5 (1.0) · "
			       "%s the arguments first · %s cancel", rate, cancel);
		tui_pager_addf(t, ST_NORMAL, "Verdict: %s.", f->verdict);
	}
	tui_pager_addf(t, ST_DIM, "The arguments are skipped: P(reading them changes your verdict) "
		       "= %.2f, at or below codicil.argueAbove (%.2f).", f->p_flip, f->argue_above);
	line(t, "", ST_NORMAL);
}

void rate_panel(tui_app *app, struct cases *cs, tui_pager *t)
{
	rate_flow *f = &cs->rate;
	char cancel[64];

	if (f->skip) {
		skipped_panel(app, cs, t);
		return;
	}
	switch (f->step) {
	case RATE_QUICK:
		line(t, "Rating 1/3: your first impression", ST_TITLE);
		choices(app, t);
		line(t, "Does following the text as written really go wrong here?", ST_NORMAL);
		break;
	case RATE_ASKING:
		line(t, "Rating 2/3: the arguments on both sides", ST_TITLE);
		tui_pager_addf(t, ST_NORMAL, "First impression: %s. Asking the model for the strongest "
			       "arguments each way...", f->quick);
		break;
	case RATE_CONSIDERED:
		line(t, "Rating 2/3: your considered verdict, after the arguments", ST_TITLE);
		choices(app, t);
		tui_pager_addf(t, ST_NORMAL, "First impression: %s.", f->quick);
		if (f->args_error) {
			tui_pager_addf(t, ST_ERROR, "No arguments: %s", f->args_error);
		} else {
			arguments(t, "For valid (the text really fails here):", f->args.valid,
				  f->args.nvalid, '+');
			arguments(t, "For invalid:", f->args.invalid, f->args.ninvalid, '-');
		}
		break;
	case RATE_CONFIDENCE:
		line(t, "Rating 3/3: how sure are you?", ST_TITLE);
		tui_action_keys(app, ACT_CANCEL, cancel, sizeof cancel);
		tui_pager_addf(t, ST_ADD, "1 (0.2) · 2 (0.4) · 3 (0.6) · 4 (0.8) · 5 (1.0) · %s cancel",
			       cancel);
		tui_pager_addf(t, ST_NORMAL, "Verdict: %s (first impression %s).", f->verdict, f->quick);
		break;
	default:
		return;
	}
	line(t, "", ST_NORMAL);
}
