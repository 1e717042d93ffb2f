/* exchange.h — cases out to evaluation tools, scenario sets in.
 *
 * Export formats (one case at a time: memory does not grow with the
 * library):
 *   jsonl      one flat object per line: the columns below
 *   csv        the same columns, a header row first (RFC 4180)
 *   inspect    a dataset inspect_ai.dataset.json_dataset reads: input (the
 *              scenario), target (the expected outcome), id, metadata
 *   promptfoo  a promptfooconfig.yaml: one test per case, the scenario as
 *              vars.scenario, an llm-rubric assertion built from the cited
 *              principles' text and the case's expected outcome, metadata
 *
 * The flat columns, in order: id, kind, status, principles (ids separated
 * by spaces), severity, scenario, literal_reading, expected, rationale,
 * created, ratings (how many), valid (how many said valid).
 *
 * Import reads jsonl or csv with those columns by default (so an export
 * imports back), or others named with --map; only the scenario is needed.
 */
#ifndef CODICIL_EXCHANGE_H
#define CODICIL_EXCHANGE_H

#include <stdio.h>

#include "codicil/case_index.h"
#include "codicil/config.h"
#include "codicil/store.h"

typedef enum exchange_format {
	EXCHANGE_JSONL,
	EXCHANGE_CSV,
	EXCHANGE_INSPECT,
	EXCHANGE_PROMPTFOO,
} exchange_format;

/* -1 with an error listing the formats. */
int exchange_format_parse(const char *s, exchange_format *out);

#define EXCHANGE_COLUMNS 12
extern const char *const exchange_columns[EXCHANGE_COLUMNS];

typedef struct export_opts {
	exchange_format format;
	case_query q;            /* which cases */
} export_opts;

/* Write the cases o selects to out; *n receives how many.  The promptfoo
 * config names the configured model as its provider and grader (openai
 * and anthropic; a replay setup gets none: add one). */
int export_cases(store *s, config *cfg, const export_opts *o, FILE *out, size_t *n);

/* ---- import ---- */

typedef struct import_map {
	const char *field;       /* scenario, principles, kind, severity, ... */
	const char *column;
} import_map;

typedef struct import_opts {
	const char *path;
	exchange_format format;  /* EXCHANGE_JSONL or EXCHANGE_CSV */
	const import_map *maps;
	size_t nmaps;
	const char *kind;        /* when the record has none: counterexample */
	const char *principle;   /* when the record has none */
	const char *source;      /* provenance.source.name; NULL: the file name */
	int dry_run;             /* check and count; write nothing */
	/* progress, every 1,000 records (may be NULL) */
	void (*progress)(void *ud, long records, long bytes, long total_bytes);
	void *ud;
} import_opts;

typedef struct import_result {
	long records;            /* read */
	long imported;           /* new cases (to be) committed */
	long duplicates;         /* of the library or of earlier records */
	long invalid;            /* reported and skipped */
	char **problems;         /* "line 12: severity: must be ..." */
	size_t nproblems;
	char commit[41];         /* "" when nothing was committed */
} import_result;

/* Read every record, make a case of each valid, new one, and commit them
 * all in one commit (takes the repository lock).  Bad records are
 * reported in r and skipped; nothing is written before the commit, so a
 * crash imports nothing. */
int import_cases(store *s, config *cfg, const import_opts *o, import_result *r);
void import_result_clear(import_result *r);

#endif
