/* demo.c — `codicil demo`: the whole loop, offline.  A constitution repo
 * from the assistant template, and the workbench answering from the
 * recorded answers that ship with codicil (constitutions/demo.cassette.jsonl,
 * made by tests/tools/make-demo-cassette.sh). */
#include "cli.h"
#include <unistd.h>
#include <limits.h>

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/tui.h"
#include "codicil/workspace.h"

#define DEMO_DIR "codicil-demo"
#define DEMO_TEMPLATE "assistant"
#define DEMO_CASSETTE "demo.cassette.jsonl"
#define DEMO_MARKER "demo" /* .git/codicil/demo: this repository is a demo */
/* The principles the cassette has a first generation for. */
#define DEMO_PRINCIPLES "crisis, privacy, autonomy or show-work"

const char cmd_demo_usage[] =
	"usage: codicil demo [DIR]\n"
	"\n"
	"The offline demo.  Creates a constitution repository in DIR (default\n"
	"./" DEMO_DIR ") from the assistant template and opens the workbench on it,\n"
	"answering from recorded model answers that ship with codicil (the replay\n"
	"provider): no network, no API key.  Select one of the principles\n"
	DEMO_PRINCIPLES " and press g for counterexamples, then r\n"
	"on a case to rate it; mark the three crisis cases with Space and press a to\n"
	"draft an amendment (then: codicil review, codicil accept).\n"
	"\n"
	"DIR must be new or empty, or a demo repository made earlier (it is then\n"
	"opened again).  Without a terminal the repository is set up and the\n"
	"command says how to open it, then exits.\n";

/* constitutions/demo.cassette.jsonl, next to the templates. */
static int cassette_path(cd_buf *out)
{
	cd_buf tdir = CD_BUF_INIT;
	char *slash;

	if (workspace_template_dir(DEMO_TEMPLATE, &tdir) < 0)
		return -1;
	slash = strrchr(tdir.data, '/');
	cd_buf_printf(out, "%.*s/%s", (int)(slash - tdir.data), tdir.data, DEMO_CASSETTE);
	cd_buf_clear(&tdir);
	if (!cd_file_exists(out->data)) {
		cd_err_set("the demo's recorded answers are missing (%s); reinstall codicil or "
			   "set CODICIL_DATADIR", out->data);
		return -1;
	}
	return 0;
}

static int is_demo(const char *dir)
{
	cd_buf marker = CD_BUF_INIT;
	int yes;

	cd_buf_printf(&marker, "%s/.git/codicil/" DEMO_MARKER, dir);
	yes = cd_file_exists(marker.data);
	cd_buf_clear(&marker);
	return yes;
}

/* A new demo repository, or the one made earlier; *made says which. */
static int demo_repo(const char *dir, store **s, int *made)
{
	cd_buf tdir = CD_BUF_INIT, marker = CD_BUF_INIT;
	int rc;

	*made = 0;
	if (is_demo(dir))
		return store_open(dir, s);
	if (workspace_template_dir(DEMO_TEMPLATE, &tdir) < 0)
		return -1;
	rc = store_init_template(dir, tdir.data, s);
	cd_buf_clear(&tdir);
	if (rc < 0) {
		char *why = strdup(cd_err_msg());
		cd_err_set("%s (codicil demo reopens only a demo it made)", why ? why : "cannot create it");
		free(why);
		return -1;
	}
	rc = store_local_path(*s, DEMO_MARKER, &marker);
	if (rc == 0)
		rc = cd_file_write_atomic(marker.data, "codicil demo\n", 13);
	cd_buf_clear(&marker);
	*made = rc == 0;
	return rc;
}

/* How to run this codicil again: "codicil" when that is what PATH finds,
 * else the binary's absolute path (after `make demo` it is not on PATH). */
static void this_command(cd_buf *out)
{
	char self[PATH_MAX], found[PATH_MAX];
	const char *path = getenv("PATH");
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	if (n <= 0) {
		cd_buf_puts(out, "codicil");
		return;
	}
	self[n] = '\0';
	for (const char *p = path; p && *p;) {
		size_t len = strcspn(p, ":");
		cd_buf cand = CD_BUF_INIT;
		cd_buf_printf(&cand, "%.*s/codicil", (int)len, p);
		if (realpath(cand.data, found) && !strcmp(found, self)) {
			cd_buf_clear(&cand);
			cd_buf_puts(out, "codicil");
			return;
		}
		cd_buf_clear(&cand);
		p += len + (p[len] == ':');
	}
	cd_buf_puts(out, self);
}

int cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
	const char *dir = ctx->dir ? ctx->dir : DEMO_DIR;
	cd_buf cassette = CD_BUF_INIT;
	tui_opts o = { .welcome = "Demo with recorded answers (no network, no key). Press C on "
				  DEMO_PRINCIPLES "; r rates a case; Space marks cases, a drafts "
				  "an amendment; U on ai-disclosure audits the model. ? shows the keys" };
	int made, rc = CLI_FAIL;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return cli_usage_error("demo ", "give at most one directory");
	if (argc == 2)
		dir = argv[1];
	if (cassette_path(&cassette) < 0 || demo_repo(dir, &ctx->store, &made) < 0) {
		ctx->store = NULL;
		cli_fail_err();
		goto out;
	}
	if (!cli_config(ctx))
		goto out;
	config_set_flag(ctx->cfg, "codicil.provider", "replay");
	config_set_flag(ctx->cfg, "codicil.cassette", cassette.data);
	config_set_flag(ctx->cfg, "codicil.model", "cassette");
	printf("%s the demo constitution in %s (template %s).\n", made ? "Created" : "Opening",
	       store_workdir(ctx->store), DEMO_TEMPLATE);
	if (!tui_available()) {
		cd_buf self = CD_BUF_INIT;
		this_command(&self);
		printf("Recorded model answers: %s\n"
		       "No terminal here, so the workbench does not open.  On a terminal:\n"
		       "    %s demo %s\n", cassette.data, self.data, store_workdir(ctx->store));
		cd_buf_clear(&self);
		rc = CLI_OK;
		goto out;
	}
	fflush(stdout);
	rc = tui_run_opts(ctx->store, ctx->cfg, &o) < 0 ? cli_fail_err() : CLI_OK;
out:
	cd_buf_clear(&cassette);
	return rc;
}
