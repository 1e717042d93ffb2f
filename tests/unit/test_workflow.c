/* test_workflow.c — engine workflows in steps (workflow.h), against the
 * in-process fake server: the caller's loop runs while the workflow waits
 * for the model, answers reach the workflow, a cancel stops it at its next
 * wait with its requests cancelled, an error comes back to the caller, and
 * the same function called directly blocks as before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/client_config.h"
#include "codicil/error.h"
#include "codicil/workflow.h"
#include "../support/fakellm.h"
#include "../support/tmpgit.h"

struct world {
	store *s;
	config *cfg;
	struct fakellm *f;
	llm_client *c;
};

static struct world W;

static int setup(void **state)
{
	struct fakellm_opts fo = { 0 };

	tg_setup(state);
	unsetenv("CODICIL_CASSETTE");
	unsetenv("CODICIL_PROVIDER");
	memset(&W, 0, sizeof W);
	assert_int_equal(tg_sh("git init -q '%s'", tg_path("repo")), 0);
	assert_int_equal(store_open(tg_path("repo"), &W.s), 0);
	assert_non_null(W.f = fakellm_start(&fo));
	assert_int_equal(config_open(W.s, &W.cfg), 0);
	assert_int_equal(config_set_flag(W.cfg, "codicil.endpoint", W.f->v1_url), 0);
	assert_int_equal(config_set_flag(W.cfg, "codicil.model", "fake-model"), 0);
	assert_int_equal(client_open_configured(W.cfg, W.s, &(llm_client_opts){ .no_cache = 1 }, &W.c), 0);
	return 0;
}

static int teardown(void **state)
{
	llm_client_free(W.c);
	config_free(W.cfg);
	fakellm_stop(W.f);
	store_close(W.s);
	return tg_teardown(state);
}

/* What the workflow below did. */
struct asks {
	int n;            /* questions to ask, one after the other */
	int answered;     /* answers that came back */
	int cancelled;    /* answers that ended LLM_ERR_CANCELLED */
	int after_waits;  /* 1 once it went on past its last wait */
	const char *fail; /* fail with this after the questions */
};

static void on_answer(void *ud, const llm_call *call, llm_response *r)
{
	struct asks *a = ud;

	(void)call;
	if (r->status == LLM_OK)
		a->answered++;
	else if (r->status == LLM_ERR_CANCELLED)
		a->cancelled++;
}

/* Straight-line engine code: ask, wait, ask again. */
static int ask_in_turn(void *ud)
{
	struct asks *a = ud;

	for (int i = 0; i < a->n; i++) {
		char prompt[64];
		llm_message m = { "user", prompt };
		llm_request req = { .messages = &m, .nmessages = 1, .temperature = -1 };

		snprintf(prompt, sizeof prompt, "question %d", i);
		if (llm_client_submit(W.c, &req, on_answer, a, NULL) < 0 ||
		    workflow_run_client(W.c) < 0)
			return -1;
	}
	a->after_waits = 1;
	if (a->fail) {
		cd_err_set("%s", a->fail);
		return -1;
	}
	return 0;
}

/* The caller's loop: counts its turns between the workflow's steps. */
static int drive(workflow *w, int *turns)
{
	while (workflow_step(w) == WORKFLOW_WAITING) {
		(*turns)++;
		workflow_wait(w, -1, 1000);
	}
	return workflow_end(w);
}

static void test_caller_loop_runs_while_the_workflow_waits(void **state)
{
	struct asks a = { .n = 3 };
	workflow *w;
	int turns = 0;

	(void)state;
	fakellm_set_latency(W.f, 50);
	assert_int_equal(workflow_begin(ask_in_turn, &a, &w), 0);
	assert_int_equal(a.answered, 0); /* nothing runs before the first step */
	assert_int_equal(drive(w, &turns), 0);
	assert_int_equal(a.answered, 3);
	assert_true(a.after_waits);
	assert_true(turns >= 3); /* at least once per question, the loop was the caller's */
	assert_int_equal(fakellm_requests(W.f), 3);
}

static void test_cancel_stops_at_the_next_wait(void **state)
{
	struct asks a = { .n = 2 };
	workflow *w;

	(void)state;
	fakellm_set_latency(W.f, 3000);
	assert_int_equal(workflow_begin(ask_in_turn, &a, &w), 0);
	assert_int_equal(workflow_step(w), WORKFLOW_WAITING);
	workflow_cancel(w);
	assert_true(workflow_cancelled(w));
	assert_int_equal(workflow_step(w), WORKFLOW_DONE); /* at once, not after 3 s */
	assert_int_equal(workflow_end(w), -1);
	assert_string_equal(cd_err_msg(), "cancelled");
	assert_int_equal(a.answered, 0);
	assert_int_equal(a.cancelled, 1); /* its request ended, its callback ran */
	assert_false(a.after_waits);
	assert_int_equal(llm_client_pending(W.c), 0);
}

static void test_end_before_the_first_step_runs_nothing(void **state)
{
	struct asks a = { .n = 1 };
	workflow *w;

	(void)state;
	assert_int_equal(workflow_begin(ask_in_turn, &a, &w), 0);
	assert_int_equal(workflow_end(w), -1);
	assert_string_equal(cd_err_msg(), "cancelled");
	assert_int_equal(fakellm_requests(W.f), 0);
}

static void test_error_reaches_the_caller(void **state)
{
	struct asks a = { .n = 1, .fail = "the draft is empty" };
	workflow *w;
	int turns = 0;

	(void)state;
	cd_err_clear();
	assert_int_equal(workflow_begin(ask_in_turn, &a, &w), 0);
	assert_int_equal(drive(w, &turns), -1);
	assert_string_equal(cd_err_msg(), "the draft is empty"); /* set in the other thread */
	assert_int_equal(a.answered, 1);
}

static void test_outside_a_workflow_the_wait_blocks(void **state)
{
	struct asks a = { .n = 2 };

	(void)state;
	assert_int_equal(ask_in_turn(&a), 0);
	assert_int_equal(a.answered, 2);
	assert_int_equal(llm_client_pending(W.c), 0);
}

static void test_tokens_are_reported_between_steps(void **state)
{
	struct asks a = { .n = 2 };
	workflow *w;
	long tokens = 0;

	(void)state;
	fakellm_set_latency(W.f, 20);
	assert_int_equal(workflow_begin(ask_in_turn, &a, &w), 0);
	while (workflow_step(w) == WORKFLOW_WAITING) {
		tokens = workflow_tokens(w);
		workflow_wait(w, -1, 1000);
	}
	assert_int_equal(workflow_end(w), 0);
	assert_true(tokens > 0); /* the first answer's, seen while it waited for the second */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_caller_loop_runs_while_the_workflow_waits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cancel_stops_at_the_next_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_before_the_first_step_runs_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_reaches_the_caller, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_a_workflow_the_wait_blocks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tokens_are_reported_between_steps, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
