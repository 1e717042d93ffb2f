# make bench-scale: codicil on libraries of 100,000 and 1,000,000 generated
# cases (SCALE_SIZES overrides), in the fanned-out layout, committed.  For
# each: the case index built from scratch, brought up to date when nothing
# changed and after one new commit; 'cases -p ID --status open' with a warm
# index; 'cases --json' (streamed); a batch run's CPU per request against
# the same run on an empty library; peak RSS of each.  Then near-duplicate
# recall and precision of the index's MinHash bands against the exact
# all-pairs method.  Takes several minutes and a few GB of disk.
HERE=$(pwd)
. ../lib.sh
SIZES=${SCALE_SIZES:-100000 1000000}
start_fake --codicil

# measure LABEL CMD...: wall seconds and peak RSS of one run
measure() {
	label=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$B/time" "$@" >"$B/out" 2>"$B/err" ||
		{ echo "   ($label failed: $(tail -1 "$B/err"))"; return 0; }
	awk -v l="$label" '{ printf "  %-46s %7.3f s  cpu %7.3f s  peak RSS %6.1f MiB\n", l, $1, $2 + $3, $4 / 1024 }' "$B/time"
}

# batch_cpu: CPU seconds per request of one batch run here (3 principles x
# 4 samples, 3 cases each, committed)
batch_cpu() {
	/usr/bin/time -f "%U %S %M" -o "$B/time" "$CODICIL_BIN" batch -p privacy -p truthful \
		-p crisis -n 3 --samples 4 --no-cache --journal "$B/j-$1.jsonl" >/dev/null 2>"$B/err" ||
		{ echo "   (batch failed: $(tail -1 "$B/err"))"; return 0; }
	awk '{ printf "%.4f %.1f\n", ($1 + $2) / 12, $3 / 1024 }' "$B/time"
}

"$CODICIL_BIN" init "$B/empty" >/dev/null
cd "$B/empty"
set -- $(batch_cpu empty)
empty_cpu=$1
echo "empty library: batch CPU per request ${empty_cpu} s (peak RSS $2 MiB)"

for n in $SIZES; do
	echo "== $n cases"
	"$CODICIL_BIN" init "$B/lib$n" >/dev/null
	cd "$B/lib$n"
	ids=$("$CODICIL_BIN" principles --json | python3 -c 'import json,sys; print(" ".join(p["id"] for p in json.load(sys.stdin)))')
	t0=$(now)
	PARENT=$(git rev-parse HEAD) python3 "$HERE/mklibrary.py" "$n" 0 $ids | git fast-import --quiet
	git read-tree -u --reset HEAD
	echo "  generated and checked out in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }') s" \
	     "($(du -sh cases | cut -f1) of case files)"
	measure "index --rebuild (from scratch)" "$CODICIL_BIN" index --rebuild
	echo "  index: $(du -sh .git/codicil/index.sqlite | cut -f1)"
	measure "index, nothing changed" "$CODICIL_BIN" index
	measure "cases -p privacy --status open (warm)" "$CODICIL_BIN" cases -p privacy --status open
	echo "    $(wc -l <"$B/out") cases listed"
	words=$(git show "HEAD:$(git ls-tree -r --name-only HEAD cases | sed -n 7p)" |
		python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["scenario"].split()[2:4]))')
	measure "cases --grep '$words'" "$CODICIL_BIN" cases --grep "$words"
	echo "    $(wc -l <"$B/out") cases listed"
	measure "cases --json (streamed)" "$CODICIL_BIN" cases --json
	echo "    $(wc -c <"$B/out") bytes of JSON"
	c=$("$CODICIL_BIN" cases -p privacy --status open | head -1 | cut -d' ' -f1)
	"$CODICIL_BIN" rate "$c" --verdict valid >/dev/null
	measure "index after one new commit (a rating)" "$CODICIL_BIN" index
	cat "$B/out" | sed 's/^/    /'
	set -- $(batch_cpu "$n")
	awk -v a="$empty_cpu" -v b="$1" -v m="$2" 'BEGIN { printf "  batch CPU per request %.4f s (%.2fx the empty library), peak RSS %s MiB\n", b, b / a, m }'
	cd "$B"
	[ -n "${SCALE_KEEP:-}" ] || rm -rf "$B/lib$n"
done

"$TOOLS/bench_dedup_index" "$B/recall"
