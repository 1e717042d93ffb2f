/* case.c — case records: building, key order, accessors, status, rating,
 * writing.  Validation is in case_validate.c, the text view in
 * case_text.c, the directory of cases in case_library.c. */
#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/json.h"
#include "record.h"

#include <string.h>
#include <time.h>

static const char *const kind_names[CASE_KIND_COUNT] = {
	"counterexample", "tension", "vagueness", "probe", "consequence", "behaviour",
};
static const char *const status_names[CASE_STATUS_COUNT] = {
	"open", "confirmed", "dismissed", "resolved",
};

static const char *const case_order[] = {
	"id", "kind", "principles", "scenario", "literal_reading", "expected", "rationale",
	"severity", "status", "ratings", "resolved_by", "provenance", "proposal", "theory",
	"run", NULL,
};
static const char *const provenance_order[] = {
	"provider", "model", "endpoint_host", "prompt", "request_sha256", "response_sha256",
	"constitution_commit", "usage", "latency_ms", "reasks", "repairs", "created",
	"codicil_version", NULL,
};
static const char *const prompt_order[] = { "name", "sha256", NULL };
static const char *const usage_order[] = { "input_tokens", "output_tokens",
					    "cached_input_tokens", NULL };

const char *case_kind_name(case_kind k)
{
	return (unsigned)k < CASE_KIND_COUNT ? kind_names[k] : "?";
}

const char *case_status_name(case_status s)
{
	return (unsigned)s < CASE_STATUS_COUNT ? status_names[s] : "?";
}

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

int case_kind_parse(const char *s, case_kind *out)
{
	int k = lookup(s, kind_names, CASE_KIND_COUNT);

	if (k < 0) {
		cd_err_set("unknown case kind '%s' (use counterexample, tension, vagueness, "
			   "probe or consequence)", s ? s : "");
		return -1;
	}
	*out = (case_kind)k;
	return 0;
}

int case_status_parse(const char *s, case_status *out)
{
	int k = lookup(s, status_names, CASE_STATUS_COUNT);

	if (k < 0) {
		cd_err_set("unknown case status '%s' (use open, confirmed, dismissed or resolved)",
			   s ? s : "");
		return -1;
	}
	*out = (case_status)k;
	return 0;
}

void case_time_now(char out[CASE_TIME_SIZE])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CASE_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int add_str_or_null(cJSON *o, const char *key, const char *s)
{
	return (s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)) ? 0 : -1;
}

static int add_llm_provenance(cJSON *p, const case_provenance *v)
{
	cJSON *prompt, *usage;
	int bad = 0;

	bad |= add_str_or_null(p, "provider", v->provider);
	bad |= add_str_or_null(p, "model", v->model);
	bad |= add_str_or_null(p, "endpoint_host", v->endpoint_host);
	if (!(prompt = cJSON_AddObjectToObject(p, "prompt")))
		return -1;
	bad |= add_str_or_null(prompt, "name", v->prompt_name);
	bad |= add_str_or_null(prompt, "sha256", v->prompt_sha256);
	bad |= add_str_or_null(p, "request_sha256", v->request_sha256);
	bad |= add_str_or_null(p, "response_sha256", v->response_sha256);
	bad |= add_str_or_null(p, "constitution_commit", v->constitution_commit);
	if (!(usage = cJSON_AddObjectToObject(p, "usage")))
		return -1;
	bad |= !cJSON_AddNumberToObject(usage, "input_tokens", (double)v->input_tokens);
	bad |= !cJSON_AddNumberToObject(usage, "output_tokens", (double)v->output_tokens);
	if (v->cached_input_tokens)
		bad |= !cJSON_AddNumberToObject(usage, "cached_input_tokens",
						(double)v->cached_input_tokens);
	bad |= !cJSON_AddNumberToObject(p, "latency_ms", (double)v->latency_ms);
	if (v->reasks)
		bad |= !cJSON_AddNumberToObject(p, "reasks", v->reasks);
	if (v->repairs && *v->repairs)
		bad |= !cJSON_AddItemToObject(p, "repairs", cd_json_lines(v->repairs));
	return bad ? -1 : 0;
}

static int add_provenance(cJSON *c, const case_provenance *v)
{
	cJSON *p = cJSON_AddObjectToObject(c, "provenance");
	char now[CASE_TIME_SIZE];
	int bad;

	if (!p)
		return -1;
	if (v) {
		bad = add_llm_provenance(p, v);
	} else {
		bad = add_str_or_null(p, "provider", NULL); /* written by hand */
		bad |= add_str_or_null(p, "model", NULL);
	}
	case_time_now(now);
	bad |= add_str_or_null(p, "created", v && v->created ? v->created : now);
	bad |= add_str_or_null(p, "codicil_version", CODICIL_VERSION);
	return bad ? -1 : 0;
}

static int add_fields(cJSON *c, case_kind kind, const case_fields *f)
{
	char id[CD_ID_SIZE];
	cJSON *pr;
	int bad = 0;

	cd_id_new('c', id);
	bad |= add_str_or_null(c, "id", id);
	bad |= add_str_or_null(c, "kind", case_kind_name(kind));
	if (!(pr = cJSON_AddArrayToObject(c, "principles")))
		return -1;
	for (size_t i = 0; i < f->nprinciples; i++)
		bad |= !cJSON_AddItemToArray(pr, cJSON_CreateString(f->principles[i]));
	bad |= add_str_or_null(c, "scenario", f->scenario);
	bad |= add_str_or_null(c, "literal_reading", f->literal_reading);
	bad |= add_str_or_null(c, "expected", f->expected);
	bad |= add_str_or_null(c, "rationale", f->rationale);
	bad |= !cJSON_AddNumberToObject(c, "severity", f->severity);
	bad |= add_str_or_null(c, "status", "open");
	bad |= !cJSON_AddArrayToObject(c, "ratings");
	bad |= !cJSON_AddNullToObject(c, "resolved_by");
	return bad ? -1 : 0;
}

static int add_links(cJSON *c, const case_fields *f)
{
	int bad = 0;

	bad |= f->proposal && add_str_or_null(c, "proposal", f->proposal);
	bad |= f->theory && add_str_or_null(c, "theory", f->theory);
	bad |= f->run && add_str_or_null(c, "run", f->run);
	return bad ? -1 : 0;
}

cJSON *case_new(case_kind kind, const case_fields *f, const case_provenance *prov)
{
	cJSON *c = cJSON_CreateObject();

	if (!c || add_fields(c, kind, f) < 0 || add_provenance(c, prov) < 0 ||
	    add_links(c, f) < 0) {
		cJSON_Delete(c);
		cd_err_set("out of memory");
		return NULL;
	}
	return c;
}

void case_normalize(cJSON *c)
{
	cJSON *prov, *r;

	record_reorder(c, case_order);
	prov = cJSON_GetObjectItemCaseSensitive(c, "provenance");
	record_reorder(prov, provenance_order);
	record_reorder(cJSON_GetObjectItemCaseSensitive(prov, "prompt"), prompt_order);
	record_reorder(cJSON_GetObjectItemCaseSensitive(prov, "usage"), usage_order);
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(c, "ratings"))
		rating_normalize(r);
}

const char *case_id(const cJSON *c)
{
	return cJSON_IsObject(c) ? cd_json_str(c, "id") : NULL;
}

int case_get_kind(const cJSON *c)
{
	return cJSON_IsObject(c) ? lookup(cd_json_str(c, "kind"), kind_names, CASE_KIND_COUNT)
				 : -1;
}

int case_get_status(const cJSON *c)
{
	return cJSON_IsObject(c)
		       ? lookup(cd_json_str(c, "status"), status_names, CASE_STATUS_COUNT)
		       : -1;
}

int case_has_principle(const cJSON *c, const char *id)
{
	const cJSON *p;

	if (!cJSON_IsObject(c))
		return 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
		if (cJSON_IsString(p) && strcmp(p->valuestring, id) == 0)
			return 1;
	return 0;
}

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

int case_about_add(cd_buf *about, const cJSON *c)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "principles"))
		if (cJSON_IsString(p) && *p->valuestring && !has_word(about->data, p->valuestring) &&
		    cd_buf_printf(about, "%s%s", about->len ? " " : "", p->valuestring) < 0)
			return -1;
	return 0;
}

static int set_key(cJSON *c, const char *key, cJSON *v)
{
	if (!v)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(c, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(c, key, v) ? 0 : -1;
	return cJSON_AddItemToObject(c, key, v) ? 0 : -1;
}

int case_set_status(cJSON *c, case_status s, const char *resolved_by)
{
	if ((unsigned)s >= CASE_STATUS_COUNT || !cJSON_IsObject(c)) {
		cd_err_set("internal error: bad case status");
		return -1;
	}
	if (s == CASE_RESOLVED && !resolved_by) {
		cd_err_set("a resolved case needs the id of the proposal that resolved it");
		return -1;
	}
	if (set_key(c, "status", cJSON_CreateString(status_names[s])) < 0 ||
	    set_key(c, "resolved_by", s == CASE_RESOLVED ? cJSON_CreateString(resolved_by)
							  : cJSON_CreateNull()) < 0) {
		cd_err_set("out of memory");
		return -1;
	}
	case_normalize(c);
	return 0;
}

int case_rate(cJSON *c, const rating *r)
{
	cJSON *j, *ratings;

	if (!cJSON_IsObject(c)) {
		cd_err_set("internal error: not a case");
		return -1;
	}
	if (!(j = rating_to_json(r)))
		return -1;
	ratings = cJSON_GetObjectItemCaseSensitive(c, "ratings");
	if (!cJSON_IsArray(ratings)) {
		if (set_key(c, "ratings", cJSON_CreateArray()) < 0) {
			cJSON_Delete(j);
			cd_err_set("out of memory");
			return -1;
		}
		ratings = cJSON_GetObjectItemCaseSensitive(c, "ratings");
		case_normalize(c);
	}
	rating_list_put(ratings, j);
	return 0;
}

int case_write(const char *path, const cJSON *c)
{
	cJSON *copy;
	int rc;

	if (!case_id(c)) {
		cd_err_set("internal error: writing %s: the case has no id", path);
		return -1;
	}
	if (!(copy = cJSON_Duplicate(c, 1))) {
		cd_err_set("out of memory");
		return -1;
	}
	case_normalize(copy);
	rc = cd_json_write_file(path, copy);
	cJSON_Delete(copy);
	return rc;
}
