# fakellm.sh — sourced after lib.sh by tests that need the fake LLM server
# (build/tools/fakellm-server).  Every server started is killed at exit.
: "${TOOLS:?run through 'make check'}"
FAKE_PIDS= FAKE_N=0
trap 'for p in $FAKE_PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# start_fake [SERVER OPTIONS...]: sets FAKE_PID, FAKE_PORT, FAKE_URL (.../v1)
# and FAKE_LOG (its stderr says "N requests" once it is stopped).
start_fake() {
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

# stop_fake: stop the last server and wait for it; then fake_requests works.
stop_fake() {
	kill "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID" 2>/dev/null
}

# fake_requests: how many requests the stopped server answered.
fake_requests() {
	sed -n 's/^fakellm-server: \([0-9]*\) requests.*/\1/p' "$FAKE_LOG"
}
