/* repo.c — opening a store, its paths, and the user's git identity. */
#include "store_internal.h"

#include "codicil/error.h"
#include "codicil/file.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A git lock file left by a killed process stops every later commit: name
 * it, and say when it is safe to remove. */
static void lock_hint(const char *msg, cd_buf *out)
{
	const char *end = strstr(msg, ".lock'"), *start;

	if (!end)
		return;
	for (start = end; start > msg && start[-1] != '\''; start--)
		;
	cd_buf_printf(out, "; if no git command is running, remove %.*s.lock and run the command "
		      "again", (int)(end - start), start);
}

int store__git_fail(const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown libgit2 error";
	cd_buf hint = CD_BUF_INIT;

	size_t len = strlen(msg);

	while (len && (msg[len - 1] == ' ' || msg[len - 1] == ':'))
		len--; /* "failed to lock file '...' for writing: " */
	lock_hint(msg, &hint);
	cd_err_set("%s: %.*s%s", what, (int)len, msg, cd_buf_cstr(&hint));
	cd_buf_clear(&hint);
	return -1;
}

int store__check_path(const char *path)
{
	const char *p = path;

	if (!path || !*path || *path == '/') {
		cd_err_set("invalid path '%s': must be relative to the work tree", path ? path : "");
		return -1;
	}
	while (*p) {
		size_t len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && !strncmp(p, "..", 2)) ||
		    (len == 4 && !strncmp(p, ".git", 4))) {
			cd_err_set("invalid path '%s': components may not be empty, '.', '..' or '.git'",
				   path);
			return -1;
		}
		p += len;
		if (*p == '/' && !*++p) {
			cd_err_set("invalid path '%s': must name a file, not a directory", path);
			return -1;
		}
	}
	return 0;
}

int store__worktree_path(const store *s, const char *path, cd_buf *out)
{
	if (store__check_path(path) < 0)
		return -1;
	return cd_buf_puts(out, s->workdir) < 0 || cd_buf_puts(out, path) < 0 ? -1 : 0;
}

static int refuse_bare(const char *dir)
{
	cd_err_set("%s is a bare git repository; codicil needs a work tree (git clone %s DIR, "
		   "then use DIR)", dir, dir);
	return -1;
}

int store_open(const char *dir, store **out)
{
	git_repository *repo = NULL;
	struct stat st;
	store *s;
	int rc;

	*out = NULL;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		cd_err_set("%s: no such directory", dir);
		return -1;
	}
	git_libgit2_init();
	/* libgit2 caches trees of up to 4 KB; a fanned-out cases/ tree holds
	 * 1,024 entries (about 40 KB), read again for every path looked up */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)1 << 20);
	rc = git_repository_open_ext(&repo, dir, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		cd_err_set("not a git repository: %s (run 'codicil init %s' to create one)", dir, dir);
		goto fail;
	}
	if (rc < 0) {
		store__git_fail(dir);
		goto fail;
	}
	if (git_repository_is_bare(repo) || !git_repository_workdir(repo)) {
		refuse_bare(dir);
		goto fail;
	}
	s = calloc(1, sizeof *s);
	if (!s || !(s->workdir = strdup(git_repository_workdir(repo))) ||
	    !(s->gitdir = strdup(git_repository_path(repo)))) {
		if (s)
			free(s->workdir);
		free(s);
		cd_err_set("out of memory");
		goto fail;
	}
	s->repo = repo;
	*out = s;
	return 0;
fail:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return -1;
}

void store_close(store *s)
{
	if (!s)
		return;
	if (s->locked) {
		s->locked = 1; /* however deep: the lock goes */
		store_unlock(s);
	}
	store__gitindex_keep(s, NULL);
	git_repository_free(s->repo);
	free(s->workdir);
	free(s->gitdir);
	free(s);
	git_libgit2_shutdown();
}

const char *store_workdir(const store *s)
{
	return s->workdir;
}

const char *store_gitdir(const store *s)
{
	return s->gitdir;
}

git_repository *store_repo(store *s)
{
	return s->repo;
}

int store_local_path(store *s, const char *name, cd_buf *out)
{
	cd_buf dir = CD_BUF_INIT;
	int rc = -1;

	if (store__check_path(name) < 0)
		return -1;
	if (cd_buf_printf(&dir, "%scodicil/%s", s->gitdir, name) < 0)
		goto out;
	/* create every directory above the final component */
	*strrchr(dir.data, '/') = '\0';
	if (cd_mkdir_p(dir.data, 0755) < 0)
		goto out;
	rc = cd_buf_printf(out, "%scodicil/%s", s->gitdir, name);
out:
	cd_buf_clear(&dir);
	return rc;
}

static char *config_string(git_config *cfg, const char *key)
{
	git_buf v = GIT_BUF_INIT;
	char *copy = NULL;

	if (git_config_get_string_buf(&v, cfg, key) == 0 && v.ptr && v.ptr[0])
		copy = strdup(v.ptr);
	git_buf_dispose(&v);
	git_error_clear();
	return copy;
}

int store__identity_from(git_config *cfg, char **name, char **email)
{
	*name = config_string(cfg, "user.name");
	*email = config_string(cfg, "user.email");
	if (*name && *email)
		return 0;
	free(*name);
	free(*email);
	*name = *email = NULL;
	cd_err_set("set your identity: git config --global user.name 'Your Name' && "
		   "git config --global user.email you@example.org");
	return -1;
}

int store_identity(store *s, char **name, char **email)
{
	git_config *cfg = NULL;
	int rc;

	*name = *email = NULL;
	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return store__git_fail("cannot read git config");
	rc = store__identity_from(cfg, name, email);
	git_config_free(cfg);
	return rc;
}

int store_config_write(store *s, const char *key, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	int rc = -1;

	if (git_repository_config(&cfg, s->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0) {
		store__git_fail("cannot open the repository's git config");
		goto out;
	}
	if (value)
		rc = git_config_set_string(local, key, value);
	else if ((rc = git_config_delete_entry(local, key)) == GIT_ENOTFOUND)
		rc = 0; /* unset already */
	if (rc < 0)
		store__git_fail(value ? "cannot write git config" : "cannot unset in git config");
out:
	git_config_free(local);
	git_config_free(cfg);
	return rc < 0 ? -1 : 0;
}
