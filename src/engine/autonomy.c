/* autonomy.c — the conditions of an automatic amendment (autonomy.h). */
#include "codicil/autonomy.h"

#include <string.h>

#include "codicil/charter.h"
#include "codicil/error.h"
#include "codicil/json.h"

static int permits(const principle *p)
{
	for (size_t a = 0; a < p->nattrs; a++)
		if (!strcmp(p->attrs[a].key, "autonomy") && p->attrs[a].value &&
		    !strcmp(p->attrs[a].value, AUTONOMY_AUTO_META))
			return 1;
	return 0;
}

int autonomy_meta_rule(store *s, const char *rev, cd_buf *rule)
{
	charter *ch = NULL;
	cd_buf text = CD_BUF_INIT;
	int found = 0;

	if (store_read(s, rev, STORE_META, &text) < 0) { /* no META.md: nothing permits it */
		cd_buf_clear(&text);
		cd_err_clear();
		return 0;
	}
	if (charter_parse(STORE_META, text.data ? text.data : "", text.len, &ch) < 0) {
		cd_buf_clear(&text);
		return -1;
	}
	cd_buf_clear(&text);
	for (size_t i = 0; i < ch->n && !found; i++)
		if (!charter_has_children(ch, i) && permits(&ch->p[i]))
			found = cd_buf_puts(rule, ch->p[i].id) == 0;
	charter_free(ch);
	return found;
}

int autonomy_passes(const cJSON *p, cd_buf *why)
{
	const cJSON *reg = cJSON_GetObjectItemCaseSensitive(p, "regression"), *it;
	size_t rules = 0, bad = 0;
	long broken = cd_json_long(reg, "broken", 0), worse = cd_json_long(reg, "worse", 0);

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "meta_check")) {
		const char *v = cd_json_str(it, "verdict"), *r = cd_json_str(it, "rule");
		rules++;
		if (v && !strcmp(v, "pass"))
			continue;
		cd_buf_printf(why, "%s%s (%s)", bad++ ? ", " : "the meta-check does not pass rules ",
			      r ? r : "?", v ? v : "no verdict");
	}
	if (!rules)
		cd_buf_printf(why, "no META.md rule was checked");
	if (!cJSON_IsObject(reg))
		cd_buf_printf(why, "%sno regression was run", why->len ? "; " : "");
	else if (broken || worse)
		cd_buf_printf(why, "%sthe regression breaks %ld and worsens %ld case%s",
			      why->len ? "; " : "", broken, worse, worse == 1 ? "" : "s");
	return why->len == 0;
}
