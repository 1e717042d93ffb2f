/* config_key.h — private to config*.c: key names and value parsing. */
#ifndef CODICIL_STORE_CONFIG_KEY_H
#define CODICIL_STORE_CONFIG_KEY_H

/* 1 for "section[.subsection].name" as git accepts it. */
int config_key_valid(const char *key);
/* The key with section and name lower-cased (a subsection keeps its case);
 * NULL on out of memory. */
char *config_key_normalize(const char *key);
/* 1 for "codicil.<something>", section in any case. */
int config_key_is_codicil(const char *key);
/* A whole number with git's optional k, m or g suffix. */
int config_parse_long(const char *text, long *out);
/* true/yes/on/1 or false/no/off/0, in any case. */
int config_parse_bool(const char *text, int *out);

#endif
