# edit: opens the editor on one principle, validates, commits; no change,
# invalid results and failures commit nothing and keep the user's text.
. ./lib.sh

cat >"$T/c.md" <<'MD'
# Charter {#top}

## Honesty {#honesty authority=root}

Never lie to the user.

## Kindness {#kindness}

Be kind.
MD
codicil init "$T/r" --from "$T/c.md" >/dev/null || fail "init"
cd "$T/r" || fail cd

# an editor script: replaces "Never lie" with "Do not deceive"
cat >"$T/ed-change" <<'SH'
#!/bin/sh
sed -i 's/Never lie to the user./Do not deceive the user, even to comfort them./' "$1"
SH
cat >"$T/ed-break" <<'SH'
#!/bin/sh
printf '## Honesty {#kindness}\n\nDuplicate id.\n' >"$1"
SH
chmod +x "$T/ed-change" "$T/ed-break"

EDITOR=true run codicil edit honesty
expect_rc 0 "edit without change"
expect_out "nothing committed"
[ "$(git rev-list --count HEAD)" -eq 1 ] || fail "a no-op edit committed"

VISUAL="$T/ed-change" run codicil edit honesty -m "Deception was not named; the cases show it matters."
expect_rc 0 "edit with a change"
[ "$(git rev-list --count HEAD)" -eq 2 ] || fail "edit did not commit"
[ "$(git log -1 --format=%s)" = "Edit honesty: Honesty" ] || fail "subject: $(git log -1 --format=%s)"
[ "$(git log -1 --format=%b)" = "Deception was not named; the cases show it matters." ] ||
	fail "the reason is not the commit body: $(git log -1 --format=%b)"
grep -q "Do not deceive the user" CONSTITUTION.md || fail "change not in the work tree"
git show HEAD:CONSTITUTION.md | grep -q "Do not deceive" || fail "change not committed"
grep -q "^Be kind.$" CONSTITUTION.md || fail "the other principle was touched"
git_clean "$T/r"
[ "$(git log -1 --format='%an <%ae>')" = "Test Reviewer <reviewer@example.org>" ] || fail "author"

VISUAL="$T/ed-break" run codicil edit honesty
expect_rc 1 "edit producing a duplicate id"
expect_err "duplicate"
expect_err ".git/codicil/drafts/honesty.md"
expect_one_line_err
[ "$(git rev-list --count HEAD)" -eq 2 ] || fail "an invalid edit committed"
grep -q "Duplicate id." .git/codicil/drafts/honesty.md || fail "draft not kept"
git_clean "$T/r"

# the next edit resumes the draft; fixing it commits and removes the draft
cat >"$T/ed-fix" <<'SH'
#!/bin/sh
grep -q "Duplicate id." "$1" || exit 1
printf '## Honesty {#honesty authority=root}\n\nTell the truth.\n\n' >"$1"
SH
chmod +x "$T/ed-fix"
VISUAL="$T/ed-fix" run codicil edit honesty
expect_rc 0 "edit resuming the draft"
[ ! -e .git/codicil/drafts/honesty.md ] || fail "draft not removed after commit"
grep -q "^Tell the truth.$" CONSTITUTION.md || fail "fixed draft not applied"
git_clean "$T/r"

VISUAL=false run codicil edit kindness
expect_rc 1 "failing editor"
expect_err "editor"
[ "$(git rev-list --count HEAD)" -eq 3 ] || fail "failing editor committed"

run codicil edit nope
expect_rc 1 "unknown id"
expect_one_line_err

# dirty charter: refuse before opening the editor
echo "local change" >>CONSTITUTION.md
VISUAL="$T/ed-change" run codicil edit kindness
expect_rc 1 "edit with a dirty charter"
expect_err "uncommitted"
expect_one_line_err
