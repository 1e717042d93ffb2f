# tui: the Cases view on hand-written cases — the list and the detail, the
# filters (status, kind, severity, principle), search, marks, layouts, a
# corrupt file reported, hostile text made inert; then rating a case with
# the fake model's arguments, committed as `codicil rate` commits it, a
# rating cancelled or without arguments, and an amendment drafted from the
# marked cases (a).
. ./lib.sh
. ../tui/lib.sh

R="$T/repo"
codicil init "$R" >/dev/null || fail "init"
python3 "$ROOT/tests/tui/seed-cases.py" "$R" || fail "seed"
git -C "$R" add cases && git -C "$R" commit -qm "Add cases" || fail "commit cases"

CODICIL_TUI_OUTPUT="$T/tty" tui_script "$R" <<'SCRIPT'
2
:dump cases-list
j
:dump cases-down
s
:dump cases-status-open
s
s
:dump cases-status-dismissed
c
t
:dump cases-kind
c
!
!
:dump cases-severity
c
j
p
:dump cases-principle
p
Home
Space
Space
:dump cases-marked
/
"clear screen"
Enter
:dump cases-hostile
Tab
j
:dump cases-text
Tab
:resize 100x30
:dump cases-100x30
:resize 60x12
:dump cases-60x12
Enter
:dump cases-60x12-text
q
:dump cases-60x12-back
SCRIPT
expect_rc 0 "cases session"
for s in list down status-open status-dismissed kind severity principle marked hostile text; do
	expect_screen "cases-$s"
	expect_fits "cases-$s" 80 24
done
expect_screen cases-100x30
expect_fits cases-100x30 100 30
for s in 60x12 60x12-text 60x12-back; do
	expect_screen "cases-$s"
	expect_fits "cases-$s" 60 12
done
grep -q "c-01jd3k5w9r7qz4x2zz.json" "$T/screens/cases-list.screen" || fail "the corrupt file is not named"
grep -q "pwned" "$T/tty" && grep -q "$(printf '\033')]0;pwned" "$T/tty" && fail "an OSC sequence reached the terminal"
grep -q "$(printf '\033')\[2Jclear" "$T/tty" && fail "a clear-screen sequence reached the terminal"
[ "$(git -C "$R" rev-list --count HEAD)" = 2 ] || fail "browsing committed something"

# what a tension adds: each principle's demand, in the text pane
tui_script "$R" <<'SCRIPT'
2
j
Tab
End
:dump cases-tension
SCRIPT
expect_rc 0 "tension session"
grep -q "^What each principle demands" "$T/screens/cases-tension.screen" || fail "no demands"
grep -q "^candor: Point out the legal flaw plainly.$" "$T/screens/cases-tension.screen" || fail "no candor demand"

# rating: first impression, the (fake) model's arguments, the considered
# verdict and a confidence; one commit like `codicil rate`
start_fake --codicil
tui_script "$R" <<'SCRIPT'
2
r
:dump rate-quick
i
:dump rate-asking
:wait
:dump rate-arguments
v
:dump rate-confidence
4
:dump rate-done
SCRIPT
expect_rc 0 "rating session"
for s in quick asking arguments confidence; do
	expect_screen "rate-$s"
done
mask_screen rate-done
expect_screen rate-done
[ "$(git -C "$R" log -1 --format=%s)" = "Rate c-01jd3k5w9r7qz4x2m0: valid" ] ||
	fail "subject: $(git -C "$R" log -1 --format=%s)"
git -C "$R" log -1 --format=%b | grep -q "Rated by Test Reviewer <reviewer@example.org>." || fail "body"
git_clean "$R"
python3 - "$R/cases/c-01jd3k5w9r7qz4x2m0.json" <<'PY' || fail "the rating in the case file"
import json, sys
c = json.load(open(sys.argv[1]))
(r,) = c["ratings"]
assert r["rater"] == "Test Reviewer <reviewer@example.org>", r
assert r["verdict"] == "valid" and r["quick_verdict"] == "invalid", r
assert abs(r["confidence"] - 0.8) < 1e-9 and r["at"].endswith("Z"), r
assert list(r) == ["rater", "verdict", "confidence", "quick_verdict", "at"], list(r)
PY

# Esc (and q) end a rating before it is recorded; the case is unchanged
before=$(git -C "$R" rev-parse HEAD)
tui_script "$R" <<'SCRIPT'
2
j
r
v
:wait
Esc
:dump rate-cancelled
r
q
:dump rate-cancelled-q
SCRIPT
expect_rc 0 "cancelled rating"
grep -q "Rating cancelled; nothing recorded" "$T/screens/rate-cancelled.screen" || fail "Esc did not cancel"
grep -q "Rating cancelled; nothing recorded" "$T/screens/rate-cancelled-q.screen" || fail "q did not cancel"
[ "$(git -C "$R" rev-parse HEAD)" = "$before" ] || fail "a cancelled rating was committed"

# no model to argue: the rater still gives a considered verdict
stop_fake
export CODICIL_ENDPOINT="http://127.0.0.1:9/v1" CODICIL_RETRIES=0
tui_script "$R" <<'SCRIPT'
2
j
r
v
:wait
:dump rate-no-arguments
i
2
SCRIPT
expect_rc 0 "rating without arguments"
grep -q "^No arguments: " "$T/screens/rate-no-arguments.screen" || fail "no reason shown"
grep -q "v valid · i invalid · Esc cancel" "$T/screens/rate-no-arguments.screen" || fail "no choice offered"
[ "$(git -C "$R" log -1 --format=%s)" = "Rate c-01jd3k5w9r7qz4x2m1: invalid" ] ||
	fail "subject: $(git -C "$R" log -1 --format=%s)"
git_clean "$R"

# a drafts an amendment from the marked cases: proposal, consequences,
# meta-check and regression in one commit; the consequences join the list
start_fake --codicil
tui_script "$R" <<'SCRIPT'
2
Home
Space
Space
a
:wait
:dump amend-review
q
:dump amend-done
SCRIPT
expect_rc 0 "amend session"
grep -q "^Proposed p-" "$T/screens/amend-review.screen" || { cat "$T/screens/amend-review.screen" >&2; fail "no proposal"; }
grep -q "codicil: .* - Review" "$T/screens/amend-review.screen" || fail "the review screen did not open"
[ "$(grep -c '^  open      conseq ' "$T/screens/amend-done.screen")" = 2 ] || fail "the consequences are not listed"
grep -q "(2 marked)" "$T/screens/amend-done.screen" && fail "the marks stayed"
git -C "$R" log -1 --format=%s | grep -q "^Propose p-" || fail "subject: $(git -C "$R" log -1 --format=%s)"
git -C "$R" log -1 --format="%(trailers:key=Codicil-Case,valueonly)" | grep . | sort >"$T/cases"
printf 'c-01jd3k5w9r7qz4x2m0\nc-01jd3k5w9r7qz4x2m1\n' | diff - "$T/cases" >&2 || fail "the marked cases are not the proposal's"
git_clean "$R"

# y confirms the selected case with a note, x dismisses one, Esc cancels
tui_script "$R" <<'SCRIPT'
2
Home
y
"reproduced it"
Enter
:dump confirm-done
j
x
Esc
:dump dismiss-cancelled
x
Enter
:dump dismiss-done
q
SCRIPT
expect_rc 0 "confirm and dismiss session"
grep -q " is confirmed; committed " "$T/screens/confirm-done.screen" || { cat "$T/screens/confirm-done.screen" >&2; fail "no confirmation shown"; }
grep -q "^Cancelled: c-" "$T/screens/dismiss-cancelled.screen" || fail "Esc did not cancel"
grep -q " is dismissed; committed " "$T/screens/dismiss-done.screen" || fail "no dismissal shown"
git -C "$R" log -2 --format=%s | grep -q "^Confirm c-" || fail "no confirm commit"
git -C "$R" log -1 --format=%s | grep -q "^Dismiss c-" || fail "no dismiss commit"
git -C "$R" log -2 --format=%b | grep -q "reproduced it" || fail "the note is not in the commit"
git_clean "$R"

# codicil.argueAbove: with twelve quick-first ratings to learn from and a
# threshold above every P(flip), rating skips the arguments: the verdict
# and the confidence, no first impression recorded
for n in 2 3 4; do
	for who in Ann Ben Cy Di; do
		q=valid
		[ "$who" = Ann ] && q=invalid
		(cd "$R" && codicil rate c-01jd3k5w9r7qz4x2m$n --verdict valid --quick $q \
			--rater "$who <$who@example.org>") >/dev/null || fail "seed a considered rating"
	done
done
git -C "$R" config codicil.argueAbove 0.99
tui_script "$R" <<'SCRIPT'
2
Home
j
j
j
j
j
r
:dump rate-skip-verdict
i
:dump rate-skip-confidence
3
:dump rate-skip-done
SCRIPT
expect_rc 0 "rating with the arguments skipped"
grep -q "^Rating 1/2: your verdict" "$T/screens/rate-skip-verdict.screen" || fail "no one-step verdict"
tr '\n' ' ' <"$T/screens/rate-skip-verdict.screen" |
	grep -q "The arguments are skipped: P(reading them changes your verdict) = 0\.[0-9][0-9], at or below codicil.argueAbove (0\.99)" || { cat "$T/screens/rate-skip-verdict.screen" >&2; fail "the reason for skipping is not shown"; }
grep -q "r the arguments first" "$T/screens/rate-skip-confidence.screen" || fail "the arguments are not offered"
git -C "$R" log -1 --format=%s | grep -q "^Rate c-[0-9a-z]*: invalid$" || fail "subject: $(git -C "$R" log -1 --format=%s)"
git -C "$R" show HEAD --format= | grep -q '"quick_verdict"' && fail "a first impression was recorded without arguments"
git_clean "$R"

# o selects the case `codicil queue` puts first for this rater, clearing a
# filter that hides it
next=$(cd "$R" && codicil queue -n 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])') ||
	fail "queue"
tui_script "$R" <<'SCRIPT'
2
t
t
t
o
:dump rate-next
SCRIPT
expect_rc 0 "rate next"
grep -q "To rate next (calibration): $next, consensus" "$T/screens/rate-next.screen" ||
	{ cat "$T/screens/rate-next.screen" >&2; fail "o did not name the queue's first case"; }
grep -q "^$next  " "$T/screens/rate-next.screen" || fail "o did not select it"
grep -q "kind: any" "$T/screens/rate-next.screen" || fail "the filter that hid it stayed"
