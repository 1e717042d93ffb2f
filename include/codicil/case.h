/* case.h — cases: scenarios that test a constitution (cases/<id>.json).
 *
 * A case record IS a cJSON object, so fields written by a newer codicil
 * survive a load/save round trip untouched.  Its known keys, in the order
 * case_normalize() puts them (unknown keys follow, in their original order):
 *
 *     id               "c-01jd3k5w9r7qz4x2mb" (cd_id_new('c'))
 *     kind             counterexample | tension | vagueness | probe | consequence
 *                      | behaviour (the target model's conduct; audit.h has
 *                      its extra fields: transcript, verdicts, models, ...)
 *     principles       ["privacy", ...]  at least one; tension needs two
 *     scenario         20..4000 characters
 *     literal_reading  what the text as written demands       (1..4000)
 *     expected         what a good outcome is                 (1..4000)
 *     rationale        why the literal reading is wrong       (1..4000)
 *     severity         1..5
 *     status           open | confirmed | dismissed | resolved
 *     ratings          [rating, ...]  (see rating.h)
 *     resolved_by      proposal id or null
 *     provenance       {provider, model, endpoint_host, prompt {name, sha256},
 *                       request_sha256, response_sha256, constitution_commit,
 *                       usage {input_tokens, output_tokens}, latency_ms,
 *                       created, codicil_version}
 *     proposal         optional: the proposal a consequence belongs to
 *     theory           optional: the theory that steered generation
 *     run              optional: the batch run that produced it
 */
#ifndef CODICIL_CASE_H
#define CODICIL_CASE_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/buf.h"
#include "codicil/rating.h"

typedef enum case_kind {
	CASE_COUNTEREXAMPLE,
	CASE_TENSION,
	CASE_VAGUENESS,
	CASE_PROBE,
	CASE_CONSEQUENCE,
	CASE_BEHAVIOUR,  /* the target model failed a principle (audit.h) */
	CASE_KIND_COUNT
} case_kind;

typedef enum case_status {
	CASE_OPEN,
	CASE_CONFIRMED,
	CASE_DISMISSED,
	CASE_RESOLVED,
	CASE_STATUS_COUNT
} case_status;

#define CASE_SCENARIO_MIN 20
#define CASE_TEXT_MAX 4000 /* characters (code points), not bytes */

const char *case_kind_name(case_kind k);
const char *case_status_name(case_status s);
/* -1 for an unknown name, with an error listing the valid ones. */
int case_kind_parse(const char *s, case_kind *out);
int case_status_parse(const char *s, case_status *out);

/* What the generator knows about the LLM call behind a case.  Strings may
 * be NULL (written as null); created NULL means now. */
typedef struct case_provenance {
	const char *provider, *model, *endpoint_host;
	const char *prompt_name, *prompt_sha256;
	const char *request_sha256, *response_sha256;
	const char *constitution_commit;
	long input_tokens, output_tokens;
	long cached_input_tokens; /* of input_tokens; 0: no key written */
	long latency_ms;
	const char *created; /* ISO 8601 UTC */
	const char *repairs; /* what was mended in the answer, one change a line;
	                        NULL or "": none (then no "repairs" key) */
	int reasks;          /* times the answer was sent back with its errors */
} case_provenance;

typedef struct case_fields {
	const char *const *principles;
	size_t nprinciples;
	const char *scenario, *literal_reading, *expected, *rationale;
	int severity;
	const char *proposal, *theory, *run; /* optional: NULL leaves them out */
} case_fields;

/* A new open case with a fresh id, no ratings, resolved_by null, and a
 * provenance object (LLM fields null when prov is NULL: a hand-written
 * case).  The result is normalised but NOT validated: call case_validate().
 * NULL on out of memory. */
cJSON *case_new(case_kind kind, const case_fields *f, const case_provenance *prov);

/* Reorder c's keys (and those of provenance and of each rating) into the
 * stable order above; unknown keys keep their relative order after the
 * known ones.  Values are not changed. */
void case_normalize(cJSON *c);

/* Check a case; every problem is appended to err as one line naming the
 * field ("severity: must be an integer from 1 to 5, got 7").  ids/nids are
 * the charter's principle ids; ids NULL skips the existence check.
 * Returns 0 when valid; otherwise -1, and cd_err_set() gets the first
 * problem prefixed with the case id. */
int case_validate(const cJSON *c, const char *const *ids, size_t nids, cd_buf *err);

/* Accessors that tolerate a malformed record (NULL / -1 when absent). */
const char *case_id(const cJSON *c);
int case_get_kind(const cJSON *c);   /* a case_kind, or -1 */
int case_get_status(const cJSON *c); /* a case_status, or -1 */
/* 1 when the case lists principle id. */
int case_has_principle(const cJSON *c, const char *id);
/* Append c's principle ids to about, space-separated, each once (an id
 * already there as a whole word is not repeated): what a request is about
 * (llm_request.about). */
int case_about_add(cd_buf *about, const cJSON *c);

/* Set status; resolved_by is the proposal id (only for CASE_RESOLVED, NULL
 * otherwise: written as null). */
int case_set_status(cJSON *c, case_status s, const char *resolved_by);

/* Add r to the case's ratings; an earlier rating by the same rater (same
 * email inside <...>, or the same whole string if there is none) is
 * replaced in place.  Fails (nothing changed) when r is invalid. */
int case_rate(cJSON *c, const rating *r);

/* Normalise a copy and write it atomically, pretty-printed. */
int case_write(const char *path, const cJSON *c);

/* Plain-text rendering for `codicil case ID`; all record text is passed
 * through cd_sanitize so that it is inert on a terminal. */
int case_to_text(const cJSON *c, cd_buf *out);

/* Every cases/<id>.json of a directory. */
typedef struct case_library {
	cJSON **cases;    /* sorted by id */
	size_t n;
	char **errors;    /* "cases/x.json: problem", one per skipped file */
	size_t nerrors;
} case_library;

/* A name in cases/ that may hold a record (NAME.json, not hidden), and a
 * fan-out directory's (two letters or digits: cases/<xy>/<id>.json). */
int case_file_name(const char *name);
int case_fan_dir_name(const char *name);

/* Where the file of case id is in a layout, appended to out; -1 for an id
 * codicil did not make, so that no path escapes cases/.  New cases go to
 * CASE_LAYOUT_FANNED: cases/<xy>/<id>.json with x the digit of the id's
 * time that turns every 17.5 minutes (and comes round every 9.3 hours)
 * and y its last, random, digit.  The cases of one batch then share a few
 * dozen of the 1,024 directories, so a commit rewrites a few dozen trees
 * rather than most of them (each grows with the library), and no burst
 * (an import) fills one directory.  Earlier layouts stay readable. */
enum {
	CASE_LAYOUT_FANNED,        /* cases/<7th id digit><last digit>/<id>.json */
	CASE_LAYOUT_FANNED_BY_END, /* cases/<last two digits>/<id>.json */
	CASE_LAYOUT_FLAT,          /* cases/<id>.json */
	CASE_LAYOUTS
};
int case_path_in_layout(const char *id, int layout, cd_buf *out);

/* The problem with a parsed record file (name: its path, or its file
 * name), or NULL when it is a usable record: an object whose "id" is one
 * codicil made and matches the file name; a case (a c- id) must also be a
 * valid one, so that no command acts on a hand-edited case with severity
 * 9 or a number as its scenario.  The text may point into why. */
const char *case_file_problem(const cJSON *j, const char *name, cd_buf *why);

/* Load every *.json file of cases_dir (and of its fan-out directories,
 * cases_dir/<xy>/) (a missing directory is an empty
 * library).  A file that is not valid JSON, not an object, or whose "id"
 * does not match its file name is reported in out->errors (the path is the
 * last component of cases_dir joined with the file name) and skipped.
 * Returns -1 only when the directory cannot be read or memory runs out. */
int case_library_load(const char *cases_dir, case_library *out);
void case_library_clear(case_library *lib);

/* What a user typed as a case id, as the start of one: "01JD" is read as
 * "c-01jd"; an id with its prefix letter is kept (lowercased). */
void case_id_prefix(const char *s, char *out, size_t size);

/* The case whose id is id, or the only one it is a prefix of (like git;
 * "01jd" is read as "c-01jd").  NULL with an error when there is none or
 * when the prefix is ambiguous (the error names two candidates). */
cJSON *case_library_find(const case_library *lib, const char *id);

/* Filters: NULL fields match anything. */
typedef struct case_filter {
	const char *status;
	const char *kind;
	const char *principle;
} case_filter;

int case_matches(const cJSON *c, const case_filter *f);
/* The matching cases in library order, in a new array (free() it; the
 * cases still belong to lib).  *out is NULL when n is 0. */
int case_library_filter(const case_library *lib, const case_filter *f, cJSON ***out,
			size_t *n);

/* "2024-05-01T12:34:56Z" for now; used for created and rating times. */
#define CASE_TIME_SIZE 21
void case_time_now(char out[CASE_TIME_SIZE]);

#endif
