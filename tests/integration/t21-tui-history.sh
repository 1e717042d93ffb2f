# tui: the history view and one commit with its provenance and charter
# diff; the case counts column.  The repository is made with plain git and
# fixed dates, so commit ids and dates on the screens are stable.
. ./lib.sh
. ../tui/lib.sh

R="$T/repo"
git init -q "$R" || fail "git init"
commit_at() { d=$1; shift; GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" git -C "$R" commit -q "$@" || fail "commit"; }

cat >"$R/CONSTITUTION.md" <<'MD'
# Charter {#top}

## Honesty {#honesty authority=root}

Never lie to the user.

## Kindness {#kindness}

Be kind.
MD
git -C "$R" add CONSTITUTION.md
commit_at "2026-01-05T09:00:00+0100" -m "Initial charter"

sed -i 's/Never lie to the user./Do not deceive the user, except to prevent imminent harm./' "$R/CONSTITUTION.md"
git -C "$R" add CONSTITUTION.md
commit_at "2026-02-10T16:30:00+0100" -F - <<'MSG'
Amend honesty: allow deception to prevent imminent harm

A user hiding from an abuser asked the assistant to mislead the abuser.

Codicil-Proposal: p-01jd3k5w9r7qz4x2mb
Codicil-Case: c-01jd2x0000000000000a
Codicil-Model: openai/gpt-4.1
Codicil-Regression: fixed=3 broken=0 unchanged=12
Reviewed-by: Ada Lovelace <ada@example.org>
MSG

mkdir -p "$R/cases"
mkcase() { # ID PRINCIPLES (a JSON list's inside)
	printf '{"id":"%s","kind":"counterexample","principles":[%s],"scenario":"A scenario long enough to be a case.","literal_reading":"x","expected":"y","rationale":"z","severity":2,"status":"open","ratings":[],"resolved_by":null,"provenance":{}}\n' \
		"$1" "$2" >"$R/cases/$1.json"
}
mkcase c-01aaaaaaaaaaaaaaa1 '"honesty","kindness"'
mkcase c-01aaaaaaaaaaaaaaa2 '"honesty"'
mkcase c-01aaaaaaaaaaaaaaa3 '"gone"'
printf 'not json' >"$R/cases/c-4.json"
git -C "$R" add cases
commit_at "2026-03-01T12:00:00+0000" -m "Add cases"

tui_script "$R" <<'SCRIPT'
:dump history-principles-counts
4
:dump history-log
j
Enter
:dump history-commit
j
j
j
:dump history-commit-scrolled
/
"imminent"
Enter
:dump history-commit-search
q
:dump history-back
Home
Enter
:dump history-commit-cases
q
/
"Initial"
Enter
Enter
:dump history-commit-root
Q
SCRIPT
expect_rc 0 "scripted session"
for s in principles-counts log commit commit-scrolled commit-search back commit-cases commit-root; do
	expect_screen "history-$s"
	expect_fits "history-$s" 80 24
done
grep -q "Reviewed-by: Ada Lovelace <ada@example.org>" "$T/screens/history-commit.screen" ||
	fail "provenance trailers not shown"
