/* case_library.c — all cases of a cases/ directory, sorted by id. */
#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/id.h"
#include "codicil/json.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int case_file_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int cmp_base(const void *a, const void *b)
{
	return strcmp(base_name(*(char *const *)a), base_name(*(char *const *)b));
}

typedef struct name_list {
	char **v;
	size_t n, cap;
} name_list;

static int names_add(name_list *x, const char *sub, const char *name)
{
	cd_buf b = CD_BUF_INIT;
	char **grown = cd_grow(x->v, x->n, &x->cap, sizeof *grown, 64);

	if (!grown)
		return -1;
	x->v = grown;
	if (sub)
		cd_buf_printf(&b, "%s/%s", sub, name);
	else
		cd_buf_puts(&b, name);
	if (!(x->v[x->n] = cd_buf_detach(&b)))
		return -1;
	x->n++;
	return 0;
}

int case_fan_dir_name(const char *name)
{
	return strlen(name) == 2 && isalnum((unsigned char)name[0]) &&
	       isalnum((unsigned char)name[1]);
}

int case_path_in_layout(const char *id, int layout, cd_buf *out)
{
	size_t n = id ? strlen(id) : 0;

	if (id == NULL || id[0] != 'c' || !cd_id_valid(id)) {
		cd_err_set("'%.40s' is not a case id codicil made", id ? id : "");
		return -1;
	}
	switch (layout) {
	case CASE_LAYOUT_FANNED:
		return cd_buf_printf(out, "cases/%c%c/%s.json", id[7], id[n - 1], id);
	case CASE_LAYOUT_FANNED_BY_END:
		return cd_buf_printf(out, "cases/%s/%s.json", id + n - 2, id);
	default:
		return cd_buf_printf(out, "cases/%s.json", id);
	}
}

/* The case files of dir (sub NULL) or of its fan-out directory sub, as
 * "name" or "sub/name"; a missing dir has none. */
static int list_dir(const char *dir, const char *sub, name_list *x)
{
	cd_buf path = CD_BUF_INIT;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (sub ? cd_path_join(&path, dir, sub) < 0 : cd_buf_puts(&path, dir) < 0) {
		cd_buf_clear(&path);
		return -1;
	}
	if (!(d = opendir(path.data))) {
		rc = errno == ENOENT ? 0 : -1;
		if (rc < 0)
			cd_err_set("cannot read %s: %s", path.data, strerror(errno));
		cd_buf_clear(&path);
		return rc;
	}
	while (rc == 0 && (e = readdir(d))) {
		if (!sub && case_fan_dir_name(e->d_name))
			rc = list_dir(dir, e->d_name, x);
		else if (case_file_name(e->d_name) && (rc = names_add(x, sub, e->d_name)) < 0)
			cd_err_set("out of memory");
	}
	closedir(d);
	cd_buf_clear(&path);
	return rc;
}

/* The names of the case files in dir, both layouts, sorted by file name
 * (so by id). */
static int list_case_files(const char *dir, char ***out, size_t *n)
{
	name_list x = { 0 };

	if (list_dir(dir, NULL, &x) < 0) {
		for (size_t i = 0; i < x.n; i++)
			free(x.v[i]);
		free(x.v);
		return -1;
	}
	if (x.n)
		qsort(x.v, x.n, sizeof *x.v, cmp_base);
	*out = x.v;
	*n = x.n;
	return 0;
}

static int add_error(case_library *lib, const char *label, const char *problem)
{
	cd_buf b = CD_BUF_INIT;
	char **p = realloc(lib->errors, (lib->nerrors + 1) * sizeof *p);

	if (p)
		lib->errors = p;
	if (!p || cd_buf_printf(&b, "%s: %s", label, problem) < 0) {
		cd_buf_clear(&b);
		cd_err_set("out of memory");
		return -1;
	}
	lib->errors[lib->nerrors++] = cd_buf_detach(&b);
	return 0;
}

const char *case_file_problem(const cJSON *j, const char *name, cd_buf *why)
{
	const char *id = case_id(j);
	size_t stem;

	name = base_name(name);
	stem = strlen(name) - 5;

	if (!cJSON_IsObject(j))
		return "not a JSON object (a case file holds one object)";
	if (!id)
		return "no \"id\" string";
	if (strlen(id) != stem || strncmp(id, name, stem) != 0)
		return "its \"id\" does not match the file name";
	if (!cd_id_valid(id)) /* theories load through here too */
		return "its \"id\" is not an id codicil made (a letter, '-' and 18 base32 digits)";
	if (id[0] == 'c' && case_validate(j, NULL, 0, why) < 0) {
		char *nl;
		if (cd_buf_failed(why))
			return "out of memory"; /* the caller checks why */
		if ((nl = strchr(why->data, '\n')))
			*nl = '\0';
		return why->data;
	}
	return NULL;
}

/* Load one file into lib, or record why not.  -1 only on out of memory. */
static int load_one(case_library *lib, const char *dir, const char *label_dir,
		    const char *name)
{
	cd_buf path = CD_BUF_INIT, label = CD_BUF_INIT, text = CD_BUF_INIT, why = CD_BUF_INIT;
	const char *problem = NULL;
	cJSON *j = NULL;
	int rc = -1;

	if (cd_path_join(&path, dir, name) < 0 || cd_path_join(&label, label_dir, name) < 0)
		goto out;
	if (cd_file_read(path.data, &text) < 0)
		problem = cd_err_msg();
	else if (!(j = cd_json_parse(cd_buf_cstr(&text), text.len, label.data)))
		problem = cd_err_msg() + label.len + 2; /* drop "label: " */
	else
		problem = case_file_problem(j, name, &why);
	if (cd_buf_failed(&text) || cd_buf_failed(&why))
		goto out; /* out of memory, not a problem of the file */
	if (problem) {
		rc = add_error(lib, label.data, problem);
		goto out;
	}
	lib->cases[lib->n++] = j;
	j = NULL;
	rc = 0;
out:
	cJSON_Delete(j);
	cd_buf_clear(&path);
	cd_buf_clear(&label);
	cd_buf_clear(&text);
	cd_buf_clear(&why);
	return rc;
}

static const char *last_component(const char *dir, cd_buf *tmp)
{
	size_t n = strlen(dir);
	const char *s;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	cd_buf_append(tmp, dir, n);
	s = strrchr(cd_buf_cstr(tmp), '/');
	return s && s[1] ? s + 1 : cd_buf_cstr(tmp);
}

int case_library_load(const char *cases_dir, case_library *out)
{
	cd_buf tmp = CD_BUF_INIT;
	const char *label_dir = last_component(cases_dir, &tmp);
	char **names;
	size_t n, i;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (cd_buf_failed(&tmp) || list_case_files(cases_dir, &names, &n) < 0) {
		cd_buf_clear(&tmp);
		return -1;
	}
	if (n && !(out->cases = calloc(n, sizeof *out->cases))) {
		cd_err_set("out of memory");
		rc = -1;
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = load_one(out, cases_dir, label_dir, names[i]);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	cd_buf_clear(&tmp);
	if (rc < 0)
		case_library_clear(out);
	return rc;
}

void case_library_clear(case_library *lib)
{
	for (size_t i = 0; i < lib->n; i++)
		cJSON_Delete(lib->cases[i]);
	for (size_t i = 0; i < lib->nerrors; i++)
		free(lib->errors[i]);
	free(lib->cases);
	free(lib->errors);
	memset(lib, 0, sizeof *lib);
}

void case_id_prefix(const char *s, char *out, size_t size)
{
	size_t i = 0;

	if (!(s[0] && s[1] == '-') && size > 2) {
		out[i++] = 'c';
		out[i++] = '-';
	}
	for (; *s && i + 1 < size; s++)
		out[i++] = (char)tolower((unsigned char)*s);
	out[i] = '\0';
}

/* Index of the first case whose id is >= key. */
static size_t lower_bound(const case_library *lib, const char *key)
{
	size_t lo = 0, hi = lib->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(case_id(lib->cases[mid]), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int has_prefix(const cJSON *c, const char *prefix)
{
	return strncmp(case_id(c), prefix, strlen(prefix)) == 0;
}

cJSON *case_library_find(const case_library *lib, const char *id)
{
	char key[64];
	size_t i;

	if (!id || !*id) {
		cd_err_set("no case id given");
		return NULL;
	}
	case_id_prefix(id, key, sizeof key);
	i = lower_bound(lib, key);
	if (i == lib->n || !has_prefix(lib->cases[i], key)) {
		cd_err_set("no case %s (run 'codicil cases' to list them)", key);
		return NULL;
	}
	if (strcmp(case_id(lib->cases[i]), key) != 0 && i + 1 < lib->n &&
	    has_prefix(lib->cases[i + 1], key)) {
		cd_err_set("case id %s is ambiguous: it matches %s, %s%s (give more of the id)",
			   key, case_id(lib->cases[i]), case_id(lib->cases[i + 1]),
			   i + 2 < lib->n && has_prefix(lib->cases[i + 2], key) ? ", ..." : "");
		return NULL;
	}
	return lib->cases[i];
}

int case_matches(const cJSON *c, const case_filter *f)
{
	const char *status = cd_json_str(c, "status"), *kind = cd_json_str(c, "kind");

	if (f->status && (!status || strcmp(status, f->status) != 0))
		return 0;
	if (f->kind && (!kind || strcmp(kind, f->kind) != 0))
		return 0;
	return !f->principle || case_has_principle(c, f->principle);
}

int case_library_filter(const case_library *lib, const case_filter *f, cJSON ***out,
			size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < lib->n; i++) {
		if (!case_matches(lib->cases[i], f))
			continue;
		if (!*out && !(*out = malloc(lib->n * sizeof **out))) {
			cd_err_set("out of memory");
			return -1;
		}
		(*out)[(*n)++] = lib->cases[i];
	}
	return 0;
}
