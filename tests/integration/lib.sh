# lib.sh — sourced by every integration test.  Gives a fresh temp dir
# ($T, removed at exit), a git identity, no inherited codicil settings, and
# small assertion helpers that print what went wrong.
set -u
: "${CODICIL_BIN:?run through 'make check'}"
T=$(mktemp -d "${TMPDIR:-/tmp}/codicil-test.XXXXXX")
FAKE_PIDS=
cleanup() {
	for p in $FAKE_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 LC_ALL=C.UTF-8 EDITOR=false VISUAL=
unset $(env | sed -n 's/^\(CODICIL_[A-Z_]*\)=.*/\1/p' | grep -v '^CODICIL_BIN$') \
	OPENAI_API_KEY ANTHROPIC_API_KEY 2>/dev/null
git config --global user.name "Test Reviewer"
git config --global user.email "reviewer@example.org"
git config --global init.defaultBranch main
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

codicil() { "$CODICIL_BIN" "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }
# Where codicil keeps a new case ID: cases/<its 8th and last characters>/ID.json
case_path() { printf 'cases/%s%s/%s.json' "$(printf %s "$1" | cut -c8)" "$(printf %s "$1" | tail -c 1)" "$1"; }
# The ids of the cases under ${1:-cases}, sorted, one a line.
case_ids() { find "${1:-cases}" -name 'c-*.json' | sed 's|.*/||; s|\.json$||' | sort; }

# run CMD...: runs it, keeping stdout in $T/out, stderr in $T/err, status in $rc
run() {
	"$@" >"$T/out" 2>"$T/err"; rc=$?
}
expect_rc() { [ "$rc" -eq "$1" ] || { cat "$T/out" "$T/err" >&2; fail "expected exit $1, got $rc: $2"; }; }
expect_out() { grep -q -- "$1" "$T/out" || { cat "$T/out" >&2; fail "stdout lacks '$1'"; }; }
expect_err() { grep -q -- "$1" "$T/err" || { cat "$T/err" >&2; fail "stderr lacks '$1'"; }; }
expect_one_line_err() {
	[ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err" >&2; fail "stderr is not one line"; }
}
# git_clean DIR: work tree clean and fsck --strict passes
git_clean() {
	[ -z "$(git -C "$1" status --porcelain)" ] || { git -C "$1" status --porcelain >&2; fail "work tree of $1 not clean"; }
	git -C "$1" fsck --strict --no-progress >/dev/null 2>"$T/fsck" || { cat "$T/fsck" >&2; fail "git fsck --strict failed in $1"; }
}

# start_fake_server [fakellm-server options]: a fake model on loopback; sets
# FAKE_PID, FAKE_PORT, FAKE_URL (.../v1) and FAKE_LOG (its stderr says "N
# requests" once it is stopped).  Stopped at exit.
FAKE_N=0
start_fake_server() {
	FAKE_N=$((FAKE_N + 1))
	pf="$T/fake-$FAKE_N.port" FAKE_LOG="$T/fake-$FAKE_N.log"
	"$TOOLS/fakellm-server" --print-port-file "$pf" "$@" >"$FAKE_LOG" 2>&1 &
	FAKE_PID=$!
	FAKE_PIDS="$FAKE_PIDS $FAKE_PID"
	i=0
	while [ ! -s "$pf" ]; do
		i=$((i + 1))
		[ "$i" -le 100 ] || fail "fakellm-server did not start: $(cat "$FAKE_LOG")"
		kill -0 "$FAKE_PID" 2>/dev/null || fail "fakellm-server exited: $(cat "$FAKE_LOG")"
		sleep 0.05
	done
	FAKE_PORT=$(cat "$pf")
	FAKE_URL="http://127.0.0.1:$FAKE_PORT/v1"
}

# start_fake [options]: the same, and codicil pointed at it through the
# environment (openai provider, a test key, quick retries).
start_fake() {
	start_fake_server "$@"
	export CODICIL_PROVIDER=openai CODICIL_ENDPOINT="$FAKE_URL" CODICIL_MODEL=fake-model
	export CODICIL_BACKOFF_BASE=0.01 OPENAI_API_KEY=sk-test-key
}

# stop_fake: stop the last server and wait for it; then fake_requests works.
stop_fake() { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; }

# fake_requests: how many requests the stopped server answered.
fake_requests() { sed -n 's/^fakellm-server: \([0-9]*\) requests.*/\1/p' "$FAKE_LOG"; }
# fake_repeated: how many distinct requests it got more than once.
fake_repeated() { sed -n 's/^fakellm-server: .*, \([0-9]*\) sent more than once$/\1/p' "$FAKE_LOG"; }

# wait_lines FILE N: until FILE has N lines (a run in the background making
# progress), or fail after 20 s
wait_lines() {
	_i=0
	while [ "$(cat "$1" 2>/dev/null | wc -l)" -lt "$2" ]; do
		_i=$((_i + 1)); [ "$_i" -lt 400 ] || fail "no progress: $1 has fewer than $2 lines"
		sleep 0.05
	done
}
