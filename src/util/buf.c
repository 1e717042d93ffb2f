#include "codicil/buf.h"
#include "codicil/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(cd_buf *b, const char *why, size_t max)
{
	if (max)
		cd_err_set("data exceeds the size cap of %zu bytes", max);
	else
		cd_err_set("%s", why);
	b->failed = 1;
	return -1;
}

int cd_buf_grow(cd_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, max = b->max ? b->max : CD_BUF_MAX, cap;
	char *p;

	if (b->failed)
		return -1; /* cd_err still says why */
	if (need < b->len)
		return fail(b, "out of memory", 0);
	if (b->len + extra > max)
		return fail(b, NULL, max);
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 > cap ? cap * 2 : need;
	p = realloc(b->data, cap);
	if (!p)
		return fail(b, "out of memory", 0);
	b->data = p;
	b->cap = cap;
	return 0;
}

void cd_buf_truncate(cd_buf *b, size_t len)
{
	if (!b->data || len > b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}

void cd_buf_fail(cd_buf *b)
{
	b->failed = 1;
}

int cd_buf_failed(const cd_buf *b)
{
	return b->failed;
}

int cd_buf_append(cd_buf *b, const void *data, size_t len)
{
	if (cd_buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int cd_buf_puts(cd_buf *b, const char *s)
{
	return cd_buf_append(b, s, strlen(s));
}

int cd_buf_putc(cd_buf *b, char c)
{
	return cd_buf_append(b, &c, 1);
}

int cd_buf_vprintf(cd_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || cd_buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int cd_buf_printf(cd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cd_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void cd_buf_reset(cd_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *cd_buf_detach(cd_buf *b)
{
	char *s = b->failed ? NULL : b->data ? b->data : calloc(1, 1);

	if (b->failed)
		free(b->data);
	else if (!s)
		cd_err_set("out of memory");
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
	return s;
}

void cd_buf_clear(cd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

const char *cd_buf_cstr(const cd_buf *b)
{
	return b->data ? b->data : "";
}

void *cd_grow(void *arr, size_t n, size_t *cap, size_t elem, size_t first)
{
	size_t want = *cap ? *cap * 2 : first;
	void *p;

	if (n < *cap)
		return arr;
	if (want <= n || want > SIZE_MAX / elem || !(p = realloc(arr, want * elem))) {
		cd_err_set("out of memory");
		return NULL;
	}
	*cap = want;
	return p;
}
