/* fakellm_ctl.c — starting and stopping the fake server, scripting it and
 * reading its counters. */
#include "fakellm_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The default reply with private copies of its strings; caller holds lock. */
static void store_reply(struct fakellm_state *st, const struct fakellm_reply *r)
{
	free(st->reply_content);
	free(st->reply_refusal);
	free(st->reply_finish);
	st->reply = *r;
	st->reply.content = st->reply_content = dup_or_null(r->content);
	st->reply.refusal = st->reply_refusal = dup_or_null(r->refusal);
	st->reply.finish_reason = st->reply_finish = dup_or_null(r->finish_reason);
}

static void free_state(struct fakellm_state *st)
{
	while (st->queue) {
		struct queued *q = st->queue;
		st->queue = q->next;
		fake_free_queued(q);
	}
	free(st->reply_content);
	free(st->reply_refusal);
	free(st->reply_finish);
	free(st->bodies);
	free(st->require_key);
	free(st->last_body);
	free(st->prefixes);
	fake_batch_free(st);
	cd_buf_clear(&st->last_headers);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

static struct MHD_Daemon *start_daemon(struct fakellm_state *st, int port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
				MHD_USE_POLL,
				0, NULL, NULL, fake_on_request, st,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_NOTIFY_COMPLETED, fake_on_completed, st,
				MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
				MHD_OPTION_END);
}

struct fakellm *fakellm_start(const struct fakellm_opts *o)
{
	struct fakellm_opts none = { 0 };
	struct fakellm *f = calloc(1, sizeof *f);
	struct fakellm_state *st = calloc(1, sizeof *st);
	const union MHD_DaemonInfo *info;

	if (!o)
		o = &none;
	if (!f || !st) {
		free(f);
		free(st);
		return NULL;
	}
	pthread_mutex_init(&st->lock, NULL);
	store_reply(st, &o->reply);
	st->fault = o->fault;
	st->handler = o->handler;
	st->ud = o->ud;
	st->require_key = dup_or_null(o->require_key);
	st->batch_ms = o->batch_ms;
	atomic_store(&st->latency_ms, o->latency_ms);
	st->d = start_daemon(st, o->port);
	info = st->d ? MHD_get_daemon_info(st->d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
	if (!info) {
		fprintf(stderr, "fakellm: cannot listen on 127.0.0.1:%d\n", o->port);
		if (st->d)
			MHD_stop_daemon(st->d);
		free_state(st);
		free(f);
		return NULL;
	}
	f->st = st;
	f->port = info->port;
	snprintf(f->base_url, sizeof f->base_url, "http://127.0.0.1:%d", f->port);
	snprintf(f->v1_url, sizeof f->v1_url, "http://127.0.0.1:%d/v1", f->port);
	return f;
}

void fakellm_stop(struct fakellm *f)
{
	if (!f)
		return;
	atomic_store(&f->st->stopping, 1);
	MHD_stop_daemon(f->st->d);
	free_state(f->st);
	free(f);
}

void fakellm_push_reply(struct fakellm *f, const struct fakellm_reply *r)
{
	struct queued *q = calloc(1, sizeof *q);
	struct fakellm_state *st = f->st;

	if (!q)
		return;
	q->r = *r;
	q->r.content = q->content = dup_or_null(r->content);
	q->r.refusal = q->refusal = dup_or_null(r->refusal);
	q->r.finish_reason = q->finish = dup_or_null(r->finish_reason);
	pthread_mutex_lock(&st->lock);
	if (st->queue_tail)
		st->queue_tail->next = q;
	else
		st->queue = q;
	st->queue_tail = q;
	pthread_mutex_unlock(&st->lock);
}

/* Only between requests: a request in progress may use the old strings. */
void fakellm_set_reply(struct fakellm *f, const struct fakellm_reply *r)
{
	pthread_mutex_lock(&f->st->lock);
	store_reply(f->st, r);
	pthread_mutex_unlock(&f->st->lock);
}

void fakellm_set_fault(struct fakellm *f, const struct fakellm_fault *fault)
{
	pthread_mutex_lock(&f->st->lock);
	f->st->fault = *fault;
	pthread_mutex_unlock(&f->st->lock);
}

void fakellm_set_latency(struct fakellm *f, int ms)
{
	atomic_store(&f->st->latency_ms, ms);
}

unsigned long fakellm_requests(struct fakellm *f)
{
	return atomic_load(&f->st->requests);
}

unsigned long fakellm_batches(struct fakellm *f)
{
	unsigned long n;

	pthread_mutex_lock(&f->st->lock);
	n = f->st->batches;
	pthread_mutex_unlock(&f->st->lock);
	return n;
}

unsigned long fakellm_path_requests(struct fakellm *f, const char *path)
{
	unsigned long n = 0;

	pthread_mutex_lock(&f->st->lock);
	for (size_t i = 0; i < 32 && f->st->paths[i].path[0]; i++)
		if (!strcmp(f->st->paths[i].path, path))
			n = f->st->paths[i].n;
	pthread_mutex_unlock(&f->st->lock);
	return n;
}

unsigned long fakellm_repeated(struct fakellm *f)
{
	unsigned long n = 0;

	pthread_mutex_lock(&f->st->lock);
	for (size_t i = 0; i < f->st->nbodies; i++)
		n += f->st->bodies[i].n > 1;
	pthread_mutex_unlock(&f->st->lock);
	return n;
}

int fakellm_inflight(struct fakellm *f)
{
	return atomic_load(&f->st->inflight);
}

int fakellm_max_inflight(struct fakellm *f)
{
	return atomic_load(&f->st->max_inflight);
}

char *fakellm_last_body(struct fakellm *f)
{
	char *s;

	pthread_mutex_lock(&f->st->lock);
	s = dup_or_null(f->st->last_body);
	pthread_mutex_unlock(&f->st->lock);
	return s;
}

char *fakellm_last_header(struct fakellm *f, const char *name)
{
	size_t n = strlen(name);
	const char *line;
	char *s = NULL;

	pthread_mutex_lock(&f->st->lock);
	for (line = cd_buf_cstr(&f->st->last_headers); *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		if (!strncasecmp(line, name, n) && line[n] == ':') {
			s = strndup(line + n + 2, strcspn(line + n + 2, "\n"));
			break;
		}
	}
	pthread_mutex_unlock(&f->st->lock);
	return s;
}

void fakellm_reset_counters(struct fakellm *f)
{
	struct fakellm_state *st = f->st;

	pthread_mutex_lock(&st->lock);
	atomic_store(&st->requests, 0);
	atomic_store(&st->max_inflight, atomic_load(&st->inflight));
	st->nbodies = 0;
	memset(st->paths, 0, sizeof st->paths);
	free(st->last_body);
	st->last_body = NULL;
	cd_buf_reset(&st->last_headers);
	pthread_mutex_unlock(&st->lock);
}
