/* price.c — prices from settings, the cost of usage, and budgets. */
#include "codicil/price.h"

#include "codicil/buf.h"
#include "codicil/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int llm_parse_decimal(const char *text, double *out)
{
	double v = 0, scale = 1;
	int digits = 0, frac = 0;
	const char *p = text;

	for (; *p; p++) {
		if (*p == '.' && !frac) {
			frac = 1;
			continue;
		}
		if (!isdigit((unsigned char)*p) || digits >= 15)
			return -1;
		digits++;
		if (frac) {
			scale /= 10;
			v += (*p - '0') * scale;
		} else {
			v = v * 10 + (*p - '0');
		}
	}
	if (!digits)
		return -1;
	*out = v;
	return 0;
}

double llm_price_cost(const llm_price *p, const llm_usage *u)
{
	long cached = u->cached_input_tokens, fresh = u->input_tokens - cached;

	if (!p->known)
		return 0;
	if (fresh < 0)
		fresh = 0;
	return (fresh * p->input + cached * p->cached_input + u->output_tokens * p->output) / 1e6;
}

double llm_price_cost_of(const llm_price *p, const llm_response *r)
{
	double usd = llm_price_cost(p, &r->usage);

	return r->from_batch ? usd * p->batch_factor : usd;
}

int llm_budget_parse(const char *text, llm_budget *out)
{
	double v;
	size_t len = text ? strlen(text) : 0;
	char num[64];
	double scale = 1;

	memset(out, 0, sizeof *out);
	if (!len || !strcmp(text, "none") || !strcmp(text, "0"))
		return 0;
	if (text[0] == '$') {
		if (llm_parse_decimal(text + 1, &v) < 0 || v <= 0)
			goto bad;
		out->usd = v;
		return 0;
	}
	if (len >= sizeof num)
		goto bad;
	memcpy(num, text, len + 1);
	if (num[len - 1] == 'k' || num[len - 1] == 'K')
		scale = 1e3;
	else if (num[len - 1] == 'm' || num[len - 1] == 'M')
		scale = 1e6;
	if (scale > 1)
		num[len - 1] = '\0';
	if (llm_parse_decimal(num, &v) < 0 || v * scale < 1 || v * scale > 1e15)
		goto bad;
	out->tokens = (long)(v * scale);
	return 0;
bad:
	cd_err_set("budget '%.40s' is neither a number of tokens (250000, 250k, 2M) nor "
		   "dollars ('$5')", text);
	return -1;
}

void llm_format_count(long n, char *out, size_t size)
{
	char digits[32];
	size_t len, o = 0;
	int neg = n < 0;

	snprintf(digits, sizeof digits, "%ld", neg ? -n : n);
	len = strlen(digits);
	if (neg && o + 1 < size)
		out[o++] = '-';
	for (size_t i = 0; i < len && o + 1 < size; i++) {
		if (i && (len - i) % 3 == 0 && o + 2 < size)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

void llm_budget_describe(const llm_budget *b, char *out, size_t size)
{
	char n[32];

	if (b->usd > 0) {
		snprintf(out, size, "$%.2f", b->usd);
	} else if (b->tokens > 0) {
		llm_format_count(b->tokens, n, sizeof n);
		snprintf(out, size, "%s tokens", n);
	} else {
		snprintf(out, size, "no budget");
	}
}
