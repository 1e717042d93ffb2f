# blame: each principle is attributed to the commit that last changed its own
# heading or text: an accepted amendment (with proposal, cases, reviewer), a
# `codicil edit`, a plain git commit, or the initial import; a principle no
# longer in the charter, to the commit that removed it.
. ./lib.sh
MKAMEND="${TOOLS:?run through make check}/mkamend"

cat >"$T/c.md" <<'MD'
# Charter {#top}

## Honesty {#honesty authority=root}

Never lie to the user.

### Truthful {#truthful}

Say what is true.

## Privacy {#privacy}

Keep secrets.

## Kindness {#kindness}

Be kind.

## Clarity {#clarity}

Ask when it matters.
MD
codicil init "$T/r" --from "$T/c.md" >/dev/null || fail init
cd "$T/r" || fail cd
initial=$(git rev-parse HEAD)

# 1. an amendment to privacy
set -- $("$MKAMEND" . --title "allow disclosure to prevent harm" \
	--case c-01jd2x00000000aaaa --case c-01jd2x00000000bbbb \
	--transcript '{"request":1,"response":2}' \
	--replace privacy "Keep secrets unless disclosure prevents imminent harm.") || fail mkamend
p1=$1 a1=$2
git_clean .

# 2. codicil edit of kindness
printf '#!/bin/sh\nsed -i "s/Be kind./Be kind, also to yourself./" "$1"\n' >"$T/ed"
chmod +x "$T/ed"
VISUAL="$T/ed" run codicil edit kindness
expect_rc 0 "codicil edit"
edit=$(git rev-parse HEAD)

# 3. a plain git commit to truthful (a sub-principle of honesty) and to the
#    heading of clarity, by someone else
sed -i 's/Say what is true./Say only what is true./; s/^## Clarity {#clarity}/## Ask first {#clarity}/' CONSTITUTION.md
git -c user.name="Grace Hopper" -c user.email=grace@example.org commit -qam "reword truthful, retitle clarity"
plain=$(git rev-parse HEAD)

# 4. an amendment that inserts a principle after privacy: privacy's own text
#    does not change, so it keeps its earlier blame
set -- $("$MKAMEND" . --title "add a harm rule" --case c-01jd2x00000000cccc \
	--insert-after privacy harm "Imminent harm" "Act to prevent it.") || fail mkamend 2
p2=$1 a2=$2

# a commit that does not touch the charter changes nothing
echo notes >notes.txt && git add notes.txt && git commit -qm "notes"

run codicil blame --json
expect_rc 0 "blame --json"
python3 - "$T/out" "$initial" "$p1" "$a1" "$edit" "$plain" "$p2" "$a2" <<'PY' || fail "blame --json content"
import json, sys
out, initial, p1, a1, edit, plain, p2, a2 = sys.argv[1:]
rows = json.load(open(out))
by = {r["id"]: r for r in rows}
assert [r["id"] for r in rows] == ["top", "honesty", "truthful", "privacy", "harm", "kindness", "clarity"], [r["id"] for r in rows]
for r in rows:
    assert set(r) >= {"id", "commit", "date", "author", "subject", "proposal", "cases", "reviewed_by"}, r
def amend(pid, commit, cases, r):
    assert r["commit"] == commit and r["proposal"] == pid, r
    assert r["cases"] == cases, r
    assert r["reviewed_by"] == "Test Reviewer <reviewer@example.org>", r
    assert r["subject"].startswith("Amend "), r
def plainrow(commit, author, r):
    assert r["commit"] == commit and r["author"] == author, r
    assert r["proposal"] is None and r["reviewed_by"] is None and r["cases"] == [], r
amend(p1, a1, ["c-01jd2x00000000aaaa", "c-01jd2x00000000bbbb"], by["privacy"])
amend(p2, a2, ["c-01jd2x00000000cccc"], by["harm"])
plainrow(edit, "Test Reviewer", by["kindness"])
assert by["kindness"]["subject"] == "Edit kindness: Kindness"
plainrow(plain, "Grace Hopper", by["truthful"])
plainrow(plain, "Grace Hopper", by["clarity"])
# honesty's own text (heading and body) never changed: only its sub-principle did
plainrow(initial, "Test Reviewer", by["honesty"])
plainrow(initial, "Test Reviewer", by["top"])
PY

run codicil blame privacy
expect_rc 0 "blame ID"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "blame ID printed more than one line"
expect_out "^privacy  *$(echo "$a1" | cut -c1-10) .*Amend privacy: allow disclosure to prevent harm.*$p1, 2 cases, reviewed by Test Reviewer"
run codicil blame
expect_rc 0 "blame"
[ "$(wc -l <"$T/out")" -eq 7 ] || fail "blame should print one line per principle"
expect_out "^truthful  *$(echo "$plain" | cut -c1-10) .*(Grace Hopper)"

# a principle deleted and re-added by plain git counts from its re-adding
sed -i '/^## Kindness/,/^Be kind/d' CONSTITUTION.md && git commit -qam "drop kindness"
printf '\n## Kindness {#kindness}\n\nBe kind, also to yourself.\n' >>CONSTITUTION.md
git commit -qam "bring kindness back at the end"
readd=$(git rev-parse HEAD)
run codicil blame kindness --json
expect_rc 0 "blame kindness"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert len(r)==1 and r[0]["commit"]==sys.argv[2], r' "$T/out" "$readd" || fail "re-added principle"
# clarity, now followed by a blank line and kindness, still reads the same
run codicil blame clarity --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r[0]["commit"]==sys.argv[2], r' "$T/out" "$plain" || fail "trailing blank lines changed the blame of clarity"

run codicil blame nosuch
expect_rc 1 "unknown id"
expect_one_line_err
expect_err "no principle 'nosuch'"
run codicil blame a b
expect_rc 2 "two ids"
git_clean .

# a principle an amendment removed: blame says which commit and proposal
# took it out, and who reviewed it
set -- $("$MKAMEND" . --title "fold the harm rule into privacy" \
	--case c-01jd2x00000000dddd --delete harm) || fail "mkamend --delete"
p3=$1 a3=$2
run codicil blame harm
expect_rc 0 "blame of a removed principle"
expect_out "^harm  *$(echo "$a3" | cut -c1-10) .*removed by Amend .*$p3, 1 case, reviewed by Test Reviewer"
run codicil blame harm --json
expect_rc 0 "blame --json of a removed principle"
python3 - "$T/out" "$a3" "$p3" <<'PY' || fail "removed principle, json"
import json, sys
(r,) = json.load(open(sys.argv[1]))
assert r["removed"] is True and r["commit"] == sys.argv[2] and r["proposal"] == sys.argv[3], r
assert r["cases"] == ["c-01jd2x00000000dddd"], r
PY
run codicil blame nosuch
expect_rc 1 "an id that never was"
expect_err "no principle 'nosuch'"
