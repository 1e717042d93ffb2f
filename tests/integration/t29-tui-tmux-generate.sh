# tui on a real terminal (tmux), with a model: open, move, ? and back, then
# C on a principle against the loopback fake; while the model takes its
# time the keys still work (help opens and closes); the cases arrive and are
# committed; q leaves with status 0 and git has the commit.  Then codicil
# demo on the same terminal: recorded answers, g, q.
. ./lib.sh

. ./tmux.sh


codicil init "$T/repo" >/dev/null || fail "init"
start_fake --answers "$ROOT/tests/tools/demo-answers.json" --latency-ms 2000
cat >"$T/main.sh" <<SH
cd "$T/repo" || exit 1
export CODICIL_PROVIDER=openai CODICIL_ENDPOINT="$FAKE_URL" CODICIL_MODEL=fake-model
export OPENAI_API_KEY=sk-test-key CODICIL_RETRIES=0
"$CODICIL_BIN"
echo "\$?" >"$T/main.exit"
exec sleep 600
SH
tm new-session -d -s main -x 100 -y 30 "sh $T/main.sh" || fail "tmux new-session"
wait_for main "codicil: repo - Principles"
tm send-keys -t main j j
wait_for main "3/29"
tm send-keys -t main '?'
wait_for main "codicil: repo - Help"
tm send-keys -t main q
wait_for main "codicil: repo - Principles"
tm send-keys -t main / crisis Enter
wait_for main "5/29"
tm send-keys -t main C
wait_for main "codicil: repo - Cases .* 1 job, 0 tokens"
wait_for main "Waiting for the model's cases"
tm send-keys -t main '?'
wait_for main "codicil: repo - Help .* 1 job"
tm send-keys -t main q
wait_for main "Committed 3 new cases for crisis"
wait_for main "An ICU nurse on a night shift"
screen main | grep -q "1 job" && fail "the job is still shown after the commit"
tm send-keys -t main Q
wait_exit main
[ "$(cat "$T/main.exit")" = 0 ] || fail "exit status $(cat "$T/main.exit")"
[ "$(git -C "$T/repo" log -1 --format=%s)" = "Add 3 counterexamples for crisis" ] ||
	fail "subject: $(git -C "$T/repo" log -1 --format=%s)"
git_clean "$T/repo"

# codicil demo on a real terminal: the workbench opens on recorded answers
cat >"$T/demo.sh" <<SH
cd "$T" || exit 1
"$CODICIL_BIN" demo demo
echo "\$?" >"$T/demo.exit"
exec sleep 600
SH
tm kill-session -t main
tm new-session -d -s main -x 100 -y 30 "sh $T/demo.sh" || fail "tmux new-session"
wait_for main "codicil: demo - Principles .*replay: recorded answers"
wait_for main "Demo with recorded answers"
tm send-keys -t main / privacy Enter
tm send-keys -t main C
wait_for main "Committed 3 new cases for privacy"
wait_for main "A woman who left an abusive partner"
tm send-keys -t main Q
wait_exit demo
[ "$(cat "$T/demo.exit")" = 0 ] || fail "demo exit status $(cat "$T/demo.exit")"
