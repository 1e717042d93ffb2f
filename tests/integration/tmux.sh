# tmux.sh — sourced (after lib.sh) by the tests that drive codicil on a real
# terminal: a private tmux server, and waiting for what a pane shows.
if ! command -v tmux >/dev/null; then
	echo "SKIP: tmux is not installed (make deps installs it)"
	exit 0
fi
SOCK="$T/tmux.sock"
tm() { tmux -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; cleanup' EXIT

# screen NAME: the text of session NAME's pane
screen() { tm capture-pane -p -t "$1"; }

# wait_for NAME TEXT: until the pane shows TEXT (10 s at most)
wait_for() {
	i=0
	until screen "$1" | grep -q -- "$2"; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { screen "$1" >&2; fail "the pane never showed '$2'"; }
		sleep 0.1
	done
}

# wait_exit NAME: until codicil has written its exit status to $T/NAME.exit
# (5 s at most)
wait_exit() {
	i=0
	until [ -s "$T/$1.exit" ]; do
		i=$((i + 1))
		[ "$i" -lt 50 ] || fail "codicil did not exit"
		sleep 0.1
	done
}
