/* record.h — helpers private to src/model: key order and text checks shared
 * by the case and rating records. */
#ifndef CODICIL_MODEL_RECORD_H
#define CODICIL_MODEL_RECORD_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/buf.h"

/* Move the keys listed in order (NULL-terminated) to the front of obj, in
 * that order; the other keys follow in their original order.  Nothing
 * happens when obj is not an object. */
void record_reorder(cJSON *obj, const char *const *order);

/* Check that obj[key] is a string of min..max characters; on a problem
 * append "where.key: ..." (or "key: ..." when where is "") to err and
 * return 1, else 0.  optional: an absent or null value is fine. */
size_t record_check_text(const cJSON *obj, const char *where, const char *key, size_t min,
			 size_t max, int optional, cd_buf *err);

/* After a check that found problems: cd_err gets the first line the check
 * appended to err (from offset before), prefixed "what id: " — or says
 * that memory ran out while listing them.  Returns -1. */
int record_first_problem(const cd_buf *err, size_t before, const char *what, const char *id);

/* "where.key" or "key" into a small buffer, for messages. */
const char *record_field(char *buf, size_t size, const char *where, const char *key);

#endif
