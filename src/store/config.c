/* config.c — settings resolved in one place: flag > environment > git
 * config > committed .codicil > built-in default (DESIGN.md §3).
 *
 * Both git configurations are snapshots taken at config_open(), so one run
 * sees one consistent view even if a file changes underneath it.  Every
 * string handed to a caller is owned by the config and freed with it.
 */
#include "codicil/config.h"
#include "config_key.h"
#include "codicil/buf.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/sanitize.h"

#include <git2.h>

#include "codicil/config_keys.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEAM_FILE ".codicil"

/* Defaults, and the keys never taken from .codicil (that file arrives
 * with a clone, so whoever wrote it must not decide what runs on this
 * machine, where the user's API key is sent, or which provider answers
 * and which file it reads or writes), come from the table of settings
 * (config_keys.h). */

static const char SRC_FLAG[] = "command line";
static const char SRC_GIT[] = "git config";
static const char SRC_TEAM[] = ".codicil";
static const char SRC_DEFAULT[] = "default";
static const char SRC_UNSET[] = "unset";

struct setting {
	const char *key;   /* flags: normalised; cache: as the caller wrote it */
	const char *value;
	const char *source;
};

struct config {
	git_config *git;  /* repository, global and system levels */
	git_config *team; /* the work tree's .codicil; NULL when absent */
	struct setting *flags, *cache;
	size_t nflags, ncache;
	void **owned; /* every allocation handed out, freed with the config */
	size_t nowned, capowned;
};

static void *own(config *c, void *p)
{
	void **grown;

	if (!p)
		return NULL;
	if (c->nowned == c->capowned) {
		size_t cap = c->capowned ? c->capowned * 2 : 16;
		grown = realloc(c->owned, cap * sizeof *grown);
		if (!grown) {
			free(p);
			return NULL;
		}
		c->owned = grown;
		c->capowned = cap;
	}
	c->owned[c->nowned++] = p;
	return p;
}

static const char *own_str(config *c, const char *s)
{
	return own(c, strdup(s));
}

static int push_setting(struct setting **list, size_t *n, struct setting s)
{
	struct setting *grown = realloc(*list, (*n + 1) * sizeof *grown);

	if (!grown)
		return -1;
	grown[(*n)++] = s;
	*list = grown;
	return 0;
}

static int untrusted_in_team(const char *norm)
{
	const config_key_info *k = config_key_lookup(norm);

	return k && k->local_only;
}

static const char *lookup_flag(config *c, const char *norm)
{
	for (size_t i = c->nflags; i-- > 0;)
		if (!strcmp(c->flags[i].key, norm))
			return c->flags[i].value;
	return NULL;
}

/* An entry written without '=' is boolean true in git's syntax. */
static const char *lookup_git(config *c, git_config *cfg, const char *key)
{
	git_config_entry *e;
	const char *value;

	if (!cfg || git_config_get_entry(&e, cfg, key) < 0)
		return NULL;
	value = own_str(c, e->value ? e->value : "true");
	git_config_entry_free(e);
	return value;
}

static int lookup_default(const char *norm, const char **value)
{
	const config_key_info *k = config_key_lookup(norm);

	*value = k ? k->def : NULL;
	return *value != NULL;
}

static int lookup_env(config *c, const char *key, struct setting *out)
{
	char *name;
	const char *value;
	cd_buf source = CD_BUF_INIT;

	if (!config_key_is_codicil(key) || !(name = config_env_name(key)))
		return 0;
	value = getenv(name);
	/* Empty counts as unset (as with NO_COLOR): CODICIL_MODEL= falls
	 * through to the levels below. */
	if (value && *value && cd_buf_printf(&source, "environment %s", name) == 0 &&
	    (out->source = own(c, cd_buf_detach(&source))))
		out->value = own_str(c, value);
	cd_buf_clear(&source);
	free(name);
	return out->value != NULL;
}

static struct setting resolve(config *c, const char *key, const char *norm)
{
	struct setting s = { key, NULL, SRC_UNSET };

	if ((s.value = lookup_flag(c, norm))) {
		s.source = SRC_FLAG;
		return s;
	}
	if (lookup_env(c, key, &s))
		return s;
	if ((s.value = lookup_git(c, c->git, key))) {
		s.source = SRC_GIT;
		return s;
	}
	if (!untrusted_in_team(norm) && (s.value = lookup_git(c, c->team, key))) {
		s.source = SRC_TEAM;
		return s;
	}
	if (lookup_default(norm, &s.value))
		s.source = SRC_DEFAULT;
	return s;
}

static const struct setting *setting_for(config *c, const char *key)
{
	static const struct setting invalid = { NULL, NULL, SRC_UNSET };
	struct setting s;
	char *norm;

	for (size_t i = 0; i < c->ncache; i++)
		if (!strcmp(c->cache[i].key, key))
			return &c->cache[i];
	if (!config_key_valid(key) || !(norm = config_key_normalize(key)))
		return &invalid;
	s = resolve(c, key, norm);
	free(norm);
	if (!(s.key = own_str(c, key)) || push_setting(&c->cache, &c->ncache, s) < 0)
		return &invalid;
	return &c->cache[c->ncache - 1];
}

static int open_git(store *s, git_config **out)
{
	git_config *cfg = NULL;
	int rc;

	if (s) {
		rc = git_repository_config_snapshot(out, store_repo(s));
	} else {
		rc = git_config_open_default(&cfg);
		if (rc == 0)
			rc = git_config_snapshot(out, cfg);
		git_config_free(cfg);
	}
	if (rc < 0) {
		const git_error *e = git_error_last();
		cd_err_set("cannot read git config: %s; fix the file it names or run "
			   "'git config --list' to see the problem", e ? e->message : "unknown error");
		return -1;
	}
	return 0;
}

static int open_team(store *s, git_config **out)
{
	cd_buf path = CD_BUF_INIT;
	git_config *cfg = NULL;
	int rc = 0;

	*out = NULL;
	if (!s)
		return 0;
	if (cd_path_join(&path, store_workdir(s), TEAM_FILE) < 0)
		return -1;
	if (cd_file_exists(path.data) || cd_dir_exists(path.data)) {
		rc = git_config_open_ondisk(&cfg, path.data);
		if (rc == 0)
			rc = git_config_snapshot(out, cfg);
		git_config_free(cfg);
		if (rc < 0) {
			const git_error *e = git_error_last();
			cd_err_set("%s: %s; fix it (git-config syntax) or remove it", path.data,
				   e ? e->message : "cannot be read");
		}
	}
	cd_buf_clear(&path);
	return rc < 0 ? -1 : 0;
}

int config_open(store *s, config **out)
{
	config *c = calloc(1, sizeof *c);

	*out = NULL;
	if (!c) {
		cd_err_set("out of memory");
		return -1;
	}
	git_libgit2_init();
	if (open_git(s, &c->git) < 0 || open_team(s, &c->team) < 0) {
		config_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void config_free(config *c)
{
	if (!c)
		return;
	git_config_free(c->git);
	git_config_free(c->team);
	for (size_t i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->flags);
	free(c->cache);
	free(c);
	git_libgit2_shutdown();
}

int config_set_flag(config *c, const char *key, const char *value)
{
	struct setting flag = { NULL, NULL, SRC_FLAG };
	char *norm;

	if (!config_key_valid(key)) {
		cd_err_set("'%s' is not a valid setting name; use the form codicil.name", key);
		return -1;
	}
	norm = config_key_normalize(key);
	flag.key = own(c, norm);
	flag.value = own_str(c, value);
	if (!flag.key || !flag.value || push_setting(&c->flags, &c->nflags, flag) < 0) {
		cd_err_set("out of memory");
		return -1;
	}
	/* Earlier answers stay valid memory, but are no longer the answer. */
	for (size_t i = 0; i < c->ncache;) {
		char *cached = config_key_normalize(c->cache[i].key);
		if (cached && !strcmp(cached, norm))
			c->cache[i] = c->cache[--c->ncache];
		else
			i++;
		free(cached);
	}
	return 0;
}

const char *config_get(config *c, const char *key)
{
	return setting_for(c, key)->value;
}

const char *config_source(config *c, const char *key)
{
	return setting_for(c, key)->source;
}

static int bad_value(const char *key, const struct setting *s, const char *expected)
{
	char *shown = cd_sanitize_dup(s->value, CD_SAN_ONE_LINE);

	cd_err_set("%s = '%s' (from %s) is not %s", key, shown ? shown : "?", s->source, expected);
	free(shown);
	return -1;
}

int config_get_int(config *c, const char *key, long def, long *out)
{
	const struct setting *s = setting_for(c, key);

	if (!s->value) {
		*out = def;
		return 0;
	}
	if (config_parse_long(s->value, out) < 0)
		return bad_value(key, s, "a whole number (e.g. 8, or 8m for 8 MiB)");
	return 0;
}

int config_get_bool(config *c, const char *key, int def, int *out)
{
	const struct setting *s = setting_for(c, key);

	if (!s->value) {
		*out = def;
		return 0;
	}
	if (config_parse_bool(s->value, out) < 0)
		return bad_value(key, s, "a boolean (true/yes/on/1 or false/no/off/0)");
	return 0;
}

struct collect {
	config *c;
	const char **values;
	size_t n;
	int failed;
};

static int collect_value(const git_config_entry *e, void *payload)
{
	struct collect *col = payload;
	const char **grown = realloc(col->values, (col->n + 1) * sizeof *grown);

	if (grown)
		col->values = grown;
	if (!grown || !(grown[col->n] = own_str(col->c, e->value ? e->value : "true"))) {
		col->failed = 1;
		return -1;
	}
	col->n++;
	return 0;
}

static void collect_from(struct collect *col, git_config *cfg, const char *key)
{
	if (cfg && !col->failed)
		git_config_get_multivar_foreach(cfg, key, NULL, collect_value, col);
}

/* A flag or an environment value replaces the list; otherwise .codicil's
 * values come first, then git config's (lowest level first, as git lists
 * them); with none of those, the default if there is one. */
int config_get_all(config *c, const char *key, const char ***values, size_t *n)
{
	struct collect col = { c, NULL, 0, 0 };
	const struct setting *s = setting_for(c, key);
	char *norm;

	*values = NULL;
	*n = 0;
	if (!config_key_valid(key)) {
		cd_err_set("'%s' is not a valid setting name; use the form codicil.name", key);
		return -1;
	}
	if (s->source != SRC_FLAG && strncmp(s->source, "environment ", 12) != 0) {
		if (!(norm = config_key_normalize(key))) {
			cd_err_set("out of memory");
			return -1;
		}
		if (!untrusted_in_team(norm))
			collect_from(&col, c->team, key);
		collect_from(&col, c->git, key);
		free(norm);
	}
	if (col.n == 0 && s->value && !col.failed) {
		const char *one[] = { s->value };
		col.values = malloc(sizeof one);
		if (col.values)
			memcpy(col.values, one, sizeof one), col.n = 1;
		else
			col.failed = 1;
	}
	if (col.failed || (col.values && !own(c, col.values))) {
		if (col.failed)
			free(col.values);
		cd_err_set("out of memory");
		return -1;
	}
	*values = col.values;
	*n = col.n;
	return 0;
}

static int out_of_range(config *c, const char *key, const config_key_info *k)
{
	cd_buf why = CD_BUF_INIT;
	int rc;

	config_key_check(k, config_get(c, key), &why);
	rc = bad_value(key, setting_for(c, key), why.data ? why.data : "in range");
	cd_buf_clear(&why);
	return rc;
}

int config_get_setting_long(config *c, const char *key, long *out)
{
	const config_key_info *k = config_key_lookup(key);
	const char *v = config_get(c, key);

	if (!k || k->type != CT_INT || !v) {
		cd_err_set("internal error: %s is not a whole-number setting with a default", key);
		return -1;
	}
	if (config_parse_long(v, out) < 0 || *out < k->min || *out > k->max)
		return out_of_range(c, key, k);
	return 0;
}

int config_get_setting_double(config *c, const char *key, double *out)
{
	const config_key_info *k = config_key_lookup(key);
	const char *v = config_get(c, key);
	char *end;

	if (!k || k->type != CT_DECIMAL || !v) {
		cd_err_set("internal error: %s is not a decimal setting with a default", key);
		return -1;
	}
	*out = strtod(v, &end);
	if (end == v || *end || !(*out >= k->min && *out <= k->max))
		return out_of_range(c, key, k);
	return 0;
}
