/* generate.c — requests for cases, and the cases a reply yields. */
#include "generate_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/case_index.h"
#include "codicil/error.h"
#include "codicil/hash.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "codicil/schemas.h"
#include "codicil/workspace.h"

#define EXISTING_CASES_SHOWN 30
#define EXISTING_SCENARIO_CHARS CASE_SUMMARY_BYTES

int gen_open(store *s, config *cfg, llm_client *client, gen_ctx *g)
{
	double threshold = DEDUP_THRESHOLD;
	const char *t;

	memset(g, 0, sizeof *g);
	g->store = s;
	g->cfg = cfg;
	g->client = client;
	g->charter_path = workspace_charter_path(cfg);
	if (workspace_max_charter_bytes(cfg, &g->max_charter_bytes) < 0)
		return -1;
	if ((t = config_get(cfg, "codicil.dedupThreshold")))
		threshold = atof(t) > 0 && atof(t) <= 1 ? atof(t) : DEDUP_THRESHOLD;
	if (store_resolve(s, "HEAD", g->head) < 0 ||
	    workspace_load(s, g->charter_path, "HEAD", 1, &g->charter) < 0)
		goto fail;
	g->ids = calloc(g->charter->n ? g->charter->n : 1, sizeof *g->ids);
	if (!g->ids) {
		cd_err_set("out of memory");
		goto fail;
	}
	for (size_t i = 0; i < g->charter->n; i++)
		g->ids[g->nids++] = g->charter->p[i].id;
	g->dedup_threshold = threshold;
	if (case_index_open(s, &g->index, NULL) < 0 || !(g->dedup = dedup_new(threshold)))
		goto fail;
	if (prompt_load(store_workdir(s), "generate", &g->prompt) < 0)
		goto fail;
	return 0;
fail:
	gen_close(g);
	return -1;
}

const char *gen_prompt_name(case_kind kind)
{
	switch (kind) {
	case CASE_TENSION: return "tension";
	case CASE_VAGUENESS: return "vagueness";
	case CASE_PROBE: return "probe";
	default: return "generate";
	}
}

int gen_use_prompt(gen_ctx *g, const char *name)
{
	prompt p;

	if (g->prompt.name && !strcmp(g->prompt.name, name))
		return 0;
	if (prompt_load(store_workdir(g->store), name, &p) < 0)
		return -1;
	if (g->prompt.name)
		prompt_clear(&g->prompt);
	g->prompt = p;
	return 0;
}

int gen_duplicate(const gen_ctx *g, const char *scenario)
{
	return dedup_check(g->dedup, scenario, NULL, NULL) != DEDUP_NEW ||
	       case_index_duplicate(g->index, scenario, g->dedup_threshold, NULL, NULL) !=
		       DEDUP_NEW;
}

void gen_close(gen_ctx *g)
{
	charter_free(g->charter);
	free(g->ids);
	case_index_close(g->index);
	if (g->dedup)
		dedup_free(g->dedup);
	if (g->prompt.name)
		prompt_clear(&g->prompt);
	memset(g, 0, sizeof *g);
}

void gen_unit_key(gen_unit *u)
{
	cd_sha256 *h = cd_sha256_new();
	char num[32];

	cd_sha256_part_str(h, "codicil generate unit v1");
	for (size_t i = 0; i < u->nprinciples; i++)
		cd_sha256_part_str(h, u->principles[i]);
	snprintf(num, sizeof num, "%u/%d", u->sample, u->n);
	cd_sha256_part_str(h, num);
	cd_sha256_part_str(h, case_kind_name(u->kind));
	cd_sha256_part_str(h, u->steer);
	if (u->theory)
		cd_sha256_part_str(h, u->theory);
	cd_sha256_finish(h, u->key);
}

static int principles_block(const gen_ctx *g, const gen_unit *u, cd_buf *out)
{
	if (u->nprinciples == 0)
		return cd_buf_puts(out, "(no single target: consider every principle of the charter)");
	for (size_t i = 0; i < u->nprinciples; i++) {
		const principle *p = charter_find(g->charter, u->principles[i]);
		if (!p)
			return workspace_no_principle(g->charter, u->principles[i]);
		if (charter_principle_text(g->charter, p, out) < 0)
			return -1;
		cd_buf_putc(out, '\n');
	}
	return 0;
}

/* The newest cases of each target, gathered by newest_case. */
typedef struct recent {
	char id[CD_ID_SIZE];
	char *scenario;
} recent;

typedef struct recent_list {
	recent *v;
	size_t n, cap;
} recent_list;

static int newest_case(const case_row *r, void *arg)
{
	recent_list *l = arg;

	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].id, r->id))
			return 0; /* on two targets: already here */
	if (l->n == l->cap) {
		recent *p = realloc(l->v, (l->cap = l->cap ? 2 * l->cap : 16) * sizeof *p);
		if (!p)
			goto oom;
		l->v = p;
	}
	if (!(l->v[l->n].scenario = strdup(r->summary)))
		goto oom;
	snprintf(l->v[l->n++].id, CD_ID_SIZE, "%s", r->id);
	return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}

static int newer_first(const void *a, const void *b)
{
	return strcmp(((const recent *)b)->id, ((const recent *)a)->id);
}

/* The most recent cases on the targets, so that the model does not repeat
 * them. */
static int existing_block(const gen_ctx *g, const gen_unit *u, cd_buf *out)
{
	case_query q = { .limit = EXISTING_CASES_SHOWN, .newest_first = 1 };
	recent_list l = { 0 };
	size_t shown = 0;
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < (u->nprinciples ? u->nprinciples : 1); k++) {
		q.f.principle = u->nprinciples ? u->principles[k] : NULL;
		rc = case_index_each(g->index, &q, newest_case, &l);
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, newer_first);
	for (size_t i = 0; i < l.n; i++) {
		if (rc == 0 && shown < EXISTING_CASES_SHOWN && *l.v[i].scenario && ++shown)
			cd_buf_printf(out, "- %.*s%s\n", EXISTING_SCENARIO_CHARS, l.v[i].scenario,
				      strlen(l.v[i].scenario) > EXISTING_SCENARIO_CHARS ? "..." : "");
		free(l.v[i].scenario);
	}
	free(l.v);
	if (rc != 0)
		return -1;
	return shown ? 0 : cd_buf_puts(out, "(none yet)");
}

/* Strict structured output limits the values of all enums together (500
 * for some providers), so on a large charter a reply may name the targets,
 * their ancestors and their siblings. */
#define MAX_ENUM_IDS 500

static int near_target(const charter *c, const gen_unit *u, size_t i)
{
	for (size_t k = 0; k < u->nprinciples; k++) {
		int t = charter_index(c, u->principles[k]);
		if (t < 0)
			continue;
		if ((size_t)t == i || c->p[t].parent == c->p[i].parent)
			return 1;
		for (int a = c->p[t].parent; a >= 0; a = c->p[a].parent)
			if ((size_t)a == i)
				return 1;
	}
	return 0;
}

static cJSON *unit_schema(const gen_ctx *g, const gen_unit *u)
{
	const char **ids;
	size_t n = 0;
	cJSON *schema;

	if (g->nids <= MAX_ENUM_IDS || u->nprinciples == 0)
		return schema_generate(g->ids, g->nids, u->kind, u->n);
	ids = calloc(g->nids, sizeof *ids);
	if (!ids)
		return NULL;
	for (size_t i = 0; i < g->nids && n < MAX_ENUM_IDS; i++)
		if (near_target(g->charter, u, i))
			ids[n++] = g->ids[i];
	schema = schema_generate(ids, n, u->kind, u->n);
	free(ids);
	return schema;
}

int gen_build(gen_ctx *g, gen_unit *u, gen_request *r)
{
	cd_buf text = CD_BUF_INIT, targets = CD_BUF_INIT, existing = CD_BUF_INIT;
	char n[16];
	int rc = -1;

	memset(r, 0, sizeof *r);
	snprintf(n, sizeof n, "%d", u->n);
	if (charter_excerpt(g->charter, u->principles, u->nprinciples, g->max_charter_bytes,
			    &text) < 0 ||
	    principles_block(g, u, &targets) < 0 ||
	    existing_block(g, u, &existing) < 0)
		goto out;
	{
		const prompt_var vars[] = {
			{ "charter", cd_buf_cstr(&text) },
			{ "principles", cd_buf_cstr(&targets) },
			{ "existing_cases", cd_buf_cstr(&existing) },
			{ "steering", u->steer ? u->steer : "" },
			{ "n", n },
			{ "kind", case_kind_name(u->kind) },
		};
		if (prompt_render(&g->prompt, vars, sizeof vars / sizeof *vars, &r->user) < 0)
			goto out;
	}
	/* each sample is a distinct request (the first stays as it was) */
	if (u->sample > 0 && cd_buf_printf(&r->user, "\n\n(This is sample %u of this request: "
					   "find cases unlike those of the other samples.)\n",
					   u->sample + 1) < 0)
		goto out;
	r->schema = unit_schema(g, u);
	if (!r->schema)
		goto out;
	r->msg[0].role = "system";
	r->msg[0].content = "You find the places where an AI constitution fails. "
			    "Reply with JSON only.";
	r->msg[1].role = "user";
	r->msg[1].content = r->user.data;
	r->req.messages = r->msg;
	r->req.nmessages = 2;
	r->req.schema_name = "cases";
	r->req.schema = r->schema;
	r->req.temperature = -1;
	r->req.sample = u->sample;
	for (size_t i = 0; i < u->nprinciples; i++)
		cd_buf_printf(&r->about, "%s%s", i ? " " : "", u->principles[i]);
	r->req.about = r->about.data;
	if (g->charter->len <= g->max_charter_bytes) /* the same in every request */
		r->req.stable_len = prompt_stable_len(r->user.data);
	gen_unit_check(g, u);
	r->req.check = &u->check;
	rc = 0;
out:
	cd_buf_clear(&text);
	cd_buf_clear(&targets);
	cd_buf_clear(&existing);
	if (rc < 0)
		gen_request_clear(r);
	return rc;
}

void gen_request_clear(gen_request *r)
{
	cd_buf_clear(&r->user);
	cd_buf_clear(&r->about);
	cJSON_Delete(r->schema);
	memset(r, 0, sizeof *r);
}

/* The principle ids of one reply item, as a NULL-free array of strings
 * that point into the item. */
static size_t item_principles(const cJSON *item, const char **out, size_t max)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(item, "principles"), *it;
	size_t n = 0;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && n < max)
			out[n++] = it->valuestring;
	return n;
}

static cJSON *case_from_item(const gen_unit *u, const cJSON *item,
			     const case_provenance *prov, const char *run)
{
	const char *ids[64];
	case_fields f = { 0 };
	case_kind kind = u->kind, stated;
	const char *k = cd_json_str(item, "kind");

	f.principles = ids;
	f.nprinciples = item_principles(item, ids, 64);
	f.scenario = cd_json_str(item, "scenario");
	f.literal_reading = cd_json_str(item, "literal_reading");
	f.expected = cd_json_str(item, "expected");
	f.rationale = cd_json_str(item, "rationale");
	f.severity = cd_json_int(item, "severity", 0);
	f.run = run;
	f.theory = u->theory;
	if (k && case_kind_parse(k, &stated) == 0)
		kind = stated;
	return case_new(kind, &f, prov);
}

/* The case an item makes, valid: 0; invalid: -1 (cd_err says why); out of
 * memory: -2. */
static int valid_case(gen_ctx *g, const gen_unit *u, const cJSON *item,
		      const case_provenance *prov, const char *run, cJSON **out)
{
	cd_buf err = CD_BUF_INIT;
	cJSON *c = case_from_item(u, item, prov, run);
	int rc = 0;

	*out = NULL;
	if (!c) {
		cd_err_set("out of memory");
		return -2;
	}
	if (case_validate(c, g->ids, g->nids, &err) < 0 || gen_kind_fields(u, item, c) < 0) {
		cJSON_Delete(c);
		rc = -1;
	} else {
		*out = c;
	}
	cd_buf_clear(&err);
	return rc;
}

int gen_item_problem(gen_ctx *g, const gen_unit *u, const cJSON *item)
{
	cJSON *c;
	int rc = valid_case(g, u, item, NULL, NULL, &c);

	cJSON_Delete(c);
	return rc == 0 ? 0 : -1;
}

static void keep_problem(gen_outcome *o, const char *problem)
{
	if (!o->first_problem)
		o->first_problem = strdup(problem);
}

void gen_provenance(const llm_call *call, const llm_response *resp, const prompt *p,
		    const char *head, case_provenance *out)
{
	memset(out, 0, sizeof *out);
	out->provider = call->provider;
	out->model = call->model;
	out->endpoint_host = call->endpoint_host;
	out->prompt_name = p->name;
	out->prompt_sha256 = p->sha256;
	out->request_sha256 = call->request_sha256;
	out->response_sha256 = call->response_sha256;
	out->constitution_commit = head;
	out->input_tokens = resp->usage.input_tokens;
	out->output_tokens = resp->usage.output_tokens;
	out->cached_input_tokens = resp->usage.cached_input_tokens;
	out->latency_ms = resp->latency_ms;
	out->repairs = resp->repairs;
	out->reasks = resp->reasks;
}

/* The repairs that concern reply item i: its own ("$.cases[i]...") and the
 * reply's as a whole ("$: ..."). */
static void item_repairs(const char *all, int i, cd_buf *out)
{
	char mine[40];
	size_t n = (size_t)snprintf(mine, sizeof mine, "$.cases[%d]", i);

	cd_buf_reset(out);
	for (const char *p = all; p && *p;) {
		size_t len = strcspn(p, "\n");
		if (!strncmp(p, "$:", 2) || (!strncmp(p, mine, n) && strchr(".:[", p[n])))
			cd_buf_printf(out, "%.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

int gen_collect(gen_ctx *g, const gen_unit *u, const llm_call *call, const llm_response *resp,
		const char *run, gen_outcome *o)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(resp->json, "cases"), *item;
	case_provenance prov = { 0 };
	cd_buf repairs = CD_BUF_INIT;
	cJSON **kept;
	size_t max = (size_t)cJSON_GetArraySize(items);
	int i = 0, rc = 0;

	memset(o, 0, sizeof *o);
	if (!cJSON_IsArray(items)) {
		cd_err_set("the reply has no \"cases\" array");
		return -1;
	}
	kept = calloc(max ? max : 1, sizeof *kept);
	if (!kept) {
		cd_err_set("out of memory");
		return -1;
	}
	o->cases = kept;
	gen_provenance(call, resp, &g->prompt, g->head, &prov);
	cJSON_ArrayForEach(item, items) {
		cJSON *c;

		item_repairs(resp->repairs, i++, &repairs);
		prov.repairs = cd_buf_cstr(&repairs);
		rc = valid_case(g, u, item, &prov, run, &c);
		if (rc == -2)
			goto out;
		if (rc < 0) {
			keep_problem(o, cd_err_msg());
			o->invalid++;
		} else if (gen_duplicate(g, cd_json_str(c, "scenario"))) {
			o->duplicates++;
			cJSON_Delete(c);
		} else if (dedup_add(g->dedup, case_id(c), cd_json_str(c, "scenario")) < 0) {
			cJSON_Delete(c);
			cd_err_set("out of memory");
			rc = -2;
			goto out;
		} else {
			kept[o->n++] = c;
		}
	}
	rc = 0;
out:
	cd_buf_clear(&repairs);
	return rc < 0 ? -1 : 0;
}

void gen_outcome_clear(gen_outcome *o)
{
	for (size_t i = 0; i < o->n; i++)
		cJSON_Delete(o->cases[i]);
	free(o->cases);
	free(o->first_problem);
	memset(o, 0, sizeof *o);
}
