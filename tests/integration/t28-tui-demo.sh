# codicil demo (README command 1): the repository it makes or reopens, what
# it refuses, that it never hangs without a terminal, and the demo's whole
# scripted path (tests/tui/demo.script) on the shipped cassette with no
# replay miss: every generation, argument, amendment, consequence,
# meta-check and judgment was recorded for the prompts as codicil builds
# them now.  When this fails after a change to a
# prompt, the template or the schemas, rerun tests/tools/make-demo-cassette.sh.
. ./lib.sh
. ../tui/lib.sh

cd "$T" || fail "cd"
run codicil demo </dev/null
expect_rc 0 "demo without a terminal"
expect_out "Created the demo constitution in $T/codicil-demo/"
expect_out "No terminal here"
# the command printed works as printed: codicil is not on PATH here
expect_out "^    $CODICIL_BIN demo $T/codicil-demo/$"
cmd=$(sed -n 's/^    //p' "$T/out")
$cmd </dev/null >"$T/again" 2>&1 || fail "the printed command failed: $cmd"
grep -q "Opening the demo constitution in $T/codicil-demo/" "$T/again" || fail "the printed command: $(cat "$T/again")"
[ "$(git -C codicil-demo log --format=%s)" = "Initial constitution from template assistant" ] ||
	fail "the demo repository"
git_clean "$T/codicil-demo"

run codicil demo codicil-demo </dev/null
expect_rc 0 "demo again"
expect_out "Opening the demo constitution"

mkdir notdemo && echo hello >notdemo/file
run codicil demo notdemo </dev/null
expect_rc 1 "demo in a non-empty directory"
expect_err "notdemo is not empty"
expect_one_line_err
[ "$(ls notdemo)" = file ] || fail "the directory was touched"
codicil init plain >/dev/null || fail "init"
run codicil demo plain </dev/null
expect_rc 1 "demo in a repository it did not make"
expect_err "already a git repository"
expect_one_line_err
run codicil demo a b
expect_rc 2 "two directories"

# the scripted path, replayed; settings for a real model do not leak in
export CODICIL_PROVIDER=openai CODICIL_ENDPOINT=http://127.0.0.1:9/v1 CODICIL_RETRIES=0
CODICIL_TUI_SCRIPT="$ROOT/tests/tui/demo.script" CODICIL_TUI_DUMP_DIR="$T/screens" \
	codicil demo "$T/walk" >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0 "the demo's scripted path"
if grep -l "No arguments\|no recorded answer\|failed\|No new cases" "$T/screens"/*.screen; then
	fail "a replay miss or an error on the path above"
fi
log=$(git -C "$T/walk" log --format=%s)
[ "$(echo "$log" | grep -c '^Add 3 counterexamples for ')" = 4 ] || fail "generations: $log"
[ "$(echo "$log" | grep -c '^Rate c-')" = 12 ] || fail "ratings: $log"
[ "$(echo "$log" | grep -c '^Propose p-.*: Protect people in crisis')" = 1 ] || fail "proposal: $log"
git_clean "$T/walk"
grep -q "^Proposed p-" "$T/screens/demo-amended.screen" || fail "no proposal message"
tr '\n' ' ' <"$T/screens/demo-audited.screen" |
	grep -q "Audit of ai-disclosure: 1 conversation, 1 violated it, 0 unclear; 1 new behaviour case" || fail "the demo's audit: $(tail -2 "$T/screens/demo-audited.screen")"
python3 - "$T/walk" <<'PY' || fail "the proposal"
import glob, json, sys
(f,) = glob.glob(sys.argv[1] + "/proposals/*.json")
p = json.load(open(f))
assert p["status"] == "pending" and len(p["cases"]) == 3, p
assert len(p["consequences"]) == 3, p["consequences"]
assert [c["verdict"] for c in p["meta_check"]].count("pass") == 6, p["meta_check"]
r = p["regression"]
assert (r["fixed"], r["broken"], r["changed"], r["unchanged"]) == (3, 0, 3, 9), r
PY
git -C "$T/walk" log --format='%(trailers:key=Codicil-Model,valueonly)' | grep -q '^replay/cassette$' ||
	fail "the commits do not say the answers were replayed"
python3 - "$T/walk" <<'PY' || fail "ratings and provenance"
import glob, json, sys
cs = [json.load(open(f)) for f in glob.glob(sys.argv[1] + "/cases/*/*.json")]
assert len(cs) == 16, len(cs)
(b,) = [c for c in cs if c["kind"] == "behaviour"]
assert b["principles"] == ["ai-disclosure"] and len(b["transcript"]) == 4, b
assert b["verdicts"][0]["verdict"] == "violates" and b["models"]["target"]["provider"] == "replay", b
for c in cs:
    if c["kind"] == "behaviour":
        continue
    if c["kind"] == "consequence":
        assert c["proposal"].startswith("p-"), c
        continue
    assert c["provenance"]["provider"] == "replay", c["provenance"]
    (r,) = c["ratings"]
    assert r["quick_verdict"] in ("valid", "invalid") and r["verdict"] in ("valid", "invalid"), r
PY
for s in open crisis rate-quick rate-arguments rate-confidence privacy-arguments marked amended; do
	mask_screen "demo-$s"
	expect_screen "demo-$s"
done
grep -q "replay: recorded answers" "$T/screens/demo-open.screen" || fail "no replay label"
