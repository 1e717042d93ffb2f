/* json.h — small helpers over cJSON: files written pretty-printed and
 * atomically (the caller builds objects in a stable key order, so git diffs
 * of records stay readable), and typed getters that tolerate absent keys. */
#ifndef CODICIL_JSON_H
#define CODICIL_JSON_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/buf.h"

/* Parse a file; errors name the path and the position of the problem. */
cJSON *cd_json_read_file(const char *path);
/* Parse a buffer; `what` names it in errors (a path, "reply", ...). */
cJSON *cd_json_parse(const char *text, size_t len, const char *what);
/* Pretty-printed, two-space indented, final newline. */
int cd_json_print(const cJSON *j, cd_buf *out);
/* One line, no spaces (JSONL, hashing). */
int cd_json_print_compact(const cJSON *j, cd_buf *out);
int cd_json_write_file(const char *path, const cJSON *j);

/* Getters: NULL / def when the key is absent or of another type. */
const char *cd_json_str(const cJSON *obj, const char *key);
double cd_json_num(const cJSON *obj, const char *key, double def);
/* The number as an int or a long, clamped to the type's range (NaN: 0). */
int cd_json_int(const cJSON *obj, const char *key, int def);
long cd_json_long(const cJSON *obj, const char *key, long def);
int cd_json_bool(const cJSON *obj, const char *key, int def);

/* obj[key] += delta; the number is added when absent.  Sums in records
 * (tokens, counts). */
void cd_json_add_to(cJSON *obj, const char *key, double delta);
/* obj[key] = x rounded to digits decimals (digits < 0: as it is), or null
 * when x is not finite (a measure that is undefined: NAN). */
void cd_json_add_rounded(cJSON *obj, const char *key, double x, int digits);
/* obj[key], an object, added when absent (NULL when out of memory). */
cJSON *cd_json_child(cJSON *obj, const char *key);

/* Key order of every object sorted recursively: a canonical form for
 * hashing requests. */
cJSON *cd_json_canonical(const cJSON *j);
/* "a\nb\n" as the array ["a", "b"] (empty lines left out); NULL text: [].
 * NULL when out of memory. */
cJSON *cd_json_lines(const char *text);

#endif
