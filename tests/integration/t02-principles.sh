# principles, show and their JSON, on every shipped template.
. ./lib.sh

for tpl in "$ROOT"/constitutions/*/; do
	name=$(basename "$tpl")
	codicil init "$T/$name" --template "$name" >/dev/null || fail "init --template $name"
	run codicil -C "$T/$name" principles --json
	expect_rc 0 "principles --json on $name"
	python3 - "$T/out" <<'PY' || fail "principles --json shape on $name"
import json, sys
ps = json.load(open(sys.argv[1]))
assert ps, "no principles"
ids = [p["id"] for p in ps]
assert len(ids) == len(set(ids)), "duplicate ids"
for p in ps:
    for k in ("id", "title", "level", "parent", "attrs", "line", "explicit_id"):
        assert k in p, k
    assert p["parent"] is None or p["parent"] in ids
    assert isinstance(p["attrs"], dict) and isinstance(p["explicit_id"], bool)
PY
done

cd "$T/assistant" || fail "cd"
codicil principles --json >"$T/p.json"
id=$(python3 -c 'import json,sys; ps=json.load(open(sys.argv[1])); print([p for p in ps if p["level"]==3][0]["id"])' "$T/p.json")
line=$(python3 -c 'import json,sys; ps=json.load(open(sys.argv[1])); print([p for p in ps if p["id"]=="'"$id"'"][0]["line"])' "$T/p.json")
run codicil show "$id"
expect_rc 0 "show $id"
[ "$(head -n 1 "$T/out")" = "$(sed -n "${line}p" CONSTITUTION.md)" ] || fail "show does not start at the heading line"

run codicil principles
expect_rc 0 "principles as text"
expect_out "$id"

run codicil show no-such-id
expect_rc 1 "show of an unknown id"
expect_err "no principle with id"
expect_one_line_err

# a mistyped id: the closest ids are named; cases -p is a usage error (2)
run codicil show "${id}x"
expect_rc 1 "show of a mistyped id"
expect_err "did you mean $id"
run codicil cases -p "${id}x"
expect_rc 2 "cases -p with an unknown principle"
expect_err "no principle with id '${id}x' (did you mean $id"

# on an invalid charter, show says what is wrong with it, as principles does
cp CONSTITUTION.md "$T/charter.bak"
printf '\n## Again {#%s}\n\nA second principle with the same id.\n' "$id" >>CONSTITUTION.md
run codicil show "$id"
expect_rc 1 "show on a charter with a duplicate id"
expect_err "duplicate id '$id'"
expect_one_line_err
cp "$T/charter.bak" CONSTITUTION.md

# attributes are exposed, unknown ones preserved
cat >"$T/attrs.md" <<'MD'
# Top {#top}

## Respect privacy {#privacy authority=root note="a b" .hot}

Keep secrets.

## Untitled heading here

Text.
MD
codicil init "$T/attrs" --from "$T/attrs.md" >/dev/null || fail "init attrs"
codicil -C "$T/attrs" principles --json >"$T/a.json" || fail "principles attrs"
python3 - "$T/a.json" <<'PY' || fail "attributes in JSON"
import json, sys
ps = {p["id"]: p for p in json.load(open(sys.argv[1]))}
p = ps["privacy"]
assert p["attrs"]["authority"] == "root" and p["attrs"]["note"] == "a b", p
assert p["explicit_id"] is True and p["parent"] == "top" and p["level"] == 2 and p["line"] == 3
u = ps["untitled-heading-here"]
assert u["explicit_id"] is False
PY
