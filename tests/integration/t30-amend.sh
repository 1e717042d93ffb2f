# amend -> review -> accept against the fake model: the proposal and its
# consequence cases committed, the per-rule meta-check, regression flips
# from the scripted judge, one accept commit that `codicil verify` and
# `git interpret-trailers` read, tampering caught, and the reject path.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil
port=$FAKE_PORT

run codicil generate -p truthful -n 2
expect_rc 0 "generate on truthful"
c1=$(sed -n 1p "$T/out") c2=$(sed -n 2p "$T/out")
run codicil generate -p privacy -n 1
expect_rc 0 "generate on privacy"
c3=$(cat "$T/out")
base=$(git rev-parse HEAD)

# usage errors
run codicil amend
expect_rc 2 "amend without cases"
run codicil amend c-00000000000000nope
expect_rc 1 "amend an unknown case"
expect_one_line_err

run codicil amend "$c1" "$(echo "$c2" | cut -c3-)" --json
expect_rc 0 "amend"
git_clean "$T/r"
pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$T/out")
[ "$(git log -1 --format=%s)" = "Propose $pid: Add an exception to truthful" ] || fail "propose subject: $(git log -1 --format=%s)"
git log -1 --format=%B | git interpret-trailers --parse >"$T/tr"
grep -qx "Codicil-Proposal: $pid" "$T/tr" && grep -qx "Codicil-Case: $c2" "$T/tr" || fail "propose trailers: $(cat "$T/tr")"
cmp -s "$T/out" /dev/null && fail "no json"
python3 - "$T/out" "proposals/$pid.json" "$base" "$port" "$c1" "$c2" "$c3" <<'PY' || fail "the proposal"
import json, os, re, sys
out, path, base, port, c1, c2, c3 = sys.argv[1:]
p = json.load(open(out))
assert p == json.load(open(path)), "--json differs from the committed file"
assert p["status"] == "pending" and p["charter"] == "CONSTITUTION.md" and p["base"] == base, p
assert p["cases"] == [c1, c2], p["cases"]
e = p["edits"]
assert len(e) == 1 and e[0]["op"] == "replace" and e[0]["id"] == "truthful", e
assert "exception" in e[0]["body"] and "Say what is true" not in e[0]["body"], e
assert p["pros"] and p["cons"]
cs = p["consequences"]
assert len(cs) == 2, cs
for c in cs:
    assert list(c) == ["scenario", "effect", "affected_principles", "likelihood", "severity", "case"], list(c)
    assert c["affected_principles"] == ["truthful"] and c["likelihood"] in ("low", "medium", "high")
    k = json.load(open("cases/%s%s/%s.json" % (c["case"][7], c["case"][-1], c["case"])))
    assert k["kind"] == "consequence" and k["proposal"] == p["id"] and k["status"] == "open", k
    assert k["scenario"] == c["scenario"] and k["provenance"]["prompt"]["name"] == "consequences"
    assert k["provenance"]["constitution_commit"] == base
rules = re.findall(r"\{#([a-z-]+)\}", open("META.md").read())[1:]
assert [m["rule"] for m in p["meta_check"]] == rules, (p["meta_check"], rules)
assert all(m["verdict"] == "pass" and m["reason"] for m in p["meta_check"])
r = p["regression"]
assert (r["fixed"], r["broken"], r["changed"], r["unchanged"]) == (5, 0, 0, 0), r
flipped = sorted(f["case"] for f in r["flips"])
assert flipped == sorted([c1, c2, c3] + [c["case"] for c in cs]), flipped
assert all(f["before"] == "mishandled" and f["after"] == "handled" for f in r["flips"])
# amend, consequences, metacheck, and 2 x 5 judge calls
assert len(p["transcripts"]) == 13 and len(set(p["transcripts"])) == 13, p["transcripts"]
for t in p["transcripts"]:
    assert os.path.exists(".git/codicil/transcripts/%s.json" % t), t
pv = p["provenance"]
assert pv["provider"] == "openai" and pv["model"] == "fake-model", pv
assert pv["endpoint_host"] == "127.0.0.1:" + port, pv
assert [x["name"] for x in pv["prompts"]] == ["amend", "consequences", "metacheck", "judge"], pv
assert all(len(x["sha256"]) == 64 for x in pv["prompts"])
assert p["decision"] is None and p["rejection"] is None
PY

# review: plain text in a pipe, never an escape sequence, even without NO_COLOR
env -u NO_COLOR "$CODICIL_BIN" review "$pid" >"$T/out" 2>"$T/err"; rc=$?
expect_rc 0 "review"
expect_out "^Proposal $pid (pending): Add an exception to truthful"
expect_out "^Change to CONSTITUTION.md (0 words deleted, 19 inserted):"
expect_out "^it says so instead of guessing in a confident tone.{+ An exception applies when"
expect_out "^Pros:"
expect_out "^Cons:"
expect_out "^Predicted consequences:"
expect_out "^Meta-check:"
expect_out "pass  scope: "
expect_out "^Regression: fixed=5 broken=0 changed=0 unchanged=0"
expect_out "$c3: mishandled -> handled"
! grep -q "$(printf '\033')" "$T/out" || fail "review printed an escape sequence into a pipe"
# on a terminal: colour, unless NO_COLOR
if command -v script >/dev/null 2>&1; then
	env -u NO_COLOR script -qc "'$CODICIL_BIN' review $pid" /dev/null >"$T/tty" 2>&1
	grep -q "$(printf '\033')\[" "$T/tty" || fail "no colour on a terminal"
	script -qc "'$CODICIL_BIN' review $pid" /dev/null >"$T/tty" 2>&1
	! grep -q "$(printf '\033')" "$T/tty" || fail "colour with NO_COLOR"
fi
run codicil review "$pid" --json
expect_rc 0 "review --json"
python3 - "$T/out" <<'PY' || fail "review --json"
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("id", "edits", "redline", "consequences", "pros", "cons", "meta_check", "regression"):
    assert k in r, k
h = r["redline"]["hunks"]
assert r["redline"]["inserted_words"] > 0 and any("exception" in x["insert"] for x in h), r["redline"]
PY
run codicil review "$pid" --charter META.md
expect_rc 1 "review with the wrong charter"
expect_err "amends CONSTITUTION.md, not META.md"

# regress --proposal: the same flips, all from the judgment cache
run codicil regress --proposal "$pid" --json
expect_rc 0 "regress --proposal"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert (r["fixed"],r["broken"],r["unchanged"])==(5,0,0), r' "$T/out" || fail "regress --proposal counts"
run codicil regress --proposal "$pid" --against HEAD
expect_rc 2 "--proposal with --against"

# accept: one commit with everything
run codicil accept "$pid" -m "reads well"
expect_rc 0 "accept"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Amend truthful: Add an exception to truthful" ] || fail "accept subject: $(git log -1 --format=%s)"
git log -1 --format=%B | git interpret-trailers --parse >"$T/tr"
for want in "Codicil-Proposal: $pid" "Codicil-Case: $c1" "Codicil-Case: $c2" \
	"Codicil-Model: openai/fake-model" "Codicil-Regression: fixed=5 broken=0 unchanged=0" \
	"Reviewed-by: Test Reviewer <reviewer@example.org>"; do
	grep -qx "$want" "$T/tr" || fail "trailer '$want' missing: $(cat "$T/tr")"
done
for name in amend consequences metacheck judge; do
	grep -q "^Codicil-Prompt: $name sha256:[0-9a-f]\{64\}$" "$T/tr" || fail "no $name prompt trailer"
done
git show --name-only --format= HEAD | sort >"$T/files"
[ "$(grep -c '^transcripts/[0-9a-f][0-9a-f]/[0-9a-f]\{64\}\.json$' "$T/files")" -eq 13 ] || fail "13 transcripts expected: $(cat "$T/files")"
for f in CONSTITUTION.md "proposals/$pid.json" "$(case_path "$c1")" "$(case_path "$c2")"; do
	grep -qx "$f" "$T/files" || fail "$f not in the accept commit"
done
[ "$(wc -l <"$T/files")" -eq 17 ] || fail "unexpected files in the accept commit: $(cat "$T/files")"
for t in transcripts/*/*.json; do
	[ "$(sha256sum "$t" | cut -c1-64).json" = "$(basename "$t")" ] || fail "$t does not hash to its name"
	grep -q '"request"' "$t" && grep -q '"response"' "$t" || fail "$t lacks the request or response"
	! grep -qi 'authorization\|sk-test-key' "$t" || fail "$t holds a key"
done
python3 - "$pid" "$c1" "$c2" "$c3" <<'PY' || fail "accepted records"
import json, sys
pid, c1, c2, c3 = sys.argv[1:]
p = json.load(open("proposals/%s.json" % pid))
assert p["status"] == "accepted", p["status"]
d = p["decision"]
assert d["by"] == "Test Reviewer <reviewer@example.org>" and d["note"] == "reads well" and d["at"].endswith("Z"), d
for c in (c1, c2):
    k = json.load(open("cases/%s%s/%s.json" % (c[7], c[-1], c)))
    assert k["status"] == "resolved" and k["resolved_by"] == pid, k
assert json.load(open("cases/%s%s/%s.json" % (c3[7], c3[-1], c3)))["status"] == "open"
assert "An exception applies" in open("CONSTITUTION.md").read()
PY
run codicil verify
expect_rc 0 "verify after accept"
expect_out "^ok "
run codicil accept "$pid"
expect_rc 1 "accept twice"
expect_err "is accepted, not pending"
expect_one_line_err

# tampering with a committed transcript is caught
good=$(git rev-parse HEAD)
tr=$(cd transcripts && ls */*.json | head -n 1)
sed -i 's/"response"/"respons3"/' "transcripts/$tr"
git commit -qam "touch a transcript"
run codicil verify
expect_rc 1 "verify after tampering"
expect_out "transcripts/$tr does not match its hash"
git reset -q --hard "$good"

# reject: a second proposal, turned down with a reason
run codicil amend "$c3"
expect_rc 0 "amend privacy"
p2=$(cat "$T/out")
run codicil reject "$p2"
expect_rc 2 "reject without a reason"
run codicil reject "$p2" --reason "too broad"
expect_rc 0 "reject"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Reject $p2: Add an exception to privacy" ] || fail "reject subject: $(git log -1 --format=%s)"
# the reviewer's words are in git, not only in the record
git log -1 --format=%B | grep -qx "Reason: too broad" || fail "the reason is not in the commit message"
git log -1 --format=%B | git interpret-trailers --parse | grep -qx "Reviewed-by: Test Reviewer <reviewer@example.org>" ||
	fail "no Reviewed-by on the rejection"
python3 - "proposals/$p2.json" <<'PY' || fail "rejected record"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["status"] == "rejected" and p["decision"] is None, p
r = p["rejection"]
assert r["reason"] == "too broad" and r["by"] == "Test Reviewer <reviewer@example.org>", r
PY
git diff --quiet HEAD~1 HEAD -- CONSTITUTION.md cases || fail "reject changed the charter or cases"
run codicil accept "$p2"
expect_rc 1 "accept a rejected proposal"
expect_err "is rejected, not pending"
run codicil verify
expect_rc 0 "verify after reject"
git_clean "$T/r"

# the safety gate: a proposal that fails a rule of its meta-check is not
# accepted without --force; forced, the override and the reviewer's note
# are in git, and verify still passes
stop_fake
FAKELLM_META_FAIL=minimal start_fake_server --codicil
export CODICIL_ENDPOINT="$FAKE_URL"
run codicil amend "$c3"
expect_rc 0 "amend with a failing meta-check"
p3=$(cat "$T/out")
head=$(git rev-parse HEAD)
run codicil accept "$p3"
expect_rc 1 "accept of a proposal that fails its meta-check"
expect_err "proposal $p3 fails the meta-check (rules minimal); read 'codicil review $p3', then accept with --force"
expect_one_line_err
[ "$(git rev-parse HEAD)" = "$head" ] || fail "a refused accept committed"
run codicil accept "$p3" --force -m "Narrow enough for now; revisit in the spring."
expect_rc 0 "accept --force"
git log -1 --format=%B | git interpret-trailers --parse >"$T/tr"
grep -qx "Codicil-Override: fails the meta-check (rules minimal)" "$T/tr" || { cat "$T/tr"; fail "no override trailer"; }
git log -1 --format=%B | grep -q "^Reviewer's note: Narrow enough for now; revisit in the spring.$" ||
	fail "the reviewer's note is not in the commit message"
run codicil verify
expect_rc 0 "verify after a forced accept"
git_clean "$T/r"
