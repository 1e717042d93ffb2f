# Reproducers from fuzzing and hostile input (tests/repro/README.md), from
# the command line: each once crashed or leaked bytes to the terminal.
. ./lib.sh
R="$ROOT/tests/repro"

# a heading "## " with an empty title, renamed by a proposal: review once
# corrupted the heap (splices out of order)
codicil init "$T/r" --from "$R/charter-apply-empty-heading-cli.md" >/dev/null || fail "init"
cd "$T/r" || fail cd
mkdir -p proposals
python3 - "$R/charter-apply-empty-heading-proposal.json" "$(git rev-parse HEAD)" <<'PY' >proposals/p-01m8td63pe4bqw7qn9.json
import json, sys
p = json.load(open(sys.argv[1]))
p["base"] = sys.argv[2]
print(json.dumps(p, indent=2))
PY
git add proposals && git commit -qm "a proposal for the untitled section"
run codicil review p-01m8td63pe4bqw7qn9
expect_rc 0 "review of a proposal that renames an untitled heading"
expect_out "A new title"
expect_out "^+## A new title {#section}$\|A new title {#section}"
git_clean "$T/r"

# a proposal whose base carries ESC and C1 bytes: review prints it inert
cp "$R/records-proposal-base-ESC.json" proposals/p-01m8td63pe4bqw7qn8.json
git add proposals && git commit -qm "a hostile base"
codicil review p-01m8td63pe4bqw7qn8 >"$T/out" 2>"$T/err"
[ -s "$T/out" ] || [ -s "$T/err" ] || fail "review said nothing"
python3 - "$T/out" "$T/err" <<'PY' || fail "escape bytes reached the terminal"
import sys
for f in sys.argv[1:]:
    b = open(f, "rb").read()
    assert b"\x1b" not in b and b"\x9a" not in b.replace(b"\xef\xbf\xbd", b""), f
    b.decode("utf-8")
PY

# a case id codicil did not make (80 characters, or a path) is never turned
# into a path: the file is reported and left alone, commands refuse the id
long=c-$(printf 'a%.0s' $(seq 1 78))
mkdir -p cases
python3 - "$long" <<'PY' >"cases/$long.json"
import json, sys
print(json.dumps({"id": sys.argv[1], "kind": "counterexample", "principles": ["root"],
  "scenario": "A long id that once became a truncated path when its status changed.",
  "literal_reading": "x", "expected": "y", "rationale": "z", "severity": 2,
  "status": "open", "ratings": [], "resolved_by": None, "provenance": {}}))
PY
run codicil cases
expect_err "$long.json: its \"id\" is not an id codicil made"
run codicil rate "$long" --verdict valid
expect_rc 1 "rating a case whose id codicil did not make"
rm -f "cases/$long.json"
run codicil rate "c-../../etc/passwd" --verdict valid
expect_rc 1 "rating a path"
expect_one_line_err
expect_err "no case c-../../etc/passwd (run 'codicil cases' to list them)$"
git_clean "$T/r"

# a hand-edited case that is not valid (severity 9, a number as scenario) is
# not acted on: the file and the field are named, nothing is committed
codicil init "$T/v" >/dev/null || fail init
cd "$T/v" || fail cd
mkdir -p cases
python3 - <<'PY'
import json
base = {"kind": "counterexample", "principles": ["privacy"], "literal_reading": "l",
        "expected": "e", "rationale": "r", "status": "open", "ratings": [], "resolved_by": None}
a = dict(base, id="c-01aaaaaaaaaaaaaaaa", severity=9, scenario="A scenario long enough to be a case.")
b = dict(base, id="c-01bbbbbbbbbbbbbbbb", severity=2, scenario=42)
for c in (a, b):
    json.dump(c, open("cases/%s.json" % c["id"], "w"))
PY
git add cases && git commit -qm "hand-edited cases"
head=$(git rev-parse HEAD)
run codicil rate c-01aaaaaaaaaaaaaaaa --verdict valid
expect_rc 1 "rating a case with severity 9"
expect_err "cases/c-01aaaaaaaaaaaaaaaa.json: severity: must be an integer from 1 to 5, got 9"
run codicil cases
expect_err "cases/c-01bbbbbbbbbbbbbbbb.json: scenario: must be a string"
[ "$(git rev-parse HEAD)" = "$head" ] || fail "something was committed"
