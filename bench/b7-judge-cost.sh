# What judging a case costs on a large charter: a generated charter of
# about 330 KB (440 principles) and 60 cases, judged against the fake model
# once with the whole charter in every request (codicil.maxCharterBytes set
# above its size: how judging worked before) and once as it works now (the
# table of contents plus the principles the case cites).  Input tokens come
# from the usage the fake reports (about a token per 4 bytes sent).
. ./lib.sh
N=60
"$TOOLS/fakellm-server" --codicil --print-port-file "$B/port" >"$B/fake.log" 2>&1 &
fake=$!
trap 'kill "$fake" 2>/dev/null; rm -rf "$B"' EXIT
i=0
while [ ! -s "$B/port" ]; do
	i=$((i + 1)); [ "$i" -le 100 ] || { echo "fakellm-server did not start"; exit 1; }
	sleep 0.05
done
export CODICIL_PROVIDER=openai CODICIL_ENDPOINT="http://127.0.0.1:$(cat "$B/port")/v1"
export CODICIL_MODEL=fake OPENAI_API_KEY=bench CODICIL_CONCURRENCY=8
gen_charter 40 10 >"$B/charter.md"
"$CODICIL_BIN" init "$B/r" --from "$B/charter.md" >/dev/null
cd "$B/r"
python3 - "$N" <<'PY'
import json, os, sys
digits = "0123456789abcdefghjkmnpqrstvwxyz"
def b32(n, width):
    s = ""
    for _ in range(width):
        s = digits[n % 32] + s
        n //= 32
    return s
os.makedirs("cases", exist_ok=True)
for i in range(int(sys.argv[1])):
    cid = "c-" + b32(1700000000000 + i, 10) + b32(i * 7919, 8)
    c = {"id": cid, "kind": "counterexample",
         "principles": ["p%d-%d" % (1 + i % 40, 1 + i % 10)],
         "scenario": "Bench scenario %d: a user asks for something the charter, read "
                     "literally, gets wrong in case number %d." % (i, i),
         "literal_reading": "Refuse.", "expected": "Help with care.",
         "rationale": "No exception.", "severity": 1 + i % 5, "status": "open",
         "ratings": [], "resolved_by": None, "provenance": {}}
    with open("cases/%s.json" % cid, "w") as f:
        json.dump(c, f, indent=2)
        f.write("\n")
PY
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
