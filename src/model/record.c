#include "record.h"

#include "codicil/error.h"
#include "codicil/sanitize.h"
#include "codicil/utf8.h"

#include <stdio.h>
#include <string.h>

/* Unlink item from its list without freeing it (cJSON_DetachItemViaPointer
 * also fixes the parent's child pointer). */
static cJSON *take_key(cJSON *obj, const char *key)
{
	for (cJSON *it = obj->child; it; it = it->next)
		if (it->string && strcmp(it->string, key) == 0)
			return cJSON_DetachItemViaPointer(obj, it);
	return NULL;
}

static void append(cJSON **head, cJSON **tail, cJSON *item)
{
	item->next = NULL;
	if (!*head) {
		*head = item;
		item->prev = item; /* cJSON keeps the tail in head->prev */
	} else {
		(*tail)->next = item;
		item->prev = *tail;
		(*head)->prev = item;
	}
	*tail = item;
}

void record_reorder(cJSON *obj, const char *const *order)
{
	cJSON *head = NULL, *tail = NULL, *item;

	if (!cJSON_IsObject(obj))
		return;
	for (; *order; order++)
		if ((item = take_key(obj, *order)))
			append(&head, &tail, item);
	while ((item = obj->child))
		append(&head, &tail, cJSON_DetachItemViaPointer(obj, item));
	obj->child = head;
}

const char *record_field(char *buf, size_t size, const char *where, const char *key)
{
	if (*where)
		snprintf(buf, size, "%s.%s", where, key);
	else
		snprintf(buf, size, "%s", key);
	return buf;
}

size_t record_check_text(const cJSON *obj, const char *where, const char *key, size_t min,
			 size_t max, int optional, cd_buf *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char name[128];
	size_t n;

	record_field(name, sizeof name, where, key);
	if (!v || cJSON_IsNull(v)) {
		if (optional)
			return 0;
		cd_buf_printf(err, "%s: missing\n", name);
		return 1;
	}
	if (!cJSON_IsString(v)) {
		cd_buf_printf(err, "%s: must be a string\n", name);
		return 1;
	}
	if (!cd_utf8_valid(v->valuestring, strlen(v->valuestring))) {
		cd_buf_printf(err, "%s: not valid UTF-8\n", name);
		return 1;
	}
	n = cd_utf8_chars(v->valuestring);
	if (n < min || n > max) {
		if (n == 0)
			cd_buf_printf(err, "%s: must not be empty\n", name);
		else
			cd_buf_printf(err, "%s: must be %zu to %zu characters long, is %zu\n", name,
				      min, max, n);
		return 1;
	}
	return 0;
}

int record_first_problem(const cd_buf *err, size_t before, const char *what, const char *id)
{
	const char *first, *nl;

	if (cd_buf_failed(err) || err->len < before) {
		cd_err_set("%s %s: out of memory listing its problems", what, id ? id : "(no id)");
		return -1;
	}
	first = err->data + before;
	nl = memchr(first, '\n', err->len - before);
	cd_err_set("%s %s: %.*s", what, id ? id : "(no id)",
		   (int)(nl ? (size_t)(nl - first) : err->len - before), first);
	return -1;
}
