#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/workspace.h"

const char cmd_edit_usage[] =
	"usage: codicil edit ID\n"
	"\n"
	"Open $VISUAL (or $EDITOR, or vi) on one principle alone: its heading, its\n"
	"text and its sub-principles.  When the editor exits, the charter is\n"
	"re-parsed and validated and the change is committed as \"Edit ID: title\".\n"
	"Quitting without a change commits nothing.  A result that does not\n"
	"validate is kept in .git/codicil/drafts/ID.md, and the next 'codicil edit\n"
	"ID' starts from it.\n";

static const char *editor(void)
{
	const char *e = getenv("VISUAL");

	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

/* Run the editor through the shell, as git does, with the file as $1. */
static int run_editor(const char *file)
{
	const char *ed = editor();
	cd_buf cmd = CD_BUF_INIT;
	int status;
	pid_t pid;

	cd_buf_printf(&cmd, "%s \"$@\"", ed);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		cd_buf_free(&cmd);
		cd_err_set("cannot start the editor: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd.data, ed, file, (char *)NULL);
		_exit(127);
	}
	cd_buf_free(&cmd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			cd_err_set("cannot wait for the editor: %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		cd_err_set("the editor (%s) failed", ed);
		return -1;
	}
	return 0;
}

/* The charter text with p's span replaced by the edited text. */
static int splice(const charter *ch, const principle *p, const cd_buf *edited, cd_buf *out)
{
	cd_buf_append(out, ch->text, p->start);
	cd_buf_append(out, edited->data, edited->len);
	if (p->end < ch->len && (edited->len == 0 || edited->data[edited->len - 1] != '\n'))
		cd_buf_puts(out, p->end > 1 && ch->text[p->end - 2] == '\r' ? "\r\n" : "\n");
	return cd_buf_append(out, ch->text + p->end, ch->len - p->end);
}

/* Parse and validate the new text; the edited principle must keep its id. */
static int check_result(const char *file, const char *id, const cd_buf *text, charter **out)
{
	cd_buf problems = CD_BUF_INIT;
	size_t n;

	if (charter_parse(file, text->data, text->len, out) < 0)
		return -1;
	n = charter_validate(*out, &problems);
	if (n) {
		char *nl = strchr(problems.data, '\n');
		if (nl)
			*nl = '\0';
		cd_err_set("%s", problems.data);
	} else if (!charter_find(*out, id)) {
		cd_err_set("the edited text no longer has a principle with id '%s' "
			   "(keep its {#%s} heading)", id, id);
		n = 1;
	}
	cd_buf_free(&problems);
	return n ? -1 : 0;
}

static int commit_edit(store *s, const char *file, const charter *after, const char *id,
		       const cd_buf *text)
{
	store_change change = { file, text->data, text->len };
	cd_buf msg = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&msg, "Edit %s: %s\n", id, charter_find(after, id)->title);
	if (store_lock(s) < 0) {
		cd_buf_free(&msg);
		return -1;
	}
	rc = store_commit(s, &change, 1, msg.data, NULL, 0, NULL);
	store_unlock(s);
	cd_buf_free(&msg);
	return rc;
}

int cmd_edit(cli_ctx *ctx, int argc, char **argv)
{
	cd_buf draft = CD_BUF_INIT, span = CD_BUF_INIT, edited = CD_BUF_INIT, text = CD_BUF_INIT,
	       name = CD_BUF_INIT;
	const char *file, *id;
	const principle *p;
	charter *ch = NULL, *after = NULL;
	int rc = CLI_FAIL;
	store *s;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("edit ", "give exactly one principle id");
	id = argv[1];
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	file = workspace_charter_path(ctx->cfg);
	if (store_check_clean(s, &file, 1) < 0 || workspace_load(s, file, NULL, 1, &ch) < 0)
		return cli_fail_err();
	if (!(p = charter_find(ch, id))) {
		rc = cli_fail("no principle with id '%s' (list them with 'codicil principles')", id);
		goto out;
	}
	cd_buf_printf(&name, "drafts/%s.md", id);
	if (store_local_path(s, name.data, &draft) < 0) {
		cli_fail_err();
		goto out;
	}
	cd_buf_append(&span, ch->text + p->start, p->end - p->start);
	if (cd_file_exists(draft.data)) {
		fprintf(stderr, "codicil: resuming your earlier draft %s\n", draft.data);
	} else if (cd_file_write_atomic(draft.data, span.data, span.len) < 0) {
		cli_fail_err();
		goto out;
	}
	if (run_editor(draft.data) < 0 || cd_file_read(draft.data, &edited) < 0) {
		cli_fail("%s; your text is kept in %s", cd_err_msg(), draft.data);
		goto out;
	}
	if (edited.len == span.len && !memcmp(edited.data, span.data, span.len)) {
		unlink(draft.data);
		printf("No change to %s; nothing committed.\n", id);
		rc = CLI_OK;
		goto out;
	}
	splice(ch, p, &edited, &text);
	if (check_result(file, id, &text, &after) < 0 ||
	    commit_edit(s, file, after, id, &text) < 0) {
		cli_fail("%s; your text is kept in %s", cd_err_msg(), draft.data);
		goto out;
	}
	unlink(draft.data);
	printf("Committed: Edit %s\n", id);
	rc = CLI_OK;
out:
	cd_buf_free(&draft);
	cd_buf_free(&span);
	cd_buf_free(&edited);
	cd_buf_free(&text);
	cd_buf_free(&name);
	charter_free(ch);
	charter_free(after);
	return rc;
}
