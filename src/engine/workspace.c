#include "codicil/workspace.h"

#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/case.h"
#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/file.h"
#include "codicil/proposal.h"
#include "datadir.h"

const char *workspace_charter_path(config *cfg)
{
	const char *p = cfg ? config_get(cfg, "codicil.charter") : NULL;
	return p && *p ? p : STORE_CHARTER;
}

int workspace_check(const charter *c)
{
	cd_buf problems = CD_BUF_INIT;
	size_t n = charter_validate(c, &problems);
	char *nl;

	if (n) {
		if ((nl = strchr(problems.data, '\n')))
			*nl = '\0';
		if (n > 1)
			cd_err_set("%s (and %zu more problems); fix the charter and run again",
				   problems.data, n - 1);
		else
			cd_err_set("%s; fix the charter and run again", problems.data);
	}
	cd_buf_clear(&problems);
	return n ? -1 : 0;
}

/* The 1-based line of byte offset off. */
static size_t line_of(const char *text, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

int workspace_check_import(const char *path, int allow_empty, cd_buf *problems)
{
	cd_buf text = CD_BUF_INIT;
	charter *c = NULL;
	const char *nul;
	size_t n = 0;

	if (cd_file_read(path, &text) < 0)
		return -1; /* cd_err says why: one line */
	if ((nul = memchr(text.data ? text.data : "", '\0', text.len))) {
		size_t off = (size_t)(nul - text.data);
		cd_buf_printf(problems, "%s:%zu: a NUL byte at byte offset %zu: this is not a text "
			      "file\n", path, line_of(text.data, off), off);
		n++;
	} else if (charter_parse(path, text.data, text.len, &c) < 0) {
		cd_buf_printf(problems, "%s\n", cd_err_msg());
		n++;
	} else {
		n += charter_validate_structure(c, problems);
		if (!c->n && !allow_empty) {
			cd_buf_printf(problems, "%s: no principles (no markdown headings); a charter is a "
				      "list of headed principles (or give --allow-empty)\n", path);
			n++;
		}
	}
	charter_free(c);
	cd_buf_clear(&text);
	if (n)
		cd_err_set("%s is not a charter codicil can import (%zu problem%s); nothing was "
			   "created", path, n, n == 1 ? "" : "s");
	return n ? -1 : 0;
}

int workspace_charter_dirty(store *s, config *cfg)
{
	const char *path = workspace_charter_path(cfg);
	cd_buf text = CD_BUF_INIT;
	char head[41], now[41];
	int dirty = 0;

	if (store_blob_id(s, "HEAD", path, head) == 0 && store_read_worktree(s, path, &text) == 0) {
		store_hash_blob(text.data ? text.data : "", text.len, now);
		dirty = strcmp(head, now) != 0;
	}
	cd_err_clear();
	cd_buf_clear(&text);
	return dirty;
}

int workspace_max_charter_bytes(config *cfg, size_t *out)
{
	long v = 48000;

	if (cfg && config_get_setting_long(cfg, "codicil.maxCharterBytes", &v) < 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

int workspace_case_excerpt(const charter *ch, const cJSON *c, size_t max_bytes, cd_buf *out)
{
	return workspace_cases_excerpt(ch, (const cJSON *const *)&c, 1, max_bytes, out);
}

int workspace_cases_excerpt(const charter *ch, const cJSON *const *cases, size_t ncases,
			    size_t max_bytes, cd_buf *out)
{
	const char **ids;
	size_t n = 0, cap = 0;
	const cJSON *p;
	int rc;

	for (size_t i = 0; i < ncases; i++)
		cap += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cases[i],
										  "principles"));
	if (!(ids = calloc(cap + 1, sizeof *ids))) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < ncases; i++)
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(cases[i], "principles"))
			if (cJSON_IsString(p))
				ids[n++] = p->valuestring;
	rc = charter_excerpt(ch, ids, n, max_bytes, out);
	free(ids);
	return rc;
}

int workspace_no_principle(const charter *c, const char *id)
{
	cd_buf near = CD_BUF_INIT;

	if (charter_suggest(c, id, &near) > 0)
		cd_err_set("no principle with id '%.80s' (did you mean %s?  list them with 'codicil "
			   "principles')", id, near.data);
	else
		cd_err_set("no principle with id '%.80s' (list them with 'codicil principles')", id);
	cd_buf_clear(&near);
	return -1;
}

/* The folder of id's records; NULL with an error for anything else. */
static const char *record_dir(const char *id)
{
	const char *dir = !id || !cd_id_valid(id) ? NULL : id[0] == 'c' ? "cases" :
			  id[0] == 'p' ? "proposals" : id[0] == 't' ? "theories" : NULL;

	if (!dir)
		cd_err_set("'%.40s' is not a record id codicil made", id ? id : "");
	return dir;
}

int workspace_record_path(const char *id, cd_buf *out)
{
	const char *dir = record_dir(id);

	if (!dir)
		return -1;
	if (id[0] == 'c')
		return case_path_in_layout(id, CASE_LAYOUT_FANNED, out);
	return cd_buf_printf(out, "%s/%s.json", dir, id);
}

int workspace_path_exists(store *s, const char *rev, const char *path)
{
	cd_buf full = CD_BUF_INIT;
	char blob[41];
	int yes;

	if (rev)
		return store_blob_id(s, rev, path, blob) == 0;
	cd_path_join(&full, store_workdir(s), path);
	yes = cd_file_exists(full.data);
	cd_buf_clear(&full);
	return yes;
}

/* Of a record's layouts, newest first, the first that holds it at rev,
 * appended to out; the newest when none does (where it would go). */
static int first_held(store *s, const char *rev, const cd_buf *layouts, size_t n, cd_buf *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (cd_buf_failed(&layouts[i])) {
			cd_err_set("out of memory");
			return -1;
		}
	while (k < n && !workspace_path_exists(s, rev, layouts[k].data))
		k++;
	return cd_buf_puts(out, layouts[k < n ? k : 0].data) < 0 ? -1 : 0;
}

int workspace_transcript_path(const char *sha, cd_buf *out)
{
	if (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) {
		cd_err_set("'%.70s' is not a transcript's sha256", sha ? sha : "");
		return -1;
	}
	return cd_buf_printf(out, "%s/%.2s/%s.json", PROPOSAL_TRANSCRIPT_DIR, sha, sha);
}

int workspace_transcript_at(store *s, const char *rev, const char *sha, cd_buf *out)
{
	cd_buf at[2] = { CD_BUF_INIT, CD_BUF_INIT }; /* fanned out, then flat */
	int rc;

	if (workspace_transcript_path(sha, &at[0]) < 0)
		return -1;
	cd_buf_printf(&at[1], "%s/%s.json", PROPOSAL_TRANSCRIPT_DIR, sha);
	rc = first_held(s, rev, at, 2, out);
	cd_buf_clear(&at[0]);
	cd_buf_clear(&at[1]);
	return rc;
}

int workspace_record_at(store *s, const char *rev, const char *id, cd_buf *out)
{
	cd_buf at[CASE_LAYOUTS] = { CD_BUF_INIT, CD_BUF_INIT, CD_BUF_INIT };
	int rc = 0;

	if (!record_dir(id))
		return -1;
	if (id[0] != 'c')
		return workspace_record_path(id, out);
	for (int layout = 0; rc == 0 && layout < CASE_LAYOUTS; layout++)
		rc = case_path_in_layout(id, layout, &at[layout]);
	if (rc == 0)
		rc = first_held(s, rev, at, CASE_LAYOUTS, out);
	for (int layout = 0; layout < CASE_LAYOUTS; layout++)
		cd_buf_clear(&at[layout]);
	return rc < 0 ? -1 : 0;
}

/* No charter file in the work tree: say how to point codicil at one (a
 * repository whose charter has another name). */
static void say_missing_charter(store *s, const char *path)
{
	cd_buf full = CD_BUF_INIT;

	cd_buf_printf(&full, "%s%s", store_workdir(s), path);
	if (!cd_file_exists(full.data))
		cd_err_set("there is no %s here; if the charter has another name, tell codicil with "
			   "'git config codicil.charter FILE'", path);
	cd_buf_clear(&full);
}

int workspace_load(store *s, const char *path, const char *rev, int validate, charter **out)
{
	cd_buf text = CD_BUF_INIT;
	int rc;

	*out = NULL;
	rc = rev ? store_read(s, rev, path, &text) : store_read_worktree(s, path, &text);
	if (rc < 0) {
		cd_buf_clear(&text);
		if (!rev)
			say_missing_charter(s, path);
		return -1;
	}
	rc = charter_parse(path, text.data, text.len, out);
	cd_buf_clear(&text);
	if (rc < 0)
		return -1;
	if (validate && workspace_check(*out) < 0) {
		charter_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* The directories that may hold constitutions/, in order of preference. */
static int template_roots(cd_buf roots[3], size_t *n)
{
	const char *env = getenv("CODICIL_DATADIR");
	char exe[PATH_MAX];
	ssize_t len;

	*n = 0;
	if (env && *env)
		cd_buf_puts(&roots[(*n)++], env);
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		cd_buf *r = &roots[(*n)++];
		char *slash;

		exe[len] = '\0';
		cd_buf_puts(r, dirname(exe));
		/* build/codicil in a source tree: the tree is one level up */
		slash = strrchr(r->data, '/');
		if (slash && (!strcmp(slash, "/build") || !strcmp(slash, "/build-san")))
			*slash = '\0', r->len = (size_t)(slash - r->data);
	}
	cd_buf_puts(&roots[(*n)++], CODICIL_DATADIR);
	return 0;
}

int workspace_template_dir(const char *name, cd_buf *out)
{
	cd_buf roots[3] = { CD_BUF_INIT, CD_BUF_INIT, CD_BUF_INIT }, names = CD_BUF_INIT;
	size_t n, i;
	int found = 0;

	if (!charter_id_valid(name) || strchr(name, '/') || name[0] == '.') {
		cd_err_set("invalid template name '%s'", name);
		return -1;
	}
	template_roots(roots, &n);
	for (i = 0; i < n && !found; i++) {
		cd_buf_reset(out);
		cd_buf_printf(out, "%s/constitutions/%s", cd_buf_cstr(&roots[i]), name);
		found = cd_dir_exists(out->data);
	}
	for (i = 0; i < 3; i++)
		cd_buf_clear(&roots[i]);
	if (!found) {
		workspace_template_names(&names);
		cd_err_set("no template named '%s' (available: %s)", name,
			   names.len ? names.data : "none found; set CODICIL_DATADIR");
		cd_buf_clear(&names);
		return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int workspace_template_names(cd_buf *out)
{
	cd_buf roots[3] = { CD_BUF_INIT, CD_BUF_INIT, CD_BUF_INIT }, dir = CD_BUF_INIT;
	size_t n, i;
	DIR *d = NULL;
	struct dirent *e;

	template_roots(roots, &n);
	for (i = 0; i < n && !d; i++) {
		cd_buf_reset(&dir);
		cd_buf_printf(&dir, "%s/constitutions", cd_buf_cstr(&roots[i]));
		d = opendir(dir.data);
	}
	if (d) {
		char *list[64];
		size_t k = 0;
		while ((e = readdir(d)) && k < 64) {
			cd_buf path = CD_BUF_INIT;
			cd_path_join(&path, dir.data, e->d_name);
			if (e->d_name[0] != '.' && cd_dir_exists(path.data)) /* not demo.cassette.jsonl */
				list[k++] = strdup(e->d_name);
			cd_buf_clear(&path);
		}
		closedir(d);
		qsort(list, k, sizeof *list, cmp_str);
		for (size_t a = 0; a < k; a++) {
			cd_buf_printf(out, "%s%s", a ? ", " : "", list[a]);
			free(list[a]);
		}
	}
	for (i = 0; i < 3; i++)
		cd_buf_clear(&roots[i]);
	cd_buf_clear(&dir);
	return 0;
}
