# make bench-scale: codicil on libraries of 100,000 and 1,000,000 generated
# cases (SCALE_SIZES overrides), in the fanned-out layout, committed.  For
# each: the case index built from scratch, brought up to date when nothing
# changed and after one new commit; 'cases -p ID --status open' with a warm
# index; 'cases --json' (streamed); a batch run's CPU per request against
# the same run on an empty library; peak RSS of each.  Then near-duplicate
# recall and precision of the index's MinHash bands against the exact
# all-pairs method.  Takes several minutes and a few GB of disk (about 10 GB
# and twenty minutes at a million).  SCALE_DIR=DIR keeps the generated
# libraries in DIR/lib<N> and uses one found there instead of generating it;
# SCALE_KEEP_INDEX=1 then keeps an index found there too (at a million
# cases a rebuild takes ten minutes) and times only the rest.
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

# batch_cpu SAMPLES: CPU seconds and peak RSS (MiB) of one batch run here:
# every principle (29) x SAMPLES requests of 3 cases, committed once
batch_cpu() {
	/usr/bin/time -f "%U %S %M" -o "$B/time" "$CODICIL_BIN" batch --all -n 3 --samples "$1" \
		--no-cache --journal "$B/j-$(basename "$PWD")-$1.jsonl" >/dev/null 2>"$B/err" ||
		{ echo "   (batch failed: $(tail -1 "$B/err"))" >&2; echo "0 0"; return 0; }
	awk '{ printf "%.3f %.1f\n", $1 + $2, $3 / 1024 }' "$B/time"
}

# batch_report LABEL: a 116-request batch's CPU per request, and what one
# more request costs (the difference to a 29-request batch): the part a
# batch pays once (opening the index, one commit) is the rest
batch_report() {
	set -- "$1" $(batch_cpu 1) $(batch_cpu 4)
	awk -v l="$1" -v a="$2" -v b="$4" -v m="$5" 'BEGIN {
		marg = (b - a) / 87; fixed = b - 116 * marg
		printf "  %-24s batch of 116 requests: CPU %.3f s, %.4f s per request; one more request %.4f s, once per batch %.3f s; peak RSS %s MiB\n", l, b, b / 116, marg, fixed, m }'
}

"$CODICIL_BIN" init "$B/empty" >/dev/null
cd "$B/empty"
batch_report "empty library:"

for n in $SIZES; do
	echo "== $n cases"
	lib=${SCALE_DIR:-$B}/lib$n
	if [ -d "$lib/cases" ]; then
		cd "$lib"
		echo "  the library of $lib ($(git rev-list --count HEAD) commits)"
	else
		"$CODICIL_BIN" init "$lib" >/dev/null
		cd "$lib"
		ids=$("$CODICIL_BIN" principles --json | python3 -c 'import json,sys; print(" ".join(p["id"] for p in json.load(sys.stdin)))')
		t0=$(now)
		PARENT=$(git rev-parse HEAD) python3 "$HERE/mklibrary.py" "$n" 0 $ids | git fast-import --quiet
		git read-tree -u --reset HEAD
		echo "  generated and checked out in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }') s" \
		     "($(du -sh cases | cut -f1) of case files)"
	fi
	sleep 3 # past the 2 s in which a directory's time may still change unseen
	if [ "${SCALE_KEEP_INDEX:-0}" = 1 ] && [ -f .git/codicil/index.sqlite ]; then
		echo "  index --rebuild: skipped, the index found is kept (SCALE_KEEP_INDEX=1)"
	else
		measure "index --rebuild (from scratch)" "$CODICIL_BIN" index --rebuild
	fi
	echo "  index: $(du -sh .git/codicil/index.sqlite | cut -f1)"
	measure "index, nothing changed" "$CODICIL_BIN" index
	cat "$B/out" | sed 's/^/    /' 
	"$CODICIL_BIN" cases -p privacy --status open >/dev/null # the pages it reads, cached
	measure "cases -p privacy --status open (warm)" "$CODICIL_BIN" cases -p privacy --status open
	echo "    $(wc -l <"$B/out") cases listed"
	words=$(git show "HEAD:$(git ls-tree -r --name-only HEAD cases | sed -n 7p)" |
		python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["scenario"].split()[2:4]))')
	measure "cases --grep '$words'" "$CODICIL_BIN" cases --grep "$words"
	echo "    $(wc -l <"$B/out") cases listed"
	measure "cases --json (streamed)" "$CODICIL_BIN" cases --json
	echo "    $(wc -c <"$B/out") bytes of JSON"
	printf ':resize 120x40\n2\n:dump first\n' >"$B/tui-first"
	CODICIL_TUI_SCRIPT="$B/tui-first" CODICIL_TUI_DUMP_DIR="$B" LC_ALL=C.UTF-8 \
		measure "tui: the Cases view, first screen, quit" "$CODICIL_BIN" tui
	printf ':resize 120x40\n2\nG\n/\n"%s"\nEnter\n:dump search\n' "$words" >"$B/tui-search"
	CODICIL_TUI_SCRIPT="$B/tui-search" CODICIL_TUI_DUMP_DIR="$B" LC_ALL=C.UTF-8 \
		measure "tui: the same, G, then / two words" "$CODICIL_BIN" tui
	head -1 "$B/search.screen" | sed 's/^ */    /' 
	c=$("$CODICIL_BIN" cases -p privacy --status open | head -1 | cut -d' ' -f1)
	"$CODICIL_BIN" rate "$c" --verdict valid >/dev/null
	measure "index after one new commit (a rating)" "$CODICIL_BIN" index
	cat "$B/out" | sed 's/^/    /'
	batch_report "$n cases:"
	cd "$B"
done

"$TOOLS/bench_dedup_index" "$B/recall"
