/* init.c — creating a store from a template folder or a markdown file. */
#include "store_internal.h"

#include "codicil/error.h"
#include "codicil/file.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct path_list {
	char **v;
	size_t n, cap;
} path_list;

static int path_list_add(path_list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			goto oom;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(path)))
		goto oom;
	l->n++;
	return 0;
oom:
	cd_err_set("out of memory");
	return -1;
}

static void path_list_free(path_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* The last component of path, ignoring trailing slashes. */
static void base_name(const char *path, cd_buf *out)
{
	size_t end = strlen(path), start;

	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	cd_buf_append(out, path + start, end - start);
}

static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

/* Make sure dir exists and is empty; *created says whether we made it. */
static int prepare_target(const char *dir, int *created)
{
	cd_buf dotgit = CD_BUF_INIT;
	struct stat st;
	int is_repo;

	*created = 0;
	if (stat(dir, &st) < 0) {
		if (errno != ENOENT) {
			cd_err_set("%s: %s", dir, strerror(errno));
			return -1;
		}
		*created = 1;
		return cd_mkdir_p(dir, 0755);
	}
	if (!S_ISDIR(st.st_mode)) {
		cd_err_set("%s exists and is not a directory; choose a new or empty directory", dir);
		return -1;
	}
	cd_path_join(&dotgit, dir, ".git");
	is_repo = access(dotgit.data, F_OK) == 0;
	cd_buf_clear(&dotgit);
	if (is_repo) {
		cd_err_set("%s is already a git repository: codicil works in it as it is (if its "
			   "charter is not CONSTITUTION.md, 'git config codicil.charter FILE'), or "
			   "choose a new directory", dir);
		return -1;
	}
	if (!dir_is_empty(dir)) {
		cd_err_set("%s is not empty; choose a new or empty directory", dir);
		return -1;
	}
	return 0;
}

/* Undo a failed init: dir was empty (or absent) before. */
static void clear_target(const char *dir, int created)
{
	DIR *d;
	struct dirent *e;

	if (created) {
		cd_remove_tree(dir);
		return;
	}
	if (!(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		cd_buf child = CD_BUF_INIT;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		cd_path_join(&child, dir, e->d_name);
		cd_remove_tree(child.data);
		cd_buf_clear(&child);
	}
	closedir(d);
}

static int copy_file(const char *src, const char *dst, mode_t mode)
{
	cd_buf data = CD_BUF_INIT;
	int rc = cd_file_read(src, &data);

	if (rc == 0)
		rc = cd_file_write_atomic(dst, data.data, data.len);
	if (rc == 0 && (mode & 0111) && chmod(dst, 0755) < 0) {
		cd_err_set("cannot make %s executable: %s", dst, strerror(errno));
		rc = -1;
	}
	cd_buf_clear(&data);
	return rc;
}

/* Copy the regular files under src_root/rel to dst_root/rel, recording
 * each copied path (relative to the roots) in paths. */
static int copy_tree(const char *src_root, const char *dst_root, const char *rel,
		     path_list *paths)
{
	cd_buf dir = CD_BUF_INIT;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	cd_path_join(&dir, src_root, rel);
	if (!(d = opendir(dir.data))) {
		cd_err_set("cannot read %s: %s", dir.data, strerror(errno));
		cd_buf_clear(&dir);
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		cd_buf child = CD_BUF_INIT, src = CD_BUF_INIT, dst = CD_BUF_INIT;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git"))
			continue;
		cd_path_join(&child, rel, e->d_name);
		cd_path_join(&src, src_root, child.data);
		cd_path_join(&dst, dst_root, child.data);
		if (lstat(src.data, &st) < 0) {
			cd_err_set("cannot read %s: %s", src.data, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = copy_tree(src_root, dst_root, child.data, paths);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(src.data, dst.data, st.st_mode);
			if (rc == 0)
				rc = path_list_add(paths, child.data);
		}
		cd_buf_clear(&child);
		cd_buf_clear(&src);
		cd_buf_clear(&dst);
	}
	closedir(d);
	cd_buf_clear(&dir);
	return rc;
}

/* init.defaultBranch from the user's git config, else "main". */
static char *default_branch(git_config *cfg)
{
	git_buf v = GIT_BUF_INIT;
	char *name;

	if (git_config_get_string_buf(&v, cfg, "init.defaultBranch") == 0 && v.ptr && v.ptr[0])
		name = strdup(v.ptr);
	else
		name = strdup("main");
	git_buf_dispose(&v);
	git_error_clear();
	if (!name)
		cd_err_set("out of memory");
	return name;
}

/* The first commit, of exactly the files in paths, with the index set to
 * match so that `git status` is clean. */
static int commit_initial(git_repository *repo, const path_list *paths, const char *name,
			  const char *email, const char *message)
{
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_id, commit_id;
	int rc = -1;

	if (git_repository_index(&idx, repo) < 0)
		goto git_fail;
	for (size_t i = 0; i < paths->n; i++)
		if (git_index_add_bypath(idx, paths->v[i]) < 0)
			goto git_fail;
	if (git_index_write(idx) < 0 || git_index_write_tree(&tree_id, idx) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0 ||
	    git_signature_now(&sig, name, email) < 0 ||
	    git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, message, tree, 0, NULL) < 0)
		goto git_fail;
	rc = 0;
	goto out;
git_fail:
	store__git_fail("cannot create the initial commit");
out:
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
	return rc;
}

/* .gitattributes, unless the template brought one of its own. */
static int add_attributes(const char *workdir, path_list *paths)
{
	cd_buf path = CD_BUF_INIT;
	int rc = 0;

	cd_path_join(&path, workdir, STORE_ATTRIBUTES);
	if (!cd_file_exists(path.data)) {
		rc = cd_file_write_atomic(path.data, store_attributes_text,
					  strlen(store_attributes_text));
		if (rc == 0)
			rc = path_list_add(paths, STORE_ATTRIBUTES);
	}
	cd_buf_clear(&path);
	return rc;
}

typedef int (*fill_fn)(const char *workdir, const void *arg, path_list *paths);

static int init_with(const char *dir, fill_fn fill, const void *arg, const char *message,
		     store **out)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	path_list paths = { 0 };
	char *name = NULL, *email = NULL, *branch = NULL;
	int created = 0, prepared = 0, rc = -1;

	*out = NULL;
	git_libgit2_init();
	if (git_config_open_default(&cfg) < 0) {
		store__git_fail("cannot read git config");
		goto out;
	}
	if (store__identity_from(cfg, &name, &email) < 0 || !(branch = default_branch(cfg)))
		goto out;
	if (prepare_target(dir, &created) < 0)
		goto out;
	prepared = 1;
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.initial_head = branch;
	if (git_repository_init_ext(&repo, dir, &opts) < 0) {
		store__git_fail(dir);
		goto out;
	}
	if (fill(git_repository_workdir(repo), arg, &paths) < 0 ||
	    add_attributes(git_repository_workdir(repo), &paths) < 0 ||
	    commit_initial(repo, &paths, name, email, message) < 0)
		goto out;
	git_repository_free(repo);
	repo = NULL;
	rc = store_open(dir, out);
out:
	git_repository_free(repo);
	if (rc < 0 && prepared)
		clear_target(dir, created);
	path_list_free(&paths);
	git_config_free(cfg);
	free(name);
	free(email);
	free(branch);
	git_libgit2_shutdown();
	return rc;
}

static int fill_from_template(const char *workdir, const void *arg, path_list *paths)
{
	const char *template_dir = arg;

	if (copy_tree(template_dir, workdir, "", paths) < 0)
		return -1;
	if (paths->n == 0) {
		cd_err_set("template %s has no files; add a %s to it", template_dir, STORE_CHARTER);
		return -1;
	}
	return 0;
}

int store_init_template(const char *dir, const char *template_dir, store **out)
{
	cd_buf message = CD_BUF_INIT;
	int rc;

	*out = NULL;
	if (!cd_dir_exists(template_dir)) {
		cd_err_set("%s: no such template directory", template_dir);
		return -1;
	}
	cd_buf_puts(&message, "Initial constitution from template ");
	base_name(template_dir, &message);
	cd_buf_putc(&message, '\n');
	rc = init_with(dir, fill_from_template, template_dir, message.data, out);
	cd_buf_clear(&message);
	return rc;
}

static int fill_from_file(const char *workdir, const void *arg, path_list *paths)
{
	cd_buf dst = CD_BUF_INIT;
	struct stat st;
	int rc = -1;

	if (stat(arg, &st) == 0) {
		cd_path_join(&dst, workdir, STORE_CHARTER);
		rc = copy_file(arg, dst.data, st.st_mode & 0644);
		if (rc == 0)
			rc = path_list_add(paths, STORE_CHARTER);
	} else {
		cd_err_set("cannot read %s: %s", (const char *)arg, strerror(errno));
	}
	cd_buf_clear(&dst);
	return rc;
}

int store_init_from_file(const char *dir, const char *md_path, store **out)
{
	cd_buf message = CD_BUF_INIT;
	int rc;

	*out = NULL;
	if (!cd_file_exists(md_path)) {
		cd_err_set("%s: no such file", md_path);
		return -1;
	}
	cd_buf_puts(&message, "Import ");
	base_name(md_path, &message);
	cd_buf_putc(&message, '\n');
	rc = init_with(dir, fill_from_file, md_path, message.data, out);
	cd_buf_clear(&message);
	return rc;
}
