/* argue_advice.c — whether to show a rater the arguments before their
 * verdict (argue.h): the flip predictor against codicil.argueAbove. */
#include "codicil/argue.h"

#include <math.h>

#include "codicil/aggregate.h"
#include "codicil/workspace.h"

int argue_advise(store *s, config *cfg, const cJSON *c, const char *rater, argue_advice *out)
{
	agg_settings as;
	case_library lib = { 0 };
	agg_result r = { 0 };
	int rc = -1;

	*out = (argue_advice){ .show = 1, .p_flip = NAN, .threshold = -1 };
	if (agg_settings_load(cfg, &as) < 0)
		return -1;
	out->threshold = as.argue_above;
	if (as.argue_above < 0)
		return 0;
	if (workspace_load_cases(s, &lib) == 0 && aggregate_library(&lib, &as, &r) == 0) {
		out->p_flip = agg_flip_p(&r, c, rater);
		out->show = isnan(out->p_flip) || out->p_flip > as.argue_above;
		rc = 0;
	}
	agg_result_clear(&r);
	case_library_clear(&lib);
	return rc;
}
