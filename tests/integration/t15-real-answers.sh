# Real model answers: a fake that makes the mistakes real models make
# (repeated ids, demands for principles the case lacks, ids in another
# case, severities as strings, JSON in prose or fences, a case without its
# scenario, a new_id written as a sentence).  Answers are mended and kept,
# re-asked once when they cannot be, never cached when invalid; a run that
# loses its endpoint stops at once and --resume completes it exactly once.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
total=$(codicil principles --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
samples=$(( (200 + total - 1) / total ))
requests=$((total * samples))

# --- a batch of 200+ requests, about a fifth of the answers sloppy -------
export FAKELLM_SLOPPY=20
start_fake --codicil
run codicil batch --all -n 3 --samples "$samples" --journal "$T/j1.jsonl"
expect_rc 0 "a batch against a sloppy model"
expect_err "$requests requests ok, 0 failed"
expect_err "answers mended"
stop_fake
grep 'sloppy:' "$FAKE_LOG" >"$T/shapes" || fail "the fake made no mistakes"
sloppy=$(grep -v ' clean$' "$T/shapes" | awk '{ n += $3 } END { print n + 0 }')
[ "$sloppy" -ge $((requests / 10)) ] || fail "only $sloppy of $requests answers were sloppy"
python3 - "$T/j1.jsonl" "$requests" <<'PY' || fail "journal after a sloppy batch"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
oks = [l["request"] for l in ls if l["status"] == "ok"]
assert len(oks) == len(set(oks)) == int(sys.argv[2]), (len(oks), len(set(oks)))
repairs = [r for l in ls for r in l["repairs"]]
kinds = {
    "repeated": any("dropped the repeated" in r for r in repairs),
    "prose": any("out of the prose" in r for r in repairs),
    "fence": any("out of the code fence" in r for r in repairs),
    "enum": any("read as the allowed value" in r for r in repairs),
    "severity": any("given as a string" in r for r in repairs),
    "target": any("the principle the case was asked about" in r for r in repairs),
    "reask": any(l["reasks"] > 0 for l in ls),
}
missing = [k for k, v in kinds.items() if not v]
assert not missing, missing
PY
# what was committed is strict: no repeated ids, every case cites its target
# and each says in its provenance what was mended in the answer it came from
codicil cases --json | python3 -c '
import json, sys
cs = json.load(sys.stdin)
assert cs, "no cases"
for c in cs:
    assert len(c["principles"]) == len(set(c["principles"])), c["principles"]
    assert 1 <= c["severity"] <= 5
mended = [c for c in cs if c["provenance"].get("repairs")]
assert mended, "no case records a repair"
for c in mended:
    for r in c["provenance"]["repairs"]:
        assert r.startswith("$:") or r.startswith("$.cases["), r
' || fail "committed cases"
git_clean "$T/r"

# --- tensions, probes and an amendment on answers that are all sloppy ----
export FAKELLM_SLOPPY=100
start_fake --codicil
run codicil tensions -p privacy -n 2 --samples 4
expect_rc 0 "tensions on sloppy answers"
run codicil probe -p autonomy -n 2 --samples 4
expect_rc 0 "probes on sloppy answers"
run codicil vagueness -p clarify -n 2 --samples 2
expect_rc 0 "vagueness on sloppy answers"
codicil cases --json | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    for key in ("demands", "accounts"):
        for e in c.get(key, []):
            assert e["principle"] in c["principles"], (key, e["principle"], c["principles"])
' || fail "a demand or account names a principle its case lacks"
stop_fake
case=$(codicil cases -p crisis --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
export FAKELLM_AMEND_OP=insert_after FAKELLM_AMEND_NEW_ID="A new exception for people at risk"
start_fake --codicil
run codicil amend "$case" --json
stop_fake
unset FAKELLM_AMEND_OP FAKELLM_AMEND_NEW_ID
expect_rc 0 "an amendment whose new_id is a sentence"
python3 - "$T/out" <<'PY' || fail "the new_id is made from the heading"
import json, sys
p = json.load(open(sys.argv[1]))
p = p.get("proposal", p)
ids = [e.get("new_id") for e in p["edits"] if e["op"] == "insert_after"]
assert ids == ["exceptions"], (ids, p)
assert any(r.startswith("amend: $.edits[0].new_id: 'A new exception for people at risk' is not a usable id")
           for r in p["provenance"]["repairs"]), p["provenance"]
PY
git_clean "$T/r"
unset FAKELLM_SLOPPY

# --- an answer that stays invalid: one re-ask, kept, never cached --------
export FAKELLM_INVALID=cases
start_fake --codicil
run codicil batch -p privacy --journal "$T/j2.jsonl"
expect_rc 1 "an answer that stays invalid"
expect_err "1 x invalid answer"
expect_err "1 asked again with their errors"
run codicil batch -p privacy --journal "$T/j2.jsonl" --resume
expect_rc 1 "asked again: the invalid answer was not cached"
stop_fake
[ "$(fake_requests)" -eq 4 ] || fail "two asks and two re-asks expected, the fake saw $(fake_requests)"
python3 - "$T/j2.jsonl" <<'PY' || fail "the invalid answer is journalled with its text"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
assert [l["status"] for l in ls] == ["invalid", "invalid"], [l["status"] for l in ls]
for l in ls:
    assert l["raw"] == '{"cases":[]}' and l["reasks"] == 1, l
    assert "fewer than the minItems" in l["error"]
PY
unset FAKELLM_INVALID

# --- a kept answer an older check refused is checked again, for free ------
python3 - "$T/j1.jsonl" "$T/j3.jsonl" <<'PY'
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
last = ls[-1]
items = []
for i, r in enumerate(last["records"]):
    items.append({k: r[k] for k in ("kind", "principles", "literal_reading", "expected",
                                    "rationale", "severity")})
    items[-1]["scenario"] = "A fresh scenario %d: a nurse asks at midnight for a dosage the text forbids to give." % i
last.update(status="invalid", error="refused by an older check", cases=[], records=[],
            raw=json.dumps({"cases": items}))
with open(sys.argv[2], "w") as f:
    for l in ls:
        f.write(json.dumps(l) + "\n")
PY
start_fake --codicil
heads=$(git rev-list --count HEAD)
run codicil batch --all -n 3 --samples "$samples" --journal "$T/j3.jsonl" --resume
expect_rc 0 "resume with a kept answer"
expect_err "1 kept answer usable now"
stop_fake
[ "$(fake_requests)" -eq 0 ] || fail "the kept answer was asked again ($(fake_requests) requests)"
[ "$(git rev-list --count HEAD)" -eq $((heads + 1)) ] || fail "its cases were not committed"
git_clean "$T/r"

# --- the endpoint goes away mid-run: one summary within 10 s, then resume -
start_fake --codicil --latency-ms 100
"$CODICIL_BIN" batch --all -n 2 --samples "$samples" --concurrency 4 --journal "$T/j4.jsonl" \
	>"$T/out4" 2>"$T/err4" &
pid=$!
wait_lines "$T/j4.jsonl" 20
stop_fake
start=$(date +%s)
wait "$pid"; rc=$?
elapsed=$(( $(date +%s) - start ))
[ "$rc" -eq 1 ] || { cat "$T/err4" >&2; fail "a run that lost its endpoint should exit 1, not $rc"; }
[ "$elapsed" -le 10 ] || fail "the run took $elapsed s to give up"
grep -q "^stopped sending: 8 connection failures in a row" "$T/err4" || { cat "$T/err4" >&2; fail "no breaker summary"; }
grep -q "continue with: codicil batch .* --resume --journal $T/j4.jsonl" "$T/err4" || fail "no resume hint"
[ "$(grep -c 'x not sent\|x no connection' "$T/err4")" -ge 1 ] || fail "failures not grouped by cause"
[ "$(wc -l <"$T/err4")" -le 8 ] || { cat "$T/err4" >&2; fail "the summary is not short"; }
grep -q '"status":"not_sent"' "$T/j4.jsonl" || fail "requests not sent are not journalled"
start_fake --codicil
run codicil batch --all -n 2 --samples "$samples" --journal "$T/j4.jsonl" --resume
expect_rc 0 "resume after the endpoint came back"
python3 - "$T/j4.jsonl" "$requests" <<'PY' || fail "after --resume every request is ok exactly once"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
oks = [l["request"] for l in ls if l["status"] == "ok"]
assert len(oks) == len(set(oks)) == int(sys.argv[2]), (len(oks), len(set(oks)))
PY
codicil cases --json | python3 -c '
import json, sys
cs = json.load(sys.stdin)
sc = [c["scenario"] for c in cs]
assert len(sc) == len(set(sc)), "duplicate cases"
' || fail "duplicate cases after resume"
git_clean "$T/r"
