# A kill while codicil commits never leaves a half-done repository: the
# commit is written before the work tree, and the next command that changes
# the repository finishes what the kill left (accept: charter, cases,
# proposal, transcripts in one commit), leaving a person's later edits
# alone.  CODICIL_CRASH_AT kills codicil at a named point (SIGKILL).
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil
codicil generate -p truthful -n 2 >/dev/null 2>&1 || fail generate
c=$(case_ids | head -1)
run codicil amend "$c"
expect_rc 0 "amend"
p=$(sed -n 1p "$T/out")

# killed after the branch moved, before the work tree: HEAD has the accept
# commit, the work tree lags behind it
h=$(git rev-parse HEAD)
run env CODICIL_CRASH_AT=commit-ref "$CODICIL_BIN" accept "$p"
[ "$rc" -eq 137 ] || fail "expected a kill (137), got $rc: $(cat "$T/err")"
[ "$(git rev-parse HEAD^)" = "$h" ] || fail "the accept commit is not on HEAD"
git show HEAD:"proposals/$p.json" | grep -q '"status": "accepted"' || fail "HEAD's proposal is not accepted"
[ -n "$(git status --porcelain)" ] || fail "the work tree should lag behind after the kill"
[ -f .git/codicil/commit-in-progress ] || fail "no marker of the interrupted commit"
# as a write killed before its rename leaves it: the temporary of a
# process that is gone
sh -c 'exit 0' & wait $!
dead=$!
printf 'half\n' >"CONSTITUTION.md.tmp.$dead"

# the next command that takes the lock finishes the job
run codicil accept "$p"
expect_rc 1 "accept again: nothing left to accept"
expect_err "finished the commit [0-9a-f]\{10\} that was interrupted: [0-9]* files brought to it"
expect_err "removed the temporary files of the killed write"
[ ! -e "CONSTITUTION.md.tmp.$dead" ] || fail "the temporary of the killed write is still there"
expect_err "accepted"
[ ! -f .git/codicil/commit-in-progress ] || fail "the marker is still there"
git_clean "$T/r"
grep -q '"status": "accepted"' "proposals/$p.json" || fail "the work tree's proposal is not accepted"
git diff --quiet HEAD || fail "the work tree differs from HEAD"

# killed before the branch moved: nothing happened at all
c2=$(case_ids | sed -n 2p)
h=$(git rev-parse HEAD)
run env CODICIL_CRASH_AT=commit-marked "$CODICIL_BIN" rate "$c2" --verdict valid
[ "$rc" -eq 137 ] || fail "expected a kill (137), got $rc"
[ "$(git rev-parse HEAD)" = "$h" ] || fail "HEAD moved"
git_clean "$T/r"
run codicil rate "$c2" --verdict valid
expect_rc 0 "rate after a kill before the branch moved"
[ ! -s "$T/err" ] || fail "nothing to finish, yet: $(cat "$T/err")"
[ ! -f .git/codicil/commit-in-progress ] || fail "a stale marker is still there"

# killed after: a file a person edits before the next command is left
# alone (the index follows HEAD; the edit shows as unstaged)
h=$(git rev-parse HEAD)
run env CODICIL_CRASH_AT=commit-ref "$CODICIL_BIN" rate "$c2" --verdict invalid
[ "$rc" -eq 137 ] || fail "expected a kill (137), got $rc"
[ "$(git rev-parse HEAD^)" = "$h" ] || fail "the rate commit is not on HEAD"
printf '{}\n' >"$(case_path "$c2")"
run codicil cases
run codicil rate "$c" --verdict valid
expect_err "changed since, left as they are: $(case_path "$c2")"
[ "$(cat "$(case_path "$c2")")" = "{}" ] || fail "a person's edit was overwritten"
[ "$(git status --porcelain -- "$(case_path "$c2")")" = " M $(case_path "$c2")" ] ||
	fail "the index is not at HEAD: $(git status --porcelain)"
git checkout -q -- "$(case_path "$c2")"
git_clean "$T/r"

# git lock files left by a killed git: named, with when to remove them;
# the commit made meanwhile is finished by the next command
branch=$(git symbolic-ref --short HEAD)
touch ".git/refs/heads/$branch.lock"
run codicil rate "$c2" --verdict valid
expect_rc 1 "a stale branch lock"
expect_err "if no git command is running, remove $T/r/.git/refs/heads/$branch.lock and run the command again"
rm ".git/refs/heads/$branch.lock"
touch .git/index.lock
run codicil rate "$c2" --verdict valid
expect_rc 1 "a stale index lock"
expect_err "if no git command is running, remove .git/index.lock; the next codicil command"
rm .git/index.lock
run codicil rate "$c" --verdict invalid
expect_rc 0 "the next command"
expect_err "finished the commit [0-9a-f]\{10\} that was interrupted"
git_clean "$T/r"
echo ok
