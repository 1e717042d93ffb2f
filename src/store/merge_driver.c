/* merge_driver.c — .gitattributes and the merge driver that let two clones
 * rate the same case and merge on `git pull` without a conflict. */
#include "store_internal.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "codicil/error.h"
#include "codicil/file.h"

const char store_attributes_text[] =
	"# codicil: case files merge rater by rater (codicil merge-file), so two\n"
	"# clones that rate the same case never conflict on git pull.\n"
	"cases/** merge=codicil\n";

int store_attributes_need(const char *text)
{
	return !text || !strstr(text, "merge=codicil");
}

/* The path of the binary running now, or NULL. */
static const char *self_path(char buf[PATH_MAX])
{
	ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* The program a driver command runs: its first word, unquoted. */
static void driver_program(const char *cmd, char *out, size_t size)
{
	size_t i = 0;

	if (*cmd == '\'') {
		for (cmd++; *cmd && *cmd != '\'' && i + 1 < size; cmd++)
			out[i++] = *cmd;
	} else {
		for (; *cmd && *cmd != ' ' && i + 1 < size; cmd++)
			out[i++] = *cmd;
	}
	out[i] = '\0';
}

int store_merge_driver_ensure(store *s)
{
	char self[PATH_MAX], prog[PATH_MAX];
	git_config *cfg = NULL;
	git_buf have = { 0 };
	cd_buf want = CD_BUF_INIT;
	const char *exe = self_path(self);
	int rc = 0;

	if (!exe || strchr(exe, '\'') || git_repository_config(&cfg, store_repo(s)) < 0)
		return 0; /* nothing to register, or no way to: git merges as text */
	if (git_config_get_string_buf(&have, cfg, "merge.codicil.driver") == 0) {
		driver_program(have.ptr, prog, sizeof prog);
		if (access(prog, X_OK) == 0)
			goto out; /* a codicil that works is registered already */
	}
	cd_buf_printf(&want, "'%s' merge-file %%O %%A %%B %%P", exe);
	rc = store_config_write(s, "merge.codicil.name", "codicil: case files, rater by rater");
	if (rc == 0)
		rc = store_config_write(s, "merge.codicil.driver", want.data);
out:
	git_buf_dispose(&have);
	git_config_free(cfg);
	cd_buf_clear(&want);
	return rc;
}
