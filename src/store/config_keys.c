/* config_keys.c — the table of settings (config_keys.h). */
#include "codicil/config_keys.h"

#include <ctype.h>
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_key.h"

#define ANY 0, 0
#define LOCAL 1
#define TEAM 0

const config_key_info config_keys[] = {
	/* who answers */
	{ "codicil.provider", CT_CHOICE, "openai", NULL, "openai anthropic replay record", ANY, LOCAL,
	  "who answers: openai, anthropic (HTTP), replay or record (a cassette)" },
	{ "codicil.recordProvider", CT_CHOICE, "openai", NULL, "openai anthropic", ANY, LOCAL,
	  "who answers while recording a cassette" },
	{ "codicil.endpoint", CT_URL, NULL, "the provider's", NULL, ANY, LOCAL,
	  "the API's base URL (a local server, a proxy)" },
	{ "codicil.model", CT_STRING, NULL, "the provider's", NULL, ANY, TEAM,
	  "the model that generates, drafts and judges" },
	{ "codicil.judgeModel", CT_STRING, NULL, "codicil.model", NULL, ANY, TEAM,
	  "the model that judges cases" },
	{ "codicil.apiKeyEnv", CT_STRING, NULL, "OPENAI_API_KEY or ANTHROPIC_API_KEY", NULL, ANY,
	  LOCAL, "the environment variable that holds the key" },
	{ "codicil.apiKeyCommand", CT_STRING, NULL, "none", NULL, ANY, LOCAL,
	  "a command that prints the key (a password manager)" },
	{ "codicil.cassette", CT_STRING, NULL, "none", NULL, ANY, LOCAL,
	  "the cassette (JSONL) that replay reads and record writes" },
	/* the model under audit (codicil audit) */
	{ "codicil.target.provider", CT_CHOICE, NULL, "codicil.provider", "openai anthropic replay", ANY,
	  LOCAL, "who answers as the model under audit" },
	{ "codicil.target.endpoint", CT_URL, NULL, "the provider's", NULL, ANY, LOCAL,
	  "the base URL of the model under audit" },
	{ "codicil.target.model", CT_STRING, NULL, "codicil.model", NULL, ANY, TEAM,
	  "the model under audit" },
	{ "codicil.target.apiKeyEnv", CT_STRING, NULL, "the provider's variable", NULL, ANY, LOCAL,
	  "the environment variable that holds the audited model's key" },
	{ "codicil.target.apiKeyCommand", CT_STRING, NULL, "none", NULL, ANY, LOCAL,
	  "a command that prints the audited model's key" },
	{ "codicil.target.system", CT_STRING, NULL, "none", NULL, ANY, TEAM,
	  "a file in the repository: the system prompt the audited model runs with" },
	{ "codicil.judges", CT_LIST, NULL, "codicil.judgeModel", NULL, ANY, TEAM,
	  "the judge panel of an audit: models of codicil.provider" },
	/* the transport */
	{ "codicil.concurrency", CT_INT, "8", NULL, NULL, 1, 1024, TEAM,
	  "requests in flight at once" },
	{ "codicil.retries", CT_INT, "4", NULL, NULL, 0, 100, TEAM,
	  "retries of a request that failed on the way (429, 5xx, a broken connection)" },
	{ "codicil.backoffBase", CT_DECIMAL, "1", NULL, NULL, 0, 3600, TEAM,
	  "seconds: the base of the backoff between retries" },
	{ "codicil.connectTimeout", CT_INT, "10", NULL, NULL, 1, 3600, TEAM,
	  "seconds to connect" },
	{ "codicil.stallTimeout", CT_INT, "60", NULL, NULL, 1, 86400, TEAM,
	  "seconds without a byte before a request is abandoned" },
	{ "codicil.minTransferRate", CT_INT, "16", NULL, NULL, 1, 1073741824, TEAM,
	  "bytes a second below which an answer is too slow" },
	{ "codicil.requestTimeout", CT_INT, "600", NULL, NULL, 1, 86400, TEAM,
	  "seconds an attempt may take in all" },
	{ "codicil.maxResponseBytes", CT_INT, "8388608", NULL, NULL, 1024, 9.2e18, TEAM,
	  "the largest answer accepted" },
	{ "codicil.repairAttempts", CT_INT, "1", NULL, NULL, 0, 5, TEAM,
	  "times an invalid answer is sent back with its errors" },
	{ "codicil.maxConsecutiveFailures", CT_INT, "8", NULL, NULL, 1, 100000, TEAM,
	  "attempts in a row without an answer before a run stops sending" },
	/* cost */
	{ "codicil.budget", CT_BUDGET, NULL, "none", NULL, ANY, TEAM,
	  "the cap of a run: tokens (250k, 2M) or $N" },
	{ "codicil.confirmAbove", CT_BUDGET, NULL, "$1, or 200k tokens without a price", NULL, ANY,
	  TEAM, "the workbench asks before an amendment estimated above it" },
	{ "codicil.price.*.input", CT_DECIMAL, NULL, "none", NULL, 0, 1e6, TEAM,
	  "dollars per million input tokens of a model" },
	{ "codicil.price.*.output", CT_DECIMAL, NULL, "none", NULL, 0, 1e6, TEAM,
	  "dollars per million output tokens of a model" },
	{ "codicil.price.*.cachedInput", CT_DECIMAL, NULL, "the input price", NULL, 0, 1e6, TEAM,
	  "dollars per million input tokens read from the prompt cache" },
	{ "codicil.batchPriceFactor", CT_DECIMAL, "0.5", NULL, NULL, 0, 1, TEAM,
	  "the share of the price an answer from a provider batch costs" },
	{ "codicil.batchPollSeconds", CT_DECIMAL, "30", NULL, NULL, 0.01, 3600, TEAM,
	  "how often a provider batch is asked how it is doing" },
	{ "codicil.maxCharterBytes", CT_INT, "48000", NULL, NULL, 1, 9.2e18, TEAM,
	  "above it, requests carry an excerpt of the charter" },
	{ "codicil.judgeBatch", CT_INT, "1", NULL, NULL, 1, 50, TEAM, "cases per judge request" },
	/* the work */
	{ "codicil.charter", CT_STRING, "CONSTITUTION.md", NULL, NULL, ANY, TEAM,
	  "the charter's file in the work tree" },
	{ "codicil.dedupThreshold", CT_DECIMAL, "0.8", NULL, NULL, 0.01, 1, TEAM,
	  "word 3-shingle Jaccard similarity at which a new case is a duplicate" },
	{ "codicil.consequences", CT_INT, "3", NULL, NULL, 1, 20, TEAM,
	  "consequences an amendment predicts" },
	{ "codicil.theorizeMaxCases", CT_INT, "60", NULL, NULL, 1, 100000, TEAM,
	  "cases shown to the model that looks for failure theories" },
	{ "codicil.theoryMinRated", CT_INT, "5", NULL, NULL, 0, 100000, TEAM,
	  "rated cases a theory needs before it can be retired" },
	{ "codicil.theoryRetireBelow", CT_DECIMAL, "0.2", NULL, NULL, 0, 1, TEAM,
	  "hit rate under which a theory is retired" },
	/* raters */
	{ "codicil.reliableRater", CT_LIST, NULL, "none", NULL, ANY, TEAM,
	  "a rater whose verdicts anchor the others' (repeatable)" },
	{ "codicil.dimension", CT_LIST, NULL, "none", NULL, ANY, TEAM,
	  "a rating dimension beyond valid/invalid (repeatable)" },
	{ "codicil.aggregateConfirm", CT_DECIMAL, "0.8", NULL, NULL, 0, 1, TEAM,
	  "P(valid) above which aggregate suggests confirming a case" },
	{ "codicil.aggregateDismiss", CT_DECIMAL, NULL, "1 - codicil.aggregateConfirm", NULL, 0, 1,
	  TEAM, "P(valid) below which aggregate suggests dismissing a case" },
	{ "codicil.loopJudgeConfidence", CT_DECIMAL, "0.8", NULL, NULL, 0, 1, TEAM,
	  "the judge's confidence that a new case is mishandled from which codicil loop drafts an amendment for it" },
	{ "codicil.loopProposals", CT_INT, "2", NULL, NULL, 0, 100, TEAM,
	  "amendments codicil loop drafts a round, at most" },
	{ "codicil.consensus", CT_CHOICE, "model", NULL, "model weighted", ANY, TEAM,
	  "the consensus aggregate suggests statuses from: the fitted model or the raters' weighted vote" },
	{ "codicil.argueAbove", CT_DECIMAL, NULL, "unset: always", NULL, 0, 1, TEAM,
	  "the predicted chance that arguments change a verdict above which they are shown first" },
	{ "codicil.vagueAlpha", CT_DECIMAL, "0.45", NULL, NULL, 0, 1, TEAM,
	  "raters' agreement (Krippendorff's alpha) below which a principle is flagged vague" },
	{ "codicil.appealJudgeConfidence", CT_DECIMAL, "0.7", NULL, NULL, 0, 1, TEAM,
	  "the judge's confidence that makes a disagreement an appeal" },
	{ "codicil.appealHumanConfidence", CT_DECIMAL, "0.8", NULL, NULL, 0, 1, TEAM,
	  "the raters' confidence that makes a disagreement an appeal" },
	/* the workbench */
	{ "codicil.key.*", CT_KEYS, NULL, "see the ? screen", NULL, ANY, TEAM,
	  "the keys of a workbench action, space-separated (codicil.key.down \"j C-n\")" },
	{ "codicil.keyHints", CT_CHOICE, "true", NULL, "true false", ANY, TEAM,
	  "the workbench shows the current view's keys on its bottom line (F2 toggles)" },
	{ NULL, CT_STRING, NULL, NULL, NULL, ANY, TEAM, NULL },
};

/* pattern "a.*.b" against key (case-insensitive, like git's section and
 * name; a family's middle is taken as it is). */
static int matches(const char *pattern, const char *key)
{
	const char *star = strchr(pattern, '*');
	size_t head, tail, n = strlen(key);

	if (!star)
		return !strcasecmp(pattern, key);
	head = (size_t)(star - pattern);
	tail = strlen(star + 1);
	return n > head + tail && !strncasecmp(key, pattern, head) &&
	       !strcasecmp(key + n - tail, star + 1) && !memchr(key + head, '\n', n - head - tail);
}

const config_key_info *config_key_lookup(const char *key)
{
	for (const config_key_info *k = config_keys; k->key; k++)
		if (matches(k->key, key))
			return k;
	return NULL;
}

static int number(const char *v, int whole, double *out)
{
	char *end;
	long l;

	if (whole) {
		if (config_parse_long(v, &l) < 0)
			return -1;
		*out = (double)l;
		return 0;
	}
	*out = strtod(v, &end);
	return end == v || *end ? -1 : 0;
}

int config_key_check(const config_key_info *k, const char *value, cd_buf *why)
{
	double d;

	switch (k->type) {
	case CT_URL:
		if (strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
			return cd_buf_puts(why, "an http:// or https:// URL"), -1;
		return 0;
	case CT_CHOICE: {
		size_t n = strlen(value);
		for (const char *c = k->choices; *c;) {
			size_t len = strcspn(c, " ");
			if (len == n && !strncmp(c, value, n))
				return 0;
			c += len + (c[len] == ' ');
		}
		cd_buf_printf(why, "one of: %s", k->choices);
		return -1;
	}
	case CT_INT:
	case CT_DECIMAL:
		if (number(value, k->type == CT_INT, &d) < 0 || d < k->min || d > k->max) {
			if (k->max >= 9e18)
				cd_buf_printf(why, "a %s from %g up", k->type == CT_INT ? "whole number" :
					      "number", k->min);
			else
				cd_buf_printf(why, "a %s from %g to %g", k->type == CT_INT ?
					      "whole number" : "number", k->min, k->max);
			return -1;
		}
		return 0;
	case CT_BUDGET:
		if (!strcmp(value, "none") || value[0] == '$' || isdigit((unsigned char)value[0]))
			return 0;
		cd_buf_puts(why, "tokens (250000, 250k, 2M), $N, or none");
		return -1;
	default:
		return 0;
	}
}

/* Levenshtein distance, capped: what "did you mean" needs. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
						    tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof *prev);
	}
	return prev[lb];
}

int config_key_suggest(const char *key, cd_buf *out)
{
	int n = 0;

	for (const config_key_info *k = config_keys; k->key; k++) {
		if (strchr(k->key, '*') || distance(key, k->key) > 3)
			continue;
		cd_buf_printf(out, "%s%s", n++ ? ", " : "", k->key);
	}
	return n;
}
