# lib.sh — helpers for bench/*.sh: a scratch dir and a timer.
set -eu
: "${CODICIL_BIN:?run through 'make bench'}"
B=$(mktemp -d "${TMPDIR:-/tmp}/codicil-bench.XXXXXX")
trap 'rm -rf "$B"' EXIT
export HOME="$B/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
mkdir -p "$HOME"
git config --global user.name "Bench"
git config --global user.email "bench@example.org"
git config --global init.defaultBranch main

now() { date +%s.%N; }

# timeit LABEL RUNS CMD...: runs CMD RUNS times, prints min and median seconds
timeit() {
	label=$1 runs=$2; shift 2
	i=0; : >"$B/times"
	while [ "$i" -lt "$runs" ]; do
		t0=$(now); "$@" >/dev/null; t1=$(now)
		awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }" >>"$B/times"
		i=$((i + 1))
	done
	sort -n "$B/times" | awk -v l="$label" -v n="$runs" \
		'{ a[NR] = $1 } END { printf "%-44s min %7.3f s   median %7.3f s   (%d runs)\n", l, a[1], a[int((n + 1) / 2)], n }'
}

# gen_charter N_SECTIONS PER_SECTION: a charter of N*(1+PER) principles,
# about 10 lines each, on stdout.
gen_charter() {
	awk -v ns="$1" -v per="$2" 'BEGIN {
		print "# Generated constitution {#root}\n"
		for (s = 1; s <= ns; s++) {
			printf "## Section %d {#s%d authority=root}\n\n", s, s
			for (l = 1; l <= 7; l++) printf "Section %d describes duty %d with care and some reasonable words.\n", s, l
			print ""
			for (p = 1; p <= per; p++) {
				printf "### Principle %d.%d {#p%d-%d since=2026-01}\n\n", s, p, s, p
				for (l = 1; l <= 7; l++) printf "The assistant should never harm user %d in situation %d unless it is clearly reasonable.\n", p, l
				print ""
			}
		}
	}'
}

# start_fake [fakellm-server options]: the fake model on loopback, stopped
# at exit; FAKE_URL is its .../v1 and codicil is pointed at it.
start_fake() {
	"$TOOLS/fakellm-server" "$@" --print-port-file "$B/port" >"$B/fake.log" 2>&1 &
	fake=$!
	trap 'kill "$fake" 2>/dev/null; rm -rf "$B"' EXIT
	i=0
	while [ ! -s "$B/port" ]; do
		i=$((i + 1)); [ "$i" -le 100 ] || { echo "fakellm-server did not start"; exit 1; }
		sleep 0.05
	done
	FAKE_URL="http://127.0.0.1:$(cat "$B/port")/v1"
	export CODICIL_PROVIDER=openai CODICIL_ENDPOINT="$FAKE_URL" CODICIL_MODEL=fake
	export OPENAI_API_KEY=bench
}

# gen_cases N PRINCIPLES: N valid case files in cases/ of the current
# repository; case i cites PRINCIPLES (a Python expression of i, e.g.
# '["p%d-%d" % (1 + i % 40, 1 + i % 10)]').
gen_cases() {
	python3 - "$1" "$2" <<'PY'
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
    c = {"id": cid, "kind": "counterexample", "principles": eval(sys.argv[2]),
         "scenario": "Bench scenario %d: a user asks for something the charter, read "
                     "literally, gets wrong in case number %d." % (i, i),
         "literal_reading": "Refuse.", "expected": "Help with care.",
         "rationale": "No exception.", "severity": 1 + i % 5, "status": "open",
         "ratings": [], "resolved_by": None, "provenance": {}}
    with open("cases/%s.json" % cid, "w") as f:
        json.dump(c, f, indent=2)
        f.write("\n")
PY
}
