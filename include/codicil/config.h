/* config.h — every setting codicil reads, resolved in one place.
 *
 * Order (DESIGN.md §3): command-line flag > environment > git config
 * codicil.* (repository, then global and system) > a committed `.codicil`
 * file at the top of the work tree (git-config syntax, shared team
 * defaults) > built-in defaults.
 *
 * Keys are git-style, "codicil.concurrency".  The environment name is
 * derived: "CODICIL_" + the part after "codicil." with camelCase split by
 * '_' and upper-cased (codicil.apiKeyEnv -> CODICIL_API_KEY_ENV); an
 * empty variable counts as unset.
 *
 * .codicil comes with a clone, so it cannot set codicil.apiKeyCommand,
 * codicil.apiKeyEnv or codicil.endpoint (what runs here, where the key
 * goes): those are ignored there and must be in the user's git config.
 */
#ifndef CODICIL_CONFIG_H
#define CODICIL_CONFIG_H

#include "codicil/store.h"

typedef struct config config;

/* s may be NULL (outside a repository): then only flags, environment,
 * global git config and defaults apply. */
int config_open(store *s, config **out);
void config_free(config *c);

/* A command-line override; copies key and value. */
int config_set_flag(config *c, const char *key, const char *value);

/* The resolved value, or NULL when unset everywhere.  The string lives as
 * long as c. */
const char *config_get(config *c, const char *key);
/* Integers and booleans ("true/yes/on/1", "false/no/off/0"); a value that
 * does not parse is an error naming the key and where it came from. */
int config_get_int(config *c, const char *key, long def, long *out);
int config_get_bool(config *c, const char *key, int def, int *out);
/* A whole number or a decimal setting of the table (config_keys.h): its
 * default and range come from there, so every reader checks the same
 * range; a value out of it is an error naming the key, the range and
 * where the value came from. */
int config_get_setting_long(config *c, const char *key, long *out);
int config_get_setting_double(config *c, const char *key, double *out);
/* Where the value came from: "command line", "environment CODICIL_MODEL",
 * "git config", ".codicil", "default", or "unset". */
const char *config_source(config *c, const char *key);
/* All values of a multi-valued key, e.g. codicil.reliableRater: those of
 * .codicil, then git config's (system, global, repository); a flag or an
 * environment value replaces the list; with no values anywhere, the
 * default if any.  The array and strings live as long as c. */
int config_get_all(config *c, const char *key, const char ***values, size_t *n);

/* The environment variable name for a key, e.g. "CODICIL_API_KEY_ENV". */
char *config_env_name(const char *key);

#endif
