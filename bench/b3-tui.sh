# The terminal interface on a generated charter of 5,000 principles, driven
# by its script harness (a virtual 120x40 xterm whose output is discarded):
# time to the first full screen, and the cost of keystrokes that redraw.
. ./lib.sh

gen_charter 500 9 >"$B/big.md"
"$CODICIL_BIN" init "$B/r" --from "$B/big.md" >/dev/null
echo "charter: $(grep -c '^#' "$B/big.md") principles"
export CODICIL_TUI_DUMP_DIR="$B" LC_ALL=C.UTF-8
cd "$B/r"

printf ':resize 120x40\n:dump first\n' >"$B/first"
CODICIL_TUI_SCRIPT="$B/first" timeit "tui: start, first full screen, quit" 5 "$CODICIL_BIN" tui
grep -q "Generated constitution" "$B/first.screen" || echo "   (the screen was not drawn)"

{ echo ":resize 120x40"; i=0; while [ $i -lt 1000 ]; do echo j; i=$((i + 1)); done
  echo ":dump keys"; } >"$B/keys"
CODICIL_TUI_SCRIPT="$B/keys" timeit "tui: the same plus 1,000 j (redraw each)" 5 "$CODICIL_BIN" tui

printf ':resize 120x40\n/\n"p500-9"\nEnter\n:dump search\n' >"$B/search"
CODICIL_TUI_SCRIPT="$B/search" timeit "tui: the same plus a search to the last one" 5 "$CODICIL_BIN" tui
grep -q "5001/5001" "$B/search.screen" || echo "   (the search did not reach the last principle)"

# The Cases view with 10,000 cases (written straight into cases/ by a quick
# script, about 1.3 KB each): opening it, then the cost of one keystroke
# and its redraw — moving (j), and cycling a filter (s, which re-filters all
# 10,000) — as the difference to the opening run, per key.
"$CODICIL_BIN" init "$B/many" >/dev/null
python3 - "$B/many/cases" 10000 <<'PY'
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d)
kinds = ["counterexample", "tension", "vagueness", "probe"]
ids = ["privacy", "crisis", "autonomy", "show-work", "truthful", "brevity"]
status = ["open", "confirmed", "dismissed", "resolved"]
digits = "0123456789abcdefghjkmnpqrstvwxyz"
for i in range(n):
    suffix = "".join(digits[(i >> (5 * k)) & 31] for k in range(7, -1, -1))
    cid = "c-01m8e00000" + suffix
    c = {"id": cid, "kind": kinds[i % 4], "principles": [ids[i % 6]],
         "scenario": "Scenario %d: a user in situation %d asks for help that the text, read literally, gets wrong in a way a careful reader would notice at once." % (i, i % 97),
         "literal_reading": "The literal reading of case %d, quoting the principle." % i,
         "expected": "What a good outcome would be for case %d." % i,
         "rationale": "Why the literal reading fails for case %d, and what the text lacks." % i,
         "severity": 1 + i % 5, "status": status[i % 4], "ratings": [], "resolved_by": None,
         "provenance": {"provider": "openai", "model": "bench", "endpoint_host": "127.0.0.1",
                        "prompt": {"name": "generate", "sha256": "0" * 64},
                        "request_sha256": "1" * 64, "response_sha256": "2" * 64,
                        "constitution_commit": "3" * 40,
                        "usage": {"input_tokens": 2000, "output_tokens": 400},
                        "latency_ms": 900, "created": "2026-03-01T12:00:00Z",
                        "codicil_version": "0.1.0"}}
    with open(os.path.join(d, cid + ".json"), "w") as f:
        json.dump(c, f, indent=2)
PY
echo "cases: $(ls "$B/many/cases" | wc -l) files, $(cat "$B/many/cases"/* | wc -c) bytes"
cd "$B/many"
keys() { { echo ":resize 120x40"; echo 2; i=0; while [ $i -lt "$2" ]; do echo "$1"; i=$((i + 1)); done
	   echo ":dump cases-$1"; } >"$B/cases-$1"; }
keys j 0; mv "$B/cases-j" "$B/cases-open"
keys j 1000
keys s 200
CODICIL_TUI_SCRIPT="$B/cases-open" timeit "tui: 10,000 cases, open the Cases view" 5 "$CODICIL_BIN" tui
open=$(sort -n "$B/times" | sed -n 3p)
for k in j s; do
	n=1000; [ "$k" = s ] && n=200
	CODICIL_TUI_SCRIPT="$B/cases-$k" timeit "tui: the same plus $n $k (redraw each)" 5 "$CODICIL_BIN" tui
	awk -v t="$(sort -n "$B/times" | sed -n 3p)" -v o="$open" -v n="$n" -v k="$k" \
		'BEGIN { printf "   keystroke to redraw, %s on 10,000 cases: %.2f ms (median, less the opening)\n", k, (t - o) * 1000 / n }'
done
grep -q "1001/10000" "$B/cases-j.screen" || echo "   (the 1,000 j did not arrive at case 1001)"
