/* cases_next.c — the case to rate next, for the rater at the keyboard: the
 * first of `codicil queue` (queue.h, its default strategy). */
#include "cases.h"

#include <stdio.h>

#include "codicil/error.h"
#include "codicil/queue.h"
#include "codicil/rate.h"
#include "codicil/workspace.h"

int cases_next_to_rate(tui_app *app, char *id, size_t size)
{
	cd_buf rater = CD_BUF_INIT;
	case_library lib = { 0 };
	queue_result q = { 0 };
	agg_settings as;
	int rc = -1;

	if (rate_rater(tui_store(app), &rater) < 0 || agg_settings_load(tui_config(app), &as) < 0 ||
	    workspace_load_cases(tui_store(app), &lib) < 0 ||
	    queue_build(&lib, &as, rater.data, QUEUE_DISAGREEMENT, 1, 0, &q) < 0) {
		tui_error(app, "%s", cd_err_msg());
	} else if (q.n == 0) {
		tui_message(app, "Nothing to rate next: you have rated every open and confirmed case");
		rc = 0;
	} else {
		snprintf(id, size, "%s", case_id(q.items[0].c));
		tui_message(app, "To rate next (%s): %s, consensus %.2f ± %.2f; r rates it", q.basis,
			    id, q.items[0].consensus, q.items[0].se);
		rc = 1;
	}
	queue_result_clear(&q);
	case_library_clear(&lib);
	cd_buf_clear(&rater);
	return rc;
}
