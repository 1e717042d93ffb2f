# verify: a clean history of amendments passes; an edited transcript, a
# deleted case, trailers that disagree with the proposal, a charter change
# that is not the proposal's edits, and a proposal that is not accepted are
# each caught and named.
. ./lib.sh
MKAMEND="${TOOLS:?run through make check}/mkamend"

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd

set -- $("$MKAMEND" . --title "weigh risk with care" --case c-01jd2x00000000aaaa \
	--transcript '{"request":{"model":"m"},"response":{"text":"one"}}' \
	--transcript '{"request":{"model":"m"},"response":{"text":"two"}}' \
	--replace weigh-risk "Weigh risk against benefit, and say which risks you weighed.") || fail mkamend
p1=$1 a1=$2
printf '#!/bin/sh\nsed -i "s/tells them plainly and/tells them clearly and/" "$1"\n' >"$T/ed"
chmod +x "$T/ed"
VISUAL="$T/ed" run codicil edit candor
expect_rc 0 "codicil edit"
sed -i 's/^### Do not moralize/### Do not lecture/' CONSTITUTION.md
git commit -qam "plain git: retitle no-moralizing"
set -- $("$MKAMEND" . --title "crisis resources" --case c-01jd2x00000000bbbb \
	--case c-01jd2x00000000cccc --transcript '{"request":3,"response":4}' \
	--insert-after crisis crisis-lines "Crisis lines" "Offer a crisis line when someone is at risk." \
	--delete no-harmful-deception) || fail mkamend 2
p2=$1 a2=$2
git_clean .
good=$(git rev-parse HEAD)

run codicil verify --json
expect_rc 0 "verify on a clean history"
python3 - "$T/out" "$a1" "$p1" "$a2" "$p2" <<'PY' || fail "verify --json on a clean history"
import json, sys
r = json.load(open(sys.argv[1]))
a1, p1, a2, p2 = sys.argv[2:]
assert r["ok"] is True, r
assert [(a["commit"], a["proposal"], a["problems"]) for a in r["amendments"]] == [(a2, p2, []), (a1, p1, [])], r["amendments"]
assert [o["kind"] for o in r["other_changes"]] == ["git", "edit", "initial"], r["other_changes"]
assert r["other_changes"][1]["subject"] == "Edit candor: Be direct about disagreement"
PY
run codicil verify
expect_rc 0 "verify (text)"
expect_out "^ok  *$(echo "$a2" | cut -c1-10) Amend crisis-lines, no-harmful-deception: crisis resources"
expect_out "^other .*(plain git, Test Reviewer)"
expect_out "^verify: 2 amendments ok, .* other charter changes (1 with plain git)$"
# --strict (for CI): a charter change made with plain git is a problem
run codicil verify --strict
expect_rc 1 "verify --strict with a plain-git charter change"
expect_err "verify --strict: 1 charter change made with plain git"

# expect_problem TEXT: verify fails, names the amendment commit and TEXT
expect_problem() {
	run codicil verify
	expect_rc 1 "verify should fail: $1"
	short=$(git log -1 --format=%H --grep='^Amend crisis-lines' | cut -c1-7)
	expect_out "commit $short (Amend crisis-lines, no-harmful-deception: crisis resources): $1"
	expect_one_line_err
	expect_err "verify found"
	run codicil verify --json
	expect_rc 1 "verify --json should fail: $1"
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ok"] is False and any(sys.argv[2] in p for a in r["amendments"] for p in a["problems"]), r' "$T/out" "$1" || fail "json lacks: $1"
}
restore() { git reset -q --hard "$good"; }

# an edited transcript, committed later with plain git
tr=$(ls transcripts | head -n 1)
sed -i 's/"response"/"respons3"/' "transcripts/$tr"
git commit -qam "touch a transcript"
run codicil verify
expect_rc 1 "edited transcript"
expect_out "transcripts/$tr does not match its hash"
restore

# a deleted case
git rm -q cases/c-01jd2x00000000cccc.json && git commit -qm "drop a case"
expect_problem "case c-01jd2x00000000cccc is referenced by this amendment but no longer exists at HEAD"
restore

# trailers that disagree with the proposal (the message was rewritten)
git log -1 --format=%B | sed 's/^Reviewed-by: .*/Reviewed-by: Mallory <m@example.org>/; s/^Codicil-Case: c-01jd2x00000000cccc/Codicil-Case: c-01jd2x00000000dddd/' >"$T/msg"
git commit -q --amend -F "$T/msg"
expect_problem "Reviewed-by trailer says 'Mallory <m@example.org>' but the proposal says 'Test Reviewer <reviewer@example.org>'"
expect_out "Codicil-Case trailer says 'c-01jd2x00000000bbbb, c-01jd2x00000000dddd' but the proposal says 'c-01jd2x00000000bbbb, c-01jd2x00000000cccc'"
restore

# a charter change that is not what the edits give
sed -i 's/^politely\. Agreeing/politely, mostly. Agreeing/' CONSTITUTION.md
grep -q "politely, mostly" CONSTITUTION.md || fail "test setup: sed did not change the charter"
git commit -q --amend -a --no-edit
expect_problem "the change to CONSTITUTION.md is not what the proposal's edits give"
restore

# a proposal committed as pending, and a missing trailer
sed -i 's/"status": "accepted"/"status": "pending"/' "proposals/$p2.json"
git log -1 --format=%B | grep -v '^Codicil-Model:' >"$T/msg"
git commit -q --amend -a -F "$T/msg"
expect_problem "proposals/$p2.json has status pending, not accepted"
expect_out "no Codicil-Model trailer"
restore

# a case not marked resolved in the amendment commit
python3 - "cases/c-01jd2x00000000bbbb.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["status"] = "open"; json.dump(c, open(sys.argv[1], "w"))
PY
git commit -q --amend -a --no-edit
expect_problem "cases/c-01jd2x00000000bbbb.json is not marked resolved by $p2 in the commit"
restore

# an amendment commit made by hand, without its proposal file
sed -i 's/^### Do not lecture/### Do not preach/' CONSTITUTION.md
git commit -qam "Amend no-moralizing: by hand

Codicil-Proposal: p-01jd3k00000000zzzz"
run codicil verify
expect_rc 1 "hand-made amendment"
expect_out "proposals/p-01jd3k00000000zzzz.json is not in the commit"
expect_out "no Reviewed-by trailer"
restore

run codicil verify
expect_rc 0 "verify after restoring"
git_clean .
