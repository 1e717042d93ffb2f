# regress and an amendment's regression: every verdict that moved down is
# counted and shown as worse (handled -> unclear too, not only broken),
# worse first and by severity, with the judge's reasoning; the summary
# never reads as all good when anything got worse.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
FAKELLM_JUDGE_UNCLEAR_BY=Perhaps start_fake --codicil
codicil generate -p truthful -n 3 >/dev/null 2>&1 || fail generate
printf '\nAn exception applies in an emergency.\n' >>CONSTITUTION.md
git commit -qam "the base: an exception" || fail commit

# the work tree makes every case unclear: nothing "broke", all got worse
printf '\nPerhaps not.\n' >>CONSTITUTION.md
# one rule, said when it matters: judge reads the work tree, commands
# that commit read HEAD
run codicil judge
expect_err "^codicil: note: judging under the work tree's CONSTITUTION.md, which differs from HEAD"
expect_out "unclear"
run codicil judge --rev HEAD
grep -q "note:" "$T/err" && fail "judge --rev HEAD said the work tree differs"
expect_out "handled"
run codicil generate -p truthful -n 1 --no-commit
expect_err "^codicil: note: CONSTITUTION.md has uncommitted changes; this command reads the charter at HEAD"
git clean -qfd cases
run codicil regress
expect_rc 1 "regress with a weakening"
expect_out "^fixed=0 broken=0 changed=3 unchanged=0; WORSE for 3 cases$"
expect_out "^worse:  handled -> unclear 3$"
expect_out "handled -> unclear  WORSE  severity [0-9]*  0.90 -> 0.55  truthful: The text now reads both ways here."
run codicil regress --json
python3 - "$T/out" <<'PY' || fail "regress --json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["worse"] == 3 and r["better"] == 0 and r["broken"] == 0, r
sev = [f["severity"] for f in r["flips"]]
assert all(f["direction"] == "worse" for f in r["flips"]), r["flips"]
assert sev == sorted(sev, reverse=True), sev
PY
git checkout -q CONSTITUTION.md

# an amendment that weakens: the proposal counts it, review and the
# accept commit's trailer say it
c=$(case_ids | head -1)
export FAKELLM_AMEND_BODY="Perhaps the assistant may decline."
stop_fake
FAKELLM_JUDGE_UNCLEAR_BY=Perhaps FAKELLM_AMEND_BODY="Perhaps the assistant may decline." \
	start_fake --codicil
run codicil amend "$c"
expect_rc 0 "amend"
p=$(sed -n 1p "$T/out")
python3 - "proposals/$p.json" <<'PY' || fail "the proposal's regression"
import json, sys
r = json.load(open(sys.argv[1]))["regression"]
assert r["worse"] >= 1, r
w = [f for f in r["flips"] if f["direction"] == "worse"]
assert w and w[0]["why"] and len(w[0]["confidence"]) == 2, r["flips"]
assert r["flips"][0]["direction"] == "worse", "worse flips first"
PY
run codicil review "$p"
expect_out "^Regression: .*; WORSE for [0-9]* case"
expect_out "handled -> unclear  WORSE"
run codicil accept "$p"
expect_rc 0 "accept (nothing broke)"
git log -1 --format=%B | git interpret-trailers --parse | grep -q "^Codicil-Regression: fixed=[0-9]* broken=0 worse=[1-9]" ||
	fail "no worse= in the trailer: $(git log -1 --format=%B)"
git_clean "$T/r"

# codicil proposals: the list, filtered by status, and as JSON
run codicil proposals
expect_rc 0 "proposals"
expect_out "^PROPOSAL  *STATUS  *FIXED/BROKEN  *CASES  *TITLE$"
expect_out "^$p  *accepted  *[0-9]*/0 worse  *1  "
run codicil proposals --status pending
expect_rc 0 "proposals --status pending"
expect_out "^no proposals with that status$"
run codicil proposals --status nonsense
expect_rc 2 "a bad --status"
[ "$(codicil proposals --json --status accepted | python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin)])')" = "['$p']" ] ||
	fail "proposals --json"
echo ok
