/* merge_file.c — `codicil merge-file`: git's merge driver for case files
 * (case_merge.h), registered as merge.codicil.driver. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codicil/case.h"
#include "codicil/case_merge.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/json.h"

const char cmd_merge_file_usage[] =
	"usage: codicil merge-file BASE OURS THEIRS [PATH]\n"
	"\n"
	"git's merge driver for case files: .gitattributes says 'cases/**\n"
	"merge=codicil', and every codicil command registers the driver in the\n"
	"repository's .git/config (merge.codicil.driver), so that 'git pull'\n"
	"merges two clones' work on the same case without a conflict: ratings\n"
	"rater by rater (the later one when both changed the same rater's), any\n"
	"other field from the side that changed it.  The result is written to\n"
	"OURS.  When both sides changed a field other than ratings differently\n"
	"(the status, say), ours is kept, the fields are named, and the exit\n"
	"status is 1: git then reports a conflict to resolve by hand.  A file\n"
	"that is not a JSON object is merged as text (git merge-file).\n"
	"\n"
	"  -h, --help   this text\n";

/* The file as a JSON object; an empty file (no common ancestor) is NULL
 * with *ok set. */
static cJSON *read_record(const char *path, int *ok)
{
	cd_buf text = CD_BUF_INIT;
	cJSON *j = NULL;

	*ok = cd_file_read(path, &text) == 0;
	if (*ok && text.len)
		*ok = cJSON_IsObject(j = cJSON_ParseWithLength(text.data, text.len));
	cd_buf_clear(&text);
	if (!*ok) {
		cJSON_Delete(j);
		j = NULL;
	}
	return j;
}

/* What git would do without the driver: a line merge with markers. */
static int merge_as_text(const char *base, const char *ours, const char *theirs)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execlp("git", "git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", ours,
		       base, theirs, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return cli_fail("cannot run git merge-file");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? CLI_OK : CLI_FAIL;
}

int cmd_merge_file(cli_ctx *ctx, int argc, char **argv)
{
	cd_buf conflicts = CD_BUF_INIT;
	cJSON *base, *ours, *theirs, *merged = NULL;
	int ok_b, ok_o, ok_t, rc;
	const char *label;

	if (argc < 4 || argc > 5)
		return cli_usage_error("merge-file ", "give BASE OURS THEIRS [PATH]");
	label = argc == 5 ? argv[4] : argv[2];
	base = read_record(argv[1], &ok_b);
	ours = read_record(argv[2], &ok_o);
	theirs = read_record(argv[3], &ok_t);
	if (!ok_b || !ours || !theirs)
		rc = merge_as_text(argv[1], argv[2], argv[3]);
	else if (!(merged = case_merge(base, ours, theirs, &conflicts)) ||
		 (case_id(merged) ? case_write(argv[2], merged) : cd_json_write_file(argv[2], merged)) < 0)
		rc = cli_fail_err();
	else if (conflicts.len)
		rc = cli_fail("%s: both sides changed %s; ours is kept; resolve it by hand", label,
			      conflicts.data);
	else
		rc = CLI_OK;
	cJSON_Delete(base);
	cJSON_Delete(ours);
	cJSON_Delete(theirs);
	cJSON_Delete(merged);
	cd_buf_clear(&conflicts);
	return rc;
}
