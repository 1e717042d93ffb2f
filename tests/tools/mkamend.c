/* mkamend — commit an accepted amendment the way `codicil accept` does, for
 * the integration tests of blame and verify:
 *
 *   mkamend DIR [--title T] [--rationale R] [--model PROVIDER/MODEL]
 *               [--case ID]... [--transcript TEXT]...
 *               [--replace ID BODY] [--insert-after ID NEW_ID HEADING BODY]
 *               [--delete ID]...
 *
 * One commit holds the amended CONSTITUTION.md, proposals/<id>.json
 * (accepted, decision by git's user.name/email), cases/<id>.json (made
 * resolved; created when absent) and transcripts/<sha256>.json; message
 * and trailers from proposal_commit_message().  Prints "PROPOSAL COMMIT".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/hash.h"
#include "codicil/json.h"
#include "codicil/proposal.h"
#include "codicil/store.h"

#define MAX_ITEMS 16

typedef struct args {
	const char *dir, *title, *rationale, *model;
	const char *cases[MAX_ITEMS];
	size_t ncases;
	const char *transcripts[MAX_ITEMS];
	size_t ntranscripts;
	charter_edit edits[MAX_ITEMS];
	size_t nedits;
} args;

static void die(const char *what)
{
	fprintf(stderr, "mkamend: %s\n", what);
	exit(1);
}

static const char *need(int argc, char **argv, int *i)
{
	if (++*i >= argc)
		die("an option is missing its argument");
	return argv[*i];
}

static void parse_args(int argc, char **argv, args *a)
{
	memset(a, 0, sizeof *a);
	a->title = "test amendment";
	a->rationale = "Because the tests say so.";
	a->model = "openai/gpt-4.1";
	if (argc < 2)
		die("usage: mkamend DIR [options]");
	a->dir = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		charter_edit *e = &a->edits[a->nedits];

		if (a->nedits == MAX_ITEMS || a->ncases == MAX_ITEMS || a->ntranscripts == MAX_ITEMS)
			die("too many items");
		if (!strcmp(o, "--title")) {
			a->title = need(argc, argv, &i);
		} else if (!strcmp(o, "--rationale")) {
			a->rationale = need(argc, argv, &i);
		} else if (!strcmp(o, "--model")) {
			a->model = need(argc, argv, &i);
		} else if (!strcmp(o, "--case")) {
			a->cases[a->ncases++] = need(argc, argv, &i);
		} else if (!strcmp(o, "--transcript")) {
			a->transcripts[a->ntranscripts++] = need(argc, argv, &i);
		} else if (!strcmp(o, "--replace")) {
			e->kind = CHARTER_EDIT_REPLACE;
			e->id = need(argc, argv, &i);
			e->body = need(argc, argv, &i);
			a->nedits++;
		} else if (!strcmp(o, "--insert-after")) {
			e->kind = CHARTER_EDIT_INSERT_AFTER;
			e->id = need(argc, argv, &i);
			e->new_id = need(argc, argv, &i);
			e->heading = need(argc, argv, &i);
			e->body = need(argc, argv, &i);
			a->nedits++;
		} else if (!strcmp(o, "--delete")) {
			e->kind = CHARTER_EDIT_DELETE;
			e->id = need(argc, argv, &i);
			a->nedits++;
		} else {
			die("unknown option");
		}
	}
}

static cJSON *new_proposal(store *s, const args *a)
{
	static const proposal_prompt prompts[] = {
		{ "amend", "3f9a00000000000000000000000000000000000000000000000000000000abcd" },
	};
	char base[41], provider[64] = "";
	const char *slash = strchr(a->model, '/');
	proposal_fields f = {
		.base = base, .title = a->title, .rationale = a->rationale, .cases = a->cases,
		.ncases = a->ncases, .edits = a->edits, .nedits = a->nedits,
	};
	proposal_provenance prov = {
		.model = slash ? slash + 1 : a->model, .endpoint_host = "127.0.0.1",
		.prompts = prompts, .nprompts = 1,
	};

	if (slash && (size_t)(slash - a->model) < sizeof provider) {
		memcpy(provider, a->model, (size_t)(slash - a->model));
		prov.provider = provider;
	}
	if (store_resolve(s, NULL, base) < 0)
		die(cd_err_msg());
	return proposal_build(&f, &prov);
}

/* The case file, existing or minimal, resolved by the proposal. */
static char *resolved_case(store *s, const char *id, const char *pid)
{
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT, out = CD_BUF_INIT;
	cJSON *c = NULL;

	cd_buf_printf(&path, "cases/%s.json", id);
	if (store_read_worktree(s, path.data, &text) == 0)
		c = cd_json_parse(text.data, text.len, path.data);
	if (!c) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "id", id);
		cJSON_AddStringToObject(c, "kind", "counterexample");
		cJSON_AddStringToObject(c, "scenario", "A scenario that the charter gets wrong.");
		cJSON_AddStringToObject(c, "status", "open");
		cJSON_AddNullToObject(c, "resolved_by");
	}
	cJSON_ReplaceItemInObject(c, "status", cJSON_CreateString("resolved"));
	cJSON_ReplaceItemInObject(c, "resolved_by", cJSON_CreateString(pid));
	cd_json_print(c, &out);
	cJSON_Delete(c);
	cd_buf_clear(&path);
	cd_buf_clear(&text);
	return cd_buf_detach(&out);
}

/* The amended charter, the transcripts and the resolved cases; what is
 * allocated for them goes to owned[], freed by the caller. */
static size_t add_files(store *s, const args *a, cJSON *p, store_change *ch, cd_buf *charter_out,
			char **owned, size_t *nowned)
{
	cd_buf text = CD_BUF_INIT;
	size_t n = 0;
	charter *c;

	if (store_read(s, NULL, STORE_CHARTER, &text) < 0 ||
	    charter_parse(STORE_CHARTER, text.data, text.len, &c) < 0 ||
	    charter_apply(c, a->edits, a->nedits, charter_out) < 0)
		die(cd_err_msg());
	charter_free(c);
	cd_buf_clear(&text);
	ch[n++] = (store_change){ STORE_CHARTER, charter_out->data, charter_out->len };
	for (size_t i = 0; i < a->ntranscripts; i++) {
		char sha[CD_SHA256_HEX], *path = malloc(128);
		const char *body = a->transcripts[i];

		cd_sha256_hex(body, strlen(body), sha);
		snprintf(path, 128, "transcripts/%s.json", sha);
		owned[(*nowned)++] = path;
		proposal_add_transcript(p, sha);
		ch[n++] = (store_change){ path, body, strlen(body) };
	}
	for (size_t i = 0; i < a->ncases; i++) {
		char *path = malloc(64), *data = resolved_case(s, a->cases[i], proposal_id(p));

		snprintf(path, 64, "cases/%s.json", a->cases[i]);
		owned[(*nowned)++] = path;
		owned[(*nowned)++] = data;
		ch[n++] = (store_change){ path, data, strlen(data) };
	}
	return n;
}

int main(int argc, char **argv)
{
	store_change ch[2 + 2 * MAX_ITEMS];
	char *owned[3 * MAX_ITEMS];
	size_t nowned = 0;
	cd_buf charter_out = CD_BUF_INIT, reviewer = CD_BUF_INIT, msg = CD_BUF_INIT;
	cd_buf ppath = CD_BUF_INIT, pjson = CD_BUF_INIT;
	char *name, *email, commit[41];
	store_trailer *tr;
	size_t nch, ntr;
	cJSON *p;
	store *s;
	args a;

	parse_args(argc, argv, &a);
	if (store_open(a.dir, &s) < 0 || store_identity(s, &name, &email) < 0)
		die(cd_err_msg());
	cd_buf_printf(&reviewer, "%s <%s>", name, email);
	p = new_proposal(s, &a);
	nch = add_files(s, &a, p, ch, &charter_out, owned, &nowned);
	proposal_set_regression(p, &(proposal_regression){ .fixed = 1, .unchanged = 7 });
	if (proposal_accept(p, reviewer.data, NULL) < 0 || proposal_validate(p, NULL, 0, NULL) < 0 ||
	    proposal_commit_message(p, reviewer.data, &msg, &tr, &ntr) < 0)
		die(cd_err_msg());
	proposal_normalize(p);
	cd_json_print(p, &pjson);
	cd_buf_printf(&ppath, "proposals/%s.json", proposal_id(p));
	ch[nch++] = (store_change){ ppath.data, pjson.data, pjson.len };
	if (store_lock(s) < 0 || store_commit(s, ch, nch, msg.data, tr, ntr, commit) < 0)
		die(cd_err_msg());
	store_unlock(s);
	printf("%s %s\n", proposal_id(p), commit);
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	cd_buf_clear(&charter_out);
	cd_buf_clear(&reviewer);
	cd_buf_clear(&msg);
	cd_buf_clear(&ppath);
	cd_buf_clear(&pjson);
	store_trailers_free(tr, ntr);
	cJSON_Delete(p);
	store_close(s);
	free(name);
	free(email);
	return 0;
}
