# log lists commits with their trailers, in text and JSON.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
echo "note" >notes.txt
git add notes.txt
git commit -q -m "Amend privacy: allow disclosure

Because.

Codicil-Proposal: p-01jd3k
Codicil-Case: c-1
Codicil-Case: c-2
Reviewed-by: Ada Lovelace <ada@example.org>"

run codicil log --json
expect_rc 0 "log --json"
python3 - "$T/out" <<'PY' || fail "log --json content"
import json, sys
log = json.load(open(sys.argv[1]))
assert len(log) == 2
c = log[0]
for k in ("id", "author", "date", "subject", "trailers"):
    assert k in c, k
assert c["subject"] == "Amend privacy: allow disclosure"
assert c["trailers"]["Codicil-Case"] == ["c-1", "c-2"], c["trailers"]
assert c["trailers"]["Reviewed-by"] == ["Ada Lovelace <ada@example.org>"]
assert len(c["id"]) == 40
PY
run codicil log -n 1
expect_rc 0 "log -n 1"
expect_out "Amend privacy"
expect_out "Codicil-Case: c-2"
[ "$(grep -c '^[0-9a-f]\{10\} ' "$T/out")" -eq 1 ] || fail "log -n 1 printed more than one commit"

run codicil log --charter --json
expect_rc 0 "log --charter"
python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); assert len(l)==1, l' "$T/out" || fail "log --charter should list only the initial commit"

run codicil log -n x
expect_rc 2 "bad -n"
