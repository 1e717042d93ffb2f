# tui: C asks the (fake, loopback) model for counterexamples inside the
# event loop — spinner, count and tokens in the status line, the cases in
# the Cases view as they arrive, one commit at the end like `codicil
# generate`; Esc cancels a slow generation; a failed request says why;
# quitting mid-way commits what had arrived.
. ./lib.sh
. ../tui/lib.sh

R="$T/repo"
codicil init "$R" >/dev/null || fail "init"
ANSWERS="$ROOT/tests/tools/demo-answers.json"
export CODICIL_RETRIES=0

start_fake --answers "$ANSWERS"
tui_script "$R" <<'SCRIPT'
/
"crisis"
Enter
C
:dump gen-asking
:wait
:dump gen-done
1
:dump gen-counts
SCRIPT
expect_rc 0 "generate session"
expect_screen gen-asking
mask_screen gen-done
expect_screen gen-done
expect_screen gen-counts
git_clean "$R"
[ "$(git -C "$R" log -1 --format=%s)" = "Add 3 counterexamples for crisis" ] ||
	fail "subject: $(git -C "$R" log -1 --format=%s)"
git -C "$R" log -1 --format='%(trailers:key=Codicil-Run,valueonly)' | grep -q '^r-' || fail "run trailer"
git -C "$R" log -1 --format='%(trailers:key=Codicil-Model,valueonly)' | grep -q '^openai/fake-model$' ||
	fail "model trailer"
git -C "$R" log -1 --format='%(trailers:key=Codicil-Prompt,valueonly)' | grep -q '^generate sha256:' ||
	fail "prompt trailer"
python3 - "$R" "$(git -C "$R" rev-parse HEAD~1)" <<'PY' || fail "the committed cases"
import glob, json, os, sys
cs = [json.load(open(f)) for f in sorted(glob.glob(sys.argv[1] + "/cases/*/*.json"), key=os.path.basename)]
assert len(cs) == 3, len(cs)
assert cs[0]["scenario"].startswith("An ICU nurse"), cs[0]["scenario"]  # the reply's order
for c in cs:
    p = c["provenance"]
    assert c["principles"] == ["crisis"] and c["status"] == "open" and c["run"].startswith("r-")
    assert p["provider"] == "openai" and p["model"] == "fake-model", p
    assert p["constitution_commit"] == sys.argv[2] and p["usage"]["input_tokens"] > 0, p
PY
stop_fake

# two principles at once: the first one's cases show (as new) while the
# second is still being answered; one commit for both
start_fake --answers "$ANSWERS" --latency-ms 2000
tui_script "$R" <<'SCRIPT'
/
"privacy"
Enter
C
:sleep 1000
1
/
"autonomy"
Enter
C
c
:sleep 1500
:dump gen-arriving
:wait
:dump gen-both
SCRIPT
expect_rc 0 "two generations"
[ "$(grep -c '^  new .*privacy ' "$T/screens/gen-arriving.screen")" = 3 ] ||
	{ cat "$T/screens/gen-arriving.screen" >&2; fail "the first answer's cases are not shown as new"; }
grep -q "1 job, [1-9][0-9]* tokens" "$T/screens/gen-arriving.screen" || fail "no job in the status line"
grep -q "autonomy" "$T/screens/gen-arriving.screen" && fail "autonomy's cases before their answer"
grep -q "Committed 6 new cases for several principles" "$T/screens/gen-both.screen" || fail "no commit message"
[ "$(git -C "$R" log -1 --format=%s)" = "Add 6 counterexamples for 2 principles" ] ||
	fail "subject: $(git -C "$R" log -1 --format=%s)"
[ "$(case_ids "$R/cases" | wc -l)" = 9 ] || fail "expected 9 case files"
git_clean "$R"
stop_fake

# Esc cancels a generation whose answer would take 30 s
start_fake --codicil --latency-ms 30000
before=$(git -C "$R" rev-parse HEAD)
t0=$(date +%s)
tui_script "$R" <<'SCRIPT'
/
"truthful"
Enter
C
:sleep 300
Esc
:dump gen-cancelling
:wait
:dump gen-cancelled
SCRIPT
expect_rc 0 "cancelled generation"
[ $(($(date +%s) - t0)) -lt 15 ] || fail "Esc did not cancel the request in flight"
grep -q "Cancelling the running jobs" "$T/screens/gen-cancelling.screen" || fail "no cancelling message"
grep -q "Cancelled. No new cases for truthful" "$T/screens/gen-cancelled.screen" ||
	{ cat "$T/screens/gen-cancelled.screen" >&2; fail "no cancelled message"; }
[ "$(git -C "$R" rev-parse HEAD)" = "$before" ] || fail "a cancelled generation committed"
stop_fake

# a request that fails says why, and commits nothing
start_fake --codicil --fault 500
tui_script "$R" <<'SCRIPT'
/
"truthful"
Enter
C
:wait
:dump gen-failed
SCRIPT
expect_rc 0 "failed generation"
grep -q "No new cases for truthful; 1 request failed: " "$T/screens/gen-failed.screen" ||
	{ cat "$T/screens/gen-failed.screen" >&2; fail "no failure message"; }
[ "$(git -C "$R" rev-parse HEAD)" = "$before" ] || fail "a failed generation committed"
stop_fake

# quitting while one answer is still out commits the cases that arrived
start_fake --codicil --latency-ms 2000
tui_script "$R" <<'SCRIPT'
/
"truthful"
Enter
C
:sleep 1000
1
/
"calibrated"
Enter
C
:sleep 1500
q
SCRIPT
expect_rc 0 "quit mid-generation"
[ "$(git -C "$R" log -1 --format=%s)" = "Add 3 counterexamples for truthful" ] ||
	fail "what had arrived was not committed: $(git -C "$R" log -1 --format=%s)"
git_clean "$R"

# a hosted provider without a key: the TUI says so before sending anything,
# as the CLI does, and T (a job) says the same
unset CODICIL_ENDPOINT OPENAI_API_KEY
before=$(git -C "$R" rev-parse HEAD)
tui_script "$R" <<'SCRIPT'
/
"truthful"
Enter
C
:dump gen-no-key
SCRIPT
expect_rc 0 "generate without a key"
grep -q "no API key for openai: export OPENAI_API_KEY" "$T/screens/gen-no-key.screen" ||
	{ cat "$T/screens/gen-no-key.screen" >&2; fail "no 'no API key' message"; }
[ "$(git -C "$R" rev-parse HEAD)" = "$before" ] || fail "something was committed without a key"
