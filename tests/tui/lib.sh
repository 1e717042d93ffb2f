# tests/tui/lib.sh — sourced by the tests/integration/t2*-tui-*.sh tests
# after lib.sh.  Drives `codicil tui` through its script harness
# (CODICIL_TUI_SCRIPT, see include/codicil/tui.h) and compares the screens
# it dumps with tests/tui/expected/NAME.screen.  TUI_UPDATE=1 rewrites the
# expected screens instead (review the diff before committing them).
EXPECTED="$ROOT/tests/tui/expected"
mkdir -p "$T/screens"

# tui_script DIR: run codicil tui in repository DIR with the script on stdin
tui_script() {
	cat >"$T/script"
	CODICIL_TUI_SCRIPT="$T/script" CODICIL_TUI_DUMP_DIR="$T/screens" \
		"$CODICIL_BIN" -C "$1" tui >"$T/out" 2>"$T/err"
	rc=$?
}

# mask_screen NAME: what changes from run to run replaced by a placeholder
# in the dump NAME: the ids codicil made (c-<id>, p-<id>, r-<id>), commit ids in
# messages (committed <commit>, commit <commit>), times (<time>)
mask_screen() {
	sed -i -E -e 's/\b([cpr])-[0-9a-z]{18}\b/\1-<id>/g' \
		-e 's/\b(committed|as) [0-9a-f]{7}\b/\1 <commit>/g' \
		-e 's/\b(commit|at) [0-9a-f]{10}\b/\1 <commit>/g' \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<time>/g' \
		"$T/screens/$1.screen"
}

# expect_screen NAME: the dump NAME equals the expected screen
expect_screen() {
	[ -f "$T/screens/$1.screen" ] || fail "no screen $1 was dumped"
	if [ -n "${TUI_UPDATE:-}" ]; then
		cp "$T/screens/$1.screen" "$EXPECTED/$1.screen"
		return
	fi
	diff -u "$EXPECTED/$1.screen" "$T/screens/$1.screen" >&2 ||
		fail "screen $1 differs from tests/tui/expected/$1.screen"
}

# expect_fits NAME COLS ROWS: the screen has ROWS lines, none wider than
# COLS display columns (wide characters count two)
expect_fits() {
	python3 - "$T/screens/$1.screen" "$2" "$3" <<'PY' || fail "screen $1 does not fit $2x$3"
import sys, unicodedata
path, cols, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(path, encoding="utf-8").read().split("\n")[:-1]
ok = len(lines) == rows
for l in lines:
    w = sum(0 if unicodedata.combining(c) else
            2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    if w > cols:
        print(f"{w} columns: {l!r}", file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
PY
}
