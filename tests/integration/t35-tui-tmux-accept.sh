# tui on a real terminal (tmux): a proposal drafted by the fake model is
# opened from the Proposals view (3, Enter), accepted with y and a typed
# note, and codicil leaves with status 0; git then reads the accept commit
# (its trailers, the note in the record), `codicil verify` passes and the
# work tree is clean.  Then a draft from the Principles view (T) shows its
# job in the status line while the model is slow, and Esc cancels it.
. ./lib.sh

. ./tmux.sh

start() {
	cat >"$T/$1.sh" <<SH
cd "$2" || exit 1
export CODICIL_PROVIDER=openai CODICIL_ENDPOINT="$FAKE_URL" CODICIL_MODEL=fake-model OPENAI_API_KEY=sk-test-key
"$CODICIL_BIN"
echo "\$?" >"$T/$1.exit"
printf 'AFTER-CODICIL\$ '
exec sleep 600
SH
	tm new-session -d -s "$1" -x 100 -y 30 "sh $T/$1.sh" || fail "tmux new-session"
}

codicil init "$T/repo" >/dev/null || fail "init"
cd "$T/repo" || fail cd
start_fake --codicil
run codicil generate -p privacy -n 1
expect_rc 0 "generate"
case1=$(cat "$T/out")
run codicil amend "$case1"
expect_rc 0 "amend"
pid=$(cat "$T/out")
h=$(git rev-parse HEAD)

start main "$T/repo"
wait_for main "codicil: repo - Principles"
tm send-keys -t main 3
wait_for main "codicil: repo - Proposals"
wait_for main "$pid  pending"
tm send-keys -t main Enter
wait_for main "codicil: repo - Review"
wait_for main "^Change to CONSTITUTION.md"
wait_for main "^Rationale"
tm send-keys -t main y
wait_for main "^Accept. Note"
tm send-keys -t main -l "Ünïcode note, reviewed in tmux"
tm send-keys -t main Enter
wait_for main "^Accepted $pid: commit [0-9a-f]\{10\}"
tm send-keys -t main q
wait_for main "$pid  accepted"
tm send-keys -t main Q
wait_exit main
[ "$(cat "$T/main.exit")" = 0 ] || fail "exit status $(cat "$T/main.exit")"
wait_for main "AFTER-CODICIL"

[ "$(git rev-parse HEAD~1)" = "$h" ] || fail "not one commit on top of the proposal"
[ "$(git log -1 --format=%s)" = "Amend privacy: Add an exception to privacy" ] || fail "subject: $(git log -1 --format=%s)"
git log -1 --format=%B | git interpret-trailers --parse >"$T/tr"
for want in "Codicil-Proposal: $pid" "Codicil-Case: $case1" \
	"Reviewed-by: Test Reviewer <reviewer@example.org>"; do
	grep -qx "$want" "$T/tr" || fail "trailer '$want' missing: $(cat "$T/tr")"
done
python3 - "proposals/$pid.json" <<'PY' || fail "the note"
import json, sys
d = json.load(open(sys.argv[1]))["decision"]
assert d["note"] == "Ünïcode note, reviewed in tmux", d
PY
run codicil verify
expect_rc 0 "verify"
git_clean "$T/repo"

# a slow model: the job shows in the status line, the keys still work, Esc cancels
stop_fake
start_fake --codicil --latency-ms 5000
h=$(git rev-parse HEAD)
start slow "$T/repo"
wait_for slow "codicil: repo - Principles"
tm send-keys -t slow j j T
wait_for slow "1 job, "
wait_for slow "tensions: .*(Esc cancels)"
tm send-keys -t slow j
wait_for slow "4/29"
tm send-keys -t slow Escape
wait_for slow "Search for tensions cancelled"
tm send-keys -t slow Q
wait_exit slow
[ "$(cat "$T/slow.exit")" = 0 ] || fail "exit status $(cat "$T/slow.exit") after the cancel"
[ "$(git rev-parse HEAD)" = "$h" ] || fail "the cancelled job committed"
git_clean "$T/repo"
