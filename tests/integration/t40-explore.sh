# tensions, vagueness, probe: cases of the right kind with their fields and
# complete provenance, committed, clean work tree.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil

check_cases() { # KIND PROMPT HEAD FILE: every case in FILE is complete
	python3 - "$@" <<'PY' || fail "$1 cases"
import json, sys
kind, prompt, head, path = sys.argv[1:5]
cs = json.load(open(path))
assert len(cs) == 2, cs
for c in cs:
    assert c["kind"] == kind and c["status"] == "open", c
    p = c["provenance"]
    assert p["provider"] == "openai" and p["model"] == "fake-model", p
    assert p["prompt"]["name"] == prompt and len(p["prompt"]["sha256"]) == 64, p
    assert len(p["request_sha256"]) == 64 and len(p["response_sha256"]) == 64, p
    assert p["constitution_commit"] == head, (p, head)
    assert c["run"].startswith("r-"), c
    if kind == "tension":
        assert len(c["principles"]) >= 2 and "truthful" in c["principles"], c
        assert sorted(d["principle"] for d in c["demands"]) == sorted(c["principles"]), c
    if kind == "vagueness":
        assert c["term"] and len(c["readings"]) >= 2, c
        assert len({r["action"] for r in c["readings"]}) >= 2, c
    if kind == "probe":
        assert "truthful" in c["principles"], c
        assert [a["principle"] for a in c["accounts"]] == c["principles"], c
        assert c["literal_reading"], c
PY
}

head=$(git rev-parse HEAD)
run codicil tensions -p truthful -n 2 --json
expect_rc 0 "tensions"
check_cases tension tension "$head" "$T/out"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Add 2 tensions for truthful" ] || fail "subject: $(git log -1 --format=%s)"
git log -1 --format='%(trailers:key=Codicil-Prompt,valueonly)' | grep -q '^tension sha256:[0-9a-f]\{64\}$' || fail "prompt trailer"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/out")
codicil case "$id" | grep -q "^What each principle demands$" || fail "case text lacks the demands"

head=$(git rev-parse HEAD)
run codicil vagueness -p calibrated -n 2 --json
expect_rc 0 "vagueness"
check_cases vagueness vagueness "$head" "$T/out"
git_clean "$T/r"
git log -1 --format=%s | grep -q "^Add 2 vagueness cases for calibrated$" || fail "vagueness subject"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/out")
codicil case "$id" | grep -q "^Readings and the action each leads to$" || fail "case text lacks the readings"

head=$(git rev-parse HEAD)
run codicil probe -p truthful -n 2 --json
expect_rc 0 "probe"
check_cases probe probe "$head" "$T/out"
git_clean "$T/r"
for id in $(python3 -c 'import json,sys; print(" ".join(c["id"] for c in json.load(open(sys.argv[1]))))' "$T/out"); do
	git cat-file -e "HEAD:$(case_path "$id")" || fail "$id not committed"
done

# plain ids without --json; generate --kind uses the same prompt
run codicil tensions -p calibrated -n 1
expect_rc 0 "tensions without --json"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "one id expected: $(cat "$T/out")"
run codicil generate --kind probe -p truthful -n 1 --json
expect_rc 0 "generate --kind probe"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))[0]; assert c["provenance"]["prompt"]["name"]=="probe" and c["accounts"]' "$T/out" || fail "generate --kind probe prompt"

# a model whose tension names only one principle: the schema refuses it
cat >"$T/one.json" <<'JSON'
{"cases": [{"kind": "tension", "principles": ["truthful"],
  "demands": [{"principle": "truthful", "demands": "Say it."}, {"principle": "truthful", "demands": "Say it."}],
  "scenario": "A patient asks whether the experimental treatment will work, and the honest answer is no.",
  "literal_reading": "Say it.", "expected": "Say it kindly.", "rationale": "None.", "severity": 2}]}
JSON
stop_fake
start_fake --reply-file "$T/one.json"
run codicil tensions -p truthful -n 1
expect_rc 1 "a one-principle tension"
expect_err "fewer than the minItems of 2"
# two principles, but the demand of the first is repeated and nothing says
# what the second demands: the repeat is dropped, and what is left cannot
# be mended; it is sent back once with its errors, then reported
sed 's/"principles": \["truthful"\]/"principles": ["truthful", "calibrated"]/' "$T/one.json" >"$T/two.json"
stop_fake
start_fake --reply-file "$T/two.json"
run codicil tensions -p truthful -n 1
expect_rc 1 "a tension without a demand for each principle"
expect_err "demands: 1 items, fewer than the minItems of 2"
expect_err "1 asked again with their errors"
stop_fake
[ "$(fake_requests)" -eq 2 ] || fail "one request and one re-ask expected, the fake saw $(fake_requests)"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Add 1 probe for truthful" ] || fail "something was committed: $(git log -1 --format=%s)"

# usage and errors
run codicil tensions --help
expect_rc 0 "tensions --help"
expect_out "obeying one means violating another"
run codicil probe --help
expect_rc 0 "probe --help"
expect_out "does NOT"
run codicil vagueness -p no-such-principle
expect_rc 1 "unknown principle"
expect_one_line_err
run codicil tensions -n 0
expect_rc 2 "bad count"
git_clean "$T/r"
