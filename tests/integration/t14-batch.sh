# batch: journal, faults and --retry-errors, kill -9 and --resume, dry run,
# and a run that waits for the model does not lock raters out.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil

# a dry run sends nothing
run codicil batch -p truthful -p calibrated --samples 3 -n 2 --dry-run
expect_rc 0 "dry run"
[ "$(wc -l <"$T/out")" -eq 6 ] || fail "dry run should list 6 requests"
python3 - "$T/out" <<'PY' || fail "dry-run lines"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
assert len({l["request"] for l in ls}) == 6
assert sorted({(l["principles"][0], l["sample"]) for l in ls}) == sorted((p, s) for p in ("truthful", "calibrated") for s in range(3))
PY
[ "$(git rev-list --count HEAD)" -eq 1 ] || fail "a dry run committed"

# a charter over codicil.maxCharterBytes is sent as its table of contents
# plus the targeted principles: a smaller prompt
full=$(codicil batch -p truthful --dry-run | sed 's/.*"prompt_bytes":\([0-9]*\).*/\1/')
small=$(CODICIL_MAX_CHARTER_BYTES=2000 codicil batch -p truthful --dry-run | sed 's/.*"prompt_bytes":\([0-9]*\).*/\1/')
[ "$small" -lt "$full" ] || fail "table-of-contents mode did not shrink the prompt ($small vs $full)"

run codicil batch -p truthful -p calibrated --samples 3 -n 2 --journal "$T/j1.jsonl"
expect_rc 0 "batch"
expect_err "6 requests ok, 0 failed; 12 new cases"
[ "$(wc -l <"$T/out")" -eq 12 ] || fail "12 ids expected"
[ "$(git rev-list --count HEAD)" -eq 2 ] || fail "one commit expected"
git log -1 --format=%s | grep -q "^Add 12 counterexamples for 2 principles$" || fail "subject: $(git log -1 --format=%s)"
git_clean "$T/r"
python3 - "$T/j1.jsonl" <<'PY' || fail "journal content"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
assert len(ls) == 6
for l in ls:
    for k in ("run", "request", "principle", "sample", "status", "error", "cases", "usage", "latency_ms"):
        assert k in l, k
    assert l["status"] == "ok" and len(l["cases"]) == 2
assert len({l["run"] for l in ls}) == 1
PY

# the same journal again without --resume is refused
run codicil batch -p truthful --journal "$T/j1.jsonl"
expect_rc 1 "reusing a journal"
expect_err "resume"

# faults: no retries, so every third request fails and is journalled
stop_fake
start_fake --codicil --fault 500 --fault-every 3
export CODICIL_RETRIES=0
run codicil batch -p crisis -p weigh-risk -p autonomy --samples 2 --journal "$T/j2.jsonl"
expect_rc 1 "batch with failures"
expect_err "2 x HTTP 500, e.g. "
expect_err "2 of the run's 6 requests still without an answer; when the cause is fixed, continue with: codicil batch -p crisis -p weigh-risk -p autonomy --samples 2 --resume --journal $T/j2.jsonl"
python3 - "$T/j2.jsonl" <<'PY' || fail "failures journalled"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
bad = [l for l in ls if l["status"] != "ok"]
assert len(ls) == 6 and len(bad) == 2, [(l["status"], l["error"]) for l in ls]
assert all(l["error"] for l in bad)
PY
git_clean "$T/r"
stop_fake
start_fake --codicil
unset CODICIL_RETRIES
run codicil batch -p crisis -p weigh-risk -p autonomy --samples 2 --journal "$T/j2.jsonl" --retry-errors
expect_rc 0 "--retry-errors"
expect_err "2 requests ok, 0 failed, 4 done earlier"
python3 - "$T/j2.jsonl" <<'PY' || fail "every request ok once after --retry-errors"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
last = {}
for l in ls:
    last[l["request"]] = l["status"]
assert len(last) == 6 and set(last.values()) == {"ok"}
oks = [l["request"] for l in ls if l["status"] == "ok"]
assert len(oks) == len(set(oks)) == 6
PY
git_clean "$T/r"

# kill -9 in the middle, then --resume
stop_fake
start_fake --codicil --latency-ms 250
"$CODICIL_BIN" batch --all -n 3 --concurrency 2 --journal "$T/j3.jsonl" >/dev/null 2>&1 &
pid=$!
wait_lines "$T/j3.jsonl" 4
kill -9 "$pid"; wait "$pid" 2>/dev/null
before=$(wc -l <"$T/j3.jsonl")
stop_fake
start_fake --codicil
total=$(codicil principles --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
commits=$(git rev-list --count HEAD) cases_before=$(git ls-tree -r HEAD cases/ | wc -l)
run codicil batch --all -n 3 --journal "$T/j3.jsonl" --resume
expect_rc 0 "--resume"
python3 - "$T/j3.jsonl" "$total" <<'PY' || fail "after --resume every request is ok exactly once"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
oks = [l["request"] for l in ls if l["status"] == "ok"]
assert len(oks) == len(set(oks)) == int(sys.argv[2]), (len(oks), len(set(oks)), sys.argv[2])
PY
[ "$before" -lt "$total" ] || fail "the kill came too late to test anything ($before lines)"
# 3 cases a request: one commit of more than 64 files, written as a pack
[ "$(git rev-list --count HEAD)" -eq $((commits + 1)) ] || fail "the resumed run should add one commit to the history"
[ "$(git ls-tree -r HEAD cases/ | wc -l)" -eq $((cases_before + 3 * total)) ] || fail "not every case of the run is committed"
git_clean "$T/r"
codicil cases --json | python3 -c '
import json, sys
cs = json.load(sys.stdin)
ids = [c["id"] for c in cs]; sc = [c["scenario"] for c in cs]
assert len(ids) == len(set(ids)) and len(sc) == len(set(sc)), "duplicate cases"
' || fail "duplicate cases after resume"

run codicil batch
expect_rc 2 "batch without principles"

# --resume without --journal takes the newest run of the same requests, not
# the newest journal (a generate after the batch wrote a newer one)
start_fake --codicil
run codicil batch -p truthful -n 1
expect_rc 0 "a batch with its journal in runs/"
run codicil generate -p calibrated -n 1
expect_rc 0 "a generate after it"
run codicil batch -p truthful -n 1 --resume
expect_rc 0 "resume of the batch"
expect_err "0 requests ok, 0 failed, 1 done earlier"
run codicil batch -p autonomy -n 1 --resume
expect_rc 1 "resume of a run that never was"
expect_err "no earlier run of these requests in"
expect_one_line_err
stop_fake

# a run that waits for the model holds its journal, not the repository: a
# rater goes on meanwhile, a second run on the same journal is refused, and
# the run still commits at its end
start_fake --codicil --latency-ms 3000
c=$(case_ids cases | head -n 1)
"$CODICIL_BIN" batch -p privacy -n 1 --journal "$T/j5.jsonl" >"$T/slow.out" 2>&1 &
slow=$!
sleep 1
run codicil rate "$c" --verdict valid --rater "Ada <ada@example.org>"
expect_rc 0 "rating while a batch waits for the model"
run codicil batch -p privacy -n 1 --journal "$T/j5.jsonl" --resume
expect_rc 1 "a second run on a journal in use"
expect_err "journal $T/j5.jsonl is in use by another run; wait for it to end"
expect_one_line_err
wait $slow || { cat "$T/slow.out" >&2; fail "the slow batch"; }
git log -1 --format=%s | grep -q "^Add 1 counterexample for privacy$" || fail "slow batch subject: $(git log -1 --format=%s)"
git log -2 --format=%s | tail -n 1 | grep -q "^Rate $c: valid$" || fail "the rating: $(git log -2 --format=%s)"
git_clean "$T/r"
stop_fake

# every large commit is its own pack; past gc.autoPackLimit a commit starts
# git gc --auto in the background, which folds them into one
git config gc.autoPackLimit 2
start_fake --codicil
for i in 1 2 3; do
	codicil batch --all -n 3 --no-cache --journal "$T/jp$i.jsonl" >/dev/null 2>&1 || fail "packed batch $i"
done
stop_fake
i=0
while [ "$(ls .git/objects/pack/*.pack | wc -l)" -gt 2 ]; do
	i=$((i + 1)); [ "$i" -lt 400 ] || fail "the packs were not folded: $(ls .git/objects/pack)"
	sleep 0.05
done
while [ -e .git/gc.pid ]; do sleep 0.05; done
git fsck --strict --no-progress >/dev/null 2>"$T/fsck" || { cat "$T/fsck" >&2; fail "fsck after gc"; }
[ "$(codicil cases --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = \
	"$(git ls-tree -r HEAD cases/ | wc -l)" ] || fail "cases lost in the gc"
git_clean "$T/r"
