/* explore.c — tensions, vagueness and probes: a generation run of one
 * kind, with the kind's template (explore.h). */
#include "codicil/explore.h"
#include "codicil/workspace.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/id.h"

static int check_targets(const gen_ctx *g, const explore_opts *o)
{
	for (size_t i = 0; i < o->nprinciples; i++)
		if (!charter_find(g->charter, o->principles[i])) {
			return workspace_no_principle(g->charter, o->principles[i]);
		}
	if (o->kind == CASE_TENSION && g->nids < 2) {
		cd_err_set("a tension needs two principles, and the charter has %zu", g->nids);
		return -1;
	}
	return 0;
}

static int valid_kind(case_kind k)
{
	if (k == CASE_TENSION || k == CASE_VAGUENESS || k == CASE_PROBE)
		return 0;
	cd_err_set("internal error: explore runs tension, vagueness or probe, not %s",
		   case_kind_name(k));
	return -1;
}

int explore_run(store *s, config *cfg, llm_client *client, const explore_opts *o,
		batch_result *r)
{
	int samples = o->samples > 0 ? o->samples : 1;
	cd_buf name = CD_BUF_INIT, journal = CD_BUF_INIT;
	char run[CD_ID_SIZE];
	batch_opts bo = { 0 };
	gen_unit *units = NULL;
	gen_ctx g;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (valid_kind(o->kind) < 0 || gen_open(s, cfg, client, &g) < 0)
		return -1;
	if (gen_use_prompt(&g, gen_prompt_name(o->kind)) < 0 || check_targets(&g, o) < 0)
		goto out;
	if (!(units = calloc((size_t)samples, sizeof *units))) {
		cd_err_set("out of memory");
		goto out;
	}
	for (int i = 0; i < samples; i++) {
		units[i].principles = (const char **)o->principles;
		units[i].nprinciples = o->nprinciples;
		units[i].n = o->n > 0 ? o->n : 3;
		units[i].kind = o->kind;
		units[i].steer = o->steer;
		units[i].sample = (unsigned)i;
		gen_unit_key(&units[i]);
	}
	cd_id_new('r', run);
	cd_buf_printf(&name, "runs/%s.jsonl", run);
	if (store_local_path(s, name.data, &journal) < 0)
		goto out;
	bo.units = units;
	bo.nunits = (size_t)samples;
	bo.journal_path = journal.data;
	bo.run = run;
	bo.select = BATCH_NEW;
	bo.commit = o->commit;
	bo.progress = o->progress;
	bo.ud = o->ud;
	rc = batch_run(&g, &bo, r);
out:
	free(units);
	gen_close(&g);
	cd_buf_clear(&name);
	cd_buf_clear(&journal);
	return rc;
}
