# doctor: settings, one structured request through retries, and one-line
# failures for a rejected key and a server that is down.
. ./lib.sh

OK_REPLY='{"ok":true,"echo":"codicil"}'
export CODICIL_BACKOFF_BASE=0.01

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd

# every request's first attempt gets 503
start_fake_server --fault 503 --fault-first 1 --reply "$OK_REPLY"
export CODICIL_ENDPOINT="$FAKE_URL"
run codicil doctor
expect_rc 0 "doctor through a 503"
expect_out "^provider   openai$"
expect_out "^endpoint   $FAKE_URL$"
expect_out "^model      gpt-4.1$"
expect_out "^key        none$"
expect_out "attempt 1: HTTP 503"
expect_out "the structured reply validated (.*2 attempts)"

# the cache is bypassed: the same check asks the server again
CODICIL_MODEL=checked run codicil doctor --json
expect_rc 0 "doctor --json"
python3 - "$T/out" <<'PY' || fail "doctor --json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is True and d["validated"] is True, d
assert d["model"] == "checked" and d["provider"] == "openai", d
assert d["attempts"] == 2 and d["error"] is None, d
PY
[ ! -d .git/codicil/cache ] || [ -z "$(find .git/codicil/cache -type f)" ] || fail "doctor wrote the cache"
stop_fake
[ "$(fake_requests)" -eq 4 ] || fail "expected 4 server requests, got $(fake_requests)"

# a reply that is not the structured answer
start_fake_server --reply "I am not JSON"
export CODICIL_ENDPOINT="$FAKE_URL"
run codicil doctor
expect_rc 1 "an invalid reply"
expect_one_line_err
expect_err "doctor: the test request failed"
stop_fake

# a rejected key: one line, naming the key problem, never the key
start_fake_server --require-key sk-the-right-key-123456 --reply "$OK_REPLY"
export CODICIL_ENDPOINT="$FAKE_URL"
OPENAI_API_KEY=sk-wrong-key-SECRET-98765 run codicil doctor
expect_rc 1 "rejected key"
expect_one_line_err
expect_err "HTTP 401"
expect_err "API key"
expect_err "environment OPENAI_API_KEY"
expect_out "^key        environment OPENAI_API_KEY$"
! grep -q "SECRET-98765" "$T/out" "$T/err" || fail "the key was printed"
OPENAI_API_KEY=sk-the-right-key-123456 run codicil doctor
expect_rc 0 "the right key"

# the server down: one line, exit 1
stop_fake
run codicil doctor
expect_rc 1 "server down"
expect_one_line_err
expect_err "no reply from http://127.0.0.1:$FAKE_PORT"

# a bad setting
CODICIL_PROVIDER=gemini run codicil doctor
expect_rc 1 "unknown provider"
expect_one_line_err
expect_err "codicil.provider"

# outside a repository
mkdir "$T/plain" && cd "$T/plain" || fail cd
start_fake_server --reply "$OK_REPLY"
CODICIL_ENDPOINT="$FAKE_URL" run codicil doctor
expect_rc 0 "doctor outside a repository"

# the hosted API with no key: said plainly, nothing sent
(unset OPENAI_API_KEY CODICIL_ENDPOINT; CODICIL_PROVIDER=openai "$CODICIL_BIN" doctor >"$T/out" 2>"$T/err"); rc=$?
expect_rc 1 "hosted API without a key"
expect_one_line_err
expect_err "no API key for openai: export OPENAI_API_KEY"
