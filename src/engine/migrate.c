/* migrate.c — an older repository brought to today's layout (migrate.h). */
#include "codicil/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/id.h"
#include "codicil/proposal.h"
#include "codicil/workspace.h"

typedef struct moves {
	store_change *v;
	cd_buf *text;
	size_t n, cap;
} moves;

static int moves_add(moves *m, char *path, cd_buf *text)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		store_change *v = realloc(m->v, cap * sizeof *v);
		cd_buf *t = v ? realloc(m->text, cap * sizeof *t) : NULL;
		if (v)
			m->v = v;
		if (!v || !t) {
			free(path);
			cd_err_set("out of memory");
			return -1;
		}
		m->text = t;
		m->cap = cap;
	}
	m->text[m->n] = *text;
	*text = (cd_buf)CD_BUF_INIT;
	m->v[m->n].path = path;
	m->v[m->n].data = m->text[m->n].data; /* NULL: delete */
	m->v[m->n].len = m->text[m->n].len;
	m->n++;
	return 0;
}

static void moves_free(moves *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free((char *)m->v[i].path);
		cd_buf_clear(&m->text[i]);
	}
	free(m->v);
	free(m->text);
}

/* A delete of old and a write of new with old's content at HEAD. */
static int move(store *s, moves *m, const char *old, const char *new_path)
{
	cd_buf text = CD_BUF_INIT, none = CD_BUF_INIT;
	char *a = strdup(old), *b = strdup(new_path);

	if (!a || !b) {
		free(a);
		free(b);
		cd_err_set("out of memory");
		return -1;
	}
	if (store_read(s, "HEAD", old, &text) < 0 || !text.data) {
		cd_buf_putc(&text, 0); /* an empty file still needs data */
		text.len = 0;
	}
	if (moves_add(m, a, &none) < 0 || moves_add(m, b, &text) < 0) {
		free(b);
		cd_buf_clear(&text);
		return -1;
	}
	return 0;
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Every file directly under dir at HEAD whose name is a record of the new
 * layout's kind: moved to where it belongs now. */
static int move_dir(store *s, moves *m, const char *dir, size_t *count)
{
	char **paths = NULL, id[80];
	size_t n = 0;
	int rc = 0;

	if (store_list_tree(s, NULL, dir, &paths, &n) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *name = base_of(paths[i]);
		size_t len = strlen(name);
		cd_buf to = CD_BUF_INIT;

		if (len < 6 || len - 5 >= sizeof id || strcmp(name + len - 5, ".json"))
			continue;
		snprintf(id, sizeof id, "%.*s", (int)(len - 5), name);
		if (!strcmp(dir, "cases") ? id[0] == 'c' && cd_id_valid(id) &&
						    workspace_record_path(id, &to) == 0
					  : workspace_transcript_path(id, &to) == 0) {
			rc = move(s, m, paths[i], to.data);
			++*count;
		}
		cd_err_clear();
		cd_buf_clear(&to);
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

static int add_attributes(store *s, moves *m, int *added)
{
	cd_buf text = CD_BUF_INIT;
	char *path = strdup(STORE_ATTRIBUTES);
	int have = store_read(s, "HEAD", STORE_ATTRIBUTES, &text) == 0;

	cd_err_clear();
	*added = 0;
	if (have && !store_attributes_need(text.data)) {
		free(path);
		cd_buf_clear(&text);
		return 0;
	}
	if (text.len && text.data[text.len - 1] != '\n')
		cd_buf_putc(&text, '\n');
	cd_buf_puts(&text, store_attributes_text);
	*added = 1;
	return path ? moves_add(m, path, &text) : -1;
}

static int commit_moves(store *s, const moves *m, const migrate_result *r, char commit[41])
{
	cd_buf msg = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&msg, "Move to codicil's current layout\n\n");
	if (r->cases)
		cd_buf_printf(&msg, "%zu case file%s moved to cases/<xy>/.\n",
			      r->cases, r->cases == 1 ? "" : "s");
	if (r->transcripts)
		cd_buf_printf(&msg, "%zu transcript%s moved to transcripts/<first two digits>/.\n",
			      r->transcripts, r->transcripts == 1 ? "" : "s");
	if (r->attributes)
		cd_buf_printf(&msg, "%s: case files merge rater by rater.\n", STORE_ATTRIBUTES);
	rc = store_commit(s, m->v, m->n, msg.data, NULL, 0, commit);
	cd_buf_clear(&msg);
	return rc;
}

int migrate_repository(store *s, migrate_result *r)
{
	moves m = { 0 };
	int rc;

	memset(r, 0, sizeof *r);
	if (store_lock(s) < 0)
		return -1;
	rc = move_dir(s, &m, "cases", &r->cases);
	if (rc == 0)
		rc = move_dir(s, &m, PROPOSAL_TRANSCRIPT_DIR, &r->transcripts);
	if (rc == 0)
		rc = add_attributes(s, &m, &r->attributes);
	if (rc == 0 && m.n)
		rc = commit_moves(s, &m, r, r->commit);
	store_unlock(s);
	moves_free(&m);
	return rc;
}
