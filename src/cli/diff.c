#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/redline.h"
#include "codicil/sanitize.h"
#include "codicil/workspace.h"

const char cmd_diff_usage[] =
	"usage: codicil diff [REV [REV]] [--word-diff | --stat] [--json]\n"
	"\n"
	"Show changes to the charter, with git's meaning of the arguments: no REV\n"
	"compares HEAD with the work tree, one REV compares it with the work tree,\n"
	"two compare the first with the second.\n"
	"\n"
	"  -w, --word-diff  a word-level redline: [-deleted-]{+inserted+}, or in\n"
	"                   colour on a terminal\n"
	"      --stat       one line per principle added, changed (with the words\n"
	"                   deleted and inserted in its own text) or removed, and a\n"
	"                   total\n"
	"      --json       {from, to, principles: {added, removed, changed},\n"
	"                   deleted_words, inserted_words, hunks}\n"
	"  -h, --help       this text\n";

/* Principle ids added, removed and changed between two charters. */
static cJSON *principle_changes(const charter *a, const charter *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *added = cJSON_AddArrayToObject(o, "added");
	cJSON *removed = cJSON_AddArrayToObject(o, "removed");
	cJSON *changed = cJSON_AddArrayToObject(o, "changed");

	for (size_t i = 0; i < b->n; i++) {
		const principle *pb = &b->p[i], *pa = charter_find(a, pb->id);
		if (!pa)
			cJSON_AddItemToArray(added, cJSON_CreateString(pb->id));
		else if (pa->body_end - pa->start != pb->body_end - pb->start ||
			 memcmp(a->text + pa->start, b->text + pb->start, pb->body_end - pb->start))
			cJSON_AddItemToArray(changed, cJSON_CreateString(pb->id));
	}
	for (size_t i = 0; i < a->n; i++)
		if (!charter_find(b, a->p[i].id))
			cJSON_AddItemToArray(removed, cJSON_CreateString(a->p[i].id));
	return o;
}

static int print_json(const char *from, const char *to, const charter *a, const charter *b)
{
	redline r;
	cJSON *o, *rl;

	if (redline_compute(a->text, a->len, b->text, b->len, &r) < 0)
		return cli_fail_err();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "from", from);
	cJSON_AddStringToObject(o, "to", to);
	cJSON_AddItemToObject(o, "principles", principle_changes(a, b));
	rl = redline_to_json(&r);
	for (cJSON *it = rl ? rl->child : NULL; it; it = it->next)
		cJSON_AddItemToObject(o, it->string, cJSON_Duplicate(it, 1));
	cJSON_Delete(rl);
	redline_clear(&r);
	return cli_print_json(o);
}

/* The words deleted and inserted in one principle's own text. */
static void word_counts(const charter *a, const principle *pa, const charter *b,
			const principle *pb, size_t *del, size_t *ins)
{
	redline r;

	*del = *ins = 0;
	if (redline_compute(a->text + pa->start, pa->body_end - pa->start, b->text + pb->start,
			    pb->body_end - pb->start, &r) == 0) {
		*del = r.deleted_words;
		*ins = r.inserted_words;
		redline_clear(&r);
	}
	cd_err_clear();
}

static void stat_line(const char *what, const principle *p, const char *words)
{
	printf(" %-8s %-28s ", what, p->id);
	cli_put_safe(stdout, p->title ? p->title : "", CD_SAN_ONE_LINE);
	if (words)
		printf("  %s", words);
	fputc('\n', stdout);
}

/* Which principles changed, in the new charter's order, then the removed. */
static int print_stat(const charter *a, const charter *b)
{
	size_t added = 0, changed = 0, removed = 0, del, ins;
	char words[64];
	cJSON *ch = principle_changes(a, b), *it;

	for (size_t i = 0; i < b->n; i++) {
		const principle *pb = &b->p[i], *pa = charter_find(a, pb->id);
		int is_changed = 0;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ch, "changed"))
			is_changed |= !strcmp(it->valuestring, pb->id);
		if (!pa) {
			stat_line("added", pb, NULL);
			added++;
		} else if (is_changed) {
			word_counts(a, pa, b, pb, &del, &ins);
			if (del || ins)
				snprintf(words, sizeof words, "-%zu +%zu words", del, ins);
			else
				snprintf(words, sizeof words, "whitespace only");
			stat_line("changed", pb, words);
			changed++;
		}
	}
	for (size_t i = 0; i < a->n; i++)
		if (!charter_find(b, a->p[i].id)) {
			stat_line("removed", &a->p[i], NULL);
			removed++;
		}
	cJSON_Delete(ch);
	if (added + changed + removed)
		printf(" %zu principle%s: %zu added, %zu changed, %zu removed\n",
		       added + changed + removed, added + changed + removed == 1 ? "" : "s", added,
		       changed, removed);
	return CLI_OK;
}

/* Diff made for a terminal or a pipe: both texts are sanitised first, so
 * nothing in the charter reaches the terminal as a control sequence, and our
 * own colour codes are added afterwards. */
static int print_text(const char *file, const cd_buf *a, const cd_buf *b, int words, int color)
{
	cd_buf out = CD_BUF_INIT, sa = CD_BUF_INIT, sb = CD_BUF_INIT;
	redline r;
	int rc;

	rc = cd_sanitize(cd_buf_cstr(a), a->len, 0, &sa);
	if (rc == 0)
		rc = cd_sanitize(cd_buf_cstr(b), b->len, 0, &sb);
	if (rc == 0 && words) {
		rc = redline_compute(sa.data, sa.len, sb.data, sb.len, &r);
		if (rc == 0) {
			int equal = r.n == 0 || (r.n == 1 && r.seg[0].op == REDLINE_EQUAL);
			if (!equal)
				rc = color ? redline_render_color(&r, 3, &out)
					   : redline_render_plain(&r, 3, &out);
			redline_clear(&r);
		}
	} else if (rc == 0) {
		rc = redline_unified(sa.data, sa.len, sb.data, sb.len, file, color, &out);
	}
	if (rc == 0)
		fwrite(cd_buf_cstr(&out), 1, out.len, stdout);
	cd_buf_clear(&out);
	cd_buf_clear(&sa);
	cd_buf_clear(&sb);
	return rc < 0 ? cli_fail_err() : CLI_OK;
}

int cmd_diff(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "word-diff", no_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "stat", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = "HEAD", *to = NULL, *file;
	int words = 0, json = 0, stat = 0, c, rc;
	charter *a = NULL, *b = NULL;
	store *s;

	optind = 1;
	while ((c = getopt_long(argc, argv, "w", opts, NULL)) != -1) {
		switch (c) {
		case 'w': words = 1; break;
		case 'j': json = 1; break;
		case 's': stat = 1; break;
		default: return cli_usage_error("diff ", "bad option");
		}
	}
	if (argc - optind > 2)
		return cli_usage_error("diff ", "at most two revisions");
	if (optind < argc)
		from = argv[optind];
	if (optind + 1 < argc)
		to = argv[optind + 1];
	if (!(s = cli_store(ctx)) || !cli_config(ctx))
		return CLI_FAIL;
	file = workspace_charter_path(ctx->cfg);
	if (stat && words)
		return cli_usage_error("diff ", "--stat and --word-diff do not go together");
	if (json || stat) {
		/* principle-level changes need both versions parsed */
		if (workspace_load(s, file, from, 0, &a) < 0 ||
		    workspace_load(s, file, to, 0, &b) < 0) {
			charter_free(a);
			return cli_fail_err();
		}
		rc = json ? print_json(from, to ? to : "WORKTREE", a, b) : print_stat(a, b);
		charter_free(a);
		charter_free(b);
	} else {
		cd_buf ta = CD_BUF_INIT, tb = CD_BUF_INIT;
		if (store_read(s, from, file, &ta) < 0 ||
		    (to ? store_read(s, to, file, &tb) : store_read_worktree(s, file, &tb)) < 0)
			rc = cli_fail_err();
		else
			rc = print_text(file, &ta, &tb, words, ctx->color_out);
		cd_buf_clear(&ta);
		cd_buf_clear(&tb);
	}
	return rc;
}
