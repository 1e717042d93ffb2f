/* fuzz_merge — what git hands `codicil merge-file`: three versions of a
 * case file (base, ours, theirs), here cut from one input at NUL bytes.
 * Whatever they hold, the merge returns an object or nothing, never
 * touches freed memory, and merging a file with itself changes nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/case_merge.h"

/* The next part of the input, up to a NUL or the end, parsed. */
static cJSON *part(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
	const uint8_t *stop = nul ? nul : end;
	cJSON *j = cJSON_ParseWithLength((const char *)*p, (size_t)(stop - *p));

	*p = nul ? nul + 1 : end;
	return j;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	cJSON *base = part(&p, end), *ours = part(&p, end), *theirs = part(&p, end), *m;
	cd_buf conflicts = CD_BUF_INIT;

	if (cJSON_IsObject(ours) && cJSON_IsObject(theirs)) {
		m = case_merge(cJSON_IsObject(base) ? base : NULL, ours, theirs, &conflicts);
		cJSON_Delete(m);
		cd_buf_reset(&conflicts);
		/* a file merged with itself: the same file (as text: cJSON_Compare
		 * finds an object with a key twice unequal to itself), no conflict */
		m = case_merge(ours, ours, ours, &conflicts);
		if (m) {
			char *a = cJSON_PrintUnformatted(m), *b = cJSON_PrintUnformatted(ours);
			if (!a || !b || strcmp(a, b) || conflicts.len)
				abort();
			free(a);
			free(b);
		}
		cJSON_Delete(m);
	}
	cd_buf_clear(&conflicts);
	cJSON_Delete(base);
	cJSON_Delete(ours);
	cJSON_Delete(theirs);
	return 0;
}
