# codicil.judgeBatch: several cases to a judge request, one verdict per
# case id; a case the answer leaves out is asked again on its own, and
# the verdicts are those of one case per request.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil
codicil batch -p truthful -p calibrated -p privacy -p crisis -p autonomy -n 2 >/dev/null 2>&1 ||
	fail "generating cases"
n=$(case_ids | wc -l)
[ "$n" -eq 10 ] || fail "expected 10 cases, got $n"
verdicts() { awk 'NR > 1 { print $1, $2 }' "$1" | sort; }

run codicil judge
expect_rc 0 "judge, one case a request"
cp "$T/out" "$T/single"
run env CODICIL_JUDGE_BATCH=4 "$CODICIL_BIN" judge
expect_rc 0 "judge, four cases a request"
[ "$(verdicts "$T/out")" = "$(verdicts "$T/single")" ] || fail "batched verdicts differ"
codicil runs --json -n 1 | python3 -c '
import json, sys
r = json.load(sys.stdin)[0]
assert r["requests"].get("ok") == 3 and not r["requests"].get("failed"), r["requests"]
assert list(r["by_kind"]) == ["judge_batch"], r["by_kind"]' || fail "10 cases should take 3 requests"
# cached per case: the same run again asks nothing (and leaves no record)
nruns() { codicil runs -n 0 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
before=$(nruns)
run env CODICIL_JUDGE_BATCH=4 "$CODICIL_BIN" judge
expect_rc 0 "judge again"
[ "$(nruns)" = "$before" ] || fail "a fully cached judge run asked the model"

# a model that leaves a case out: the others' verdicts are kept, the
# missing one is asked on its own
stop_fake
FAKELLM_JUDGE_BATCH_DROP=1 start_fake --codicil
run env CODICIL_JUDGE_BATCH=5 CODICIL_JUDGE_MODEL=another "$CODICIL_BIN" judge
expect_rc 0 "judge with verdicts left out"
[ "$(verdicts "$T/out")" = "$(verdicts "$T/single")" ] || fail "verdicts differ after the fallback"
codicil runs --json -n 1 | python3 -c '
import json, sys
r = json.load(sys.stdin)[0]
# 2 batches, each sent back once with its errors, then 1 single per batch
assert r["by_kind"]["judge_batch"]["requests"] == 2, r["by_kind"]
assert r["by_kind"]["judge"]["requests"] == 2, r["by_kind"]' || fail "fallback requests"

run env CODICIL_JUDGE_BATCH=0 "$CODICIL_BIN" judge
expect_rc 1 "judgeBatch 0"
expect_err "from 1 to 50"
echo ok
