# fmt writes explicit ids into headings that lack them, and nothing else.
. ./lib.sh

printf '# Charter\n\n## Be kind\n\nText  \n\n## Be brief {authority=user}\n\nMore.\n' >"$T/c.md"
codicil init "$T/r" --from "$T/c.md" >/dev/null || fail init
cd "$T/r" || fail cd

run codicil fmt --check
expect_rc 1 "fmt --check with implicit ids"
expect_out "3 headings"
git_clean "$T/r"

run codicil fmt
expect_rc 0 fmt
cat >"$T/want.md" <<'MD'
# Charter {#charter}

## Be kind {#be-kind}

Text  

## Be brief {#be-brief authority=user}

More.
MD
cmp -s CONSTITUTION.md "$T/want.md" || { diff "$T/want.md" CONSTITUTION.md; fail "fmt output"; }
[ "$(git diff --numstat | awk '{print $1, $2}')" = "3 3" ] || fail "fmt changed more than the 3 headings"

run codicil fmt --check
expect_rc 0 "fmt --check after fmt"
git checkout -q CONSTITUTION.md
run codicil fmt --commit
expect_rc 0 "fmt --commit"
git_clean "$T/r"
[ "$(git rev-list --count HEAD)" -eq 2 ] || fail "fmt --commit did not commit"
codicil principles --json | python3 -c 'import json,sys; assert all(p["explicit_id"] for p in json.load(sys.stdin))' || fail "ids not explicit"

# headings whose GitHub slug is not a valid id (non-ASCII titles): fmt
# writes ASCII ids, accents folded, unique, and the charter validates after
printf '# Charte\n\n## Café au lait\n\nTexte.\n\n## Ça va ?\n\nOui.\n\n## 日本語\n\nx\n\n## Cafe au lait\n\ny\n' >"$T/fr.md"
codicil init "$T/fr" --from "$T/fr.md" >/dev/null || fail "init fr"
cd "$T/fr" || fail cd
run codicil principles
expect_rc 1 "non-ASCII slugs before fmt"
expect_err "run 'codicil fmt'"
run codicil fmt --commit
expect_rc 0 "fmt of non-ASCII headings"
grep -q '^## Café au lait {#cafe-au-lait-2}$' CONSTITUTION.md || fail "accents not folded: $(sed -n 3p CONSTITUTION.md)"
grep -q '^## Ça va ? {#ca-va}$' CONSTITUTION.md || fail "Ça va"
grep -q '^## 日本語 {#principle-11}$' CONSTITUTION.md || fail "a title with no Latin letters"
grep -q '^## Cafe au lait {#cafe-au-lait}$' CONSTITUTION.md || fail "an ASCII id that was already valid changed"
run codicil principles --json
expect_rc 0 "principles after fmt"
git_clean "$T/fr"
