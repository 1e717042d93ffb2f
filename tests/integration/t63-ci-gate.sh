# the CI gate: a pull request that edits the charter is judged against its
# base; regress --format junit gives a JUnit report a CI system parses
# (every broken case a failure, named), --format github gives workflow
# commands that annotate the charter, and the exit status gates the merge.
# The judge's reasoning is model output: hostile text stays inert in both.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
printf '\nAn exception applies in an emergency.\n' >>CONSTITUTION.md
git commit -qam "the base: an exception" || fail commit
hostile=$(printf 'Broken: <script>alert(1)</script> & "q" 100%%,\nnext line: \033]0;pwned\007\033[31mred')
FAKELLM_JUDGE_REASONING="$hostile" start_fake --codicil
codicil generate -p truthful -n 3 >/dev/null 2>&1 || fail generate
case_ids | sort >"$T/ids"
[ "$(wc -l <"$T/ids")" -eq 3 ] || fail "three cases expected"

# the pull request drops the exception: every case breaks
git checkout -qb pr
sed -i '/An exception applies/d' CONSTITUTION.md
git commit -qam "PR: no exception" || fail commit
run codicil regress --against main --format junit
expect_rc 1 "a PR that breaks cases fails the gate"
python3 - "$T/out" "$T/ids" <<'PY' || { cat "$T/out" >&2; fail "the JUnit report"; }
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ids = open(sys.argv[2]).read().split()
assert root.tag == "testsuites" and root.get("failures") == "3" and root.get("errors") == "0", root.attrib
(suite,) = root.findall("testsuite")
assert suite.get("name") == "CONSTITUTION.md" and suite.get("tests") == "3", suite.attrib
cases = suite.findall("testcase")
assert sorted(c.get("name") for c in cases) == sorted(ids), [c.get("name") for c in cases]
for c in cases:
    (f,) = c.findall("failure")
    assert c.get("classname") == "truthful" and c.get("file") == "CONSTITUTION.md", c.attrib
    assert int(c.get("line")) > 0, c.attrib
    assert f.get("type") == "broken" and f.get("message").startswith("handled -> mishandled"), f.attrib
    assert "<script>" in f.text and "\x1b" not in f.text and "\x07" not in f.text, repr(f.text)
PY
run codicil regress --against main --format github
expect_rc 1 "github format, broken"
[ "$(grep -c '^::error ' "$T/out")" -eq 3 ] || fail "three ::error annotations expected: $(cat "$T/out")"
for id in $(cat "$T/ids"); do
	grep -q "^::error file=CONSTITUTION.md,line=[0-9]*,title=codicil regress%3A $id broken::handled -> mishandled (0.90 -> 0.90), severity [0-9], truthful: Broken: <script>alert(1)</script> & \"q\" 100%25, next line: red$" "$T/out" ||
		fail "no annotation for $id: $(cat "$T/out")"
done
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "one line per annotation: $(cat "$T/out")"
grep -q "$(printf '\033')" "$T/out" && fail "an escape sequence reached the CI log"

# a pull request that only adds: the gate passes, the report is all green
git checkout -q main
git checkout -qb pr2
printf '\nAnother exception: none.\n' >>CONSTITUTION.md
git commit -qam "PR: a harmless addition" || fail commit
run codicil regress --against main --format junit
expect_rc 0 "a harmless PR passes"
python3 - "$T/out" <<'PY' || fail "the green JUnit report"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.get("tests") == "3" and root.get("failures") == "0", root.attrib
assert not list(root.iter("failure"))
PY
run codicil regress --against main --format github
expect_rc 0 "github, harmless"
[ -s "$T/out" ] && fail "annotations for a harmless PR: $(cat "$T/out")"

# contrib/github-actions.yml, its steps run as a runner would run them: a
# clone of the repository on the PR's branch, the base fetched from origin,
# the key from the secrets (here: the fake's endpoint)
git checkout -q pr
git clone -q "$T/r" "$T/ci" && git -C "$T/ci" checkout -q pr || fail "the runner's checkout"
mkdir -p "$T/bin" && ln -s "$CODICIL_BIN" "$T/bin/codicil"
stop_fake
FAKELLM_JUDGE_REASONING="$hostile" start_fake --codicil
python3 - "$ROOT/contrib/github-actions.yml" "$T/steps" <<'PY' || fail "the workflow"
import os, sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
steps = wf["jobs"]["gate"]["steps"]
names = [s.get("name") for s in steps if "run" in s]
assert names == ["Install codicil", "Verify the amendment commits",
                 "Judge every case under the base charter and the PR's"], names
os.makedirs(sys.argv[2])
for i, s in enumerate(x for x in steps if "run" in x and x["name"] != "Install codicil"):
    env = {k: v for k, v in s.get("env", {}).items()}
    with open(os.path.join(sys.argv[2], "%d.sh" % i), "w") as f:
        for k, v in env.items():
            v = v.replace("${{ github.base_ref }}", "main").replace("${{ secrets.OPENAI_API_KEY }}", "sk-test-ci-0123456789")
            assert "${{" not in v, v
            f.write("export %s='%s'\n" % (k, v))
        f.write("set -e\n" + s["run"])
PY
(cd "$T/ci" && PATH="$T/bin:$PATH" sh "$T/steps/0.sh") >"$T/out" 2>"$T/err" || fail "verify step: $(cat "$T/err")"
(cd "$T/ci" && PATH="$T/bin:$PATH" sh "$T/steps/1.sh") >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "the regress step exited $rc, not 1: $(cat "$T/err")"
[ "$(grep -c '^::error ' "$T/out")" -eq 3 ] || fail "the step's annotations: $(cat "$T/out")"
python3 -c 'import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); assert r.get("failures") == "3", r.attrib' \
	"$T/ci/codicil-regress.xml" || fail "the step's JUnit report"
stop_fake
# three cases under two charters, once: the annotations came from the cache
[ "$(fake_requests)" -eq 6 ] || fail "the step asked the judge $(fake_requests) times, not 6"

run codicil regress --format yaml
expect_rc 2 "a bad format"
expect_err "--format is text, json, junit or github"
run codicil regress --format json --json
expect_rc 2 "--format and --json"
git_clean "$T/r"
echo ok
