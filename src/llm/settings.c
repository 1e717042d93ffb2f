/* settings.c — the resolved settings a client opens with (llm_settings.h). */
#include "codicil/llm_settings.h"

#include "codicil/error.h"

#include <stdlib.h>
#include <string.h>

void llm_settings_clear(llm_settings *s)
{
	free(s->provider);
	free(s->endpoint);
	free(s->model);
	free(s->api_key_env);
	free(s->api_key_command);
	free(s->cassette);
	free(s->cache_dir);
	for (size_t i = 0; i < s->nprices; i++)
		free(s->prices[i].model);
	free(s->prices);
	memset(s, 0, sizeof *s);
}

static llm_model_price *find(const llm_settings *s, const char *model)
{
	for (size_t i = 0; model && i < s->nprices; i++)
		if (!strcmp(s->prices[i].model, model))
			return &s->prices[i];
	return NULL;
}

int llm_settings_add_price(llm_settings *s, const char *model, const llm_price *p)
{
	llm_model_price *mp = find(s, model), *grown;

	if (mp) {
		mp->price = *p;
		return 0;
	}
	grown = realloc(s->prices, (s->nprices + 1) * sizeof *grown);
	if (grown)
		s->prices = grown;
	if (!grown || !(grown[s->nprices].model = strdup(model))) {
		cd_err_set("out of memory");
		return -1;
	}
	mp = &s->prices[s->nprices];
	mp->price = *p;
	s->nprices++;
	return 0;
}

void llm_settings_price(const llm_settings *s, const char *model, llm_price *out)
{
	const llm_model_price *mp = find(s, model);

	if (mp) {
		*out = mp->price;
		return;
	}
	memset(out, 0, sizeof *out);
	out->batch_factor = s->batch_price_factor;
}
