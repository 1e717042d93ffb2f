# A promptfoo config exported by codicil, run by a real `promptfoo eval`
# against the loopback fake (as the model under test and as the grader of
# every llm-rubric): every case is a test, graded, with its metadata.
# Run by `make check-exchange`, which installs promptfoo; PROMPTFOO names
# its binary.
cd "$(dirname "$0")/../integration" || exit 1
. ./lib.sh
: "${PROMPTFOO:?run through 'make check-exchange'}"

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil
run codicil generate -p truthful -n 3
expect_rc 0 generate
run codicil generate -p privacy -n 2
expect_rc 0 "generate privacy"
run codicil export --format promptfoo -o "$T/pf/promptfooconfig.yaml"
expect_rc 0 export

cd "$T/pf" || fail cd
export OPENAI_API_KEY=test PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 \
	PROMPTFOO_CONFIG_DIR="$T/promptfoo-home"
run "$PROMPTFOO" eval -c promptfooconfig.yaml -o results.json --no-cache --no-progress-bar
expect_rc 0 "promptfoo eval"
python3 - "$T/pf/results.json" "$T/r" <<'PY' || fail "promptfoo's results"
import glob, json, sys
results = json.load(open(sys.argv[1]))["results"]["results"]
ids = sorted(f.split("/")[-1][:-5] for f in glob.glob(sys.argv[2] + "/cases/*/*.json"))
assert sorted(r["testCase"]["metadata"]["case_id"] for r in results) == ids, ids
for r in results:
    case = json.load(open(glob.glob(sys.argv[2] + "/cases/*/%s.json" % r["testCase"]["metadata"]["case_id"])[0]))
    assert r["vars"]["scenario"] == case["scenario"]
    assert r["response"]["output"] == "ok"        # the fake, as the model under test
    g = r["gradingResult"]
    assert g["pass"] is True, g                     # the fake, as the grader
    comp = g.get("componentResults") or [g]
    assert any("cites a principle" in c.get("reason", "") for c in comp), g
PY
