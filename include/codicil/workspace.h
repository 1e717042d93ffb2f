/* workspace.h — the constitution a command works on: the charter file of
 * a store, read from the work tree or a revision, parsed and validated.
 * Both front ends load charters through here so that a malformed charter
 * is reported the same way everywhere. */
#ifndef CODICIL_WORKSPACE_H
#define CODICIL_WORKSPACE_H

#include "codicil/case.h"
#include "codicil/charter.h"
#include "codicil/config.h"
#include "codicil/store.h"
#include "codicil/theory.h"

/* The charter's path in the work tree: codicil.charter, or CONSTITUTION.md. */
const char *workspace_charter_path(config *cfg);
/* 1 when the work tree's charter differs from HEAD's (uncommitted edits),
 * else 0.  Commands that commit records read the charter at HEAD; judge
 * reads the work tree; each says so when the two differ. */
int workspace_charter_dirty(store *s, config *cfg);
/* codicil.maxCharterBytes (48000): above it, requests carry an excerpt of
 * the charter (charter_excerpt) instead of all of it. */
int workspace_max_charter_bytes(config *cfg, size_t *out);
/* The charter as a question about case c needs it: charter_excerpt of the
 * principles c cites. */
int workspace_case_excerpt(const charter *ch, const cJSON *c, size_t max_bytes, cd_buf *out);
/* The same for several cases at once: every principle any of them cites. */
int workspace_cases_excerpt(const charter *ch, const cJSON *const *cases, size_t ncases,
			    size_t max_bytes, cd_buf *out);

/* Load and parse path at rev (NULL: the work tree).  When validate is set,
 * a charter with problems fails with the first "path:line: problem" and a
 * count of the others. */
int workspace_load(store *s, const char *path, const char *rev, int validate, charter **out);

/* 0 when the charter has no problems; otherwise -1 with the first
 * "path:line: problem" and a count of the others. */
int workspace_check(const charter *c);

/* Before importing a file as a charter: no NUL bytes, principles (unless
 * allow_empty), and what charter_validate() finds (text that is not UTF-8,
 * duplicate ids, an unclosed {#...}).  -1 with every problem appended to problems, one
 * "path:line: problem" line each, and a summary in cd_err. */
int workspace_check_import(const char *path, int allow_empty, cd_buf *problems);

/* Where a new record goes inside the work tree, appended to out:
 * case_path_in_layout's CASE_LAYOUT_FANNED for 'c' ids (fanned out so
 * that a commit rewrites a few small trees, never one with every case),
 * "proposals/<id>.json" for 'p', "theories/<id>.json" for 't'.  -1 for an id
 * codicil did not make (cd_id_valid), so no path ever escapes its folder
 * or is cut short. */
int workspace_record_path(const char *id, cd_buf *out);
/* Where the record id is at rev (NULL: the work tree): the path above, or
 * for a case the first earlier layout that holds it (fanned out by the
 * last two digits; "cases/<id>.json", which 'codicil migrate' moves).  For
 * a record that is nowhere yet, the path above. */
int workspace_record_at(store *s, const char *rev, const char *id, cd_buf *out);
/* transcripts/<first two hex digits>/<sha>.json: where accept commits the
 * transcript of a model call (fanned out like cases).  -1 for anything but
 * a sha256. */
int workspace_transcript_path(const char *sha, cd_buf *out);
/* Where that transcript is at rev (NULL: the work tree): the path above,
 * or the flat transcripts/<sha>.json of earlier versions. */
int workspace_transcript_at(store *s, const char *rev, const char *sha, cd_buf *out);
/* 1 when path (relative to the work tree) exists at rev, or in the work
 * tree when rev is NULL. */
int workspace_path_exists(store *s, const char *rev, const char *path);

/* cd_err for an id c does not have: "no principle with id 'x' (did you
 * mean a, b?  list them with 'codicil principles')".  Returns -1. */
int workspace_no_principle(const charter *c, const char *id);

/* The case library of the work tree (cases/); see case_library_load.
 * Every case in memory at once: for commands that need every case (a
 * regression, a fit).  Lists, filters and lookups go through the case
 * index (case_index.h) instead. */
int workspace_load_cases(store *s, case_library *out);

/* `codicil fmt`: an explicit {#id} in every heading that has only an
 * implicit one.  *changed gets how many; FMT_CHECK changes nothing,
 * FMT_WRITE writes the work tree's charter, FMT_COMMIT commits it
 * ("Format: explicit ids for N principles", under the repository lock). */
enum workspace_fmt_mode { FMT_CHECK, FMT_WRITE, FMT_COMMIT };
int workspace_fmt(store *s, config *cfg, enum workspace_fmt_mode mode, size_t *changed);
/* The failure theories of the work tree (theories/); see
 * theory_library_load. */
int workspace_load_theories(store *s, theory_library *out);
/* The active theory id (or the only one it is a unique prefix of), the
 * caller's to cJSON_Delete; NULL with an error when there is none or it
 * is retired.  What steers generation and audits. */
cJSON *workspace_active_theory(store *s, const char *id);
/* The case id (or the only one it is a unique prefix of), read from its
 * file through the case index.  NULL with an error saying how to list
 * them, or what is wrong with the file.  The caller cJSON_Delete()s it. */
cJSON *workspace_case_read(store *s, const char *id);

/* Where codicil finds templates (constitutions/NAME): $CODICIL_DATADIR,
 * the source tree the binary was built in, then the installed data dir. */
int workspace_template_dir(const char *name, cd_buf *out);
/* Names of the available templates, comma-separated (for messages). */
int workspace_template_names(cd_buf *out);

#endif
