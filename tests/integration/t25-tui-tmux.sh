# tui on a real terminal (tmux): `codicil` alone starts it, keys work,
# a resize re-lays it out, q leaves with status 0 and the terminal as it
# was (colours on: NO_COLOR is unset there), SIGTERM also restores it, and an OSC title sequence in the charter
# does not change the pane title.
. ./lib.sh

. ./tmux.sh

# start NAME DIR: codicil alone in DIR in a new 100x30 session; its pid in
# $T/NAME.pid, its exit status in $T/NAME.exit, then a marker prompt
start() {
	cat >"$T/$1.sh" <<SH
cd "$2" || exit 1
unset NO_COLOR
sh -c 'echo \$\$ >"$T/$1.pid"; exec "$CODICIL_BIN"'
echo "\$?" >"$T/$1.exit"
printf 'AFTER-CODICIL\$ '
exec sleep 600
SH
	tm new-session -d -s "$1" -x 100 -y 30 "sh $T/$1.sh" || fail "tmux new-session"
}

codicil init "$T/repo" >/dev/null || fail "init"
start main "$T/repo"
wait_for main "codicil: repo - Principles"
screen main | grep -q "Principle .*Cases│ Charter for a General-Purpose Assistant" ||
	{ screen main >&2; fail "no side-by-side layout at 100 columns"; }
[ "$(tm display -p -t main '#{alternate_on}')" = 1 ] || fail "not on the alternate screen"
tm send-keys -t main j j
wait_for main "3/29"
screen main | grep -q "│ Do not help cause serious harm" || fail "text pane did not follow"
tm resize-window -t main -x 60 -y 20
wait_for main "^─────"
[ "$(screen main | wc -L)" -le 60 ] ||
	fail "lines wider than the resized pane"
tm send-keys -t main '?'
wait_for main "codicil: repo - Help"
tm send-keys -t main q
wait_for main "codicil: repo - Principles"
tm send-keys -t main q
wait_exit main
[ "$(cat "$T/main.exit")" = 0 ] || fail "exit status $(cat "$T/main.exit") after q"
wait_for main "AFTER-CODICIL"
[ "$(tm display -p -t main '#{alternate_on}')" = 0 ] || fail "alternate screen left on"
screen main | grep -q "Principle" && { screen main >&2; fail "the TUI is still on the screen"; }

# a reload keeps the selection on the same row, wherever the row went
# (the list view does this for every list: here the History's commits)
git -C "$T/repo" commit -q --allow-empty -m "Second commit" || fail "commit"
start sel "$T/repo"
wait_for sel "codicil: repo - Principles"
tm send-keys -t sel 4
wait_for sel "codicil: repo - History.*1/2"
tm send-keys -t sel j
wait_for sel "History.*2/2"
git -C "$T/repo" commit -q --allow-empty -m "Third commit" || fail "commit"
git -C "$T/repo" commit -q --allow-empty -m "Fourth commit" || fail "commit"
tm send-keys -t sel R
wait_for sel "History.*4/4"
tm send-keys -t sel q q
wait_exit sel

# SIGTERM: the terminal is restored and the status says so
start term "$T/repo"
wait_for term "codicil: repo - Principles"
kill -TERM "$(cat "$T/term.pid")"
wait_exit term
[ "$(cat "$T/term.exit")" = 143 ] || fail "exit status $(cat "$T/term.exit") after SIGTERM"
wait_for term "AFTER-CODICIL"
[ "$(tm display -p -t term '#{alternate_on}')" = 0 ] || fail "alternate screen left on after SIGTERM"

# the control: a raw OSC 0 does set this pane's title
tm new-session -d -s control -x 80 -y 10 "printf '\033]0;control-title\007'; exec sleep 600"
i=0
until [ "$(tm display -p -t control '#{pane_title}')" = control-title ]; do
	i=$((i + 1)); [ "$i" -lt 50 ] || fail "tmux does not take OSC titles: the test cannot work"
	sleep 0.1
done
# a charter with the same sequence, shown in both panes, does not
E=$(printf '\033') BEL=$(printf '\007')
printf '# Charter {#top}\n\n## Evil %s]0;pwned%s {#evil}\n\nTitle %s]2;pwned%s here.\n' \
	"$E" "$BEL" "$E" "$BEL" >"$T/evil.md"
codicil init "$T/evil" --from "$T/evil.md" >/dev/null || fail "init evil"
start evil "$T/evil"
wait_for evil "codicil: evil - Principles"
before=$(tm display -p -t evil '#{pane_title}')
tm send-keys -t evil j
wait_for evil "2/2"
wait_for evil "│ Title"
sleep 0.3
after=$(tm display -p -t evil '#{pane_title}')
[ "$after" = "$before" ] || fail "pane title changed from '$before' to '$after'"
screen evil | grep -q "│ Title  here.$" || { screen evil >&2; fail "the sequence was not removed"; }
tm send-keys -t evil q
wait_exit evil
[ "$(cat "$T/evil.exit")" = 0 ] || fail "exit status after the evil charter"
