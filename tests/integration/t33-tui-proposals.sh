# tui: the Proposals view (3) and the review screen of a proposal drafted
# by the fake model: the list, the redline and the record's sections at
# 80x24 and 20x5; reject with a required reason, accept with a note (one
# commit whose trailers git reads, `codicil verify` passes, the work tree
# stays clean); a stale proposal is refused with the engine's message and
# b rebases it, after which it is accepted.  The redline reaches the
# terminal as curses attributes: colours, or reverse and bold+underline
# without them, never the review command's own escape sequences.
. ./lib.sh
. "$ROOT/tests/tui/lib.sh"

# ids, commits and times change from run to run: the screens are compared
# with them replaced by placeholders of the same width
norm() {
	sed -e 's/\bp-01[0-9a-z]\{16\}/p-PROPOSALxxxxxxxxxx/g' \
	    -e 's/\bc-01[0-9a-z]\{16\}/c-CASExxxxxxxxxxxxxx/g' \
	    -e 's/\(at\|commit\) [0-9a-f]\{10\}/\1 HHHHHHHHHH/g' \
	    -e 's/^\( *\)[0-9a-f]\{10\})/\1HHHHHHHHHH)/' \
	    -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:]\{8\}Z/YYYY-MM-DDTHH:MM:SSZ/g' "$1"
}
expect_norm() {
	[ -f "$T/screens/$1.screen" ] || fail "no screen $1 was dumped"
	norm "$T/screens/$1.screen" >"$T/screens/$1.norm"
	if [ -n "${TUI_UPDATE:-}" ]; then
		cp "$T/screens/$1.norm" "$EXPECTED/$1.screen"
		return
	fi
	diff -u "$EXPECTED/$1.screen" "$T/screens/$1.norm" >&2 ||
		fail "screen $1 differs from tests/tui/expected/$1.screen"
}

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
git config codicil.consequences 1
start_fake --codicil

# two truthful cases and one on privacy, with fixed ids so that the screens
# list them in a known order
run codicil generate -p truthful -n 2
expect_rc 0 "generate truthful"
run codicil generate -p privacy -n 1
expect_rc 0 "generate privacy"
python3 - <<'PY' || fail "renaming the cases"
import glob, json, os, subprocess
names = sorted((os.path.relpath(p, "cases") for p in glob.glob("cases/*/*.json")), key=os.path.basename)
for i, name in enumerate(names):
    new = "c-00000000000000000%d" % (i + 1)
    c = json.load(open("cases/" + name))
    c["id"] = new
    c["scenario"] = "Seeded case %d: a person at risk asks for help and the text, read literally, refuses." % (i + 1)
    c["severity"] = 5 - i  # fixed: the review lists flips by severity
    os.makedirs("cases/" + new[7] + new[-1], exist_ok=True)
    with open("cases/%s%s/%s.json" % (new[7], new[-1], new), "w") as f:
        json.dump(c, f, indent=2)
        f.write("\n")
    subprocess.run(["git", "rm", "-q", "cases/" + name], check=True)
subprocess.run(["git", "add", "cases"], check=True)
subprocess.run(["git", "commit", "-qm", "cases with fixed ids"], check=True)
PY
c1=c-000000000000000001 c2=c-000000000000000002 c3=c-000000000000000003
case_principle() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["principles"][0])' "$(case_path "$1")"; }
[ "$(case_principle $c1)" = truthful ] && [ "$(case_principle $c3)" = privacy ] ||
	fail "the cases are not in the expected order"

# no proposal yet
tui_script "$T/r" <<'EOF'
3
:dump proposals-empty
EOF
expect_rc 0 "tui on an empty Proposals view"
expect_screen proposals-empty

run codicil amend "$c1" "$c2"
expect_rc 0 "amend"
p1=$(cat "$T/out")
# the fake model's consequence scenario is random: a fixed one for the screens
python3 - "$p1" <<'PY' || fail "fixing the consequence scenario"
import json, sys
pid = sys.argv[1]
path = "proposals/%s.json" % pid
p = json.load(open(path))
fixed = "Predicted: a clinician relies on the exception to withhold a hard truth."
for c in p["consequences"]:
    c["scenario"] = fixed
    k = json.load(open("cases/%s%s/%s.json" % (c["case"][7], c["case"][-1], c["case"])))
    k["scenario"] = fixed
    json.dump(k, open("cases/%s%s/%s.json" % (c["case"][7], c["case"][-1], c["case"]), "w"), indent=2)
json.dump(p, open(path, "w"), indent=2)
PY
git commit -qam "fixture: a fixed consequence scenario" || fail "fixture commit"

tui_script "$T/r" <<'EOF'
3
:dump proposals-list
Enter
:dump review-top
End
:dump review-end
Home
:resize 20x5
:dump review-20x5
q
:dump proposals-20x5
EOF
expect_rc 0 "tui on the Proposals view"
expect_norm proposals-list
expect_norm review-top
expect_norm review-end
expect_norm review-20x5
expect_norm proposals-20x5
expect_fits review-20x5 20 5
expect_fits proposals-20x5 20 5

# the redline's attributes on the virtual terminal: with colours, the pairs
# of the deletion and insertion styles; with NO_COLOR, bold+underline for the
# inserted words; in neither case the SGR sequences `codicil review` uses
E=$(printf '\033')
for colour in on off; do
	if [ $colour = on ]; then
		env -u NO_COLOR CODICIL_TUI_OUTPUT="$T/bytes" CODICIL_TUI_SCRIPT=/dev/stdin \
			CODICIL_TUI_DUMP_DIR="$T/screens" "$CODICIL_BIN" -C "$T/r" tui <<'EOF' || fail "tui with colours"
3
Enter
EOF
		grep -q "${E}\[32m An exception applies" "$T/bytes" || fail "the insertion is not green"
	else
		CODICIL_TUI_OUTPUT="$T/bytes" CODICIL_TUI_SCRIPT=/dev/stdin \
			CODICIL_TUI_DUMP_DIR="$T/screens" "$CODICIL_BIN" -C "$T/r" tui <<'EOF' || fail "tui without colours"
3
Enter
EOF
		! grep -q "${E}\[3[0-9]m" "$T/bytes" || fail "a colour with NO_COLOR"
		grep -q "${E}\[0;1;4m An exception applies" "$T/bytes" ||
			fail "the insertion is not bold and underlined without colours"
	fi
	! grep -q "${E}\[9;31m" "$T/bytes" || fail "the review command's escapes reached the TUI"
done

# reject: a reason is required; then the commit records it
h=$(git rev-parse HEAD)
tui_script "$T/r" <<'EOF'
3
Enter
x
:dump reject-ask
Enter
:dump reject-required
"too broad"
Enter
:dump rejected
EOF
expect_rc 0 "tui reject"
expect_norm reject-ask
expect_norm reject-required
expect_norm rejected
[ "$(git rev-parse HEAD~1)" = "$h" ] || fail "reject is not one commit on top"
[ "$(git log -1 --format=%s)" = "Reject $p1: Add an exception to truthful" ] || fail "reject subject: $(git log -1 --format=%s)"
python3 - "proposals/$p1.json" <<'PY' || fail "the rejected record"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["status"] == "rejected" and p["rejection"]["reason"] == "too broad", p["rejection"]
assert p["rejection"]["by"] == "Test Reviewer <reviewer@example.org>"
PY
git_clean "$T/r"

# text from the record is inert on the terminal: a title and a rationale
# with escape sequences (a window title, a colour, a screen clear) reach the
# screen without them; wide characters keep their two columns
python3 - "proposals/$p1.json" <<'PY' || fail "planting escapes"
import json, sys
p = json.load(open(sys.argv[1]))
p["title"] = "Evil \u001b]0;pwned\u0007 title \u001b[31mred\u001b[0m"
p["rationale"] = "Move \u001b[2J\u001b[H the cursor; wide \u5bbd\u5b57 text."
json.dump(p, open(sys.argv[1], "w"), indent=2)
PY
git commit -qam "fixture: escapes in a proposal" || fail "commit the escapes"
CODICIL_TUI_OUTPUT="$T/bytes" tui_script "$T/r" <<'EOF'
3
:dump proposals-escapes
Enter
:dump review-escapes
EOF
expect_rc 0 "tui on a hostile proposal"
! grep -q "$(printf '\033')]0;" "$T/bytes" || fail "an OSC title reached the terminal"
! grep -q "pwned$(printf '\007')" "$T/bytes" || fail "a BEL reached the terminal"
! grep -q "Move $(printf '\033')" "$T/bytes" || fail "the model's clear-screen reached the terminal"
! grep -q "title $(printf '\033')\[31m" "$T/bytes" || fail "the model's colour reached the terminal"
grep -qx "Evil  title red" "$T/screens/review-escapes.screen" || fail "the title is not shown without its sequences"
grep -q "pwned" "$T/screens/review-escapes.screen" && fail "the OSC payload is shown"
grep -q "wide 宽字 text" "$T/screens/review-escapes.screen" || fail "wide characters are not shown"
expect_fits review-escapes 80 24
expect_fits proposals-escapes 80 24

# accept with a note: Esc first (nothing happens), then y, the note, Enter
run codicil amend "$c3"
expect_rc 0 "amend privacy"
p2=$(cat "$T/out")
h=$(git rev-parse HEAD)
tui_script "$T/r" <<'EOF'
3
:dump proposals-two
Enter
y
"not yet"
Esc
:dump accept-cancelled
y
"reads well"
:dump accept-ask
Enter
:dump accepted
q
:dump proposals-accepted
EOF
expect_rc 0 "tui accept"
expect_norm proposals-two
expect_norm accept-cancelled
expect_norm accept-ask
expect_norm accepted
expect_norm proposals-accepted
[ "$(git rev-parse HEAD~1)" = "$h" ] || fail "accept is not one commit on top"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Amend privacy: Add an exception to privacy" ] || fail "accept subject: $(git log -1 --format=%s)"
git log -1 --format=%B | git interpret-trailers --parse >"$T/tr"
for want in "Codicil-Proposal: $p2" "Codicil-Case: $c3" "Codicil-Model: openai/fake-model" \
	"Reviewed-by: Test Reviewer <reviewer@example.org>"; do
	grep -qx "$want" "$T/tr" || fail "trailer '$want' missing: $(cat "$T/tr")"
done
grep -q "^Codicil-Regression: fixed=[0-9]* broken=0" "$T/tr" || fail "no regression trailer: $(cat "$T/tr")"
python3 - "proposals/$p2.json" <<'PY' || fail "the accepted record"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["status"] == "accepted" and p["decision"]["note"] == "reads well", p["decision"]
PY
grep -q "An exception applies" CONSTITUTION.md || fail "the charter was not amended"
run codicil verify
expect_rc 0 "verify after the TUI's accept"

# stale: the principle the edits touch changed since; accept is refused with
# the engine's message, b rebases (a job: the regression runs again), y accepts
run codicil amend "$c1"
expect_rc 0 "amend truthful again"
p3=$(cat "$T/out")
sed -i 's/The assistant only asserts what it believes to be true./The assistant asserts only what it believes true./' CONSTITUTION.md
git diff --quiet && fail "the truthful edit did not change the charter"
git commit -qam "plain git: tighten truthful"
h=$(git rev-parse HEAD)
export CODICIL_TUI_OUTPUT="$T/bytes"
tui_script "$T/r" <<'EOF'
3
Enter
y
Enter
:dump stale-refused
b
:wait
:dump stale-rebased
y
Enter
:dump stale-accepted
EOF
expect_rc 0 "tui stale accept and rebase"
unset CODICIL_TUI_OUTPUT
# the word the rebased text deletes, in reverse video (NO_COLOR is set)
grep -q "${E}\[0;7masserts" "$T/bytes" || fail "the deleted word is not in reverse video"
expect_norm stale-refused
expect_norm stale-rebased
expect_norm stale-accepted
[ "$(git log -1 --format=%s)" = "Amend truthful: Add an exception to truthful" ] || fail "after rebase: $(git log -1 --format=%s)"
[ "$(git log -2 --format=%s | tail -n 1)" = "Rebase $p3: Add an exception to truthful" ] || fail "no rebase commit: $(git log -3 --format=%s)"
git_clean "$T/r"
run codicil verify
expect_rc 0 "verify after rebase and accept"

# the safety gate: a proposal that fails its meta-check is accepted only
# after an explicit "yes" (recorded in a Codicil-Override trailer)
stop_fake
FAKELLM_META_FAIL=minimal start_fake_server --codicil
export CODICIL_ENDPOINT="$FAKE_URL"
run codicil amend "$c2"
expect_rc 0 "amend with a failing meta-check"
p4=$(cat "$T/out")
h=$(git rev-parse HEAD)
tui_script "$T/r" <<'EOF'
3
Enter
y
:dump gate-ask
"no"
Enter
:dump gate-refused
y
"yes"
Enter
:dump gate-note
"forced on purpose"
Enter
:dump gate-accepted
EOF
expect_rc 0 "tui accept through the gate"
grep -q "It fails the meta-check (rules minimal). Accept anyway? Type yes" "$T/screens/gate-ask.screen" ||
	{ cat "$T/screens/gate-ask.screen" >&2; fail "no explicit question"; }
grep -q "Not accepted" "$T/screens/gate-refused.screen" || fail "'no' did not refuse"
grep -q "Accept. Note" "$T/screens/gate-note.screen" || fail "no note asked after yes"
[ "$(git rev-parse HEAD~1)" = "$h" ] || fail "the gate's accept is not one commit on top"
git log -1 --format=%B | git interpret-trailers --parse | grep -qx "Codicil-Override: fails the meta-check (rules minimal)" ||
	fail "no override trailer"
git log -1 --format=%B | grep -q "^Reviewer's note: forced on purpose$" || fail "no reviewer's note"
git_clean "$T/r"
