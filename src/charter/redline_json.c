/* redline_json.c — a redline as JSON: counts, and one hunk per change with
 * a few words of unchanged context on either side (never past a line end). */
#include "codicil/redline.h"
#include "codicil/error.h"
#include "redline_int.h"

#include <stdlib.h>
#include <string.h>

#define CONTEXT_WORDS 5

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The tail of s[0..len) on the last line, at most CONTEXT_WORDS words. */
static const char *context_before(const char *s, size_t len, size_t *outlen)
{
	const char *p = s + len;
	int words = 0;

	while (p > s && p[-1] != '\n') {
		if (!rl_is_word_byte((unsigned char)p[-1])) {
			p--;
			continue;
		}
		if (words == CONTEXT_WORDS) {
			while (!rl_is_word_byte((unsigned char)*p))
				p++;
			break;
		}
		words++;
		while (p > s && rl_is_word_byte((unsigned char)p[-1]))
			p--;
	}
	while (p < s + len && is_blank(*p))
		p++;
	*outlen = (size_t)(s + len - p);
	return p;
}

/* The head of s[0..len) on its first line, at most CONTEXT_WORDS words. */
static size_t context_after(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	int words = 0;

	while (p < end && *p != '\n') {
		if (!rl_is_word_byte((unsigned char)*p)) {
			p++;
			continue;
		}
		if (words == CONTEXT_WORDS)
			break;
		words++;
		while (p < end && rl_is_word_byte((unsigned char)*p))
			p++;
	}
	while (p > s && is_blank(p[-1]))
		p--;
	return (size_t)(p - s);
}

static int add_text(cJSON *obj, const char *key, const char *s, size_t len)
{
	char *copy = malloc(len + 1);
	cJSON *item;

	if (!copy)
		return -1;
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	item = cJSON_AddStringToObject(obj, key, copy);
	free(copy);
	return item ? 0 : -1;
}

/* The change starting at seg[i]: a DELETE, an INSERT, or DELETE + INSERT. */
static cJSON *hunk_json(const redline *r, size_t i, size_t *next)
{
	const redline_seg *first = &r->seg[i], *del = NULL, *ins = NULL;
	const redline_seg *prev = i > 0 ? &r->seg[i - 1] : NULL, *after;
	const char *before = "";
	size_t before_len = 0;
	cJSON *h = cJSON_CreateObject();

	if (first->op == REDLINE_DELETE)
		del = &r->seg[i++];
	if (i < r->n && r->seg[i].op == REDLINE_INSERT)
		ins = &r->seg[i++];
	after = i < r->n ? &r->seg[i] : NULL;
	*next = i;
	if (prev)
		before = context_before(prev->text, prev->len, &before_len);
	if (!h || !cJSON_AddNumberToObject(h, "a_line", (double)first->a_line) ||
	    !cJSON_AddNumberToObject(h, "b_line", (double)first->b_line) ||
	    add_text(h, "delete", del ? del->text : "", del ? del->len : 0) < 0 ||
	    add_text(h, "insert", ins ? ins->text : "", ins ? ins->len : 0) < 0 ||
	    add_text(h, "before", before, before_len) < 0 ||
	    add_text(h, "after", after ? after->text : "",
		     after ? context_after(after->text, after->len) : 0) < 0) {
		cJSON_Delete(h);
		return NULL;
	}
	return h;
}

static int add_hunks(const redline *r, cJSON *hunks)
{
	size_t i = 0;

	while (i < r->n) {
		cJSON *h;

		if (r->seg[i].op == REDLINE_EQUAL) {
			i++;
			continue;
		}
		h = hunk_json(r, i, &i);
		if (!h || !cJSON_AddItemToArray(hunks, h)) {
			cJSON_Delete(h);
			return -1;
		}
	}
	return 0;
}

cJSON *redline_to_json(const redline *r)
{
	cJSON *j = cJSON_CreateObject();
	cJSON *hunks;

	if (!j || !cJSON_AddNumberToObject(j, "deleted_words", (double)r->deleted_words) ||
	    !cJSON_AddNumberToObject(j, "inserted_words", (double)r->inserted_words) ||
	    !(hunks = cJSON_AddArrayToObject(j, "hunks")) || add_hunks(r, hunks) < 0) {
		cJSON_Delete(j);
		cd_err_set("out of memory while building the redline JSON");
		return NULL;
	}
	return j;
}
