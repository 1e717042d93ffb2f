/* provider.c — the registry of providers by name. */
#include "codicil/llm.h"
#include "llm_internal.h"

#include <string.h>

static const llm_provider *const providers[] = {
	&llm_openai_provider,
	&llm_anthropic_provider,
};

const llm_provider *llm_provider_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++)
		if (!strcmp(providers[i]->name, name))
			return providers[i];
	return NULL;
}
