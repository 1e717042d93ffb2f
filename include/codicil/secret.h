/* secret.h — where the API key comes from.  A key lives only in memory: it
 * is never written to disk, a log, a transcript or an error message. */
#ifndef CODICIL_SECRET_H
#define CODICIL_SECRET_H

#include <stddef.h>

/* In order: the variable named by api_key_env (codicil.apiKeyEnv), the
 * first line of the output of api_key_command (codicil.apiKeyCommand, run
 * with /bin/sh -c, stdin and stderr on /dev/null, at most 120 s), the
 * provider's variable (provider_key_env).  No key is not an error (local
 * servers need none): *key = NULL, source "none".
 * source describes where the key came from ("environment OPENAI_API_KEY"),
 * never the key.  A failing command is an error naming the command, never
 * showing its output. */
int secret_api_key(const char *provider_key_env, const char *api_key_env,
		   const char *api_key_command, char **key, char *source,
		   size_t source_size);
/* Zero, then free. */
void secret_free(char *key);
/* Mask every occurrence of key in text with '*', in place (a server or a
 * model that echoes the key must not get it into a cache, a transcript or
 * a journal).  Returns how many were masked; key NULL or "": none. */
size_t secret_mask(char *text, const char *key);

#endif
