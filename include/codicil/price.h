/* price.h — what tokens cost, and what a run may spend.
 *
 * Prices are settings, never built in: codicil.price.<model>.input,
 * .output and .cachedInput, in US dollars per million tokens (a committed
 * .codicil may set them for a team), read by client_config.h.  A model without an input and an
 * output price has no price: codicil then shows tokens only.  Cached input
 * without its own price is counted at the input price (an upper bound).
 *
 * A budget caps one run: "N" tokens (input plus output; k and M multiply
 * by a thousand and a million) or "$N" dollars, which needs a price.
 */
#ifndef CODICIL_PRICE_H
#define CODICIL_PRICE_H

#include "codicil/llm.h"

typedef struct llm_price {
	int known;           /* input and output are set */
	double input, output, cached_input; /* USD per million tokens */
	double batch_factor; /* answers from a provider batch cost this share of
	                        the price: codicil.batchPriceFactor (0.5, as
	                        OpenAI and Anthropic charge today) */
} llm_price;

/* Dollars for usage at price p (0 when p is not known); from_batch: an
 * answer from a provider batch (batch_factor). */
double llm_price_cost(const llm_price *p, const llm_usage *u);
double llm_price_cost_of(const llm_price *p, const llm_response *r);

typedef struct llm_budget {
	long tokens;         /* 0: no cap in tokens */
	double usd;          /* 0: no cap in dollars */
} llm_budget;

/* "250000", "250k", "2M", "$5", "$0.50"; "" or "0" or "none": no cap.
 * -1 with cd_err set when text is none of these. */
int llm_budget_parse(const char *text, llm_budget *out);
/* "250,000 tokens" or "$5.00", for messages. */
void llm_budget_describe(const llm_budget *b, char *out, size_t size);
/* 1,234,567 */
void llm_format_count(long n, char *out, size_t size);

/* A decimal number without a locale ("2.5", "0.15", "3"); -1 if not. */
int llm_parse_decimal(const char *text, double *out);

#endif
