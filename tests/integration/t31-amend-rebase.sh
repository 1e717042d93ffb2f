# accept on a charter that moved on: a change elsewhere is fine; a change
# to a principle the edits touch is refused until `amend --rebase`; a
# target that is gone cannot be rebased.  Invalid edits from the model are
# a clear error that records nothing.  META.md is amended the same way.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil

for p in privacy candor clarify calibrated; do
	run codicil generate -p "$p" -n 1
	expect_rc 0 "generate on $p"
	eval "case_$p=$(cat "$T/out")"
done
head_is() { [ "$(git rev-parse HEAD)" = "$1" ] || fail "HEAD moved: $2"; }

# invalid edits: a principle the charter does not have, an empty body
FAKELLM_AMEND_ID=telepathy
export FAKELLM_AMEND_ID
stop_fake; start_fake --codicil
unset FAKELLM_AMEND_ID
h=$(git rev-parse HEAD)
run codicil amend "$case_privacy"
expect_rc 1 "an edit of an unknown principle"
expect_one_line_err
expect_err "edits\[0\].id"
head_is "$h" "invalid edit"
git_clean "$T/r"
FAKELLM_AMEND_BODY="   "
export FAKELLM_AMEND_BODY
stop_fake; start_fake --codicil
unset FAKELLM_AMEND_BODY
run codicil amend "$case_privacy"
expect_rc 1 "an edit with an empty body"
expect_one_line_err
expect_err "the model's amendment does not apply to CONSTITUTION.md"
head_is "$h" "empty body"
git_clean "$T/r"
stop_fake; start_fake --codicil

# a change elsewhere in the charter: accept goes ahead on the new text
run codicil amend "$case_privacy"
expect_rc 0 "amend privacy"
p1=$(cat "$T/out")
sed -i 's/tells them plainly and/tells them clearly and/' CONSTITUTION.md
git diff --quiet && fail "the candor edit did not change the charter"
git commit -qam "plain git: soften candor"
run codicil accept "$p1"
expect_rc 0 "accept after a change elsewhere"
git_clean "$T/r"
grep -q "tells them clearly and" CONSTITUTION.md || fail "accept lost the plain git change"
run codicil verify
expect_rc 0 "verify after accepting on a newer charter"

# a change to the principle the edits touch: stale until rebased
run codicil amend "$case_candor"
expect_rc 0 "amend candor"
p2=$(cat "$T/out")
base2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base"])' "proposals/$p2.json")
sed -i 's/tells them clearly and/tells them frankly and/' CONSTITUTION.md
git commit -qam "plain git: candor again"
h=$(git rev-parse HEAD)
run codicil accept "$p2"
expect_rc 1 "accept a stale proposal"
expect_one_line_err
expect_err "principle candor, which its edits change, is different now"
expect_err "run 'codicil amend --rebase $p2'"
head_is "$h" "stale accept"
git_clean "$T/r"
run codicil amend --rebase "$p2" --json
expect_rc 0 "rebase"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Rebase $p2: Add an exception to candor" ] || fail "rebase subject: $(git log -1 --format=%s)"
python3 - "$T/out" "$h" "$base2" <<'PY' || fail "rebased proposal"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["base"] == sys.argv[2] != sys.argv[3], (p["base"], sys.argv[2:])
# re-judged on the new base, which has p1's exception already: nothing flips
r = p["regression"]
assert p["status"] == "pending" and (r["fixed"], r["unchanged"]) == (0, 8), r
PY
run codicil amend --rebase "$p2"
expect_rc 0 "rebase again"
expect_err "based on HEAD already"
run codicil accept "$p2"
expect_rc 0 "accept after rebase"
run codicil verify
expect_rc 0 "verify after rebase and accept"

# a target that is gone: stale, and it cannot be rebased
run codicil amend "$case_clarify"
expect_rc 0 "amend clarify"
p3=$(cat "$T/out")
sed -i 's/{#clarify}/{#ask-first}/' CONSTITUTION.md
git commit -qam "plain git: rename clarify"
run codicil accept "$p3"
expect_rc 1 "accept with its target gone"
expect_err "run 'codicil amend --rebase $p3'"
run codicil amend --rebase "$p3"
expect_rc 1 "rebase with the target gone"
expect_one_line_err
expect_err "draft a new amendment"

# a dirty charter in the work tree: refused, nothing lost
run codicil amend "$case_calibrated"
expect_rc 0 "amend calibrated"
p4=$(cat "$T/out")
echo "local edit" >>CONSTITUTION.md
h=$(git rev-parse HEAD)
run codicil accept "$p4"
expect_rc 1 "accept with a dirty charter"
expect_one_line_err
expect_err "CONSTITUTION.md"
head_is "$h" "dirty accept"
tail -n 1 CONSTITUTION.md | grep -q "local edit" || fail "the local edit was lost"
git checkout -q CONSTITUTION.md

# the meta-constitution, amended with the same machinery
run codicil amend "$case_calibrated" --charter META.md --json
expect_rc 0 "amend META.md"
git_clean "$T/r"
pm=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$T/out")
python3 - "$T/out" <<'PY' || fail "META.md proposal"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["charter"] == "META.md" and p["regression"] is None, p
assert p["edits"][0]["id"] == "meta" and len(p["meta_check"]) == 7, p
assert [x["name"] for x in p["provenance"]["prompts"]] == ["amend", "consequences", "metacheck"]
PY
run codicil review "$pm" --charter META.md
expect_rc 0 "review META.md proposal"
expect_out "^Change to META.md"
run codicil accept "$pm" --charter CONSTITUTION.md
expect_rc 1 "accept with the wrong charter"
expect_err "amends META.md, not CONSTITUTION.md"
run codicil accept "$pm" --charter META.md
expect_rc 0 "accept the META.md amendment"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Amend meta: Add an exception to meta" ] || fail "META subject: $(git log -1 --format=%s)"
git show --name-only --format= HEAD | grep -qx META.md || fail "META.md not in the commit"
git log -1 --format=%B | git interpret-trailers --parse | grep -q "^Codicil-Regression" && fail "a META.md amendment has no regression"
grep -q "An exception applies" META.md || fail "META.md not amended"
run codicil verify
expect_rc 0 "verify after the META.md amendment"

# an amendment that inserts a new principle
FAKELLM_AMEND_OP=insert_after
export FAKELLM_AMEND_OP
stop_fake; start_fake --codicil
unset FAKELLM_AMEND_OP
run codicil amend "$case_privacy"
expect_rc 1 "amend a resolved case"
expect_err "is already resolved by $p1"
run codicil generate -p autonomy -n 1
expect_rc 0 "generate on autonomy"
run codicil amend "$(cat "$T/out")"
expect_rc 0 "amend with an insert"
p5=$(cat "$T/out")
run codicil accept "$p5"
expect_rc 0 "accept the insert"
[ "$(git log -1 --format=%s)" = "Amend autonomy-exception: Add an exception to autonomy" ] || fail "insert subject: $(git log -1 --format=%s)"
grep -q "^### Exceptions {#autonomy-exception}" CONSTITUTION.md || fail "no new principle"
run codicil verify
expect_rc 0 "verify after the insert"
git_clean "$T/r"
