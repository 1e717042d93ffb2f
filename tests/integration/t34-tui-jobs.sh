# tui: the model's work from inside the TUI runs as a job with its progress
# in the status line: tensions (T), vagueness (V) and probe (P) for the
# selected principle, theorize (H) in the Theories view (5), an amendment
# from the marked cases (a, then its review opens), the search for appeals
# (A marks the cases).  Each commits as its command does.  Esc cancels a slow job
# (tensions, theorize, an amendment: nothing committed, the work
# tree clean, the repository lock free again); a second job waits for the
# first; quitting while a job runs stops it.
. ./lib.sh
. "$ROOT/tests/tui/lib.sh"

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil
run codicil generate -p truthful -n 2
expect_rc 0 "generate"
c1=$(sed -n 1p "$T/out") c2=$(sed -n 2p "$T/out")

screen_has() { grep -q -- "$2" "$T/screens/$1.screen" || { cat "$T/screens/$1.screen" >&2; fail "screen $1 lacks '$2'"; }; }
kinds() { python3 -c '
import glob, json, sys
print(" ".join(sorted(json.load(open(n))["kind"] for n in glob.glob("cases/*/*.json"))))'; }

# T, V, P on the third principle (no-serious-harm): one commit each
h=$(git rev-parse HEAD)
tui_script "$T/r" <<'EOF'
j
j
T
:dump tensions-running
:wait
:dump tensions-done
V
:wait
:dump vagueness-done
P
:wait
:dump probe-done
EOF
expect_rc 0 "tui T V P"
screen_has tensions-running "1 job, [0-9]* tokens"
screen_has tensions-running "^tensions: .*(Esc cancels)"
screen_has tensions-done "^3 new cases (tensions) for no-serious-harm, commit [0-9a-f]\{10\}"
screen_has tensions-done "Do not help cause serious harm *3$"
screen_has vagueness-done "^3 new cases (vague terms) for no-serious-harm"
screen_has probe-done "^3 new cases (probes) for no-serious-harm"
[ "$(git rev-list --count "$h"..HEAD)" = 3 ] || fail "three commits expected: $(git log --oneline "$h"..)"
[ "$(git log -3 --format=%s | tail -n 1)" = "Add 3 tensions for no-serious-harm" ] || fail "tensions subject: $(git log -3 --format=%s)"
[ "$(kinds)" = "counterexample counterexample probe probe probe tension tension tension vagueness vagueness vagueness" ] ||
	fail "case kinds: $(kinds)"
git_clean "$T/r"

# the Theories view: empty, H asks, the list with hit rates, the text below
h=$(git rev-parse HEAD)
tui_script "$T/r" <<'EOF'
5
:dump theories-empty
H
:wait
:dump theories
EOF
expect_rc 0 "tui theorize"
expect_screen theories-empty
screen_has theories "codicil: r - Theories *1/2$"
screen_has theories "^active   -  0/0       The charter fails when"
screen_has theories "^Predicts failures when"
screen_has theories "^2 new theories, 0 retired; commit [0-9a-f]\{10\}"
[ "$(git log -1 --format=%s)" = "Add 2 failure theories" ] || fail "theorize subject: $(git log -1 --format=%s)"
git_clean "$T/r"

# Esc cancels a slow job; a second job has to wait for the first
stop_fake
start_fake --codicil --latency-ms 4000
h=$(git rev-parse HEAD)
tui_script "$T/r" <<'EOF'
j
j
T
:sleep 300
V
:dump second-job
Esc
:dump cancelling
:wait
:dump cancelled
EOF
expect_rc 0 "tui cancel"
screen_has second-job "vagueness must wait for the running tensions (Esc cancels it)"
screen_has cancelling "^Cancelling the running jobs"
screen_has cancelled "^Search for tensions cancelled; nothing was committed"
[ "$(git rev-parse HEAD)" = "$h" ] || fail "a cancelled job committed: $(git log -1 --format=%s)"
git_clean "$T/r"

# quitting while a job runs stops it; the TUI exits at once with status 0
tui_script "$T/r" <<'EOF'
5
H
:sleep 200
Q
EOF
expect_rc 0 "quit while theorize runs"
[ "$(git rev-parse HEAD)" = "$h" ] || fail "a job stopped at quit committed"
git_clean "$T/r"

# Esc stops theorize while it waits for the model: nothing committed
tui_script "$T/r" <<'EOF'
5
H
:sleep 300
Esc
:wait
:dump theorize-cancelled
EOF
expect_rc 0 "tui theorize cancelled"
screen_has theorize-cancelled "^Theorize cancelled; nothing was committed"
[ "$(git rev-parse HEAD)" = "$h" ] || fail "a cancelled theorize committed"
git_clean "$T/r"

# Esc stops an amendment half-way: nothing committed
tui_script "$T/r" <<'EOF'
2
Space
a
:sleep 300
Esc
:wait
:dump amend-cancelled
EOF
expect_rc 0 "tui amend cancelled"
screen_has amend-cancelled "^Amendment cancelled; nothing was committed"
[ "$(git rev-parse HEAD)" = "$h" ] || fail "a cancelled amendment committed"
git_clean "$T/r"

# the lock of a stopped job does not stand in the way
stop_fake
start_fake --codicil
run codicil tensions -p privacy -n 1
expect_rc 0 "tensions after the cancelled jobs"

# a on two marked cases: the job drafts, the review screen opens
h=$(git rev-parse HEAD)
tui_script "$T/r" <<'EOF'
2
Space
Space
a
:dump amend-running
:wait
:dump amend-review
EOF
expect_rc 0 "tui amend"
screen_has amend-running "amend: .*(Esc cancels)"
screen_has amend-review "codicil: r - Review"
screen_has amend-review "^Proposed p-[0-9a-z]* (commit [0-9a-f]\{10\}): y accepts, x rejects"
screen_has amend-review "^y accept  x reject  b rebase onto HEAD"
[ "$(git rev-list --count "$h"..HEAD)" = 1 ] && git log -1 --format=%s | grep -q "^Propose p-" ||
	fail "not one Propose commit: $(git log --oneline "$h"..)"
git log -1 --format="%(trailers:key=Codicil-Case,valueonly)" | grep -c . | grep -qx 2 ||
	fail "the proposal does not name the two marked cases"
git_clean "$T/r"

# above codicil.confirmAbove, a shows the estimate and asks for a typed yes
git config codicil.confirmAbove 1k
h=$(git rev-parse HEAD)
tui_script "$T/r" <<'EOF'
2
Space
a
:dump amend-ask
"no"
Enter
:dump amend-declined
a
"yes"
Enter
:dump amend-confirmed
:wait
:dump amend-done
EOF
expect_rc 0 "tui amend above confirmAbove"
screen_has amend-ask "^Drafting: [0-9]* requests, ~[0-9,]* tokens\. Type yes to go on:"
screen_has amend-declined "^Not drafted; nothing was sent"
screen_has amend-confirmed "amend: .*(Esc cancels)"
screen_has amend-done "^Proposed p-[0-9a-z]* (commit [0-9a-f]\{10\})"
[ "$(git rev-list --count "$h"..HEAD)" = 1 ] || fail "one Propose commit after yes: $(git log --oneline "$h"..)"
git config --unset codicil.confirmAbove
git_clean "$T/r"

# appeals: the fake judge calls every case mishandled (0.9); three raters
# call c2 invalid, so c2 is under appeal and the Cases view marks it
for r in "Ada <ada@example.org>" "Mo <mo@example.org>" "Pat <pat@example.org>"; do
	codicil rate "$c1" --verdict valid --rater "$r" >/dev/null || fail "rate c1"
	codicil rate "$c2" --verdict invalid --rater "$r" >/dev/null || fail "rate c2"
done
git config codicil.appealHumanConfidence 0.75
scenario2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["scenario"][:30])' "$(case_path "$c2")")
scenario1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["scenario"][:30])' "$(case_path "$c1")")
tui_script "$T/r" <<'EOF'
2
:dump appeals-before
A
:wait
:dump appeals
EOF
expect_rc 0 "tui appeals"
grep -q "under appeal" "$T/screens/appeals-before.screen" && fail "appeals shown before the search"
screen_has appeals "(1 under appeal: A)"
screen_has appeals "^1 case under appeal (of 2 confidently rated)"
screen_has appeals "^ A [a-z]* .*$scenario2"
screen_has appeals "^   [a-z]* .*$scenario1"
git_clean "$T/r"
