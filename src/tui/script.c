/* script.c — the test harness: keys from a file, screens to text files. */
#include "core.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codicil/error.h"
#include "codicil/file.h"

struct tui_script {
	FILE *f;
	char *path, *dump_dir;
	size_t line;
	char typed[1024]; /* the rest of a "text" line, still to be typed */
	size_t tpos, tlen;
};

int tui_script_open(tui_app *app, const char *path, const char *dump_dir)
{
	tui_script *sc = calloc(1, sizeof *sc);

	if (!sc || !(sc->path = strdup(path)) || !(sc->dump_dir = strdup(dump_dir ? dump_dir : "."))) {
		tui_script_free(sc);
		cd_err_set("out of memory reading the script");
		return -1;
	}
	if (!(sc->f = fopen(path, "r"))) {
		cd_err_set("cannot read the script %s", path);
		tui_script_free(sc);
		return -1;
	}
	app->script = sc;
	return 0;
}

void tui_script_free(tui_script *sc)
{
	if (!sc)
		return;
	if (sc->f)
		fclose(sc->f);
	free(sc->path);
	free(sc->dump_dir);
	free(sc);
}

/* The virtual screen, read back cell by cell: what a user would see. */
static int dump(tui_script *sc, const char *name)
{
	cd_buf out = CD_BUF_INIT, path = CD_BUF_INIT;
	wchar_t *row = calloc((size_t)COLS + 1, sizeof *row);
	int rc;

	if (!row)
		return -1;
	for (int y = 0; y < LINES; y++) {
		size_t end = out.len;
		int n = mvinnwstr(y, 0, row, COLS);

		for (int i = 0; i < n && row[i]; i++) {
			char utf8[5];
			cd_buf_append(&out, utf8, tui_utf8_encode(row[i], utf8));
			if (row[i] != ' ')
				end = out.len;
		}
		out.len = end;
		cd_buf_putc(&out, '\n');
	}
	free(row);
	cd_buf_printf(&path, "%s/%s.screen", sc->dump_dir, name);
	rc = cd_file_write_atomic(path.data, out.data, out.len);
	cd_buf_clear(&out);
	cd_buf_clear(&path);
	return rc;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Drive the event loop (no keys: they come from the script) for ms
 * milliseconds, or with ms < 0 until no LLM call is pending and no job
 * runs. */
static int run_loop(tui_app *app, long ms)
{
	long end = now_ms() + (ms < 0 ? 60000 : ms), left;

	while ((left = end - now_ms()) > 0) {
		if (!tui_llm_pending(app) && !tui_job_running(app)) {
			if (ms < 0)
				return 0;
			nanosleep(&(struct timespec){ left / 1000, left % 1000 * 1000000 }, NULL);
			continue;
		}
		if (tui_llm_pending(app))
			app->wait(app->wait_ud, -1, left < 100 ? (int)left : 100);
		else
			tui_job_wait(app, -1, left < 100 ? (int)left : 100);
		tui_job_poll(app);
	}
	return ms < 0 ? -1 : 0;
}

static int fail(tui_script *sc, const char *what, const char *arg)
{
	cd_err_set("%s:%zu: %s '%s'", sc->path, sc->line, what, arg);
	return -1;
}

static int command(tui_app *app, tui_script *sc, char *cmd, int *key)
{
	int w, h;

	if (!strncmp(cmd, ":dump ", 6) && cmd[6]) {
		if (strchr(cmd + 6, '/'))
			return fail(sc, "a dump name cannot contain '/'", cmd + 6);
		return dump(sc, cmd + 6) < 0 ? -1 : 0;
	}
	if (!strncmp(cmd, ":resize ", 8) && sscanf(cmd + 8, "%dx%d", &w, &h) == 2 && w > 0 &&
	    h > 0 && w <= 1000 && h <= 1000) {
		resizeterm(h, w);
		*key = TUI_KEY_FN | KEY_RESIZE;
		return 1;
	}
	if (!strcmp(cmd, ":wait")) {
		if (run_loop(app, -1) < 0)
			return fail(sc, "LLM calls still running after 60 s at", cmd);
		tui_draw(app);
		return 0;
	}
	if (!strncmp(cmd, ":sleep ", 7) && sscanf(cmd + 7, "%d", &w) == 1 && w >= 0 && w <= 60000) {
		run_loop(app, w);
		tui_draw(app);
		return 0;
	}
	if (!strncmp(cmd, ":jobs ", 6) && sscanf(cmd + 6, "%d %d", &w, &h) == 2 && w >= 0) {
		/* what the LLM code will report, to test the status line */
		tui_set_jobs(app, (unsigned)w, h);
		return 0;
	}
	return fail(sc, "unknown script command", cmd);
}

/* The next character of a "text" line, as a key. */
static int next_typed(tui_script *sc, int *key)
{
	const unsigned char *p = (const unsigned char *)sc->typed + sc->tpos;
	size_t n = p[0] < 0x80 ? 1 : p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	char one[5] = { 0 };

	if (n > sc->tlen - sc->tpos)
		n = sc->tlen - sc->tpos;
	memcpy(one, p, n);
	sc->tpos += n;
	if (tui_key_parse(one, key) < 0)
		*key = one[0] == '\t' ? '\t' : ' ';
	return 1;
}

int tui_script_next(tui_app *app, int *key)
{
	tui_script *sc = app->script;
	char line[1200];

	for (;;) {
		char *s, *e;
		int rc;

		if (sc->tpos < sc->tlen)
			return next_typed(sc, key);
		if (!fgets(line, sizeof line, sc->f))
			return 0;
		sc->line++;
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]); e--)
			;
		*e = '\0';
		if (!*s || *s == '#')
			continue;
		if (*s == ':') {
			if ((rc = command(app, sc, s, key)) != 0)
				return rc;
			continue;
		}
		if (*s == '"' && e - s >= 2 && e[-1] == '"') {
			sc->tlen = (size_t)(e - s - 2);
			memcpy(sc->typed, s + 1, sc->tlen);
			sc->tpos = 0;
			continue;
		}
		if (tui_key_parse(s, key) < 0)
			return fail(sc, "unknown key", s);
		return 1;
	}
}
