# cost: every run recorded with what it spent, prices from settings,
# budgets that stop a run within one request and --resume that finishes it,
# dry-run estimates close to what the run then uses.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil

# no runs yet: a plain message, and an empty JSON list
run codicil runs
expect_rc 0 "runs on a new repository"
expect_out "no runs yet"
[ "$(codicil runs --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] ||
	fail "runs --json is not an empty list"

# a run without prices: tokens only, never a made-up price
run codicil batch -p truthful -p calibrated -n 2
expect_rc 0 "batch"
expect_err "codicil: spent [0-9,]* tokens in 2 requests; run r-"
run codicil cost --json
python3 - "$T/out" <<'PY' || fail "cost without prices"
import json, sys
c = json.load(open(sys.argv[1]))
t = c["total"]
assert t["runs"] == 1 and t["requests"] == 2, t
assert t["input"] > 0 and t["output"] > 0, t
assert "usd" not in t and t["unpriced"] == 2, t
assert c["groups"][0]["key"] == "batch", c
PY
run codicil cost
expect_out "requests went to models without a price"

# the ledger's tokens are the usage the server reported, request by request
journal=$(ls .git/codicil/runs/*.jsonl)
python3 - "$journal" .git/codicil/ledger <<'PY' || fail "ledger totals against the journal"
import json, os, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
rec = [json.load(open(os.path.join(sys.argv[2], f))) for f in os.listdir(sys.argv[2])]
assert len(rec) == 1, rec
r = rec[0]
assert r["run"] == lines[0]["run"], "the record and the journal share the run id"
assert r["state"] == "done" and r["command"] == "batch", r
assert r["args"] == ["-p", "truthful", "-p", "calibrated", "-n", "2"], r["args"]
inp = sum(l["usage"]["input_tokens"] for l in lines)
out = sum(l["usage"]["output_tokens"] for l in lines)
assert r["tokens"]["input"] == inp and r["tokens"]["output"] == out, (r["tokens"], inp, out)
assert set(r["by_principle"]) == {"truthful", "calibrated"}, r["by_principle"]
PY

# prices: from git config or a committed .codicil, dollars per million
printf '[codicil "price.fake-model"]\n\tinput = 2.50\n\toutput = 10\n' >.codicil
git add .codicil && git commit -qm "team prices"
run codicil judge
expect_rc 0 "judge"
expect_err "spent [0-9,]* tokens (\$[0-9.]*) in [0-9]* requests"
run codicil runs --json -n 1
python3 - "$T/out" <<'PY' || fail "priced run"
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r) == 1
r = r[0]
t = r["tokens"]
want = (t["input"] * 2.5 + t["output"] * 10) / 1e6
assert abs(t["usd"] - want) < 1e-9, (t, want)
assert r["command"] == "judge" and r["state"] == "done"
PY
run codicil cost --by principle
expect_rc 0 "cost by principle"
expect_out "^truthful "
# a proposal records what drafting it cost, and review shows it
c=$(case_ids | head -1)
run codicil amend "$c"
expect_rc 0 "amend"
p=$(sed -n 1p "$T/out")
run codicil review "$p"
expect_out "cost: [0-9]* requests, [0-9]* tokens in.*, [0-9]* out, \$[0-9.]*"
python3 - "proposals/$p.json" <<'PY' || fail "usage in the proposal's provenance"
import json, sys
u = json.load(open(sys.argv[1]))["provenance"]["usage"]
assert u["requests"] >= 3 and u["input_tokens"] > 0 and u["usd"] > 0, u
PY
run codicil cost --by principle --json
python3 - "$T/out" "$c" <<'PY' || fail "amend's requests are not attributed to the case's principles"
import json, sys
c = json.load(open("cases/%s%s/%s.json" % (sys.argv[2][7], sys.argv[2][-1], sys.argv[2])))
keys = {g["key"] for g in json.load(open(sys.argv[1]))["groups"]}
assert set(c["principles"]) <= keys, (c["principles"], keys)
PY
# amend --dry-run: the whole amendment, within 25% of what drafting it
# then costs (the steps after the draft projected from earlier ones)
# (a case of another principle: another edit, so nothing of it is cached)
c2=$(python3 - "$c" <<'PY'
import glob, json, sys
first = json.load(open("cases/%s%s/%s.json" % (sys.argv[1][7], sys.argv[1][-1], sys.argv[1])))["principles"][0]
for n in sorted(glob.glob("cases/*/*.json")):
    c = json.load(open(n))
    if c["kind"] == "counterexample" and c["principles"][0] != first:
        print(c["id"]); break
PY
)
run codicil amend --dry-run "$c2"
expect_rc 0 "amend --dry-run"
est=$(sed -n 's/^  total   ~\([0-9,]*\) tokens$/\1/p' "$T/out" | tr -d ,)
git reset -q --hard
run codicil amend "$c2"
expect_rc 0 "amend after its dry run"
p2=$(sed -n 1p "$T/out")
python3 - "proposals/$p2.json" "$est" <<'PY' || fail "amend estimate"
import json, sys
u = json.load(open(sys.argv[1]))["provenance"]["usage"]
used, est = u["input_tokens"] + u["output_tokens"], int(sys.argv[2])
assert abs(est - used) <= 0.25 * used, (est, used)
PY
# regress says how much of it the judgment cache answered
run codicil regress
expect_rc 0 "regress"
expect_out "^judgments: [0-9]* of [0-9]* from the cache"
run codicil cost --by nothing
expect_rc 2 "a bad --by"
run codicil cost --since yesterday
expect_rc 2 "a bad --since"
run codicil cost --since 2999-01-01 --json
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; assert t["runs"]==0, t' "$T/out" ||
	fail "--since in the future still counts runs"

# a budget in dollars needs a price; a budget that does not parse is refused
run env CODICIL_MODEL=unpriced-model "$CODICIL_BIN" judge --budget '$1'
expect_rc 1 "a dollar budget without a price"
expect_err "codicil.price.unpriced-model.input"
run codicil judge --budget lots
expect_rc 1 "a bad budget"
expect_err "neither a number of tokens"

# a dry-run estimate, learnt from the earlier judge run, is within 25% of
# what the same run then uses (the charter changed: nothing is cached)
printf '\nOne more sentence for a new charter.\n' >>CONSTITUTION.md
nruns() { codicil runs -n 0 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
before=$(nruns)
run codicil judge --dry-run
expect_rc 0 "judge --dry-run"
expect_out "nothing was sent"
est=$(sed -n 's/^  total   ~\([0-9,]*\) tokens$/\1/p' "$T/out" | tr -d ,)
[ -n "$est" ] || fail "no total in the estimate: $(cat "$T/out")"
[ "$(nruns)" = "$before" ] || fail "a dry run left a record of a run"
run codicil judge
expect_rc 0 "judge after the dry run"
used=$(codicil runs --json -n 1 | python3 -c 'import json,sys; t=json.load(sys.stdin)[0]["tokens"]; print(int(t["input"]+t["output"]))')
python3 -c "import sys; e,u=$est,$used; sys.exit(0 if abs(e-u) <= 0.25*u else 1)" ||
	fail "estimate $est is not within 25% of the $used tokens used"

# --budget stops a batch within one request of the cap; the record says
# stopped; --resume (the command the summary gives) finishes the run
stop_fake
start_fake --codicil
git checkout -q CONSTITUTION.md
run codicil batch --all -n 2 --no-cache --budget 20k
expect_rc 1 "batch over its budget"
expect_err "the budget of 20,000 tokens is spent"
python3 - <<'PY' || fail "budget stop"
import json, subprocess
r = json.loads(subprocess.check_output(["sh", "-c", '"$CODICIL_BIN" runs --json -n 1']))[0]
t = r["tokens"]
spent = t["input"] + t["output"]
assert r["state"] == "stopped", r["state"]
assert spent <= 20000, spent
# one request here is at most ~3,200 input + 4,096 output tokens
assert spent > 20000 - 2 * 7300, spent
assert r["requests"]["not_sent"] > 0, r["requests"]
PY
again=$(sed -n 's/.*continue with: codicil \(.*\) (-v lists.*/\1/p' "$T/err")
[ -n "$again" ] || fail "no resume command: $(cat "$T/err")"
eval "run codicil $again"
expect_rc 0 "the resumed run"
expect_err "requests ok, 0 failed"
[ "$(case_ids | wc -l)" -ge 50 ] || fail "the resumed run did not finish: $(case_ids | wc -l) cases"
git_clean "$T/r"

# a run killed on the way reads "killed"
stop_fake
start_fake --codicil --latency-ms 3000
"$CODICIL_BIN" batch --all -n 1 --no-cache >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 "$pid"; wait "$pid" 2>/dev/null
codicil runs --json -n 1 | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; assert r["state"]=="killed", r["state"]' ||
	fail "a killed run does not read killed"
echo ok
