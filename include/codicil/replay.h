/* replay.h — cassettes: recorded answers, replayed without a network.
 *
 * A cassette is JSONL, one line per recorded answer:
 *   {"key": "<sha256>", "request": {...}, "response": {"text": ...,
 *    "finish_reason": ..., "usage": {...}}}
 * The request part is the canonical JSON of {messages, schema_name, schema,
 * sample}, and the key is its sha256: no model, no endpoint, so a shipped
 * cassette answers whatever model is configured.
 */
#ifndef CODICIL_REPLAY_H
#define CODICIL_REPLAY_H

#include <stddef.h>

#include "codicil/hash.h"
#include "codicil/llm.h"

typedef struct cassette cassette;

int replay_key(const llm_request *req, char out[CD_SHA256_HEX]);

/* Load a cassette.  Malformed lines are skipped and counted; a final line
 * cut short (no newline, not valid JSON) is ignored.  Of two answers to the
 * same request, the later one wins. */
int cassette_open(const char *path, cassette **out);
size_t cassette_count(const cassette *c);   /* answers loaded */
size_t cassette_skipped(const cassette *c); /* malformed lines */

/* 1: found (out cleared, then text, finish_reason, usage; for a schema
 * request llm_structured_finish() has run, so out->status may be
 * LLM_ERR_INVALID); 0: not recorded (out->status = LLM_ERR_REPLAY). */
int cassette_lookup(const cassette *c, const llm_request *req, llm_response *out);

/* Append one answer (status must be LLM_OK) as one synced line. */
int cassette_append(const char *path, const llm_request *req, const llm_response *resp);
void cassette_free(cassette *c);

#endif
