/* llm_settings.h — everything the LLM layer needs to know from the
 * settings, resolved before a client opens (client_config.h builds it from
 * the configuration).  The LLM layer reads no configuration itself: what
 * it is given here is all it uses, so a test or a new front end can open
 * a client from a struct.
 */
#ifndef CODICIL_LLM_SETTINGS_H
#define CODICIL_LLM_SETTINGS_H

#include "codicil/llm.h"
#include "codicil/price.h"
#include "codicil/transport.h"

/* The price of one model, as codicil.price.<model>.* set it. */
typedef struct llm_model_price {
	char *model;
	llm_price price;
} llm_model_price;

typedef struct llm_settings {
	char *provider;             /* openai, anthropic, replay or record */
	const llm_provider *http;   /* who answers over HTTP; NULL for replay */
	char *endpoint;             /* base URL; the cassette's path for replay */
	char *model;                /* the configured one, or the provider's default */
	char *api_key_env;          /* NULL: the provider's own variable */
	char *api_key_command;      /* NULL: none */
	char *cassette;             /* replay and record: its full path; else NULL */
	char *cache_dir;
	xport_opts xo;
	int repair_attempts;        /* codicil.repairAttempts */
	long max_conn_failures;     /* codicil.maxConsecutiveFailures */
	double batch_poll_s;        /* codicil.batchPollSeconds */
	llm_budget budget;          /* codicil.budget */
	double batch_price_factor;  /* codicil.batchPriceFactor */
	llm_model_price *prices;    /* of the models a run may ask */
	size_t nprices;
} llm_settings;

/* Releases what s holds and leaves it empty. */
void llm_settings_clear(llm_settings *s);
/* Adds (or replaces) the price of model. */
int llm_settings_add_price(llm_settings *s, const char *model, const llm_price *p);
/* The price of model; out->known is 0 for a model without one. */
void llm_settings_price(const llm_settings *s, const char *model, llm_price *out);

#endif
