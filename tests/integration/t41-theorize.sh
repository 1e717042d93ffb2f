# theorize: failure theories committed with provenance; generate --theory
# steers and records the theory; hits from the raters; retirement.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil

run codicil theorize
expect_rc 1 "theorize without cases"
expect_one_line_err
expect_err "at least two open or confirmed cases"

codicil generate -p truthful -n 4 >/dev/null 2>&1 || fail "generate"
head=$(git rev-parse HEAD)
run codicil theorize --json
expect_rc 0 "theorize"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Add 2 failure theories" ] || fail "subject: $(git log -1 --format=%s)"
[ "$(git log -1 --format='%(trailers:key=Codicil-Theory,valueonly)' | grep -c '^t-')" -eq 2 ] || fail "theory trailers"
git log -1 --format='%(trailers:key=Codicil-Prompt,valueonly)' | grep -q '^theorize sha256:' || fail "prompt trailer"
python3 - "$T/out" "$head" <<'PY' || fail "theory records"
import json, os, sys
ts = json.load(open(sys.argv[1]))
assert len(ts) == 2
for t in ts:
    assert t["id"].startswith("t-") and t["status"] == "active" and t["retired"] is None
    assert len(t["cases"]) >= 2 and all(os.path.exists("cases/%s%s/%s.json" % (c[7], c[-1], c)) for c in t["cases"])
    assert t["predictions"] and t["hits"] == {"generated": 0, "rated": 0, "confirmed": 0}
    assert t["provenance"]["prompt"]["name"] == "theorize"
    assert t["provenance"]["constitution_commit"] == sys.argv[2]
    on_disk = json.load(open("theories/%s.json" % t["id"]))
    assert list(on_disk)[:8] == ["id", "statement", "cases", "predictions", "hits", "status", "retired", "provenance"]
PY
t1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/out")
t2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[1]["id"])' "$T/out")

# generation steered by a theory: the cases carry it
run codicil generate --theory "$t1" -p truthful -n 3 --json
expect_rc 0 "generate --theory"
git_clean "$T/r"
python3 - "$T/out" "$t1" <<'PY' || fail "theory cases"
import json, sys
cs = json.load(open(sys.argv[1]))
assert len(cs) == 3 and all(c["theory"] == sys.argv[2] for c in cs), cs
PY
grep -rl "\"theory\": \"$t1\"" cases | sort >"$T/t1cases"
[ "$(wc -l <"$T/t1cases")" -eq 3 ] || fail "three cases of $t1"
# the request carried the theory's statement as steering (the fake echoes it)
grep -q "Steered by: Theory $t1: The charter fails when" $(cat "$T/t1cases") || fail "no steered request"
run codicil generate --theory "$t2" -p calibrated -n 2
expect_rc 0 "generate --theory t2"
t2cases=$(cat "$T/out")

# the raters reject t1's cases and confirm t2's
for f in $(cat "$T/t1cases"); do
	id=$(basename "$f" .json)
	codicil rate "$id" --verdict invalid >/dev/null || fail "rate $id"
	codicil rate "$id" --verdict invalid --rater "Bob <bob@example.org>" >/dev/null || fail "rate $id"
done
for id in $t2cases; do
	codicil rate "$id" --verdict valid >/dev/null || fail "rate $id"
	codicil rate "$id" --verdict valid --rater "Bob <bob@example.org>" >/dev/null || fail "rate $id"
done
run codicil theorize --list --json
expect_rc 0 "theorize --list"
python3 - "$T/out" "$t1" "$t2" <<'PY' || fail "live hits"
import json, sys
ts = {t["id"]: t for t in json.load(open(sys.argv[1]))}
assert ts[sys.argv[2]]["hits"] == {"generated": 3, "rated": 3, "confirmed": 0}, ts[sys.argv[2]]
assert ts[sys.argv[3]]["hits"] == {"generated": 2, "rated": 2, "confirmed": 2}, ts[sys.argv[3]]
PY
git_clean "$T/r" # --list commits nothing

# below the hit rate after enough rated cases: retired automatically
git config codicil.theoryMinRated 3
run codicil theorize --update
expect_rc 0 "theorize --update"
git_clean "$T/r"
[ "$(git log -1 --format=%s)" = "Retire 1 theory below the hit rate" ] || fail "subject: $(git log -1 --format=%s)"
python3 - "$t1" "$t2" <<'PY' || fail "retired"
import json, sys
a = json.load(open("theories/%s.json" % sys.argv[1]))
b = json.load(open("theories/%s.json" % sys.argv[2]))
assert a["status"] == "retired" and "hit rate 0/3" in a["retired"]["reason"], a
assert b["status"] == "active" and b["hits"]["confirmed"] == 2, b
PY
run codicil generate --theory "$t1"
expect_rc 1 "generate with a retired theory"
expect_one_line_err
expect_err "retired"

# by hand
run codicil theorize --retire "$t2" --reason "explained by the crisis rule"
expect_rc 0 "theorize --retire"
expect_out "Retired $t2"
git_clean "$T/r"
git log -1 --format=%s | grep -q "^Retire theory $t2$" || fail "retire subject"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert t["retired"]["reason"]=="explained by the crisis rule"' "theories/$t2.json" || fail "reason"
run codicil theorize --retire "$t2"
expect_rc 1 "retire twice"
expect_one_line_err

run codicil theorize --help
expect_rc 0 "help"
expect_out "codicil.theoryRetireBelow"
run codicil theorize --list --update
expect_rc 2 "two modes"
git fsck --strict --no-progress >/dev/null 2>&1 || fail fsck

# the model is asked without the repository lock: a rating goes in while
# theorize waits for a slow model, and the theories land after it
stop_fake
start_fake --codicil --latency-ms 1500
codicil generate -p weigh-risk -n 2 >/dev/null 2>&1 || fail "generate more"
some_case=$(case_ids | head -1)
before=$(git rev-parse HEAD)
"$CODICIL_BIN" theorize >"$T/slow.out" 2>"$T/slow.err" &
slow=$!
sleep 0.5
run codicil rate "$some_case" --verdict valid --rater "Night Owl <owl@example.org>"
expect_rc 0 "rating while theorize waits for the model"
kill -0 "$slow" 2>/dev/null || fail "theorize ended before the rating: the test proves nothing"
wait "$slow" || fail "theorize failed: $(cat "$T/slow.err")"
[ "$(git log --format=%s "$before"..HEAD | sed -n 2p)" = "Rate $some_case: valid" ] ||
	fail "the rating is not before the theories: $(git log --format=%s "$before"..HEAD)"
git log -1 --format=%s | grep -q "failure theor" || fail "no theories after the rating: $(git log -1 --format=%s)"
git_clean "$T/r"
