/* config_keys.h — the one table of every setting codicil reads: its type,
 * default, range and a line of help.  `codicil config` lists and checks
 * settings with it, the built-in defaults come from it, and a test holds
 * it to codicil(1) and to the keys the code reads.
 *
 * A key with a '*' stands for a family: "codicil.price.*.input" is
 * codicil.price.<model>.input for every model, "codicil.key.*" a key
 * binding of the workbench. */
#ifndef CODICIL_CONFIG_KEYS_H
#define CODICIL_CONFIG_KEYS_H

#include "codicil/buf.h"

enum config_type {
	CT_STRING,   /* any text */
	CT_URL,      /* http:// or https:// */
	CT_CHOICE,   /* one of choices (space-separated) */
	CT_INT,      /* a whole number from min to max (k, m, g multiply) */
	CT_DECIMAL,  /* a decimal number from min to max */
	CT_BUDGET,   /* tokens (250k, 2M) or $N */
	CT_LIST,     /* multi-valued: each value is one item */
	CT_KEYS,     /* workbench key names, space-separated */
};

typedef struct config_key_info {
	const char *key;
	enum config_type type;
	const char *def;      /* what an unset key reads as; NULL: see default_text */
	const char *default_text; /* for help when def is NULL ("the provider's") */
	const char *choices;  /* CT_CHOICE */
	double min, max;      /* CT_INT, CT_DECIMAL */
	int local_only;       /* never taken from a committed .codicil */
	const char *help;
} config_key_info;

/* Every key, in the order codicil(1) documents them; NULL-terminated. */
extern const config_key_info config_keys[];

/* The entry for key (families match their pattern), or NULL. */
const config_key_info *config_key_lookup(const char *key);
/* 0 when value suits k, else -1 with why ("a whole number from 1 to 1024"). */
int config_key_check(const config_key_info *k, const char *value, cd_buf *why);
/* The nearest known keys to a mistyped one, for "did you mean": appended
 * to out, comma-separated; 0 when none is near. */
int config_key_suggest(const char *key, cd_buf *out);

#endif
