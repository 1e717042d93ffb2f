/* config_key.c — the text rules of settings: key names as git spells
 * them, the environment variable of a key, integers and booleans. */
#include "config_key.h"
#include "codicil/buf.h"
#include "codicil/config.h"
#include "codicil/error.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Git's rules: "section[.subsection].name", section and name made of
 * letters, digits and '-', the name starting with a letter. */
int config_key_valid(const char *key)
{
	const char *dot = strchr(key, '.'), *last = strrchr(key, '.');

	if (!dot || dot == key || !last[1] || !isalpha((unsigned char)last[1]))
		return 0;
	for (const char *p = key; p < dot; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	for (const char *p = last + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	return 1;
}

/* Section and name are case-insensitive, a subsection is not: lower-case
 * all but the part between the first and the last dot. */
char *config_key_normalize(const char *key)
{
	char *norm = strdup(key), *first, *last;

	if (!norm)
		return NULL;
	first = strchr(norm, '.');
	last = strrchr(norm, '.');
	for (char *p = norm; *p; p++)
		if (p < first || p > last)
			*p = (char)tolower((unsigned char)*p);
	return norm;
}

int config_key_is_codicil(const char *key)
{
	return !strncasecmp(key, "codicil.", 8) && key[8];
}

/* A word boundary in camelCase: "apiKey", "key2Env", "HTTPServer". */
static int camel_boundary(const char *start, const char *k)
{
	unsigned char ch = (unsigned char)k[0], next = (unsigned char)k[1];
	unsigned char prev = k > start ? (unsigned char)k[-1] : 0;

	return isupper(ch) && (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)));
}

char *config_env_name(const char *key)
{
	cd_buf name = CD_BUF_INIT;
	const char *start = key + 8;
	int rc;

	if (!config_key_is_codicil(key)) {
		cd_err_set("%s: only codicil.* keys have an environment variable", key);
		return NULL;
	}
	rc = cd_buf_puts(&name, "CODICIL_");
	for (const char *k = start; *k && rc == 0; k++) {
		if (*k == '.' || *k == '-') {
			rc = cd_buf_putc(&name, '_');
			continue;
		}
		if (camel_boundary(start, k))
			rc = cd_buf_putc(&name, '_');
		if (rc == 0)
			rc = cd_buf_putc(&name, (char)toupper((unsigned char)*k));
	}
	if (rc < 0) {
		cd_buf_clear(&name);
		return NULL;
	}
	return cd_buf_detach(&name);
}

/* A whole number with git's optional k, m or g suffix. */
int config_parse_long(const char *text, long *out)
{
	char *end;
	long v, scale = 1;

	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || errno == ERANGE)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 'k': scale = 1024L; end++; break;
	case 'm': scale = 1024L * 1024; end++; break;
	case 'g': scale = 1024L * 1024 * 1024; end++; break;
	}
	if (*end || (v > 0 && v > LONG_MAX / scale) || (v < 0 && v < LONG_MIN / scale))
		return -1;
	*out = v * scale;
	return 0;
}

int config_parse_bool(const char *text, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (!strcasecmp(text, yes[i]))
			return *out = 1, 0;
		if (!strcasecmp(text, no[i]))
			return *out = 0, 0;
	}
	return -1;
}
