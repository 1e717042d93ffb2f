/* secret.c — find the API key: an environment variable or the output of a
 * helper command (like git credential helpers).  The key stays in memory
 * and is zeroed when freed. */
#include "codicil/secret.h"
#include "codicil/error.h"
#include "llm_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEY_OUTPUT_MAX 65536
#define KEY_COMMAND_TIMEOUT_S 120

void secret_free(char *key)
{
	if (!key)
		return;
	explicit_bzero(key, strlen(key));
	free(key);
}

static void set_source(char *source, size_t size, const char *fmt, const char *arg)
{
	if (size)
		snprintf(source, size, fmt, arg);
}

static char *env_key(const char *name)
{
	const char *v = name && *name ? getenv(name) : NULL;
	return v && *v ? strdup(v) : NULL;
}

/* The command as shown in errors: one short line, key-like words hidden. */
static void command_label(const char *cmd, cd_buf *out)
{
	llm_error_text(cmd, strlen(cmd), 60, out);
}

static int command_error(const char *cmd, const char *what)
{
	cd_buf label = CD_BUF_INIT;

	command_label(cmd, &label);
	cd_err_set("codicil.apiKeyCommand `%s` %s", cd_buf_cstr(&label), what);
	cd_buf_clear(&label);
	return -1;
}

static pid_t spawn(const char *cmd, int *out_fd)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid == 0) {
		/* no stdin, and stderr silenced: the TUI owns the terminal and
		 * the command's output is never shown; the error names the
		 * command so that the user can run it by hand */
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDERR_FILENO);
		}
		dup2(fds[1], STDOUT_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	*out_fd = fds[0];
	return pid;
}

/* 0: EOF, 1: output over the cap, 2: timed out, -1: read error */
static int read_output(int fd, cd_buf *out)
{
	time_t deadline = time(NULL) + KEY_COMMAND_TIMEOUT_S;
	char chunk[4096];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = (long)(deadline - time(NULL));
		ssize_t n;
		int r;

		if (left <= 0)
			return 2;
		r = poll(&p, 1, (int)(left * 1000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 2;
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (out->len + (size_t)n > KEY_OUTPUT_MAX)
			return 1;
		if (cd_buf_append(out, chunk, (size_t)n) < 0)
			return -1;
		explicit_bzero(chunk, sizeof chunk);
	}
}

static int wait_child(pid_t pid, int kill_it)
{
	int status;

	if (kill_it)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* The first line of out, without trailing whitespace. */
static char *first_line(const cd_buf *out)
{
	const char *s = cd_buf_cstr(out);
	size_t n = strcspn(s, "\n");

	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n ? strndup(s, n) : NULL;
}

static int run_key_command(const char *cmd, char **key)
{
	cd_buf out = CD_BUF_INIT;
	int fd = -1, r, status;
	pid_t pid = spawn(cmd, &fd);
	char what[80];

	if (pid < 0)
		return command_error(cmd, "could not be started");
	r = read_output(fd, &out);
	close(fd);
	status = wait_child(pid, r != 0);
	if (r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		*key = first_line(&out);
	if (out.data)
		explicit_bzero(out.data, out.len);
	cd_buf_clear(&out);
	if (r == 2)
		return command_error(cmd, "did not finish within 120 s");
	if (r == 1)
		return command_error(cmd, "printed more than 64 KiB");
	if (r < 0 || status < 0)
		return command_error(cmd, "could not be read");
	if (WIFSIGNALED(status)) {
		snprintf(what, sizeof what, "was killed by signal %d", WTERMSIG(status));
		return command_error(cmd, what);
	}
	if (WEXITSTATUS(status) != 0) {
		snprintf(what, sizeof what, "failed (exit status %d)", WEXITSTATUS(status));
		return command_error(cmd, what);
	}
	if (!*key)
		return command_error(cmd, "printed no key");
	return 0;
}

int secret_api_key(const char *provider_key_env, const char *api_key_env,
		   const char *api_key_command, char **key, char *source,
		   size_t source_size)
{
	*key = NULL;
	set_source(source, source_size, "%s", "none");
	if ((*key = env_key(api_key_env))) {
		set_source(source, source_size, "environment %s", api_key_env);
		return 0;
	}
	if (api_key_command && *api_key_command) {
		if (run_key_command(api_key_command, key) < 0)
			return -1;
		set_source(source, source_size, "%s", "command from codicil.apiKeyCommand");
		return 0;
	}
	if ((*key = env_key(provider_key_env)))
		set_source(source, source_size, "environment %s", provider_key_env);
	return 0;
}

size_t secret_mask(char *text, const char *key)
{
	size_t n = 0, len = key ? strlen(key) : 0;

	for (char *p = text; len && p && (p = strstr(p, key)); p += len, n++)
		memset(p, '*', len);
	return n;
}
