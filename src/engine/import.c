/* import.c — outside scenario sets in as open cases, in one commit
 * (exchange.h).  The file is read one record at a time; each record
 * becomes a case, is checked (errors carry the line), compared with the
 * library (exact and near, through the index) and with the records before
 * it (exact, by the hash of the normalised text: a near-duplicate index of
 * the file itself would cost more memory than the cases), and held as the
 * text of its file until the commit. */
#include "codicil/exchange.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/case.h"
#include "codicil/csv.h"
#include "codicil/dedup.h"
#include "codicil/error.h"
#include "codicil/hash.h"
#include "codicil/json.h"
#include "codicil/strmap.h"
#include "codicil/workspace.h"

/* The fields a record may give, and the column each is read from. */
enum field { F_SCENARIO, F_PRINCIPLES, F_KIND, F_SEVERITY, F_LITERAL, F_EXPECTED,
	     F_RATIONALE, F_COUNT };
static const char *const field_names[F_COUNT] = {
	"scenario", "principles", "kind", "severity", "literal_reading", "expected", "rationale",
};

typedef struct importer {
	store *s;
	const import_opts *o;
	import_result *r;
	charter *ch;
	const char **ids;            /* the charter's principle ids */
	case_index *ix;
	struct strmap seen;          /* the normalised scenarios imported so far,
	                                by their hash: exact repeats in the file
	                                (the library's near ones are the index's) */
	double threshold;
	const char *column[F_COUNT]; /* the column each field is read from */
	char sha[CD_SHA256_HEX];
	const char *source, *file;
	store_change *changes;
	cd_buf *texts;
	size_t n, cap;
	/* the record being read */
	long line;
	const cJSON *json;           /* jsonl */
	const csv_record *csv;       /* csv, with the header's names */
	const csv_record *header;
} importer;

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int resolve_columns(importer *x)
{
	for (size_t i = 0; i < F_COUNT; i++)
		x->column[i] = field_names[i];
	for (size_t m = 0; m < x->o->nmaps; m++) {
		size_t i = 0;
		while (i < F_COUNT && strcmp(field_names[i], x->o->maps[m].field))
			i++;
		if (i == F_COUNT) {
			cd_err_set("--map %s=%s: no such field (use scenario, principles, kind, "
				   "severity, literal_reading, expected or rationale)",
				   x->o->maps[m].field, x->o->maps[m].column);
			return -1;
		}
		x->column[i] = x->o->maps[m].column;
	}
	return 0;
}

/* The record's value of field f, as text ("" when absent); an array of
 * strings is joined with spaces, a number is written out. */
static const char *value(importer *x, enum field f, cd_buf *tmp)
{
	const cJSON *v, *it;

	cd_buf_reset(tmp);
	if (x->csv) {
		for (size_t i = 0; i < x->header->n; i++)
			if (!strcmp(csv_field(x->header, i), x->column[f]))
				return csv_field(x->csv, i) ? csv_field(x->csv, i) : "";
		return "";
	}
	v = cJSON_GetObjectItemCaseSensitive(x->json, x->column[f]);
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v))
		cd_buf_printf(tmp, "%g", v->valuedouble);
	if (cJSON_IsArray(v))
		cJSON_ArrayForEach(it, v)
			if (cJSON_IsString(it))
				cd_buf_printf(tmp, "%s%s", tmp->len ? " " : "", it->valuestring);
	return cd_buf_cstr(tmp);
}

static void problem(importer *x, const char *what)
{
	cd_buf b = CD_BUF_INIT;
	char **grown;

	x->r->invalid++;
	if (x->r->nproblems >= 1000) /* enough to see what is wrong */
		return;
	grown = realloc(x->r->problems, (x->r->nproblems + 1) * sizeof *grown);
	if (!grown)
		return;
	x->r->problems = grown;
	cd_buf_printf(&b, "line %ld: %s", x->line, what);
	if ((grown[x->r->nproblems] = cd_buf_detach(&b)))
		x->r->nproblems++;
}

/* "privacy, crisis;autonomy" -> the ids. */
static size_t split_ids(char *text, const char **out, size_t max)
{
	size_t n = 0;

	for (char *save, *t = strtok_r(text, " ,;", &save); t && n < max;
	     t = strtok_r(NULL, " ,;", &save))
		out[n++] = t;
	return n;
}

/* The source of an imported case: the file, its sha256 and the line. */
static int add_source(importer *x, cJSON *c)
{
	cJSON *prov = cJSON_GetObjectItemCaseSensitive(c, "provenance");
	cJSON *src = cJSON_AddObjectToObject(prov, "source");

	return src && cJSON_AddStringToObject(src, "name", x->source) &&
	       cJSON_AddStringToObject(src, "file", x->file) &&
	       cJSON_AddStringToObject(src, "sha256", x->sha) &&
	       cJSON_AddNumberToObject(src, "line", (double)x->line) ? 0 : -1;
}

/* A case made of the record, or NULL (the problem is recorded; -1 in
 * *oom when memory ran out). */
static cJSON *make_case(importer *x, int *oom)
{
	cd_buf tmp[F_COUNT], missing = CD_BUF_INIT;
	const char *v[F_COUNT], *ps[16];
	char *ids = NULL;
	case_kind kind;
	cJSON *c = NULL;
	long sev = 3;

	for (size_t i = 0; i < F_COUNT; i++) {
		tmp[i] = (cd_buf)CD_BUF_INIT;
		v[i] = value(x, (enum field)i, &tmp[i]);
	}
	cd_buf_printf(&missing, "(not given in %s)", x->source);
	if (!*v[F_SCENARIO]) {
		problem(x, "no scenario (name its column with --map scenario=COLUMN)");
		goto out;
	}
	if (case_kind_parse(*v[F_KIND] ? v[F_KIND] : x->o->kind ? x->o->kind : "counterexample",
			    &kind) < 0) {
		problem(x, cd_err_msg());
		goto out;
	}
	if (*v[F_SEVERITY] && (sev = strtol(v[F_SEVERITY], NULL, 10)) < 1)
		sev = 0; /* case_validate says what is wrong */
	ids = strdup(*v[F_PRINCIPLES] ? v[F_PRINCIPLES] : x->o->principle ? x->o->principle : "");
	if (!ids || cd_buf_failed(&missing)) {
		*oom = 1;
		goto out;
	}
	case_fields f = {
		.principles = ps, .nprinciples = split_ids(ids, ps, 16),
		.scenario = v[F_SCENARIO],
		.literal_reading = *v[F_LITERAL] ? v[F_LITERAL] : missing.data,
		.expected = *v[F_EXPECTED] ? v[F_EXPECTED] : missing.data,
		.rationale = *v[F_RATIONALE] ? v[F_RATIONALE] : missing.data,
		.severity = (int)sev,
	};
	if (!(c = case_new(kind, &f, NULL)) || add_source(x, c) < 0) {
		cJSON_Delete(c);
		c = NULL;
		*oom = 1;
	}
out:
	for (size_t i = 0; i < F_COUNT; i++)
		cd_buf_clear(&tmp[i]);
	cd_buf_clear(&missing);
	free(ids);
	return c;
}

/* The key of a scenario among those of the file: its normalised hash. */
static int seen_key(const char *scenario, char key[17])
{
	dedup_digest d;

	if (dedup_digest_make(scenario, &d) < 0)
		return -1;
	snprintf(key, 17, "%016llx", (unsigned long long)d.exact);
	dedup_digest_clear(&d);
	return 0;
}

/* 1: a duplicate; -1: out of memory. */
static int is_duplicate(importer *x, const char *scenario)
{
	char key[17];

	if (case_index_duplicate(x->ix, scenario, x->threshold, NULL, NULL) != DEDUP_NEW)
		return 1;
	if (seen_key(scenario, key) < 0)
		return -1;
	return strmap_get(&x->seen, key) != NULL;
}

/* Hold c as the file that will be committed. */
static int keep(importer *x, const cJSON *c)
{
	cd_buf path = CD_BUF_INIT, text = CD_BUF_INIT;
	store_change *more = cd_grow(x->changes, x->n, &x->cap, sizeof *more, 64);
	cd_buf *texts;
	char *more_text;

	if (!more)
		return -1;
	x->changes = more;
	if (!(texts = realloc(x->texts, x->cap * sizeof *texts))) {
		cd_err_set("out of memory");
		return -1;
	}
	x->texts = texts;
	char key[17];

	if (seen_key(cd_json_str(c, "scenario"), key) < 0 || strmap_put(&x->seen, key, 1) < 0 ||
	    workspace_record_path(case_id(c), &path) < 0 || cd_json_print(c, &text) < 0 ||
	    !(x->changes[x->n].path = cd_buf_detach(&path))) {
		cd_buf_clear(&path);
		cd_buf_clear(&text);
		cd_err_set("out of memory");
		return -1;
	}
	/* held until the commit: no room to spare (a buffer doubles) */
	if ((more_text = realloc(text.data, text.len + 1)))
		text.data = more_text;
	text.cap = text.len + 1;
	x->texts[x->n] = text;
	x->changes[x->n].data = text.data;
	x->changes[x->n].len = text.len;
	x->n++;
	return 0;
}

/* One record: -1 only when memory ran out. */
static int take(importer *x)
{
	cd_buf errs = CD_BUF_INIT;
	int oom = 0, rc = 0, dup;
	cJSON *c;

	x->r->records++;
	if (!(c = make_case(x, &oom)))
		return oom ? -1 : 0;
	case_normalize(c);
	if (case_validate(c, x->ids, x->ch->n, &errs) < 0) {
		if (cd_buf_failed(&errs)) {
			rc = -1;
		} else {
			errs.data[strcspn(errs.data, "\n")] = '\0';
			problem(x, errs.data);
		}
	} else if ((dup = is_duplicate(x, cd_json_str(c, "scenario"))) != 0) {
		if (dup < 0)
			rc = -1;
		else
			x->r->duplicates++;
	} else if ((rc = keep(x, c)) == 0) {
		x->r->imported++;
	}
	cd_buf_clear(&errs);
	cJSON_Delete(c);
	return rc;
}

static void progress(importer *x, FILE *f, long total)
{
	if (x->o->progress && x->r->records % 1000 == 0)
		x->o->progress(x->o->ud, x->r->records, ftell(f), total);
}

static int read_jsonl(importer *x, FILE *f, long total)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
		cJSON *j;

		x->line++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		if (!(j = cJSON_ParseWithLength(line, (size_t)len)) || !cJSON_IsObject(j)) {
			x->r->records++;
			problem(x, "not a JSON object");
		} else {
			x->json = j;
			rc = take(x);
			x->json = NULL;
		}
		cJSON_Delete(j);
		progress(x, f, total);
	}
	free(line);
	return rc;
}

static int read_csv(importer *x, FILE *f, long total)
{
	csv_reader rd = { .f = f };
	csv_record header = { 0 }, rec = { 0 };
	int got, rc = 0;

	if ((got = csv_read(&rd, &header)) <= 0) {
		if (got == 0)
			cd_err_set("%s is empty: a CSV file starts with a row of column names",
				   x->file);
		csv_record_clear(&header);
		return -1;
	}
	if (!strncmp(csv_field(&header, 0), "\xef\xbb\xbf", 3))
		header.off[0] += 3; /* a byte-order mark, as spreadsheets write one */
	x->header = &header;
	while (rc == 0 && (got = csv_read(&rd, &rec)) != 0) {
		x->line = rec.line;
		if (got < 0) { /* the rest cannot be split into records */
			x->r->records++;
			problem(x, cd_err_msg() + strcspn(cd_err_msg(), ":") + 2);
			break;
		}
		x->csv = &rec;
		rc = take(x);
		progress(x, f, total);
	}
	x->csv = NULL;
	csv_record_clear(&header);
	csv_record_clear(&rec);
	return rc;
}

/* The file's sha256, read once before the records are. */
static int hash_file(FILE *f, char out[CD_SHA256_HEX], long *total)
{
	cd_sha256 *h = cd_sha256_new();
	char chunk[65536];
	size_t n;

	if (!h) {
		cd_err_set("out of memory");
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		cd_sha256_bytes(h, chunk, n);
	cd_sha256_finish(h, out);
	*total = ftell(f);
	rewind(f);
	return ferror(f) ? -1 : 0;
}

static int commit(importer *x)
{
	cd_buf msg = CD_BUF_INIT, tr = CD_BUF_INIT;
	int rc;

	cd_buf_printf(&msg, "Import %zu case%s from %s\n\nRead from %s (sha256 %.12s): %ld "
		      "records, %ld duplicates, %ld invalid.\n", x->n, x->n == 1 ? "" : "s",
		      x->source, x->file, x->sha, x->r->records, x->r->duplicates,
		      x->r->invalid);
	cd_buf_printf(&tr, "%s sha256:%s", x->file, x->sha);
	{
		store_trailer t[] = { { "Codicil-Import", (char *)cd_buf_cstr(&tr) } };
		rc = store_lock(x->s);
		if (rc == 0) {
			rc = store_commit(x->s, x->changes, x->n, cd_buf_cstr(&msg), t, 1,
					  x->r->commit);
			store_unlock(x->s);
		}
	}
	cd_buf_clear(&msg);
	cd_buf_clear(&tr);
	return rc;
}

static int open_library(importer *x, config *cfg)
{
	if (workspace_load(x->s, workspace_charter_path(cfg), NULL, 1, &x->ch) < 0)
		return -1;
	if (!(x->ids = calloc(x->ch->n + 1, sizeof *x->ids))) {
		cd_err_set("out of memory");
		return -1;
	}
	for (size_t i = 0; i < x->ch->n; i++)
		x->ids[i] = x->ch->p[i].id;
	if (config_get_setting_double(cfg, "codicil.dedupThreshold", &x->threshold) < 0 ||
	    case_index_open(x->s, &x->ix, NULL) < 0)
		return -1;
	return 0;
}

static void importer_clear(importer *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free((char *)x->changes[i].path);
		cd_buf_clear(&x->texts[i]);
	}
	free(x->changes);
	free(x->texts);
	strmap_clear(&x->seen);
	case_index_close(x->ix);
	free(x->ids);
	charter_free(x->ch);
}

int import_cases(store *s, config *cfg, const import_opts *o, import_result *r)
{
	importer x = { .s = s, .o = o, .r = r };
	FILE *f = NULL;
	long total = 0;
	int rc = -1;

	memset(r, 0, sizeof *r);
	x.file = base_name(o->path);
	x.source = o->source ? o->source : x.file;
	if (resolve_columns(&x) < 0 || open_library(&x, cfg) < 0)
		goto out;
	if (!(f = fopen(o->path, "r"))) {
		cd_err_set("cannot read %s: %s", o->path, strerror(errno));
		goto out;
	}
	if (hash_file(f, x.sha, &total) < 0 ||
	    (o->format == EXCHANGE_CSV ? read_csv(&x, f, total) : read_jsonl(&x, f, total)) < 0)
		goto out;
	if (ferror(f)) {
		cd_err_set("cannot read %s: %s", o->path, strerror(errno));
		goto out;
	}
	rc = o->dry_run || !x.n ? 0 : commit(&x);
out:
	if (f)
		fclose(f);
	importer_clear(&x);
	return rc;
}

void import_result_clear(import_result *r)
{
	for (size_t i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	memset(r, 0, sizeof *r);
}
