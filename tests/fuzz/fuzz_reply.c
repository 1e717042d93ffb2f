/* fuzz_reply — what a server sends: an OpenAI or Anthropic body (the
 * length's parity chooses), parsed against a schema of cases (its kind by
 * the length too), mended and checked; and the same bytes as a stream of
 * SSE events, finished.  Every error and repair must be inert text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/llm.h"
#include "codicil/sanitize.h"
#include "codicil/schemas.h"

static const char *const ids[] = { "privacy", "honesty", "crisis", "autonomy" };

static void inert_lines(const char *s)
{
	for (size_t i = 0; s && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
	}
	if (s && !cd_utf8_valid(s, strlen(s)))
		abort();
}

struct sse_ctx {
	const llm_provider *p;
	llm_stream st;
};

static int on_event(void *ud, const char *event, const char *data)
{
	struct sse_ctx *x = ud;

	x->p->stream_event(&x->st, event, data); /* a bad event is the stream's problem */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const llm_provider *p = llm_provider_find(size & 1 ? "anthropic" : "openai");
	cJSON *schema = schema_generate(ids, 4, (case_kind)(size / 2 % CASE_KIND_COUNT), 3);
	llm_request req = { .schema_name = "cases", .schema = schema, .temperature = -1 };
	llm_response r = { 0 };
	struct sse_ctx x = { .p = p };
	llm_sse sse = { 0 };

	p->parse(&req, 200, (const char *)data, size, &r);
	inert_lines(r.error);
	inert_lines(r.repairs);
	llm_response_clear(&r);
	llm_sse_feed(&sse, (const char *)data, size, on_event, &x);
	llm_stream_finish(&req, &x.st, &r);
	inert_lines(r.error);
	inert_lines(r.repairs);
	llm_response_clear(&r);
	llm_stream_clear(&x.st);
	llm_sse_clear(&sse);
	cJSON_Delete(schema);
	return 0;
}
