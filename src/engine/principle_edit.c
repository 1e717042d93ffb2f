/* principle_edit.c — one principle through the user's editor, committed. */
#include "codicil/principle_edit.h"
#include "codicil/sanitize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/workspace.h"

static const char *editor(void)
{
	const char *e = getenv("VISUAL");

	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

/* Append to the current error where the user's text is. */
static void keep_note(const principle_edit *pe)
{
	char msg[1024];

	snprintf(msg, sizeof msg, "%s", cd_err_msg());
	cd_err_set("%s; your text is kept in %s", msg, pe->draft.data);
}

static int run_editor(const char *path)
{
	const char *ed = editor();
	cd_buf cmd = CD_BUF_INIT;
	int status;
	pid_t pid;

	cd_buf_printf(&cmd, "%s \"$@\"", ed);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		cd_buf_clear(&cmd);
		cd_err_set("cannot start the editor: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd.data, ed, path, (char *)NULL);
		_exit(127);
	}
	cd_buf_clear(&cmd);
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

int principle_edit_run_editor(principle_edit *pe)
{
	if (run_editor(pe->draft.data) < 0) {
		keep_note(pe);
		return -1;
	}
	return 0;
}

int principle_edit_begin(store *s, config *cfg, const char *id, principle_edit *pe)
{
	cd_buf name = CD_BUF_INIT;
	const principle *p;

	memset(pe, 0, sizeof *pe);
	pe->file = workspace_charter_path(cfg);
	if (store_check_clean(s, &pe->file, 1) < 0 ||
	    workspace_load(s, pe->file, NULL, 1, &pe->ch) < 0)
		return -1;
	if (!(p = charter_find(pe->ch, id))) {
		workspace_no_principle(pe->ch, id);
		goto fail;
	}
	if (!(pe->id = strdup(id)))
		goto fail;
	cd_buf_printf(&name, "drafts/%s.md", id);
	if (store_local_path(s, name.data, &pe->draft) < 0)
		goto fail;
	cd_buf_append(&pe->span, pe->ch->text + p->start, p->end - p->start);
	if (cd_file_exists(pe->draft.data))
		pe->resumed = 1;
	else if (cd_file_write_atomic(pe->draft.data, pe->span.data, pe->span.len) < 0)
		goto fail;
	cd_buf_clear(&name);
	return 0;
fail:
	cd_buf_clear(&name);
	principle_edit_clear(pe);
	return -1;
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
	cd_buf_clear(&problems);
	return n ? -1 : 0;
}

static int commit_edit(store *s, const char *file, const charter *after, const char *id,
		       const char *reason, const cd_buf *text)
{
	store_change change = { file, text->data, text->len };
	cd_buf msg = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&msg, "Edit %s: %s\n", id, charter_find(after, id)->title);
	if (reason && *reason) { /* the why, for git log and verify --strict readers */
		cd_buf_putc(&msg, '\n');
		cd_sanitize(reason, strlen(reason), 0, &msg);
		cd_buf_putc(&msg, '\n');
	}
	if (store_lock(s) < 0) {
		cd_buf_clear(&msg);
		return -1;
	}
	rc = store_commit(s, &change, 1, msg.data, NULL, 0, NULL);
	store_unlock(s);
	cd_buf_clear(&msg);
	return rc;
}

int principle_edit_finish(store *s, principle_edit *pe)
{
	cd_buf edited = CD_BUF_INIT, text = CD_BUF_INIT;
	charter *after = NULL;
	int rc = -1;

	pe->changed = 0;
	if (cd_file_read(pe->draft.data, &edited) < 0)
		goto out;
	if (edited.len == pe->span.len && !memcmp(edited.data, pe->span.data, edited.len)) {
		unlink(pe->draft.data);
		rc = 0;
		goto out;
	}
	splice(pe->ch, charter_find(pe->ch, pe->id), &edited, &text);
	if (check_result(pe->file, pe->id, &text, &after) < 0 ||
	    commit_edit(s, pe->file, after, pe->id, pe->reason, &text) < 0)
		goto out;
	unlink(pe->draft.data);
	pe->changed = 1;
	rc = 0;
out:
	if (rc < 0)
		keep_note(pe);
	cd_buf_clear(&edited);
	cd_buf_clear(&text);
	charter_free(after);
	return rc;
}

void principle_edit_clear(principle_edit *pe)
{
	free(pe->id);
	charter_free(pe->ch);
	cd_buf_clear(&pe->draft);
	cd_buf_clear(&pe->span);
	memset(pe, 0, sizeof *pe);
}
