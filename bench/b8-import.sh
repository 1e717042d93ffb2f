# An outside scenario set of 100,000 lines imported (one commit), the
# CSV export of the result, and the time and peak RSS of each: the file is
# read a record at a time, and the cases are held as their file text until
# the commit.
. ./lib.sh
N=${IMPORT_LINES:-100000}
"$CODICIL_BIN" init "$B/r" >/dev/null
cd "$B/r"
ids=$("$CODICIL_BIN" principles --json | python3 -c 'import json,sys; print(" ".join(p["id"] for p in json.load(sys.stdin)))')
python3 - "$N" $ids >"$B/set.jsonl" <<'PY'
import json, random, sys
n, ids = int(sys.argv[1]), sys.argv[2:]
rng = random.Random(7)
syll = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "gu", "sho", "tre", "bal", "nor"]
vocab = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(4000)})[:3000]
for i in range(n):
    words = " ".join(rng.choice(vocab) for _ in range(rng.randint(30, 60)))
    print(json.dumps({"prompt": "Scenario %d: %s." % (i, words), "value": ids[i % len(ids)],
                      "level": 1 + i % 5}))
PY
echo "import: $N records, $(du -h "$B/set.jsonl" | cut -f1) of JSONL"
/usr/bin/time -f "%e %U %S %M" -o "$B/time" "$CODICIL_BIN" import "$B/set.jsonl" \
	--map scenario=prompt --map principles=value --map severity=level >"$B/out" 2>"$B/err" ||
	{ cat "$B/err"; exit 1; }
awk '{ printf "  import (one commit)    wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MiB\n", $1, $2 + $3, $4 / 1024 }' "$B/time"
sed 's/^/    /' "$B/out"
/usr/bin/time -f "%e %U %S %M" -o "$B/time" "$CODICIL_BIN" export --format csv -o "$B/all.csv" 2>/dev/null
awk '{ printf "  export --format csv    wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MiB\n", $1, $2 + $3, $4 / 1024 }' "$B/time"
echo "    $(($(wc -l <"$B/all.csv") - 1)) rows"
