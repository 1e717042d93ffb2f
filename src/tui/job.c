/* job.c — an engine workflow that talks to the model, run in a child
 * process so that the event loop stays live (see tui_int.h).
 *
 * The child writes one line per event to a pipe:
 *     P <tokens> <text>    progress
 *     R <text>             a line of the result
 *     E <text>             the error it failed with
 * and exits 0 (done), 1 (failed) or JOB_EXIT_CANCELLED.  SIGTERM (Esc)
 * ends it at once unless it has begun to commit, in which case the commit
 * is finished first. */
#include "core.h"
#include "tui_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/runlog.h"
#include "codicil/sanitize.h"

#define JOB_EXIT_CANCELLED 3
#define JOB_LINE_MAX 2048

struct tui_job {
	pid_t pid;
	int fd;
	char what[48];
	char progress[256];
	cd_buf in, result;
	char *error;
	long tokens;
	int cancelled;
	tui_job_done_fn done;
	void *ud;
	void (*free_ud)(void *);
};

struct tui_job_ctx {
	int fd;
	store *s;
	config *cfg;
	llm_client *client;
	const char *what;   /* the job's name: the command of its run record */
	runlog *run;
};

/* ---- the child ---- */

static volatile sig_atomic_t committing;

static void on_cancel(int sig)
{
	(void)sig;
	if (!committing)
		_exit(JOB_EXIT_CANCELLED);
}

static void child_signals(void)
{
	static const int dfl[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGCHLD };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof dfl / sizeof *dfl; i++)
		sigaction(dfl[i], &sa, NULL); /* the TUI's crash handler calls endwin() */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);  /* C-c on the terminal is the TUI's */
	sigaction(SIGPIPE, &sa, NULL); /* the TUI is gone: writes fail, work goes on */
	sa.sa_handler = on_cancel;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void put_line(int fd, char tag, const char *prefix, const char *text)
{
	cd_buf b = CD_BUF_INIT;
	size_t off = 0;

	cd_buf_putc(&b, tag);
	cd_buf_putc(&b, ' ');
	cd_buf_puts(&b, prefix);
	cd_sanitize(text, strnlen(text, JOB_LINE_MAX), CD_SAN_ONE_LINE, &b);
	cd_buf_putc(&b, '\n');
	while (b.data && off < b.len) {
		ssize_t n = write(fd, b.data + off, b.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	cd_buf_free(&b);
}

store *tui_job_store(tui_job_ctx *jc) { return jc->s; }
config *tui_job_config(tui_job_ctx *jc) { return jc->cfg; }

llm_client *tui_job_client(tui_job_ctx *jc)
{
	llm_client_opts o = { .repair = 1 };

	if (!jc->client && llm_client_open(jc->cfg, jc->s, &o, &jc->client) < 0) {
		jc->client = NULL;
		cd_err_set("%s (check the settings with 'codicil doctor')", cd_err_msg());
	}
	if (jc->client && llm_client_check_key(jc->client) < 0) {
		llm_client_free(jc->client);
		jc->client = NULL;
	}
	if (jc->client && !jc->run &&
	    runlog_begin(jc->s, jc->cfg, jc->client, jc->what, 0, NULL, &jc->run) < 0) {
		llm_client_free(jc->client); /* a run whose cost nobody would see: not sent */
		jc->client = NULL;
	}
	return jc->client;
}

void tui_job_progress(tui_job_ctx *jc, const char *fmt, ...)
{
	char text[512], tokens[32];
	llm_client_stats st = { 0 };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (jc->client)
		llm_client_stats_get(jc->client, &st);
	snprintf(tokens, sizeof tokens, "%ld ", st.input_tokens + st.output_tokens);
	put_line(jc->fd, 'P', tokens, text);
}

void tui_job_result(tui_job_ctx *jc, const char *line)
{
	put_line(jc->fd, 'R', "", line);
}

void tui_job_committing(tui_job_ctx *jc)
{
	(void)jc;
	committing = 1;
}

static void child(tui_app *app, int fd, tui_job_run_fn run, void *ud)
{
	tui_job_ctx jc = { .fd = fd, .cfg = app->cfg, .what = app->job->what };
	int null = open("/dev/null", O_RDWR), rc = -1;

	child_signals();
	if (null >= 0) {
		/* the terminal is the TUI's: nothing of ours may reach it */
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	cd_err_clear();
	if (store_open(store_workdir(app->s), &jc.s) == 0)
		rc = run(&jc, ud);
	if (rc < 0)
		put_line(fd, 'E', "", cd_err_msg()[0] ? cd_err_msg() : "failed");
	if (jc.client)
		llm_client_run(jc.client); /* every answer metered */
	runlog_end(jc.run, rc == 0);
	if (jc.client)
		llm_client_free(jc.client);
	if (jc.s)
		store_close(jc.s);
	_exit(rc < 0 ? 1 : 0); /* no atexit handlers: they are the TUI's */
}

/* ---- the app's side ---- */

int tui_job_running(tui_app *app)
{
	return app->job != NULL;
}

static void cancel(void *ud)
{
	tui_app *app = ud;

	if (!app->job || app->job->cancelled)
		return;
	app->job->cancelled = 1;
	kill(app->job->pid, SIGTERM);
	snprintf(app->job->progress, sizeof app->job->progress, "cancelling");
	app->dirty = 1;
}

int tui_job_start(tui_app *app, const char *what, tui_job_run_fn run, tui_job_done_fn done,
		  void *ud, void (*free_ud)(void *))
{
	struct tui_job *j;
	int fds[2];

	if (app->job) {
		tui_error(app, "%s must wait for the running %s (Esc cancels it)", what,
			  app->job->what);
		goto fail;
	}
	if (app->client && llm_client_pending(app->client)) {
		tui_error(app, "%s must wait for the running LLM job (Esc cancels it)", what);
		goto fail;
	}
	if (!(j = calloc(1, sizeof *j))) {
		tui_error(app, "out of memory");
		goto fail;
	}
	app->job = j; /* before the fork: reachable in the child too */
	snprintf(j->what, sizeof j->what, "%s", what);
	if (pipe(fds) < 0 || (j->pid = fork()) < 0) {
		tui_error(app, "cannot start the %s: %s", what, strerror(errno));
		if (j->pid < 0) {
			close(fds[0]);
			close(fds[1]);
		}
		app->job = NULL;
		free(j);
		goto fail;
	}
	if (j->pid == 0) {
		close(fds[0]);
		child(app, fds[1], run, ud);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	j->fd = fds[0];
	snprintf(j->progress, sizeof j->progress, "starting");
	j->done = done;
	j->ud = ud;
	j->free_ud = free_ud;
	tui_set_jobs(app, 1, 0);
	tui_set_cancel(app, cancel, app);
	return 0;
fail:
	if (free_ud)
		free_ud(ud);
	return -1;
}

static void take_line(tui_app *app, struct tui_job *j, char *line)
{
	char tag = line[0], *text = line[0] && line[1] == ' ' ? line + 2 : line + strlen(line);

	if (tag == 'P') {
		char *end;
		long tokens = strtol(text, &end, 10);
		if (*end == ' ') {
			j->tokens = tokens;
			text = end + 1;
		}
		if (!j->cancelled)
			snprintf(j->progress, sizeof j->progress, "%s", text);
		tui_set_jobs(app, 1, j->tokens);
	} else if (tag == 'R') {
		if (j->result.len)
			cd_buf_putc(&j->result, '\n');
		cd_buf_puts(&j->result, text);
	} else if (tag == 'E' && !j->error) {
		j->error = strdup(text);
	}
}

static void take_lines(tui_app *app, struct tui_job *j)
{
	char *nl;

	while (j->in.len && (nl = memchr(j->in.data, '\n', j->in.len))) {
		size_t n = (size_t)(nl - j->in.data) + 1;
		*nl = '\0';
		take_line(app, j, j->in.data);
		memmove(j->in.data, j->in.data + n, j->in.len - n);
		j->in.len -= n;
	}
}

/* The child has closed the pipe: collect it and report. */
static void finished(tui_app *app, struct tui_job *j)
{
	enum tui_job_end end = TUI_JOB_FAILED;
	char why[96] = "";
	int st = 0;

	while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		end = TUI_JOB_OK;
	else if (WIFEXITED(st) && WEXITSTATUS(st) == JOB_EXIT_CANCELLED)
		end = TUI_JOB_CANCELLED;
	else if (WIFSIGNALED(st))
		snprintf(why, sizeof why, "the %s stopped (signal %d)", j->what, WTERMSIG(st));
	else
		snprintf(why, sizeof why, "the %s failed", j->what);
	close(j->fd);
	app->job = NULL;
	tui_set_jobs(app, 0, 0);
	tui_set_cancel(app, NULL, NULL);
	j->done(app, j->ud, end, cd_buf_cstr(&j->result), j->error ? j->error : why);
	if (j->free_ud)
		j->free_ud(j->ud);
	cd_buf_free(&j->in);
	cd_buf_free(&j->result);
	free(j->error);
	free(j);
	app->dirty = 1;
}

void tui_job_poll(tui_app *app)
{
	struct tui_job *j = app->job;
	char buf[4096];
	ssize_t n;

	if (!j)
		return;
	while ((n = read(j->fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && cd_buf_append(&j->in, buf, (size_t)n) < 0)
			break;
	take_lines(app, j);
	app->dirty = 1;
	if (n == 0)
		finished(app, j);
}

int tui_job_wait(tui_app *app, int timeout_ms)
{
	struct pollfd p = { app->job ? app->job->fd : -1, POLLIN, 0 };

	if (!app->job)
		return 0;
	return poll(&p, 1, timeout_ms) > 0;
}

void tui_job_close(tui_app *app)
{
	if (!app->job)
		return;
	cancel(app);
	while (app->job) {
		tui_job_wait(app, 1000);
		tui_job_poll(app);
	}
}

const char *tui_job_status(tui_app *app, char *buf, size_t n)
{
	char esc[32];

	if (!app->job)
		return NULL;
	tui_action_keys(app, ACT_CANCEL, esc, sizeof esc);
	esc[strcspn(esc, " ")] = '\0';
	snprintf(buf, n, "%s: %s%s%s%s", app->job->what, app->job->progress,
		 app->job->cancelled || !esc[0] ? "" : "  (", app->job->cancelled ? "" : esc,
		 app->job->cancelled || !esc[0] ? "" : " cancels)");
	return buf;
}
