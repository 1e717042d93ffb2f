# Regression over a large case library: 5,000 case files written directly,
# one `codicil regress` against the fake model to fill the judgment cache
# (5,000 cases x 2 charter texts), then the same run again, every judgment
# from the cache: that second run is the figure.
. ./lib.sh
N=5000
"$TOOLS/fakellm-server" --codicil --print-port-file "$B/port" >"$B/fake.log" 2>&1 &
fake=$!
trap 'kill "$fake" 2>/dev/null; rm -rf "$B"' EXIT
i=0
while [ ! -s "$B/port" ]; do
	i=$((i + 1)); [ "$i" -le 100 ] || { echo "fakellm-server did not start"; exit 1; }
	sleep 0.05
done
export CODICIL_PROVIDER=openai CODICIL_ENDPOINT="http://127.0.0.1:$(cat "$B/port")/v1"
export CODICIL_MODEL=fake OPENAI_API_KEY=bench CODICIL_CONCURRENCY=32
"$CODICIL_BIN" init "$B/r" >/dev/null
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
ids = ["truthful", "calibrated", "privacy", "candor", "autonomy", "clarify"]
for i in range(int(sys.argv[1])):
    cid = "c-" + b32(1700000000000 + i, 10) + b32(i * 7919, 8)
    c = {"id": cid, "kind": "counterexample", "principles": [ids[i % len(ids)]],
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
# the candidate: the work tree's charter with an exception added
printf '\nAn exception applies when the text would clearly harm the person.\n' >>CONSTITUTION.md
echo "regress: $N cases, base HEAD against the edited work tree"
/usr/bin/time -f "%e %M" -o "$B/time" "$CODICIL_BIN" regress >"$B/out1" 2>"$B/err1" || { cat "$B/err1"; exit 1; }
awk '{ printf "%-34s wall %7.2f s  peak RSS %5.1f MiB\n", "first run (fills the cache)", $1, $2 / 1024 }' "$B/time"
head -n 1 "$B/out1"
/usr/bin/time -f "%e %M" -o "$B/time" "$CODICIL_BIN" regress >"$B/out2" 2>"$B/err2" || { cat "$B/err2"; exit 1; }
awk -v n="$N" '{ printf "%-34s wall %7.2f s  peak RSS %5.1f MiB  (%d cached judgments)\n", "second run (all cached)", $1, $2 / 1024, 2 * n }' "$B/time"
head -n 1 "$B/out2"
