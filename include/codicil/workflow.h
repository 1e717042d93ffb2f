/* workflow.h — an engine workflow (drafting an amendment, theorizing,
 * exploring, a batch) run in steps, so that the caller owns the event loop,
 * as with curl's multi interface:
 *
 *     workflow *w;
 *     workflow_begin(draft, &args, &w);
 *     while (workflow_step(w) == WORKFLOW_WAITING) {
 *             if (workflow_wait(w, keyboard, 100) > 0)
 *                     ... read the key; Esc calls workflow_cancel(w) ...
 *     }
 *     rc = workflow_end(w);
 *
 * The workflow's function is the engine's ordinary straight-line code, the
 * same function the CLI calls directly.  Where it waits for the model it
 * calls workflow_run_client() (or workflow_step_client()) instead of
 * llm_client_run(): called directly, that runs the client's loop as
 * before; inside a workflow it returns to whoever called workflow_step()
 * whenever the client has nothing to do until an answer arrives.
 *
 * So that straight-line code can be suspended in the middle, a workflow
 * runs on a stack of its own: a thread that runs only while the caller is
 * inside workflow_step() and hands control back when it waits.  The two
 * never run at once, so nothing is shared concurrently and no lock is
 * needed beyond the hand-over; everything the workflow touches it touches
 * from its own thread (its client, its store, cd_err).
 *
 * Cancelling takes effect at the workflow's next wait: the wait cancels the
 * client's requests, lets their callbacks run, and fails with "cancelled",
 * and the workflow unwinds through its error paths.  A workflow does not
 * wait while it commits, so a cancel never leaves half a commit. */
#ifndef CODICIL_WORKFLOW_H
#define CODICIL_WORKFLOW_H

#include <stddef.h>

#include "codicil/client.h"

typedef struct workflow workflow;

/* Runs inside the workflow; its return value is workflow_end()'s. */
typedef int (*workflow_fn)(void *ud);

enum workflow_state {
	WORKFLOW_WAITING, /* waits for the model: call workflow_wait, then step */
	WORKFLOW_DONE,    /* finished: call workflow_end */
};

/* Nothing runs until the first workflow_step().  -1 with cd_err set when
 * the workflow cannot be started (out of memory, no thread). */
int workflow_begin(workflow_fn fn, void *ud, workflow **out);

/* Run the workflow until it waits for the model or ends. */
enum workflow_state workflow_step(workflow *w);

/* Wait until the client the workflow waits on has work (an answer, a
 * retry that is due) or extra_fd (>= 0) is readable, at most timeout_ms:
 * 1 when extra_fd is readable, else 0.  Nothing is delivered here: the
 * next workflow_step() does that, inside the workflow. */
int workflow_wait(workflow *w, int extra_fd, int timeout_ms);

/* Ask the workflow to stop at its next wait (see above). */
void workflow_cancel(workflow *w);
int workflow_cancelled(const workflow *w);

/* Tokens the requests of the client it waits on have used, for progress
 * (0 before it first waits). */
long workflow_tokens(const workflow *w);

/* Finish it (a workflow still running is cancelled and run to its end),
 * free it, and return its function's result; when that is -1, cd_err holds
 * the workflow's error ("cancelled" when a cancel stopped it). */
int workflow_end(workflow *w);

/* ---- inside the engine ---- */

/* Run c until nothing is pending, as llm_client_run(); inside a workflow,
 * suspended at every wait.  -1 with cd_err "cancelled" once the workflow
 * is cancelled (the client's requests are cancelled first). */
int workflow_run_client(llm_client *c);

/* One turn of c's loop, as llm_client_step(c, -1, timeout_ms). */
int workflow_step_client(llm_client *c, int timeout_ms);

#endif
