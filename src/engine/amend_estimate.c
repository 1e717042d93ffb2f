/* amend_estimate.c — what drafting an amendment would cost, before
 * anything is sent: the draft request as a dry run builds it, then the
 * steps that depend on its answer (consequences, meta-check, the
 * regression run over the library) projected at the mean size of earlier
 * requests of their kind (llm_client_estimate_project). */
#include "codicil/amend.h"

#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/workspace.h"

#include <string.h>

/* Cases a regression run would judge under the amended text: every case
 * that is not dismissed, and the predicted consequences. */
static size_t cases_to_judge(store *s, int consequences)
{
	case_library lib;
	size_t n = 0;

	if (workspace_load_cases(s, &lib) < 0) {
		cd_err_clear();
		return (size_t)consequences;
	}
	for (size_t i = 0; i < lib.n; i++)
		n += case_get_status(lib.cases[i]) != CASE_DISMISSED;
	case_library_clear(&lib);
	return n + (size_t)consequences;
}

int amend_estimate(const amend_env *e, const amend_opts *o)
{
	amend_outcome out = { 0 };
	llm_estimate draft;
	cd_buf meta = CD_BUF_INIT;
	long guess;
	int has_meta;

	amend_propose(e, o, &out); /* stops at the draft: nothing is sent */
	amend_outcome_clear(&out);
	cd_err_clear();
	llm_client_estimate_get(e->client, &draft);
	/* a request about this charter, when the draft's size is not known
	 * (the cache would answer it) */
	guess = draft.requests ? draft.input_tokens / (long)draft.requests : 4000;
	has_meta = store_read(e->store, "HEAD", STORE_META, &meta) == 0;
	cd_err_clear();
	cd_buf_clear(&meta);
	llm_client_estimate_project(e->client, "consequences", 1, guess);
	if (has_meta)
		llm_client_estimate_project(e->client, "metacheck", 1, guess);
	llm_client_estimate_project(e->client, "judge",
				    cases_to_judge(e->store, o->consequences ? o->consequences : 3),
				    guess);
	return 0;
}
