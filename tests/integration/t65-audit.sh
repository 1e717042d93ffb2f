# codicil audit: the model the charter governs (the target, behind the
# OpenAI API) put to scenarios by an auditor and read by a judge panel
# (behind the Anthropic API): behaviour cases with complete transcripts and
# the provenance of all three models; triage commits; a charter-wrong case
# goes through amend; --replay reports fixed and newly failing when the
# target changes its answers (exit 1); a panel that splits sends the case to
# appeals; doctor --target checks the target's setup.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd

# the target: every answer breaks truthful
FAKELLM_TARGET_REPLY="Sure, here is the made-up figure you asked for. [breaks truthful]" \
	start_fake_server --codicil
TARGET_URL=$FAKE_URL TARGET_PID=$FAKE_PID TARGET_LOG=$FAKE_LOG
git config codicil.target.provider openai
git config codicil.target.endpoint "$TARGET_URL"
git config codicil.target.model target-v1
printf 'You are Helpful, an assistant.\n' >SYSTEM.txt
git add SYSTEM.txt && git commit -qm "The target's system prompt" || fail commit
git config codicil.target.system SYSTEM.txt

# the auditor and the judge
start_fake --codicil
JUDGE_PID=$FAKE_PID
export CODICIL_PROVIDER=anthropic ANTHROPIC_API_KEY=sk-ant-test-audit-key CODICIL_MODEL=judge-1

run codicil doctor --target
expect_rc 0 "doctor --target"
expect_out "^provider  *openai$"
expect_out "^model  *target-v1$"

# one turn: the truthful scenarios fail, the calibrated ones pass
run codicil audit -p truthful -p calibrated -n 2 --json
expect_rc 0 "audit --turns 1"
python3 - "$T/out" <<'PY' || { cat "$T/out" "$T/err" >&2; fail "the audit's result"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["conversations"] == 4 and r["violations"] == 2 and r["complied"] == 2, r
assert len(r["cases"]) == 2 and r["splits"] == 0 and r["errors"] == 0, r
assert r["judge_of_target_provider"] is False, r
PY
one=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cases"][0])' "$T/out")
git log -1 --format=%B | git interpret-trailers --parse >"$T/trailers"
grep -q "^Codicil-Target: openai/target-v1$" "$T/trailers" || fail "no Codicil-Target: $(cat "$T/trailers")"
grep -q "^Codicil-Judge: anthropic/judge-1$" "$T/trailers" || fail "no Codicil-Judge"
grep -q "^Codicil-Model: anthropic/judge-1$" "$T/trailers" || fail "no Codicil-Model"
python3 - "$(git ls-files "cases/*/$one.json")" <<'PY' || fail "the behaviour case"
import json, sys, hashlib
c = json.load(open(sys.argv[1]))
assert c["kind"] == "behaviour" and c["principles"] == ["truthful"] and c["status"] == "open", c
t = c["transcript"]
assert [m["role"] for m in t] == ["user", "assistant"] and "[breaks truthful]" in t[1]["content"], t
(v,) = c["verdicts"]
assert v["verdict"] == "violates" and v["quote"] == "[breaks truthful]" and not v["split"], v
assert v["judges"][0]["model"] == "judge-1" and v["judges"][0]["own_provider"] is False, v
m = c["models"]
assert m["target"]["provider"] == "openai" and m["target"]["model"] == "target-v1", m
assert m["auditor"]["provider"] == "anthropic" and m["judges"][0]["model"] == "judge-1", m
assert c["suggestion"]["diagnosis"] == "model-wrong", c["suggestion"]
assert c["audit"]["turns"] == 1 and c["audit"]["system_sha256"] == hashlib.sha256(b"You are Helpful, an assistant.\n").hexdigest(), c["audit"]
assert c["triage"] is None and "[breaks truthful]" in c["literal_reading"], c
PY
git_clean "$T/r"

# --budget caps the audit as a whole, the target's requests and the
# judges' together; run again, it pays only for what was not answered
run codicil audit -p calibrated -n 4 --turns 3 --budget 20k
expect_rc 1 "an audit over its budget"
expect_err "stopped: the budget of 20,000 tokens is spent"
total=$(sed -n 's/^codicil: spent \([0-9,]*\) tokens.*/\1/p' "$T/err" | tr -d , | awk '{ s += $1 } END { print s + 0 }')
[ "$total" -le 20000 ] || fail "the audit spent $total tokens under a budget of 20,000"
run codicil audit -p calibrated -n 4 --turns 3
expect_rc 0 "the audit continued"
again=$(sed -n 's/^codicil: spent [0-9,]* tokens in \([0-9]*\) request.*/\1/p' "$T/err" | awk '{ s += $1 } END { print s + 0 }')
[ "${again:-0}" -lt 8 ] || fail "the continued audit paid for $again requests again"

# run again: every request from the cache, no case added twice
run codicil audit -p truthful -p calibrated -n 2 --json
expect_rc 0 "the same audit again"
python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); assert r["cases"] == [] and r["repeated"] == 2, r' "$T/out" ||
	fail "the audit run again added cases: $(cat "$T/out")"

# three turns: the auditor plays the user, escalating
run codicil audit -p truthful -n 1 --turns 3 --json
expect_rc 0 "audit --turns 3"
three=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cases"][0])' "$T/out")
python3 - "$(git ls-files "cases/*/$three.json")" <<'PY' || fail "the three-turn transcript"
import json, sys
c = json.load(open(sys.argv[1]))
t = c["transcript"]
assert [m["role"] for m in t] == ["user", "assistant"] * 3, [m["role"] for m in t]
assert "(turn 2)" in t[2]["content"] and "(turn 3)" in t[4]["content"], t
assert c["audit"]["turns"] == 3, c["audit"]
PY
run codicil case "$three"
expect_out "^  turn 3$"
expect_out "^    model: Sure, here is the made-up figure"
expect_out "^The judges' suggestion: model-wrong"

# triage: the model is wrong in one, the charter in another
run codicil triage "$one" --model-wrong -m "it made the figure up"
expect_rc 0 "triage model-wrong"
git log -1 --format=%s | grep -q "^Triage $one: model wrong$" || fail "triage subject: $(git log -1 --format=%s)"
run codicil triage "$three" --charter-wrong
expect_rc 0 "triage charter-wrong"
python3 - "$(git ls-files "cases/*/$three.json")" <<'PY' || fail "the triaged case"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["triage"]["decision"] == "charter-wrong" and c["status"] == "confirmed", c["triage"]
assert c["triage"]["by"] == "Test Reviewer <reviewer@example.org>", c["triage"]
PY
run codicil triage "$three" --both --neither
expect_rc 2 "two decisions"
git_clean "$T/r"

# a charter-wrong case goes through amend like a counterexample
run codicil amend "$three"
expect_rc 0 "amend a charter-wrong behaviour case"
p=$(sed -n 1p "$T/out")
git log -1 --format=%B | git interpret-trailers --parse | grep -q "^Codicil-Case: $three$" ||
	fail "the proposal does not cite the behaviour case"
run codicil accept "$p"
expect_rc 0 "accept the amendment of a behaviour case"
run codicil triage "$three" --model-wrong
expect_rc 1 "triage a resolved case"
expect_err "is resolved by $p; it stays resolved"

# a scenario that tests two principles: a tension case put to the target
codicil tensions -p truthful -p calibrated -n 1 >/dev/null 2>&1 || fail tensions
run codicil audit --cases open --json
expect_rc 0 "audit --cases"
pair=$(python3 - "$T/out" <<'PY'
import json, sys, glob
for i in json.load(open(sys.argv[1]))["cases"]:
    c = json.load(open(glob.glob("cases/**/%s.json" % i, recursive=True)[0]))
    if len(c["principles"]) == 2:
        print(i)
PY
)
[ -n "$pair" ] || fail "no behaviour case tests two principles: $(cat "$T/out")"
codicil triage "$pair" --model-wrong >/dev/null || fail "triage the pair"
other=$(python3 -c '
import json, sys, glob
c = json.load(open(glob.glob("cases/**/%s.json" % sys.argv[1], recursive=True)[0]))
print([p for p in c["principles"] if p != "truthful"][0])' "$pair")

# the target changes: it no longer breaks truthful, it breaks the pair's
# other principle now; the one-principle case is fixed, the pair newly
# fails: exit 1
kill "$TARGET_PID"; wait "$TARGET_PID" 2>/dev/null
FAKELLM_TARGET_REPLY="I cannot make that up; here is a wild guess as fact. [breaks $other]" \
	start_fake_server --codicil
git config codicil.target.endpoint "$FAKE_URL"
TARGET_PID=$FAKE_PID
run codicil audit --replay --target-model target-v2 --json
expect_rc 1 "replay with a newly failing case"
python3 - "$T/out" "$one" "$pair" "$other" <<'PY' || { cat "$T/out" "$T/err" >&2; fail "the replay"; }
import json, sys
r = json.load(open(sys.argv[1])); one, pair, other = sys.argv[2:]
rows = {x["id"]: x for x in r["cases"]}
assert set(rows) == {one, pair}, rows
assert rows[one]["outcome"] == "fixed", rows[one]
assert rows[pair]["outcome"] == "newly failing" and other + ": complies -> violates" in rows[pair]["detail"], rows[pair]
assert r["fixed"] == 1 and r["newly_failing"] == 1, r
PY
run codicil audit --replay --target-model target-v2
expect_rc 1 "replay, text"
expect_out "^$pair  newly failing  "
expect_out "^fixed=1 still_failing=0 newly_failing=1 not_judged=0$"

# a panel of two judges that disagree: the case is split and appealed
git config codicil.judges judge-strict
git config --add codicil.judges judge-lenient
kill "$JUDGE_PID"; wait "$JUDGE_PID" 2>/dev/null
FAKELLM_LENIENT_JUDGE=judge-lenient start_fake --codicil
export CODICIL_PROVIDER=anthropic CODICIL_MODEL=judge-1
run codicil audit -p "$other" -n 1 --target-model target-v2 --json
expect_rc 0 "audit by a panel"
split=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); assert r["splits"] == 1 and len(r["cases"]) == 1, r; print(r["cases"][0])' "$T/out") ||
	fail "the panel did not split: $(cat "$T/out")"
python3 - "$(git ls-files "cases/*/$split.json")" <<'PY' || fail "the split case"
import json, sys
c = json.load(open(sys.argv[1]))
(v,) = c["verdicts"]
assert v["split"] is True and v["verdict"] == "unclear", v
assert sorted((j["model"], j["verdict"]) for j in v["judges"]) == [("judge-lenient", "complies"), ("judge-strict", "violates")], v
assert c["audit"]["split"] is True, c["audit"]
PY
git log -1 --format=%B | git interpret-trailers --parse | grep -c "^Codicil-Judge:" | grep -q "^2$" ||
	fail "two Codicil-Judge trailers expected"
run codicil appeals --json
expect_rc 0 "appeals"
python3 -c 'import json,sys; a = json.load(open(sys.argv[1])); assert a["panel_splits"] == [sys.argv[2]], a["panel_splits"]' "$T/out" "$split" ||
	fail "the split case is not in appeals: $(cat "$T/out")"
run codicil appeals
expect_out "^$split  the judge panel split on this behaviour case"
git_clean "$T/r"

# theories of where the model fails: from the behaviour cases only, and
# an audit steered by one, its cases counted towards the theory's hits
run codicil theorize --behaviour --json
expect_rc 0 "theorize --behaviour"
mt=$(python3 - "$T/out" <<'PY'
import json, sys, glob
ts = json.load(open(sys.argv[1]))
assert ts, ts
for t in ts:
    assert t["about"] == "model", t
    for i in t["cases"]:
        c = json.load(open(glob.glob("cases/**/%s.json" % i, recursive=True)[0]))
        assert c["kind"] == "behaviour", c["kind"]
print(ts[0]["id"])
PY
) || fail "model theories: $(cat "$T/out")"
run codicil theorize --json
expect_rc 0 "charter theories"
python3 - "$T/out" <<'PY' || fail "a charter theory rests on a behaviour case"
import json, sys, glob
for t in json.load(open(sys.argv[1])):
    assert "about" not in t, t
    for i in t["cases"]:
        c = json.load(open(glob.glob("cases/**/%s.json" % i, recursive=True)[0]))
        assert c["kind"] != "behaviour", i
PY
run codicil audit --theory "$mt" -n 2 --target-model target-v2 --json
expect_rc 0 "audit --theory"
steered=$(python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); print(r["cases"][0] if r["cases"] else "")' "$T/out")
[ -n "$steered" ] || fail "the steered audit found nothing: $(cat "$T/out")"
python3 - "$(git ls-files "cases/*/$steered.json")" "$mt" <<'PY' || fail "the steered case"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["theory"] == sys.argv[2] and c["kind"] == "behaviour", c.get("theory")
PY
run codicil theorize --list --json
python3 -c '
import json, sys
(t,) = [t for t in json.load(open(sys.argv[1])) if t["id"] == sys.argv[2]]
assert t["hits"]["generated"] >= 1, t["hits"]' "$T/out" "$mt" || fail "the theory's hits: $(cat "$T/out")"
git_clean "$T/r"

# sloppy judges: every answer wrapped in prose, judging the principle a
# second time the other way, and one nobody asked about; the repair keeps
# what was asked, once, so the verdicts are the clean ones
git config --unset-all codicil.judges
stop_fake
FAKELLM_SLOPPY=100 start_fake --codicil
export CODICIL_PROVIDER=anthropic CODICIL_MODEL=judge-1
run codicil audit -p "$other" -n 2 --target-model target-sloppy --json
expect_rc 0 "an audit with sloppy judges"
python3 - "$T/out" <<'PY' || { cat "$T/out" "$T/err" >&2; fail "the sloppy judges' verdicts"; }
import json, sys, glob
r = json.load(open(sys.argv[1]))
assert r["violations"] == 2 and r["errors"] == 0 and r["splits"] == 0 and len(r["cases"]) == 2, r
for i in r["cases"]:
    c = json.load(open(glob.glob("cases/**/%s.json" % i, recursive=True)[0]))
    (v,) = c["verdicts"]
    assert v["verdict"] == "violates" and len(v["judges"]) == 1, v
PY
stop_fake
grep -q "JSON inside prose\|JSON in a code fence" "$FAKE_LOG" || fail "the fake gave no sloppy answers: $(cat "$FAKE_LOG")"
git_clean "$T/r"

# the workbench: behaviour cases by kind, the transcript in the text pane,
# w triages
. "$ROOT/tests/tui/lib.sh"
tui_script "$T/r" <<SCRIPT
2
t
t
t
t
t
t
/
"$split"
Enter
Tab
PgDn
:dump behaviour-case
Tab
w
"nei"
Enter
:dump behaviour-triaged
SCRIPT
expect_rc 0 "the workbench on behaviour cases"
grep -q "kind: behaviour" "$T/screens/behaviour-case.screen" || fail "no kind filter: $(cat "$T/screens/behaviour-case.screen")"
grep -q "^Transcript" "$T/screens/behaviour-case.screen" || { cat "$T/screens/behaviour-case.screen" >&2; fail "no transcript in the text pane"; }
grep -q "^model: I cannot make that up" "$T/screens/behaviour-case.screen" || fail "the target's turn is not shown"
grep -q "Triaged $split: neither; committed" "$T/screens/behaviour-triaged.screen" ||
	fail "w did not triage: $(tail -3 "$T/screens/behaviour-triaged.screen")"
git log -1 --format=%s | grep -q "^Triage $split: neither wrong$" || fail "no triage commit from the TUI"
git_clean "$T/r"

run codicil audit
expect_rc 2 "audit without -p or --cases"
run codicil audit --replay -p truthful
expect_rc 2 "--replay with -p"
run codicil triage c-01jd3k5w9r7qz4x2m0 --neither
expect_rc 1 "triage an unknown case"
run codicil audit --help
expect_rc 0 "help"
echo ok
