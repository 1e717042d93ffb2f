/* case_merge.c — a three-way merge of one record file, for `git merge`
 * (case_merge.h). */
#include "codicil/case_merge.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/json.h"
#include "codicil/rating.h"

/* cJSON_Compare finds an object with a key twice (a hand edit) unequal to
 * itself: the same text is the same value too. */
static int same(const cJSON *a, const cJSON *b)
{
	char *x, *y;
	int eq;

	if (a == b || !a || !b)
		return a == b;
	if (cJSON_Compare(a, b, 1))
		return 1;
	x = cJSON_PrintUnformatted(a);
	y = cJSON_PrintUnformatted(b);
	eq = x && y && !strcmp(x, y);
	free(x);
	free(y);
	return eq;
}

/* The one side that changed, or NULL (with *conflict set) when both did,
 * differently.  A side that deleted the value returns its NULL. */
static const cJSON *three_way(const cJSON *base, const cJSON *ours, const cJSON *theirs,
			      int *conflict)
{
	*conflict = 0;
	if (same(ours, theirs) || same(theirs, base))
		return ours;
	if (same(ours, base))
		return theirs;
	*conflict = 1;
	return ours;
}

static const cJSON *rating_by(const cJSON *ratings, const char *rater)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, ratings) {
		const char *who = cd_json_str(r, "rater");
		if (who && rating_same_rater(who, rater))
			return r;
	}
	return NULL;
}

/* Both changed one rater's rating: the later one ("time"), ours on a tie. */
static const cJSON *later(const cJSON *ours, const cJSON *theirs)
{
	const char *a = cd_json_str(ours, "time"), *b = cd_json_str(theirs, "time");
	return a && b && strcmp(b, a) > 0 ? theirs : ours;
}

static int add_merged(cJSON *out, const cJSON *base, const cJSON *ours, const cJSON *theirs,
		      const char *rater)
{
	const cJSON *b = rating_by(base, rater), *o = rating_by(ours, rater),
		    *t = rating_by(theirs, rater), *keep;
	int conflict;

	keep = three_way(b, o, t, &conflict);
	if (conflict)
		keep = o && t ? later(o, t) : o ? o : t;
	return !keep || cJSON_AddItemToArray(out, cJSON_Duplicate(keep, 1)) ? 0 : -1;
}

static int has_item(const cJSON *arr, const cJSON *item)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr)
		if (cJSON_Compare(x, item, 1))
			return 1;
	return 0;
}

/* One rating of side: merged with the other sides' by its rater, once per
 * rater; one without a rater (a hand edit) kept as it is, once. */
static int add_rating(cJSON *out, const cJSON *r, const cJSON *base, const cJSON *ours,
		      const cJSON *theirs)
{
	const char *rater = cd_json_str(r, "rater");

	if (!rater)
		return has_item(out, r) || cJSON_AddItemToArray(out, cJSON_Duplicate(r, 1)) ? 0 : -1;
	if (rating_by(out, rater))
		return 0;
	return add_merged(out, base, ours, theirs, rater);
}

/* Both sides changed the ratings: every rater's rating, one side's new
 * rating, one side's change, a deletion on one side of a rating the other
 * left alone; both changed one rater's: the later.  Ours' order first,
 * then the raters only theirs has. */
static cJSON *merge_ratings(const cJSON *base, const cJSON *ours, const cJSON *theirs)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *r;
	int rc = out ? 0 : -1;

	cJSON_ArrayForEach(r, ours)
		if (rc == 0)
			rc = add_rating(out, r, base, ours, theirs);
	cJSON_ArrayForEach(r, theirs)
		if (rc == 0 && !(cd_json_str(r, "rater") && rating_by(ours, cd_json_str(r, "rater"))))
			rc = add_rating(out, r, base, ours, theirs);
	if (rc < 0) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

/* out[key] = a copy of value, in its place; value NULL deletes it. */
static int set_key(cJSON *out, const char *key, const cJSON *value)
{
	cJSON *copy;

	if (!value) {
		cJSON_DeleteItemFromObjectCaseSensitive(out, key);
		return 0;
	}
	if (!(copy = cJSON_Duplicate(value, 1)))
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(out, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(out, key, copy) ? 0 : -1;
	return cJSON_AddItemToObject(out, key, copy) ? 0 : -1;
}

static int merge_key(cJSON *out, const char *key, const cJSON *base, const cJSON *ours,
		     const cJSON *theirs, cd_buf *conflicts)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(base, key),
		    *o = cJSON_GetObjectItemCaseSensitive(ours, key),
		    *t = cJSON_GetObjectItemCaseSensitive(theirs, key), *keep;
	int conflict, rc;

	keep = three_way(b, o, t, &conflict);
	if (conflict && !strcmp(key, "ratings") && cJSON_IsArray(o) && cJSON_IsArray(t)) {
		cJSON *merged = merge_ratings(b, o, t);
		rc = merged ? set_key(out, key, merged) : -1;
		cJSON_Delete(merged);
		return rc;
	}
	if (conflict)
		cd_buf_printf(conflicts, "%s%s", conflicts->len ? ", " : "", key);
	return set_key(out, key, keep);
}

cJSON *case_merge(const cJSON *base, const cJSON *ours, const cJSON *theirs, cd_buf *conflicts)
{
	cJSON *out = cJSON_Duplicate(ours, 1);
	const cJSON *k;
	int rc = out ? 0 : -1;

	cJSON_ArrayForEach(k, ours)
		if (rc == 0)
			rc = merge_key(out, k->string, base, ours, theirs, conflicts);
	cJSON_ArrayForEach(k, theirs)
		if (rc == 0 && !cJSON_GetObjectItemCaseSensitive(ours, k->string))
			rc = merge_key(out, k->string, base, ours, theirs, conflicts);
	if (rc < 0) {
		cd_err_set("out of memory");
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}
