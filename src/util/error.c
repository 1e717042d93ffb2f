#include "codicil/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/sanitize.h"

static _Thread_local char err_msg[1024];

void cd_err_vset(const char *fmt, va_list ap)
{
	char msg[sizeof err_msg]; /* an argument may be the message it replaces */

	vsnprintf(msg, sizeof msg, fmt, ap);
	memcpy(err_msg, msg, sizeof msg);
}

void cd_err_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cd_err_vset(fmt, ap);
	va_end(ap);
}

void cd_err_prefix(const char *fmt, ...)
{
	char prefix[512], old[sizeof err_msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err_msg, sizeof old);
	snprintf(err_msg, sizeof err_msg, "%s: %s", prefix, old);
}

const char *cd_err_msg(void)
{
	return err_msg[0] ? err_msg : "unknown error";
}

void cd_err_clear(void)
{
	err_msg[0] = '\0';
}

static cd_warn_fn warn_fn;
static void *warn_ud;

void cd_warn_set_handler(cd_warn_fn fn, void *ud)
{
	warn_fn = fn;
	warn_ud = ud;
}

void cd_warn(const char *fmt, ...)
{
	char raw[1024];
	char *line;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	line = cd_sanitize_dup(raw, CD_SAN_ONE_LINE);
	if (warn_fn)
		warn_fn(warn_ud, line ? line : "out of memory");
	else
		fprintf(stderr, "codicil: warning: %s\n", line ? line : "out of memory");
	free(line);
}
