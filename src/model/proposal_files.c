/* proposal_files.c — proposal files: parse, load, write, the proposals/
 * directory, lookup by id prefix. */
#include "codicil/proposal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

cJSON *proposal_parse(const char *text, size_t len, const char *label)
{
	cJSON *j = cd_json_parse(text, len, label);

	if (!j)
		return NULL;
	if (!cJSON_IsObject(j)) {
		cd_err_set("%s: not a JSON object (a proposal file holds one object)", label);
	} else if (!proposal_id(j)) {
		cd_err_set("%s: no \"id\" string", label);
	} else {
		return j;
	}
	cJSON_Delete(j);
	return NULL;
}

/* The file name without directories and ".json". */
static int stem_matches(const char *path, const char *id)
{
	const char *name = strrchr(path, '/');
	size_t n;

	name = name ? name + 1 : path;
	n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".json") == 0 && strlen(id) == n - 5 &&
	       strncmp(name, id, n - 5) == 0;
}

cJSON *proposal_load(const char *path)
{
	cd_buf text = CD_BUF_INIT;
	cJSON *j = NULL;

	if (cd_file_read(path, &text) == 0)
		j = proposal_parse(cd_buf_cstr(&text), text.len, path);
	cd_buf_clear(&text);
	if (j && !stem_matches(path, proposal_id(j))) {
		cd_err_set("%s: its \"id\" %s does not match the file name", path, proposal_id(j));
		cJSON_Delete(j);
		j = NULL;
	}
	return j;
}

int proposal_write(const char *path, const cJSON *p)
{
	cJSON *copy = cJSON_Duplicate(p, 1);
	int rc;

	if (!copy) {
		cd_err_set("out of memory");
		return -1;
	}
	proposal_normalize(copy);
	rc = cd_json_write_file(path, copy);
	cJSON_Delete(copy);
	return rc;
}

static int cmp_items(const void *a, const void *b)
{
	return strcmp(proposal_id(*(cJSON *const *)a), proposal_id(*(cJSON *const *)b));
}

static int push_string(char ***v, size_t *n, char *s)
{
	char **nv = s ? realloc(*v, (*n + 1) * sizeof *nv) : NULL;

	if (!nv) {
		free(s);
		cd_err_set("out of memory");
		return -1;
	}
	*v = nv;
	(*v)[(*n)++] = s;
	return 0;
}

/* Load dir/name into l, or record why not; -1 only on out of memory. */
static int load_one(proposal_list *l, const char *dir, const char *name)
{
	cd_buf path = CD_BUF_INIT, label = CD_BUF_INIT;
	const char *slash = strrchr(dir, '/');
	cJSON *j;
	int rc = 0;

	cd_path_join(&path, dir, name);
	cd_buf_printf(&label, "%s/%s", slash && slash[1] ? slash + 1 : dir, name);
	j = proposal_load(path.data);
	if (j) {
		l->items[l->n++] = j;
	} else {
		/* errors name the full path; list them by the short label */
		const char *msg = cd_err_msg();
		size_t plen = path.len;
		cd_buf line = CD_BUF_INIT;
		if (!strncmp(msg, path.data, plen) && msg[plen] == ':')
			msg += plen + 2;
		cd_buf_printf(&line, "%s: %s", label.data, msg);
		rc = push_string(&l->errors, &l->nerrors, cd_buf_detach(&line));
	}
	cd_buf_clear(&path);
	cd_buf_clear(&label);
	return rc;
}

int proposal_list_load(const char *dir, proposal_list *out)
{
	char **names;
	size_t n, i;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (cd_dir_names(dir, ".json", &names, &n) < 0)
		return -1;
	if (n && !(out->items = calloc(n, sizeof *out->items))) {
		cd_err_set("out of memory");
		rc = -1;
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = load_one(out, dir, names[i]);
	cd_names_free(names, n);
	if (rc < 0)
		proposal_list_clear(out);
	else if (out->n)
		qsort(out->items, out->n, sizeof *out->items, cmp_items);
	return rc;
}

void proposal_list_clear(proposal_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		cJSON_Delete(l->items[i]);
	for (size_t i = 0; i < l->nerrors; i++)
		free(l->errors[i]);
	free(l->items);
	free(l->errors);
	memset(l, 0, sizeof *l);
}

cJSON *proposal_list_find(const proposal_list *l, const char *id)
{
	char key[64];
	size_t k = 0, plen;
	cJSON *found = NULL, *second = NULL;

	if (!id || !*id) {
		cd_err_set("no proposal id given");
		return NULL;
	}
	if (!(id[0] && id[1] == '-'))
		key[k++] = 'p', key[k++] = '-';
	for (; *id && k + 1 < sizeof key; id++)
		key[k++] = (char)tolower((unsigned char)*id);
	key[k] = '\0';
	plen = strlen(key);
	for (size_t i = 0; i < l->n; i++) {
		const char *pid = proposal_id(l->items[i]);
		if (strcmp(pid, key) == 0)
			return l->items[i];
		if (strncmp(pid, key, plen) == 0) {
			if (found)
				second = second ? second : l->items[i];
			else
				found = l->items[i];
		}
	}
	if (!found) {
		cd_err_set("no proposal %s (the ids are the file names under proposals/)", key);
		return NULL;
	}
	if (second) {
		cd_err_set("proposal id %s is ambiguous: it matches %s, %s (give more of the id)",
			   key, proposal_id(found), proposal_id(second));
		return NULL;
	}
	return found;
}

static const proposal_list *order_of;

static int pending_then_newest(const void *a, const void *b)
{
	const cJSON *x = order_of->items[*(const size_t *)a];
	const cJSON *y = order_of->items[*(const size_t *)b];
	int px = proposal_get_status(x) == PROPOSAL_PENDING;
	int py = proposal_get_status(y) == PROPOSAL_PENDING;

	if (px != py)
		return py - px;
	return -strcmp(proposal_id(x), proposal_id(y));
}

void proposal_list_order(const proposal_list *l, size_t *order, size_t n)
{
	order_of = l;
	if (n)
		qsort(order, n, sizeof *order, pending_then_newest);
}
