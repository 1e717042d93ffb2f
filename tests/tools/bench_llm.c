/* bench_llm — N requests with distinct prompts through the client (cache
 * bypassed) against a server, at one concurrency.  Prints wall time, the
 * ideal ceil(N/c) x latency, their ratio, CPU seconds and peak RSS.
 *
 *   bench_llm BASE_URL N CONCURRENCY LATENCY_MS
 */
#include "codicil/client_config.h"
#include "codicil/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct tally {
	int done, ok, n;
	double t0;
	char first_error[256];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_done(void *ud, const llm_call *call, llm_response *r)
{
	struct tally *t = ud;

	t->done++;
	if (r->status == LLM_OK)
		t->ok++;
	else if (!t->first_error[0])
		snprintf(t->first_error, sizeof t->first_error, "%s", r->error ? r->error : "?");
	if (t->done % (t->n / 10 ? t->n / 10 : 1) == 0)
		fprintf(stderr, "   ... %d/%d after %.1f s\n", t->done, t->n, now_s() - t->t0);
}

static long arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v <= 0) {
		fprintf(stderr, "bench_llm: '%s' is not a positive number\n", s);
		exit(2);
	}
	return v;
}

static int setup(config **cfg, llm_client **c, const char *url, const char *conc)
{
	llm_client_opts o = { .no_cache = 1 };

	if (config_open(NULL, cfg) < 0 || config_set_flag(*cfg, "codicil.provider", "openai") < 0 ||
	    config_set_flag(*cfg, "codicil.endpoint", url) < 0 ||
	    config_set_flag(*cfg, "codicil.model", "bench-model") < 0 ||
	    config_set_flag(*cfg, "codicil.concurrency", conc) < 0 ||
	    client_open_configured(*cfg, NULL, &o, c) < 0) {
		fprintf(stderr, "bench_llm: %s\n", cd_err_msg());
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct tally t = { 0 };
	struct rusage ru;
	config *cfg = NULL;
	llm_client *c = NULL;
	long n, conc, latency;
	double wall, ideal, cpu;
	char prompt[128];

	if (argc != 5) {
		fprintf(stderr, "usage: bench_llm BASE_URL N CONCURRENCY LATENCY_MS\n");
		return 2;
	}
	n = arg(argv[2]), conc = arg(argv[3]), latency = arg(argv[4]);
	if (setup(&cfg, &c, argv[1], argv[3]) < 0)
		return 1;
	t.n = (int)n;
	t.t0 = now_s();
	for (long i = 0; i < n; i++) {
		llm_message m = { "user", prompt };
		llm_request req = { .messages = &m, .nmessages = 1, .temperature = -1 };

		snprintf(prompt, sizeof prompt, "Find counter-example number %ld to principle p-%ld.",
			 i, i % 17);
		if (llm_client_submit(c, &req, on_done, &t, NULL) < 0) {
			fprintf(stderr, "bench_llm: %s\n", cd_err_msg());
			return 1;
		}
	}
	if (llm_client_run(c) < 0)
		fprintf(stderr, "bench_llm: %s\n", cd_err_msg());
	wall = now_s() - t.t0;
	ideal = ceil((double)n / (double)conc) * (double)latency / 1e3;
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	printf("   c=%-3ld  %ld requests  wall %7.2f s  ideal %7.2f s  ratio %5.2f  "
	       "cpu %5.2f s  peak rss %6.1f MiB  ok %d/%ld\n",
	       conc, n, wall, ideal, wall / ideal, cpu, (double)ru.ru_maxrss / 1024.0, t.ok, n);
	if (t.first_error[0])
		printf("   first error: %s\n", t.first_error);
	llm_client_free(c);
	config_free(cfg);
	return t.ok == n ? 0 : 1;
}
