/* proposal.h — amendments: structured edits to a charter with their case
 * for and against (proposals/<id>.json), and the commit that records an
 * accepted one.
 *
 * A proposal record IS a cJSON object, so fields written by a newer codicil
 * survive a load/save round trip.  Its known keys, in the order
 * proposal_normalize() puts them (unknown keys follow in their own order):
 *
 *     id            "p-01jd3k5w9r7qz4x2mb" (cd_id_new('p'))
 *     status        pending | accepted | rejected
 *     charter       path of the charter it amends ("CONSTITUTION.md")
 *     base          commit id (40 hex) the edits were drafted against
 *     title         one line, 1..200 characters
 *     rationale     1..8000 characters
 *     cases         ["c-...", ...] the cases it answers, at least one
 *     edits         [{op, id, new_id, level, heading, body}, ...] at least one;
 *                   op replace | insert_after | delete (see charter_edit)
 *     pros, cons    ["...", ...]
 *     consequences  [{scenario, effect, affected_principles [ids],
 *                     likelihood low|medium|high, severity 1..5,
 *                     case "c-..." or null}, ...]
 *     meta_check    [{rule, verdict pass|fail|unclear, reason}, ...]
 *     regression    null, or {fixed, broken, changed, unchanged,
 *                     flips [{case, before, after}]}; verdicts handled |
 *                     mishandled | unclear
 *     transcripts   ["<sha256>", ...] names of transcripts/<sha256>.json
 *     provenance    {provider, model, endpoint_host,
 *                    prompts [{name, sha256}], created, codicil_version}
 *     decision      null, or {by "Name <email>", at, note} once accepted
 *     rejection     null, or {by, at, reason} once rejected
 */
#ifndef CODICIL_PROPOSAL_H
#define CODICIL_PROPOSAL_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/buf.h"
#include "codicil/charter.h"
#include "codicil/store.h"

#define PROPOSAL_DIR "proposals"
#define PROPOSAL_TRANSCRIPT_DIR "transcripts"
#define PROPOSAL_TITLE_MAX 200
#define PROPOSAL_RATIONALE_MAX 8000

typedef enum proposal_status {
	PROPOSAL_PENDING,
	PROPOSAL_ACCEPTED,
	PROPOSAL_REJECTED,
	PROPOSAL_STATUS_COUNT
} proposal_status;

const char *proposal_status_name(proposal_status s);
/* -1 for an unknown name, with an error listing the valid ones. */
int proposal_status_parse(const char *s, proposal_status *out);

typedef struct proposal_prompt {
	const char *name;   /* "amend" */
	const char *sha256; /* of the template used, 64 hex */
} proposal_prompt;

/* What drafted the proposal.  Strings may be NULL (written as null);
 * created NULL means now. */
typedef struct proposal_provenance {
	const char *provider, *model, *endpoint_host;
	const proposal_prompt *prompts;
	size_t nprompts;
	const char *created; /* ISO 8601 UTC */
} proposal_provenance;

typedef struct proposal_fields {
	const char *charter; /* NULL: CONSTITUTION.md */
	const char *base;
	const char *title, *rationale;
	const char *const *cases;
	size_t ncases;
	const charter_edit *edits;
	size_t nedits;
	const char *const *pros;
	size_t npros;
	const char *const *cons;
	size_t ncons;
} proposal_fields;

/* A new pending proposal with a fresh id, empty consequences, meta_check
 * and transcripts, regression/decision/rejection null.  Normalised but NOT
 * validated.  NULL on out of memory. */
cJSON *proposal_build(const proposal_fields *f, const proposal_provenance *prov);

/* Reorder the keys of p (and of its nested known objects) into the order
 * above; unknown keys keep their relative order after the known ones. */
void proposal_normalize(cJSON *p);

/* Check a proposal; every problem is appended to err (may be NULL) as one
 * line naming the field ("edits[1].op: must be replace, insert_after or
 * delete").  ids/nids are the principle ids of the charter at base (edit
 * targets must exist there, new ids must not); ids NULL skips that.
 * Returns 0 when valid, else -1 with cd_err_set() given the first problem
 * prefixed by the proposal id. */
int proposal_validate(const cJSON *p, const char *const *ids, size_t nids, cd_buf *err);

/* Accessors that tolerate a malformed record (NULL / -1 when absent). */
const char *proposal_id(const cJSON *p);
int proposal_get_status(const cJSON *p); /* a proposal_status, or -1 */
/* The charter path, CONSTITUTION.md when absent. */
const char *proposal_charter(const cJSON *p);

/* The edits as charter_edits for charter_apply().  The strings point into
 * p (valid while p is unchanged); free(*out).  Fails naming the first bad
 * edit ("edits[2].op: ..."). */
int proposal_edits(const cJSON *p, charter_edit **out, size_t *n);

typedef struct proposal_flip {
	const char *case_id;
	const char *before, *after; /* handled | mishandled | unclear */
	int direction;              /* -1 worse, +1 better, 0 the same verdict */
	int severity;               /* the case's; 0: none */
	const char *principle;      /* the case's first; may be NULL */
	double before_confidence, after_confidence;
	const char *why;            /* the judge's reasoning under the new text */
} proposal_flip;

typedef struct proposal_regression {
	int fixed, broken, changed, unchanged;
	int worse, better;          /* verdicts that moved down or up */
	const proposal_flip *flips; /* in the order they are to be shown */
	size_t nflips;
} proposal_regression;

/* Setters; each keeps the key order. */
int proposal_set_regression(cJSON *p, const proposal_regression *r);
/* Adds sha256 (64 hex) to transcripts unless it is there already. */
int proposal_add_transcript(cJSON *p, const char *sha256);
/* status accepted, decision {by, at: now, note (NULL: null)}. */
int proposal_accept(cJSON *p, const char *by, const char *note);
/* status rejected, rejection {by, at: now, reason}. */
int proposal_reject(cJSON *p, const char *by, const char *reason);

/* Parse one proposal file's text; label names it in errors.  Fails when it
 * is not JSON or not an object with an "id" string. */
cJSON *proposal_parse(const char *text, size_t len, const char *label);
/* Load path; also fails when the id does not match the file name. */
cJSON *proposal_load(const char *path);
/* Normalise a copy and write it atomically, pretty-printed. */
int proposal_write(const char *path, const cJSON *p);

/* Every proposals/<id>.json of a directory. */
typedef struct proposal_list {
	cJSON **items;   /* sorted by id */
	size_t n;
	char **errors;   /* "proposals/x.json: problem", one per skipped file */
	size_t nerrors;
} proposal_list;

/* Load every *.json of dir (a missing dir is an empty list).  A file that
 * is not JSON, not an object, or whose id does not match its name is
 * reported in out->errors and skipped.  -1 only when the directory cannot
 * be read or memory runs out. */
int proposal_list_load(const char *dir, proposal_list *out);
void proposal_list_clear(proposal_list *l);
/* Sort n indices into l->items in the order proposals are listed: pending
 * first, then the newest (largest id) first. */
void proposal_list_order(const proposal_list *l, size_t *order, size_t n);
/* The proposal with that id, or the only one it is a prefix of ("01jd"
 * reads as "p-01jd").  NULL with an error when none or ambiguous. */
cJSON *proposal_list_find(const proposal_list *l, const char *id);

/* Plain-text rendering for `codicil review`; record text is passed
 * through cd_sanitize so that it is inert on a terminal. */
int proposal_to_text(const cJSON *p, cd_buf *out);

/* The commit of an accepted proposal, in the one format that `accept`
 * writes and `verify` checks:
 *
 *     Amend <ids>: <title>            ids: the principles the edits touch
 *
 *     <rationale>
 *
 *     Codicil-Proposal: p-...
 *     Codicil-Case: c-...              one per case
 *     Codicil-Model: provider/model
 *     Codicil-Prompt: amend sha256:...  one per prompt
 *     Codicil-Regression: fixed=3 broken=1 unchanged=42  (changed=N before
 *                                       unchanged when not 0; absent when
 *                                       regression is null)
 *     Reviewed-by: Name <email>
 *     Codicil-Override: ...            when accepted over objections
 *     Codicil-Autonomy: auto-meta      when accepted by the loop (autonomy.h)
 *
 * msg gets the subject and rationale (store_commit appends the trailers);
 * the trailers are allocated, free them with store_trailers_free().
 * Subject and trailer values are one line each.  A rationale whose last
 * paragraph would read as git trailers is closed with a line that does not,
 * so it cannot add trailers of its own. */
int proposal_commit_message(const cJSON *p, const char *reviewer, cd_buf *msg,
			    store_trailer **tr, size_t *n);

/* What speaks against accepting p: the META.md rules its meta-check fails
 * and the cases its regression breaks, as "fails the meta-check (rules
 * minimal, scope) and breaks 3 cases" appended to why.  Returns how many
 * objections there are (0: none). */
size_t proposal_objections(const cJSON *p, cd_buf *why);

/* "Amend ..." subject line alone, for messages. */
int proposal_commit_subject(const cJSON *p, cd_buf *out);

#endif
