/* client_config.h — from the configuration (config.h) to the settings an
 * LLM client opens with (llm_settings.h), checked the way every setting
 * is: a bad value is an error naming the key and where it came from.
 */
#ifndef CODICIL_CLIENT_CONFIG_H
#define CODICIL_CLIENT_CONFIG_H

#include "codicil/client.h"
#include "codicil/config.h"
#include "codicil/llm_settings.h"
#include "codicil/store.h"

/* s may be NULL (outside a repository).  On -1, out is left empty. */
int client_settings_from_config(config *cfg, store *s, llm_settings *out);
/* client_settings_from_config, then llm_client_open. */
int client_open_configured(config *cfg, store *s, const llm_client_opts *o, llm_client **out);
/* The model under audit: the settings above with codicil.target.provider,
 * endpoint, model (model, when not NULL, wins: --target-model),
 * apiKeyEnv and apiKeyCommand in place of the main ones.  Another
 * provider than codicil.provider starts from that provider's defaults. */
int client_settings_for_target(config *cfg, store *s, const char *model, llm_settings *out);

/* The price codicil.price.<model>.* and codicil.batchPriceFactor set:
 * 0 (out->known says whether there is one), or -1 when a value is set but
 * is not a price. */
int client_config_price(config *cfg, const char *model, llm_price *out);

#endif
