# batch --provider-batch: the providers' batch APIs (OpenAI files +
# batches, Anthropic message batches) against the fake: the same cases as
# a normal run, the batch id journalled before polling, and kill -9 while
# polling then --resume asks the same batch (the fake sees one batch).
. ./lib.sh

export CODICIL_BATCH_POLL_SECONDS=0.05
fake_batches() { sed -n 's/^fakellm-server: .*, \([0-9]*\) batches, .*/\1/p' "$FAKE_LOG"; }
# per principle: how many cases (the fake's texts differ from run to run)
shape() {
	python3 - "$1" <<'PY'
import collections, glob, json, sys
n = collections.Counter()
for f in glob.glob(sys.argv[1] + "/cases/*/*.json"):
    c = json.load(open(f))
    n[(tuple(c["principles"][:1]), c["kind"])] += 1
print(sorted(n.items()))
PY
}

for provider in openai anthropic; do
	cd "$T" || fail cd
	start_fake --codicil
	export CODICIL_PROVIDER=$provider ANTHROPIC_API_KEY=sk-ant-test
	codicil init "$T/$provider-normal" >/dev/null || fail init
	codicil init "$T/$provider-batch" >/dev/null || fail init
	(cd "$T/$provider-normal" && codicil batch --all -n 2 --samples 35 >/dev/null 2>"$T/err") ||
		fail "$provider: normal run: $(cat "$T/err")"
	cd "$T/$provider-batch" || fail cd
	run codicil batch --all -n 2 --samples 35 --provider-batch
	expect_rc 0 "$provider: batch --provider-batch"
	expect_err "provider batch [a-z_0-9]* created"
	expect_err "1015 requests ok, 0 failed; 2030 new cases"
	[ "$(shape .)" = "$(shape "$T/$provider-normal")" ] ||
		fail "$provider: the provider batch committed other cases than a normal run"
	git_clean .
	journal=$(ls .git/codicil/runs/*.jsonl)
	head -1 "$journal" | grep -q '"provider_batch":' ||
		fail "$provider: the batch id is not the journal's first line"
	stop_fake
	[ "$(fake_batches)" = 1 ] || fail "$provider: $(fake_batches) batches for one run"
	cd "$T" || fail cd
done

# --dry-run shows the provider batch's input file as it would be uploaded
start_fake --codicil
codicil init "$T/dry" >/dev/null || fail init
cd "$T/dry" || fail cd
run codicil batch -p privacy -p crisis --samples 3 --provider-batch --dry-run
expect_rc 0 "--provider-batch --dry-run"
expect_err "dry run: 6 requests would be sent"
python3 - "$T/out" <<'PY' || fail "the dry run's batch file"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 6 and len({l["custom_id"] for l in lines}) == 6, lines
for l in lines:
    assert l["method"] == "POST" and l["url"] == "/v1/chat/completions", l
    assert l["body"]["messages"] and "stream" not in l["body"], l
PY
stop_fake
[ "$(fake_requests)" = 0 ] || fail "a dry run sent $(fake_requests) requests"

# kill -9 while the batch is being polled; --resume polls the same batch
export CODICIL_PROVIDER=openai
start_fake --codicil --batch-ms 3000
codicil init "$T/killed" >/dev/null || fail init
cd "$T/killed" || fail cd
"$CODICIL_BIN" batch -p privacy -p crisis --samples 5 --provider-batch --journal "$T/k.jsonl" \
	>/dev/null 2>"$T/err-k" &
pid=$!
wait_lines "$T/k.jsonl" 1
kill -9 "$pid"; wait "$pid" 2>/dev/null
grep -q '"provider_batch":"batch_' "$T/k.jsonl" || fail "no batch id in the journal: $(cat "$T/k.jsonl")"
run codicil batch -p privacy -p crisis --samples 5 --resume --journal "$T/k.jsonl"
expect_rc 1 "a resume without --provider-batch would pay twice"
expect_err "resume it with --provider-batch"
run codicil batch -p privacy -p crisis --samples 5 --provider-batch --resume --journal "$T/k.jsonl"
expect_rc 0 "the resumed provider batch"
expect_err "10 requests ok, 0 failed"
[ "$(case_ids | wc -l)" -eq 30 ] || fail "expected 30 cases, got $(case_ids | wc -l)"
git_clean .
stop_fake
[ "$(fake_batches)" = 1 ] || fail "the resumed run made another batch: $(fake_batches)"
[ -z "$(ls .git/codicil/batches 2>/dev/null)" ] || fail "a finished batch is still open"

# judge --provider-batch, killed while it waits: running it again asks the
# open batch (.git/codicil/batches) for the verdicts
start_fake --codicil --batch-ms 3000
codicil judge >"$T/direct" 2>&1 || fail "judge: $(cat "$T/direct")"
printf '\nA new last line, so that nothing is cached.\n' >>CONSTITUTION.md
"$CODICIL_BIN" judge --provider-batch >/dev/null 2>&1 &
pid=$!
i=0
until ls .git/codicil/batches/*.json >/dev/null 2>&1; do  # a record, not its temporary file
	i=$((i + 1)); [ "$i" -le 200 ] || fail "no open batch recorded"
	sleep 0.05
done
kill -9 "$pid"; wait "$pid" 2>/dev/null
run codicil judge --provider-batch
expect_rc 0 "judge --provider-batch, run again"
[ "$(awk 'NR > 1' "$T/out" | wc -l)" -eq 30 ] || fail "30 verdicts expected: $(cat "$T/out")"
stop_fake
[ "$(fake_batches)" = 1 ] || fail "judge run again made another batch: $(fake_batches)"
[ -z "$(ls .git/codicil/batches)" ] || fail "the judged batch is still open"
echo ok
