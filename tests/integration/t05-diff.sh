# diff with git's revision semantics; word-level redline; JSON.
. ./lib.sh

printf '# C {#c}\n\n## Privacy {#privacy}\n\nNever share personal data.\n\n## Help {#help}\n\nBe helpful.\n' >"$T/c.md"
codicil init "$T/r" --from "$T/c.md" >/dev/null || fail init
cd "$T/r" || fail cd

run codicil diff
expect_rc 0 "diff of a clean tree"
[ ! -s "$T/out" ] || fail "diff of a clean tree printed something"

sed -i 's/Never share personal data./Never share personal data without consent./' CONSTITUTION.md
run codicil diff --word-diff
expect_rc 0 "word diff"
expect_out 'Never share personal data{+ without consent+}.'

run codicil diff
expect_rc 0 "line diff"
expect_out '^-Never share personal data.$'
expect_out '^+Never share personal data without consent.$'
expect_out '^+++ b/CONSTITUTION.md'

run codicil diff --json
expect_rc 0 "diff --json"
python3 - "$T/out" <<'PY' || fail "diff --json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["principles"]["changed"] == ["privacy"], d["principles"]
assert d["principles"]["added"] == [] and d["principles"]["removed"] == []
assert d["inserted_words"] == 2 and d["deleted_words"] == 0, d
assert d["hunks"] and d["hunks"][0]["insert"] == " without consent", d["hunks"]
PY

git commit -qam "second"
run codicil diff HEAD~1 HEAD --word-diff
expect_rc 0 "diff between two revisions"
expect_out '{+ without consent+}'
run codicil diff HEAD~1 --word-diff
expect_rc 0 "diff of a revision against the work tree"
expect_out '{+ without consent+}'
run codicil diff HEAD
expect_rc 0 "diff HEAD against a clean tree"
[ ! -s "$T/out" ] || fail "diff HEAD printed something"

run codicil diff no-such-rev
expect_rc 1 "unknown revision"
expect_one_line_err

# escape sequences in the charter never reach the terminal
printf '\n## Evil {#evil}\n\nHi \033]0;pwned\007 there \033[2J.\n' >>CONSTITUTION.md
run codicil diff --word-diff
expect_rc 0 "diff with escapes"
if grep -q "$(printf '\033')" "$T/out"; then fail "escape sequence in diff output"; fi

# --stat: one line per principle added, changed (with its own words) or
# removed, and the total
git checkout -q CONSTITUTION.md
printf '# C {#c}\n\n## Privacy {#privacy}\n\nNever ever share personal data at all.\n\n## Archives {#archives}\n\nKeep records.\n' >CONSTITUTION.md
run codicil diff --stat
expect_rc 0 "diff --stat"
expect_out "^ changed  privacy  *Privacy  -[0-9]* +[1-9][0-9]* words$"
expect_out "^ added    archives  *Archives$"
expect_out "^ removed  help  *Help$"
expect_out "^ [0-9]* principles: 1 added, [0-9]* changed, 1 removed$"
run codicil diff --stat --word-diff
expect_rc 2 "--stat with --word-diff"
git checkout -q CONSTITUTION.md
run codicil diff --stat
[ ! -s "$T/out" ] || fail "diff --stat of a clean tree printed something"
echo ok
