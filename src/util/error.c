#include "codicil/error.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char err_msg[1024];

void cd_err_vset(const char *fmt, va_list ap)
{
	vsnprintf(err_msg, sizeof err_msg, fmt, ap);
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
