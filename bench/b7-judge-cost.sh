# What judging a case costs on a large charter: a generated charter of
# about 330 KB (440 principles) and 60 cases, judged against the fake model
# once with the whole charter in every request (codicil.maxCharterBytes set
# above its size: how judging worked before) and once as it works now (the
# table of contents plus the principles the case cites).  Input tokens come
# from the usage the fake reports (about a token per 4 bytes sent).
. ./lib.sh
N=60
start_fake --codicil
export CODICIL_CONCURRENCY=8
gen_charter 40 10 >"$B/charter.md"
"$CODICIL_BIN" init "$B/r" --from "$B/charter.md" >/dev/null
cd "$B/r"
gen_cases "$N" '["p%d-%d" % (1 + i % 40, 1 + i % 10)]'
git add cases && git commit -qm "bench: $N cases"
bytes=$(wc -c <CONSTITUTION.md)
tokens() { # total input tokens in the transcripts, then clear them and the judgments
	python3 -c '
import glob, json
print(sum(json.load(open(f))["usage"]["input_tokens"] for f in glob.glob(".git/codicil/transcripts/*.json")))'
	rm -rf .git/codicil/transcripts .git/codicil/judgments .git/codicil/cache
}
echo "judge: $N cases on a charter of $bytes bytes"
CODICIL_MAX_CHARTER_BYTES=100000000 "$CODICIL_BIN" judge >/dev/null 2>"$B/err" || { cat "$B/err"; exit 1; }
whole=$(tokens)
"$CODICIL_BIN" judge >/dev/null 2>"$B/err" || { cat "$B/err"; exit 1; }
excerpt=$(tokens)
awk -v n="$N" -v w="$whole" -v e="$excerpt" 'BEGIN {
	printf "%-44s %8d input tokens per case\n", "whole charter in every request", w / n
	printf "%-44s %8d input tokens per case\n", "table of contents + cited principles", e / n
	printf "%-44s %8.1fx fewer\n", "ratio", w / e }'
# several cases to a request (codicil.judgeBatch): they share the
# instructions and the table of contents
for b in 4 8 16; do
	CODICIL_JUDGE_BATCH=$b "$CODICIL_BIN" judge >/dev/null 2>"$B/err" || { cat "$B/err"; exit 1; }
	t=$(tokens)
	awk -v n="$N" -v t="$t" -v e="$excerpt" -v b="$b" 'BEGIN {
		printf "%-44s %8d input tokens per case (%.1fx fewer)\n", "codicil.judgeBatch=" b, t / n, e / t }'
done

# The same cases judged again after the last principle was renamed: its
# heading is in every request's table of contents, so no request is the
# same and the judgment and response caches miss every case; the
# provider's prompt cache (the fake plays OpenAI's: prefixes of 1,024
# tokens and more, in steps of 128) reads what comes before the change.
"$CODICIL_BIN" judge >/dev/null 2>"$B/err" || { cat "$B/err"; exit 1; }
sed -i 's/^### Principle 40\.10 {/### Principle 40.10, renamed {/' CONSTITUTION.md
"$CODICIL_BIN" judge >/dev/null 2>"$B/err" || { cat "$B/err"; exit 1; }
"$CODICIL_BIN" runs --json -n 1 | python3 -c '
import json, sys
r = json.load(sys.stdin)[0]
t, q = r["tokens"], r["requests"]
print("%-44s %8d requests sent, %d from the response cache" % ("after renaming the last principle", q.get("ok", 0), q.get("cached", 0)))
print("%-44s %8.0f%% of their input tokens" % ("read from the provider prompt cache", 100.0 * t["cached_input"] / max(t["input"], 1)))'
