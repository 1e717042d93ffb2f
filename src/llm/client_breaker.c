/* client_breaker.c — stop sending when more requests cannot help: after
 * codicil.maxConsecutiveFailures attempts in a row without an HTTP
 * answer, a rejected key, or a used-up quota (client.h). */
#include "client_int.h"
#include "llm_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void client_not_sent(llm_client *c, struct cjob *j)
{
	llm_response_clear(&j->resp);
	llm_response_fail(&j->resp, LLM_ERR_NOT_SENT, "not sent: %s", c->stopped);
	client_move(c, j, CJ_READY);
}

void client_stop_sending(llm_client *c, const char *why)
{
	if (c->stopped)
		return;
	c->stopped = strdup(why);
	if (!c->stopped)
		c->stopped = strdup("the run stopped");
	while (c->waiting.head)
		client_not_sent(c, c->waiting.head);
	while (c->following.head)
		client_not_sent(c, c->following.head);
	while (c->batched.head)
		client_not_sent(c, c->batched.head);
}

/* Everything waiting fails at once as not sent; what is in the transport
 * is cancelled and comes back through on_xport_done. */
static void trip(llm_client *c, const char *why)
{
	if (c->stopped)
		return;
	client_stop_sending(c, why);
	xport_cancel_all(c->x);
}

void client_watch_connections(llm_client *c, const char *last)
{
	size_t n = xport_connection_failures(c->x);
	char why[512];

	if (!c->set.http || n < (size_t)c->set.max_conn_failures)
		return;
	snprintf(why, sizeof why, "%zu connection failures in a row (the last: %s); is the "
		 "endpoint up?", n, last ? last : "no answer");
	trip(c, why);
}

void client_watch_answer(llm_client *c, const llm_response *r)
{
	char why[128];

	if (r->http_status == 401 || r->http_status == 403) {
		snprintf(why, sizeof why, "the endpoint refused the API key (HTTP %ld)",
			 r->http_status);
		trip(c, why);
	} else if (r->http_status == 429 && (llm_quota_exhausted(r->body) ||
					     llm_quota_exhausted(r->error))) {
		trip(c, "the account's quota is used up (HTTP 429)");
	} else if (r->status == LLM_ERR_TRANSPORT) {
		client_watch_connections(c, r->error);
	}
}

const char *llm_client_stopped(const llm_client *c)
{
	return c->stopped;
}
