/* fuzz_records — case and proposal files as a hand or a model wrote them:
 * parsed, validated, normalised and printed; printed text must be inert. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/case.h"
#include "codicil/json.h"
#include "codicil/proposal.h"

static const char *const ids[] = { "privacy", "honesty", "crisis" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *j = cJSON_ParseWithLength((const char *)data, size);
	cd_buf err = CD_BUF_INIT, text = CD_BUF_INIT;

	if (!j)
		return 0;
	case_validate(j, ids, 3, &err);
	case_validate(j, NULL, 0, &err);
	cd_buf_reset(&err);
	proposal_validate(j, ids, 3, &err);
	if (cJSON_IsObject(j) && proposal_to_text(j, &text) == 0) {
		for (size_t i = 0; i < text.len; i++) {
			unsigned char c = (unsigned char)text.data[i];
			if (c == 0x1b || c == 0x7f)
				abort();
		}
	}
	if (cJSON_IsObject(j)) {
		case_normalize(j);
		proposal_normalize(j);
	}
	cd_buf_clear(&err);
	cd_buf_clear(&text);
	cJSON_Delete(j);
	return 0;
}
