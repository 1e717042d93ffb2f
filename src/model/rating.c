#include "codicil/rating.h"
#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/json.h"
#include "record.h"

#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

static const char *const rating_order[] = {
	"rater", "verdict", "confidence", "note", "quick_verdict", "dimensions", "at", NULL,
};

void rating_normalize(cJSON *r)
{
	record_reorder(r, rating_order);
}

static int is_verdict(const char *s)
{
	return s && (strcmp(s, "valid") == 0 || strcmp(s, "invalid") == 0);
}

/* "YYYY-MM-DDTHH:MM:SS" then optional fraction, then "Z". */
static int is_iso_utc(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	if (s[i] == '.')
		for (i++; isdigit((unsigned char)s[i]); i++)
			;
	return s[i] == 'Z' && s[i + 1] == '\0';
}

static size_t check_verdict(const cJSON *r, const char *where, const char *key, int optional,
			    cd_buf *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);
	char name[128];

	if (optional && (!v || cJSON_IsNull(v)))
		return 0;
	if (cJSON_IsString(v) && is_verdict(v->valuestring))
		return 0;
	cd_buf_printf(err, "%s: must be \"valid\" or \"invalid\"\n",
		      record_field(name, sizeof name, where, key));
	return 1;
}

static size_t check_dimensions(const cJSON *r, const char *where, cd_buf *err)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(r, "dimensions"), *it;
	char name[128];

	if (!d || cJSON_IsNull(d))
		return 0;
	record_field(name, sizeof name, where, "dimensions");
	if (!cJSON_IsObject(d)) {
		cd_buf_printf(err, "%s: must be an object of name: score\n", name);
		return 1;
	}
	cJSON_ArrayForEach(it, d) {
		if (!*it->string || !cJSON_IsNumber(it) || !isfinite(it->valuedouble)) {
			cd_buf_printf(err, "%s: \"%s\" needs a name and a numeric score\n", name,
				      it->string);
			return 1;
		}
	}
	return 0;
}

size_t rating_check(const cJSON *r, const char *where, cd_buf *err)
{
	const cJSON *conf;
	const char *at;
	char name[128];
	size_t n = 0;

	if (!cJSON_IsObject(r)) {
		cd_buf_printf(err, "%s: must be an object\n", where);
		return 1;
	}
	conf = cJSON_GetObjectItemCaseSensitive(r, "confidence");
	at = cd_json_str(r, "at");
	n += record_check_text(r, where, "rater", 1, 200, 0, err);
	n += check_verdict(r, where, "verdict", 0, err);
	if (!cJSON_IsNumber(conf) || !(conf->valuedouble >= 0 && conf->valuedouble <= 1)) {
		cd_buf_printf(err, "%s: must be a number from 0 to 1\n",
			      record_field(name, sizeof name, where, "confidence"));
		n++;
	}
	n += record_check_text(r, where, "note", 0, CASE_TEXT_MAX, 1, err);
	n += check_verdict(r, where, "quick_verdict", 1, err);
	n += check_dimensions(r, where, err);
	if (!at || !is_iso_utc(at)) {
		cd_buf_printf(err, "%s: must be an ISO 8601 UTC time like 2024-05-01T12:34:56Z\n",
			      record_field(name, sizeof name, where, "at"));
		n++;
	}
	return n;
}

static int add_dimensions(cJSON *j, const rating *r)
{
	cJSON *d;

	if (!r->ndims)
		return 0;
	if (!(d = cJSON_AddObjectToObject(j, "dimensions")))
		return -1;
	for (size_t i = 0; i < r->ndims; i++)
		if (!cJSON_AddNumberToObject(d, r->dims[i].name ? r->dims[i].name : "",
					     r->dims[i].score))
			return -1;
	return 0;
}

static cJSON *build(const rating *r)
{
	cJSON *j = cJSON_CreateObject();
	char now[CASE_TIME_SIZE];
	int bad = !j;

	case_time_now(now);
	bad = bad || !cJSON_AddStringToObject(j, "rater", r->rater ? r->rater : "");
	bad = bad || !cJSON_AddStringToObject(j, "verdict", r->verdict ? r->verdict : "");
	bad = bad || !cJSON_AddNumberToObject(j, "confidence", r->confidence);
	bad = bad || (r->note && !cJSON_AddStringToObject(j, "note", r->note));
	bad = bad || (r->quick_verdict &&
		      !cJSON_AddStringToObject(j, "quick_verdict", r->quick_verdict));
	bad = bad || add_dimensions(j, r) < 0;
	bad = bad || !cJSON_AddStringToObject(j, "at", r->at ? r->at : now);
	if (bad) {
		cJSON_Delete(j);
		cd_err_set("out of memory");
		return NULL;
	}
	return j;
}

cJSON *rating_to_json(const rating *r)
{
	cd_buf err = CD_BUF_INIT;
	cJSON *j = build(r);

	if (j && rating_check(j, "rating", &err)) {
		*strchr(err.data, '\n') = '\0';
		cd_err_set("%s", err.data);
		cJSON_Delete(j);
		j = NULL;
	}
	cd_buf_clear(&err);
	return j;
}

/* The email between < and >, as a pointer and length; 0 when none. */
static size_t email_of(const char *s, const char **start)
{
	const char *lt = strrchr(s, '<'), *gt;

	if (!lt || !(gt = strchr(lt, '>')) || gt == lt + 1)
		return 0;
	*start = lt + 1;
	return (size_t)(gt - lt - 1);
}

int rating_same_rater(const char *a, const char *b)
{
	const char *ea = NULL, *eb = NULL;
	size_t na = email_of(a, &ea), nb = email_of(b, &eb);

	if (na && nb)
		return na == nb && strncasecmp(ea, eb, na) == 0;
	return strcmp(a, b) == 0;
}

void rating_list_put(cJSON *ratings, cJSON *r)
{
	const char *rater = cd_json_str(r, "rater");
	cJSON *it;

	cJSON_ArrayForEach(it, ratings) {
		const char *other = cd_json_str(it, "rater");
		if (rater && other && rating_same_rater(rater, other)) {
			cJSON_ReplaceItemViaPointer(ratings, it, r);
			return;
		}
	}
	cJSON_AddItemToArray(ratings, r);
}
