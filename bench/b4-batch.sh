# A generation run under load: 2,000 requests (200 principles x 10 samples)
# against the fake model answering after 100 ms, at concurrency 32.  The
# ideal is ceil(2000/32) x 0.1 s = 6.3 s; then the same run again, fully
# answered from the cache.
. ./lib.sh
N_SECTIONS=20 PER=9 SAMPLES=10 C=32 LAT=100
start_fake --codicil --latency-ms "$LAT"
gen_charter "$N_SECTIONS" "$PER" >"$B/c.md"
"$CODICIL_BIN" init "$B/r" --from "$B/c.md" >/dev/null
cp -a "$B/r" "$B/r2"   # the same repo, for the cached run
cd "$B/r"
n=$("$CODICIL_BIN" principles --json | grep -c '"id"')
reqs=$((n * SAMPLES))
ideal=$(awk -v r="$reqs" -v c="$C" -v l="$LAT" 'BEGIN { printf "%.2f", int((r + c - 1) / c) * l / 1000 }')
echo "batch: $n principles x $SAMPLES samples = $reqs requests, concurrency $C, ${LAT} ms latency; ideal ${ideal} s"
report() {
	awk -v label="$1" -v ideal="$ideal" '{ printf "%-22s wall %6.2f s  ratio %.2f  cpu %5.2f s  peak RSS %5.1f MiB\n", label, $1, $1 / ideal, $2 + $3, $4 / 1024 }' "$B/time"
}
/usr/bin/time -f "%e %U %S %M" -o "$B/time" "$CODICIL_BIN" batch --all -n 1 --samples "$SAMPLES" \
	--concurrency "$C" --journal "$B/j1.jsonl" >/dev/null 2>"$B/err1" || { cat "$B/err1"; exit 1; }
report "first run"
tail -1 "$B/err1"
awk -F'"at":"' '{ split($2, a, "\""); print a[1] }' "$B/j1.jsonl" | sort | sed -n '1p;$p' | tr '\n' ' ' |
	awk '{ printf "  journal lines from %s to %s\n", $1, $2 }'
# the same run on the same repo state, answered from the first run's cache
mkdir -p "$B/r2/.git/codicil" && cp -a .git/codicil/cache "$B/r2/.git/codicil/cache"
cd "$B/r2"
/usr/bin/time -f "%e %U %S %M" -o "$B/time" "$CODICIL_BIN" batch --all -n 1 --samples "$SAMPLES" \
	--concurrency "$C" --journal "$B/j2.jsonl" >/dev/null 2>"$B/err2" || { cat "$B/err2"; exit 1; }
report "same run, cached"
tail -1 "$B/err2"
