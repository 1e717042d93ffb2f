/* fakellm-server — the fake LLM server of the tests as a program, for the
 * integration tests and the benchmarks.  Prints "listening on PORT" and
 * serves until SIGTERM or SIGINT. */
#include "../support/fakellm.h"
#include "../support/fakellm_codicil.h"

#include "codicil/buf.h"
#include "codicil/file.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: fakellm-server [options]\n"
	"  --port N              listen on 127.0.0.1:N (default: an ephemeral port)\n"
	"  --print-port-file F   also write the port to F (atomically)\n"
	"  --latency-ms N        wait N ms before every answer\n"
	"  --batch-ms N          provider batches end N ms after they are made\n"
	"                        (default: at the second poll)\n"
	"  --reply TEXT          the reply content (default \"ok\")\n"
	"  --reply-file F        the reply content from a file (e.g. JSON)\n"
	"  --finish-reason R     as the API says it (\"length\", \"max_tokens\", ...)\n"
	"  --fault KIND          an HTTP status (429, 500, 503, 401, ...) or reset,\n"
	"                        truncated, no-end, not-json, stall, oversized, hostile,\n"
	"                        stream-error, trickle (a byte every --stall-ms)\n"
	"  --fault-first K       apply the fault to the first K attempts of each request\n"
	"  --fault-every N       apply it to every N-th request\n"
	"                        (neither: to every request)\n"
	"  --retry-after S       send Retry-After: S with a status fault\n"
	"  --stall-ms N          length of a stall (default 5000)\n"
	"  --oversize-mib N      size of an oversized reply (default 9)\n"
	"  --require-key KEY     answer 401 unless the request carries KEY\n"
	"  --codicil             answer codicil's structured requests (cases, judge,\n"
	"                        amend, consequences, metacheck, argue) with distinct,\n"
	"                        valid replies (fakellm_codicil.h); with env\n"
	"                        FAKELLM_SLOPPY=PCT about PCT% of them carry one\n"
	"                        mistake a real model makes\n"
	"  --answers FILE        answer cases and argue requests with the replies\n"
	"                        written in FILE (fakellm_codicil.h), 500 otherwise\n";

static const struct {
	const char *name;
	enum fakellm_fault_kind kind;
} kinds[] = {
	{ "reset", FAKELLM_RESET },       { "truncated", FAKELLM_TRUNCATED },
	{ "no-end", FAKELLM_NO_END },     { "not-json", FAKELLM_NOT_JSON },
	{ "stall", FAKELLM_STALL },       { "oversized", FAKELLM_OVERSIZED },
	{ "hostile", FAKELLM_HOSTILE },   { "stream-error", FAKELLM_STREAM_ERROR },
	{ "trickle", FAKELLM_TRICKLE },
};

static int parse_fault(const char *s, struct fakellm_fault *f)
{
	char *end;
	long status = strtol(s, &end, 10);

	if (*s && !*end && status >= 100 && status <= 599) {
		f->kind = FAKELLM_STATUS;
		f->status = (int)status;
		return 0;
	}
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!strcmp(s, kinds[i].name)) {
			f->kind = kinds[i].kind;
			return 0;
		}
	}
	fprintf(stderr, "fakellm-server: unknown fault '%s'\n%s", s, usage);
	return -1;
}

static int write_port_file(const char *path, int port)
{
	char tmp[4096];
	FILE *fp;

	snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid());
	fp = fopen(tmp, "w");
	if (!fp || fprintf(fp, "%d\n", port) < 0 || fclose(fp) != 0 || rename(tmp, path) < 0) {
		perror(path);
		return -1;
	}
	return 0;
}

static int int_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 1 << 30) {
		fprintf(stderr, "fakellm-server: '%s' is not a number\n", s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	struct fakellm_opts o = { 0 };
	const char *port_file = NULL, *reply_file = NULL, *answers_file = NULL;
	struct fakellm_answers *answers = NULL;
	cd_buf reply = CD_BUF_INIT;
	struct fakellm *f;
	sigset_t sigs;
	int sig;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 0;
		}
		if (!strcmp(a, "--codicil")) {
			o.handler = fakellm_codicil_handler;
			continue;
		}
		if (!v) {
			fprintf(stderr, "fakellm-server: %s needs a value\n%s", a, usage);
			return 2;
		}
		i++;
		if (!strcmp(a, "--port"))
			o.port = int_arg(v);
		else if (!strcmp(a, "--print-port-file"))
			port_file = v;
		else if (!strcmp(a, "--latency-ms"))
			o.latency_ms = int_arg(v);
		else if (!strcmp(a, "--batch-ms"))
			o.batch_ms = int_arg(v);
		else if (!strcmp(a, "--reply"))
			o.reply.content = v;
		else if (!strcmp(a, "--reply-file"))
			reply_file = v;
		else if (!strcmp(a, "--answers"))
			answers_file = v;
		else if (!strcmp(a, "--finish-reason"))
			o.reply.finish_reason = v;
		else if (!strcmp(a, "--fault")) {
			if (parse_fault(v, &o.fault) < 0)
				return 2;
		} else if (!strcmp(a, "--fault-first"))
			o.fault.first = int_arg(v);
		else if (!strcmp(a, "--fault-every"))
			o.fault.every = int_arg(v);
		else if (!strcmp(a, "--retry-after"))
			o.fault.retry_after_s = int_arg(v);
		else if (!strcmp(a, "--stall-ms"))
			o.fault.stall_ms = int_arg(v);
		else if (!strcmp(a, "--require-key"))
			o.require_key = v;
		else if (!strcmp(a, "--oversize-mib"))
			o.fault.oversize_bytes = (size_t)int_arg(v) << 20;
		else {
			fprintf(stderr, "fakellm-server: unknown option %s\n%s", a, usage);
			return 2;
		}
	}
	if (o.fault.kind && !o.fault.first && !o.fault.every)
		o.fault.every = 1;
	if (reply_file) {
		if (cd_file_read(reply_file, &reply) < 0) {
			fprintf(stderr, "fakellm-server: cannot read %s\n", reply_file);
			return 1;
		}
		o.reply.content = cd_buf_cstr(&reply);
	}

	if (answers_file) {
		if (!(answers = fakellm_answers_load(answers_file)))
			return 1;
		o.handler = fakellm_answers_handler;
		o.ud = answers;
	}

	/* blocked before the server's threads start, so they inherit it */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	f = fakellm_start(&o);
	if (!f)
		return 1;
	if (port_file && write_port_file(port_file, f->port) < 0) {
		fakellm_stop(f);
		return 1;
	}
	printf("listening on %d\n", f->port);
	fflush(stdout);
	sigwait(&sigs, &sig);
	fprintf(stderr, "fakellm-server: %lu requests, at most %d at once, %lu batches, "
		"%lu sent more than once\n", fakellm_requests(f), fakellm_max_inflight(f),
		fakellm_batches(f), fakellm_repeated(f));
	fakellm_sloppy_report(stderr);
	fakellm_stop(f);
	fakellm_answers_free(answers);
	cd_buf_clear(&reply);
	return 0;
}
