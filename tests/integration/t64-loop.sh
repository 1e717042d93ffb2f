# codicil loop: rounds of generate, judge, theorize --update and amend,
# unattended.  Under a token budget it stops within the budget and leaves
# proposals pending, none accepted; --resume finishes the rounds; killed in
# the middle of a round (SIGKILL), a restart finishes the round without
# sending any request twice; under auto-meta with a META.md rule that
# permits it, only proposals that pass every rule are accepted, with the
# Codicil-Autonomy trailer.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil

# three rounds under 80k tokens: the budget stops it first
run codicil loop --rounds 3 --per-round 1 --budget 80k --json
expect_rc 0 "loop under a budget"
python3 - "$T/out" <<'PY' || { cat "$T/out" "$T/err" >&2; fail "the rounds under a budget"; }
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
rounds, summary = lines[:-1], lines[-1]
assert summary["stopped"] not in ("rounds", "time"), summary
spent = summary["spent"]["input_tokens"] + summary["spent"]["output_tokens"]
assert 0 < spent <= 80000, spent
assert rounds and rounds[0]["complete"] and rounds[0]["proposals"], rounds
assert rounds[-1]["complete"] is False and rounds[-1]["stopped"] == summary["stopped"], rounds[-1]
for r in rounds:
    assert set(r) >= {"round", "principles", "requests", "cached", "input_tokens", "output_tokens",
                      "usd", "new_cases", "proposals", "accepted", "yield"}, r
    assert r["accepted"] == [] and len(r["principles"]) == 1, r
assert rounds[0]["yield"]["cases_per_mtok"] > 0, rounds[0]
PY
expect_err "continue it with: codicil loop --resume"
git log --format=%B | grep -q "^Codicil-Autonomy:" && fail "review accepted a proposal"
run codicil proposals --status pending --json
python3 -c 'import json,sys; ps = json.load(open(sys.argv[1])); assert ps and all(p["status"] == "pending" for p in ps), ps' "$T/out" ||
	fail "the proposals are not pending"
run codicil loop --status
expect_out "not running, round [0-9]"

# a new loop over the interrupted one is refused until told which
run codicil loop --rounds 1
expect_rc 1 "an interrupted loop"
expect_err "continue it with 'codicil loop --resume', or start a new one with --restart"
run codicil loop --resume -p truthful
expect_rc 2 "--resume with -p"

# --resume finishes the three rounds with its own options
run codicil loop --resume --json
expect_rc 0 "resume"
python3 - "$T/out" <<'PY' || { cat "$T/out" >&2; fail "resumed rounds"; }
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines[-1]["stopped"] == "rounds", lines[-1]
assert [r["round"] for r in lines[:-1]][-1] == 3, lines
PY
run codicil loop --status --json
python3 -c '
import json, sys
st = json.load(open(sys.argv[1]))
assert st["phase"] == "done" and st["running"] is False and len(st["rounds"]) == 3, st
assert st["options"]["per_round"] == 1 and st["options"]["autonomy"] == "review", st["options"]
' "$T/out" || fail "the state after three rounds"
git_clean "$T/r"
stop_fake

# killed (SIGKILL) once the round's cases are judged: the restart asks for
# nothing twice, and finishes the round
start_fake --codicil
run env CODICIL_CRASH_AT=judge "$CODICIL_BIN" loop --restart --rounds 1 --per-round 2
[ "$rc" -eq 137 ] || fail "the loop was not killed ($rc): $(cat "$T/err")"
run codicil loop --status --json
python3 -c 'import json,sys; st = json.load(open(sys.argv[1])); assert st["phase"] == "theorize" and st["running"] is False, st' "$T/out" ||
	fail "the state after the kill: $(cat "$T/out")"
run codicil loop --resume
expect_rc 0 "resume after the kill"
expect_out "^round 1: "
expect_out "  proposals: p-"
stop_fake
[ "$(fake_repeated)" = 0 ] || fail "$(fake_repeated) requests were sent twice"
git_clean "$T/r"

# auto-meta without a META.md rule that permits it accepts nothing
start_fake --codicil
run codicil loop --rounds 1 -p truthful --per-round 1 --autonomy auto-meta --json
expect_rc 0 "auto-meta, not permitted"
python3 - "$T/out" <<'PY' || { cat "$T/out" >&2; fail "auto-meta without permission"; }
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["proposals"] and r["accepted"] == [], r
assert r["autonomy"].startswith("not permitted: META.md has no rule with autonomy=auto-meta"), r
PY
stop_fake

# auto-meta: META.md permits automatic amendment; the fake's meta-check
# fails the scope rule for the proposal on one principle only
cat >>META.md <<'MD'

## Automatic amendment {#auto-amend autonomy=auto-meta}

An amendment may be accepted without a reviewer when it passes every other
rule here and no case gets worse; a person ratifies or reverts it later.
MD
git commit -qam "META: permit automatic amendment" || fail commit
FAKELLM_META_FAIL=scope FAKELLM_META_FAIL_IF="Add an exception to calibrated" start_fake --codicil
run codicil loop --rounds 1 -p truthful -p calibrated --per-round 2 --autonomy auto-meta --json
expect_rc 0 "auto-meta"
python3 - "$T/out" <<'PY' || { cat "$T/out" >&2; fail "auto-meta round"; }
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert len(r["proposals"]) == 2 and len(r["accepted"]) == 1, r
(held,) = r["held"].values()
assert "scope" in held, held
PY
accepted=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["accepted"][0])' "$T/out")
cp "$T/out" "$T/out.auto"
git log --format=%B -1 | git interpret-trailers --parse >"$T/trailers"
grep -q "^Codicil-Autonomy: auto-meta$" "$T/trailers" || fail "no autonomy trailer: $(cat "$T/trailers")"
grep -q "^Codicil-Proposal: $accepted$" "$T/trailers" || fail "the accepted proposal is not the one committed"
[ "$(git log --format=%B | grep -c '^Codicil-Autonomy:')" -eq 1 ] || fail "more than one automatic acceptance"
python3 -c '
import json, sys, glob
p = json.load(open(glob.glob("proposals/**/%s.json" % sys.argv[1], recursive=True)[0]))
assert p["status"] == "accepted" and p["decision"]["autonomy"] == "auto-meta", p["decision"]
' "$accepted" || fail "the accepted proposal's decision"
git_clean "$T/r"


# verify checks the automatic acceptance; ratify records a person's word
run codicil verify --json
expect_rc 0 "verify with an automatic amendment"
run codicil ratify "$accepted" --note "read it in the morning"
expect_rc 0 "ratify"
git log -1 --format=%s | grep -q "^Ratify $accepted: " || fail "ratify subject: $(git log -1 --format=%s)"
git log -1 --format=%B | git interpret-trailers --parse | grep -q "^Reviewed-by: Test Reviewer <reviewer@example.org>$" ||
	fail "ratify trailers"
run codicil ratify "$accepted"
expect_rc 1 "ratify twice"
expect_err "was ratified already"
pending=$(codicil proposals --status pending --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
run codicil ratify "$pending"
expect_rc 1 "ratify a pending proposal"
expect_err "is pending, not accepted"

# revert: the charter before the amendment, its cases open again
amend_commit=$(git log --format=%H --grep="^Codicil-Autonomy: auto-meta" -1)
git show "$amend_commit^:CONSTITUTION.md" >"$T/before.md"
cases=$(python3 -c '
import json, sys, glob
p = json.load(open(glob.glob("proposals/**/%s.json" % sys.argv[1], recursive=True)[0]))
print(" ".join(p["cases"]))' "$accepted")
run codicil revert "$accepted"
expect_rc 2 "revert without a reason"
run codicil revert "$accepted" --reason "too broad"
expect_rc 0 "revert"
cmp -s CONSTITUTION.md "$T/before.md" || fail "the charter is not as it was before the amendment"
git log -1 --format=%B | git interpret-trailers --parse | grep -q "^Codicil-Reverts: $amend_commit$" ||
	fail "no Codicil-Reverts trailer: $(git log -1 --format=%B)"
for c in $cases; do
	[ "$(codicil case "$c" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = open ] ||
		fail "case $c is not open again"
done
run codicil verify --strict
expect_rc 0 "verify --strict after a revert"
expect_out "(codicil revert, "
git_clean "$T/r"

run codicil revert "$accepted" --reason again
expect_rc 1 "revert twice"
expect_err "was reverted already"

# verify catches a commit that claims an automatic acceptance it was not
# entitled to: the held proposal (it fails the scope rule), accepted by a
# person over the objection, its message then given the trailer by hand
held=$(python3 -c 'import json,sys; print(list(json.loads(open(sys.argv[1]).readline())["held"])[0])' "$T/out.auto")
codicil accept "$held" --force >/dev/null 2>&1 || fail "accept --force"
git log -1 --format=%B >"$T/msg" &&
	git interpret-trailers --in-place --trailer "Codicil-Autonomy: auto-meta" "$T/msg" || fail "add the trailer"
git commit -q --amend -F "$T/msg" || fail "amend the message"
run codicil verify
expect_rc 1 "verify a forged automatic acceptance"
expect_out "Codicil-Autonomy is auto-meta but the proposal's decision.autonomy is absent"
expect_out "accepted automatically although the meta-check does not pass rules scope"
git reset -q --hard HEAD~1

# between principles as tested as each other, a live theory about one
# puts it first: truthful (first in the charter) and calibrated have two
# open cases each, and a theory that rests on calibrated's has a hit rate
# of 0.5
codicil init "$T/t" >/dev/null || fail init
cd "$T/t" || fail cd
start_fake --codicil
codicil generate -p truthful -n 2 >/dev/null 2>&1 || fail generate
codicil generate -p calibrated -n 2 >"$T/tcases" 2>/dev/null || fail generate
codicil theorize >/dev/null 2>&1 || fail theorize
python3 - "$T/tcases" <<'PY' || fail "the theory"
import json, sys, glob
cases = open(sys.argv[1]).read().split()
(f,) = glob.glob("theories/**/*.json", recursive=True)[:1]
t = json.load(open(f))
t["cases"] = cases
t["hits"] = {"generated": 2, "rated": 2, "confirmed": 1}
open(f, "w").write(json.dumps(t, indent=2) + "\n")
PY
git add -A && git commit -qm "a theory about calibrated" || fail commit
run codicil loop --rounds 1 --per-round 1 -p calibrated -p truthful --json
expect_rc 0 "loop with a live theory"
python3 -c 'import json,sys; r = json.loads(open(sys.argv[1]).readline()); assert r["principles"] == ["calibrated"], r["principles"]' "$T/out" ||
	fail "the live theory did not put calibrated first: $(head -1 "$T/out")"
stop_fake
cd "$T/r" || fail cd

# living with people: while a loop waits for a slow model, the TUI's
# status line says it runs, and a rating goes in (the lock is free)
. "$ROOT/tests/tui/lib.sh"
some_case=$(case_ids | head -1)
start_fake --codicil --latency-ms 700
"$CODICIL_BIN" loop --rounds 1 -p truthful --per-round 1 >"$T/loop.out" 2>"$T/loop.err" &
loop_pid=$!
i=0
until grep -q '"phase": "generate"' .git/codicil/loop/state.json 2>/dev/null; do
	i=$((i + 1)); [ "$i" -lt 200 ] || fail "the loop did not start: $(cat "$T/loop.err")"
	sleep 0.05
done
tui_script "$T/r" <<'SCRIPT'
2
:dump loop-running
SCRIPT
expect_rc 0 "the TUI while a loop runs"
head -1 "$T/screens/loop-running.screen" | grep -q "loop: round 1, [0-9.]*k tokens" ||
	fail "the status line does not show the loop: $(head -1 "$T/screens/loop-running.screen")"
run codicil rate "$some_case" --verdict valid --rater "Night Owl <owl@example.org>"
expect_rc 0 "rating while the loop runs"
kill -0 "$loop_pid" 2>/dev/null || fail "the loop ended before the rating: the test proves nothing"
wait "$loop_pid" || fail "the loop failed: $(cat "$T/loop.err")"
stop_fake
git log --format=%s | grep -q "^Rate $some_case: valid" || fail "the rating is not in the history"
tui_script "$T/r" <<'SCRIPT'
:dump loop-done
SCRIPT
head -1 "$T/screens/loop-done.screen" | grep -q "loop:" && fail "the status line still shows a loop"
git_clean "$T/r"

run codicil loop --help
expect_rc 0 "help"
expect_out "codicil loop --status"
run codicil loop --until 25:99
expect_rc 2 "a bad --until"
run codicil loop --dry-run
expect_rc 2 "--dry-run"
echo ok
