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
