# The API key never reaches the disk or the output: every command that
# talks to a model runs with a random key (from the environment, from
# codicil.apiKeyEnv and from codicil.apiKeyCommand) against a fake server
# that requires it; then the repository (with .git), the cache and every
# captured output are searched for the key.
. ./lib.sh

KEY="sk-test-SECRET-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
OK_REPLY='{"ok":true,"echo":"codicil"}'
LOGS="$T/logs"
SECRETS="$T/secret" # the only place the key may be: the helper script
mkdir -p "$LOGS" "$SECRETS"
export CODICIL_BACKOFF_BASE=0.01

# run_logged NAME EXPECTED_RC CMD...: run, keep both outputs for the search
run_logged() {
	name=$1 want=$2; shift 2
	run "$@"
	cat "$T/out" >"$LOGS/$name.out"
	cat "$T/err" >"$LOGS/$name.err"
	expect_rc "$want" "$name"
}

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake_server --require-key "$KEY" --reply "$OK_REPLY"
export CODICIL_ENDPOINT="$FAKE_URL"

every_command() {
	tag=$1
	run_logged "$tag-doctor" 0 codicil doctor
	run_logged "$tag-doctor-json" 0 codicil doctor --json
	run_logged "$tag-ask" 0 codicil ask "question from $tag"
	run_logged "$tag-ask-json" 0 codicil ask --json --stream "streamed question from $tag"
	run_logged "$tag-ask-nocache" 0 codicil ask --no-cache --json "question from $tag"
	run_logged "$tag-cache" 0 codicil cache stats --json
}

# the provider's variable
OPENAI_API_KEY="$KEY" every_command env
# a variable named by codicil.apiKeyEnv
git config codicil.apiKeyEnv MY_LLM_KEY
MY_LLM_KEY="$KEY" every_command apikeyenv
git config --unset codicil.apiKeyEnv
# a helper command (its script is the one file that holds the key)
printf '#!/bin/sh\necho "%s"\n' "$KEY" >"$SECRETS/key.sh"
git config codicil.apiKeyCommand "sh $SECRETS/key.sh"
every_command command
# record mode writes a cassette: with answers, never with the key
git config codicil.provider record
git config codicil.cassette cassettes/run.jsonl
run_logged record-ask 0 codicil ask "a recorded question"
[ -s cassettes/run.jsonl ] || fail "no cassette written"
git config --unset codicil.provider

# failures must not show the key either: a wrong key, a failing command
# that printed the key before failing, a server that is down
git config --unset codicil.apiKeyCommand
OPENAI_API_KEY="$KEY-wrong" run_logged wrong-env 1 codicil ask --no-cache "q"
expect_one_line_err
expect_err "HTTP 401"
printf '#!/bin/sh\necho "%s"\nexit 3\n' "$KEY" >"$SECRETS/fail.sh"
git config codicil.apiKeyCommand "sh $SECRETS/fail.sh"
run_logged failing-command 1 codicil doctor
expect_one_line_err
expect_err "codicil.apiKeyCommand"
expect_err "exit status 3"
git config codicil.apiKeyCommand "sh $SECRETS/key.sh"
stop_fake
run_logged server-down 1 codicil ask --no-cache "q"

# outside a repository: the cache goes under XDG_CACHE_HOME
mkdir "$T/plain" && cd "$T/plain" || fail cd
start_fake_server --require-key "$KEY" --reply "$OK_REPLY"
OPENAI_API_KEY="$KEY" CODICIL_ENDPOINT="$FAKE_URL" run_logged outside 0 codicil ask "outside"
[ -n "$(find "$XDG_CACHE_HOME/codicil" -name '*.json')" ] || fail "no cache under XDG_CACHE_HOME"
stop_fake

# the search: it must find nothing, and must work (it finds the helper)
grep -r -q -F "$KEY" "$SECRETS" || fail "the search itself does not work"
for place in "$T/r" "$XDG_CACHE_HOME" "$HOME" "$LOGS" "$T/plain"; do
	if grep -r -l -F "$KEY" "$place" >"$T/found" 2>/dev/null; then
		cat "$T/found" >&2
		fail "the key was found under $place"
	fi
done
# and transcripts were written (the fake answered requests that carried the key)
ls "$T/r/.git/codicil/transcripts/"*.json >/dev/null || fail "no transcripts were written"
