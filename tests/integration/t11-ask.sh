# ask: one question, the reply printed inert; the cache, --no-cache, stdin,
# --schema, --stream, --json, transcripts, and one-line failures.
. ./lib.sh

REPLY='Principle 3 breaks when the user claims to be a doctor.'
export CODICIL_BACKOFF_BASE=0.01

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake_server --reply "$REPLY"
export CODICIL_ENDPOINT="$FAKE_URL"

run codicil ask "Find a counter-example."
expect_rc 0 "ask"
[ "$(cat "$T/out")" = "$REPLY" ] || fail "ask printed: $(cat "$T/out")"

# the same again comes from the cache
run codicil ask --json "Find a counter-example."
expect_rc 0 "ask --json"
python3 - "$T/out" "$REPLY" <<'PY' || fail "ask --json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["text"] == sys.argv[2] and d["cached"] is True and d["attempts"] == 0, d
assert d["provider"] == "openai" and d["model"] == "gpt-4.1", d
assert len(d["request_sha256"]) == 64 and len(d["transcript"]) == 64, d
PY
run codicil cache stats
expect_rc 0 "cache stats"
expect_out ".git/codicil/cache: 1 entry"

# --no-cache asks again; stdin, --system and --stream
run codicil ask --no-cache --json "Find a counter-example."
expect_rc 0 "ask --no-cache"
grep -q '"cached": false' "$T/out" || fail "--no-cache used the cache"
echo "A prompt from standard input" | codicil ask --system "Be brief." --stream - >"$T/out" 2>"$T/err"
[ $? -eq 0 ] || fail "ask - --stream: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$REPLY" ] || fail "ask - printed: $(cat "$T/out")"
stop_fake
[ "$(fake_requests)" -eq 3 ] || fail "expected 3 server requests, got $(fake_requests)"

# every successful call left a transcript named by its own sha256
n=0
for f in .git/codicil/transcripts/*.json; do
	[ "$(sha256sum "$f" | cut -c1-64).json" = "$(basename "$f")" ] || fail "transcript name $f"
	n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "expected transcripts, found $n"
git_clean "$T/r"

# structured output against a schema file
cat >"$T/schema.json" <<'JSON'
{"type": "object", "additionalProperties": false, "required": ["verdict"],
 "properties": {"verdict": {"type": "string", "enum": ["handled", "mishandled"]}}}
JSON
start_fake_server --reply '{"verdict":"mishandled"}'
export CODICIL_ENDPOINT="$FAKE_URL"
run codicil ask --schema "$T/schema.json" --json "Is this case handled?"
expect_rc 0 "ask --schema"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["json"]["verdict"]=="mishandled", d' \
	"$T/out" || fail "ask --schema json"
stop_fake
start_fake_server --reply '{"verdict":"perhaps"}'
export CODICIL_ENDPOINT="$FAKE_URL"
run codicil ask --schema "$T/schema.json" "Is this case handled?"
expect_rc 1 "a reply that never matches the schema"
expect_one_line_err
expect_err "verdict"
stop_fake
[ "$(fake_requests)" -eq 2 ] || fail "expected one repair request, got $(fake_requests) requests"
echo '{"type":' >"$T/bad.json"
run codicil ask --schema "$T/bad.json" "q"
expect_rc 1 "a malformed schema file"
expect_one_line_err
expect_err "bad.json"

# hostile reply text is made inert; --json keeps it, escaped
start_fake_server --fault hostile
export CODICIL_ENDPOINT="$FAKE_URL"
run codicil ask "Say something nasty."
expect_rc 0 "hostile reply"
expect_out "before"
! LC_ALL=C grep -q "$(printf '\033')" "$T/out" || fail "an escape sequence reached the terminal"
run codicil ask --json "Say something nasty."
expect_rc 0 "hostile reply --json"
grep -q 'u001b' "$T/out" || fail "--json lost the raw reply"
stop_fake

# failures: HTTP errors, server down, usage
start_fake_server --fault 400
export CODICIL_ENDPOINT="$FAKE_URL"
run codicil ask "q"
expect_rc 1 "HTTP 400"
expect_one_line_err
expect_err "HTTP 400"
stop_fake
run codicil ask "q"
expect_rc 1 "server down"
expect_one_line_err
run codicil ask
expect_rc 2 "no prompt"
run codicil ask one two
expect_rc 2 "two prompts"

# cache clear
run codicil cache clear
expect_rc 0 "cache clear"
expect_out "removed 4 entries"
run codicil cache stats --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["entries"]==0, d' "$T/out" \
	|| fail "cache stats --json after clear"
run codicil cache purge
expect_rc 2 "unknown cache subcommand"
git_clean "$T/r"

for cmd in ask doctor cache; do
	run codicil "$cmd" --help
	expect_rc 0 "$cmd --help"
	expect_out "usage: codicil $cmd"
done

# --stream prints the text as it arrives: the first piece is on stdout
# while the server still holds back the rest
start_fake --reply "The first words arrive at once; the rest of the reply waits for the stall." \
	--fault stall --stall-ms 2500
codicil ask --stream --no-cache "Stream it." >"$T/stream.out" 2>"$T/stream.err" &
pid=$!
i=0
while [ ! -s "$T/stream.out" ]; do
	i=$((i + 1)); [ "$i" -lt 40 ] || fail "nothing printed within 2 s of a streamed reply"
	sleep 0.05
done
kill -0 "$pid" 2>/dev/null || fail "the reply was complete before anything was printed"
wait "$pid" || fail "ask --stream: $(cat "$T/stream.err")"
[ "$(cat "$T/stream.out")" = "The first words arrive at once; the rest of the reply waits for the stall." ] ||
	fail "streamed text: $(cat "$T/stream.out")"
stop_fake

# a cache that cannot be written is a warning on stderr, and the answer is
# still printed
rm -rf .git/codicil/cache && echo "not a directory" >.git/codicil/cache
start_fake --reply "An answer that cannot be cached."
run codicil ask "Cache this."
expect_rc 0 "ask with an unwritable cache"
expect_out "An answer that cannot be cached."
expect_err "codicil: warning: cannot cache a model answer (it will be asked again next time)"
stop_fake
rm -f .git/codicil/cache
