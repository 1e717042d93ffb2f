# A large charter in the shape of a public model specification (~4,700
# lines): {#id authority=...} headings on three levels, admonition blocks,
# ~~~ fences holding '#' lines and XML-like messages, nested lists, long
# lines, CRLF-free UTF-8.  It imports byte for byte and lists its ids and
# attributes.  (The real document could not be fetched on this machine; this
# generator reproduces its constructs.)
. ./lib.sh

awk 'BEGIN {
	auth[0] = "root"; auth[1] = "system"; auth[2] = "developer"; auth[3] = "user"; auth[4] = "guideline"
	for (s = 1; s <= 12; s++) {
		printf "# Part %d — “Overview” of duties {#part_%d}\n\n", s, s
		printf "This part sets out goals, trade-offs and the chain of command — in plain words, with a long line that goes on and on to test that nothing is wrapped or trimmed by the importer at all.\n\n"
		for (t = 1; t <= 7; t++) {
			printf "## Section %d.%d {#sec_%d_%d authority=%s}\n\n", s, t, s, t, auth[(s + t) % 5]
			printf "!!! meta \"Commentary\"\n    Commentary that is not directly instructing the model, indented by four spaces.\n\n"
			for (u = 1; u <= 2; u++) {
				printf "### Rule %d.%d.%d {#rule_%d_%d_%d authority=%s}\n\n", s, t, u, s, t, u, auth[(s + t + u) % 5]
				printf "The assistant should follow [the chain of command](#sec_%d_%d) unless *it conflicts* with a higher level.\n\n", s, t
				printf "- **Root**: fundamental rules.\n\n    Indented continuation of the list item.\n\n- **User**: requests from end users.\n    - `system`: nested item\n    - `tool`: another one\n\n"
				printf "**Example**: a conversation.\n\n~~~xml\n<user>\n# not a heading: a hash line inside a fence\n## nor this\n</user>\n<assistant recipient=\"python\">\nimport this\n</assistant>\n~~~\n\n"
				printf "Trailing spaces here   \n\tand a tab-led line.\n"
			}
		}
	}
}' >"$T/spec.md"
lines=$(wc -l <"$T/spec.md")
[ "$lines" -ge 4500 ] && [ "$lines" -le 5000 ] || fail "generator gave $lines lines"

run codicil init "$T/r" --from "$T/spec.md"
expect_rc 0 "import of the large charter"
git -C "$T/r" show HEAD:CONSTITUTION.md | cmp -s - "$T/spec.md" || fail "not byte-identical"
git_clean "$T/r"
run codicil -C "$T/r" principles --json
expect_rc 0 "principles of the large charter"
python3 - "$T/out" <<'PY' || fail "ids and attributes of the large charter"
import json, sys
ps = json.load(open(sys.argv[1]))
assert len(ps) == 12 + 12 * 7 + 12 * 7 * 2, len(ps)
assert all(p["explicit_id"] for p in ps)
by = {p["id"]: p for p in ps}
r = by["rule_3_2_1"]
assert r["level"] == 3 and r["parent"] == "sec_3_2" and r["attrs"] == {"authority": "system"}, r
assert by["sec_3_2"]["parent"] == "part_3" and by["part_3"]["parent"] is None
assert by["part_1"]["title"] == "Part 1 — “Overview” of duties"
PY
run codicil -C "$T/r" fmt --check
expect_rc 0 "fmt --check on the large charter"
