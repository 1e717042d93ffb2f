# A team: two raters in two clones rate the same case and add cases, and
# `git pull` merges without a conflict (the merge driver codicil registers);
# aggregate sees both ratings; the case index follows the pull, re-reading
# only what changed, and deleting it changes no output.  An older
# repository (flat cases/, no .gitattributes) moves to the current layout
# with `codicil migrate`, in one commit.
. ./lib.sh

start_fake --codicil
codicil init "$T/seed" >/dev/null || fail init
grep -q '^cases/\*\* merge=codicil$' "$T/seed/.gitattributes" || fail "init wrote no .gitattributes"
[ "$(git -C "$T/seed" rev-list --count HEAD)" = 1 ] || fail "init made more than one commit"
(cd "$T/seed" && codicil generate -p truthful -n 3 >/dev/null 2>&1) || fail generate
git clone -q --bare "$T/seed" "$T/remote.git" || fail "bare clone"
for who in alice bob; do
	git clone -q "$T/remote.git" "$T/$who" || fail "clone $who"
	git -C "$T/$who" config user.name "$who"
	git -C "$T/$who" config user.email "$who@example.org"
done
c=$(case_ids "$T/alice/cases" | head -1)

# alice rates a case, adds one, pushes
cd "$T/alice" || fail cd
run codicil rate "$c" --verdict valid --note "a real failure"
expect_rc 0 "alice rates"
grep -q "merge-file %O %A %B %P" .git/config || fail "the merge driver is not registered in the clone"
codicil generate -p privacy -n 1 >/dev/null 2>&1 || fail "alice generates"
git push -q origin HEAD || fail "alice pushes"

# bob rates the same case the other way, adds one, pulls
cd "$T/bob" || fail cd
run codicil rate "$c" --verdict invalid --note "the text is fine here"
expect_rc 0 "bob rates"
codicil generate -p harm -n 1 >/dev/null 2>&1 || fail "bob generates"
codicil index >/dev/null || fail "index before the pull"
git pull -q --no-rebase --no-edit origin main >"$T/pull" 2>&1 || { cat "$T/pull" >&2; fail "git pull did not merge cleanly"; }
git_clean "$T/bob"
python3 - "$(case_path "$c")" <<'PY' || fail "both ratings in the merged case"
import json, sys
c = json.load(open(sys.argv[1]))
r = {x["rater"]: x["verdict"] for x in c["ratings"]}
assert r == {"alice <alice@example.org>": "valid", "bob <bob@example.org>": "invalid"}, r
PY
run codicil index
expect_out "^5 case files; .* 2 parsed, 0 removed"
run codicil aggregate
expect_out "alice <alice@example.org> .* 1 rating"
expect_out "bob <bob@example.org> .* 1 rating"
expect_out "^  $c .*  2  open"
run codicil cases
[ "$(wc -l <"$T/out")" = 5 ] || fail "expected 5 cases after the pull"

# the index is derived: deleting it changes no output
for q in "cases" "cases --json" "cases -p truthful --status open" "cases --grep scenario" \
	"case $c" "aggregate"; do
	codicil $q >"$T/with" 2>&1
	rm -f .git/codicil/index.sqlite*
	codicil $q >"$T/without" 2>&1
	cmp -s "$T/with" "$T/without" || { diff "$T/with" "$T/without" >&2; fail "'codicil $q' changed without the index"; }
done
run codicil index --check
expect_rc 0 "index --check"
expect_out "agrees with every case file"

# both decide the same case differently: a conflict git reports, ours kept
cd "$T/alice" && git pull -q --no-rebase --no-edit origin main >/dev/null 2>&1 || fail "alice catches up"
codicil case "$c" --set-status confirmed >/dev/null || fail confirm
git push -q origin HEAD || fail "alice pushes again"
cd "$T/bob" || fail cd
codicil case "$c" --set-status dismissed >/dev/null || fail dismiss
git pull -q --no-rebase --no-edit origin main >"$T/pull" 2>&1 && fail "two different statuses merged silently"
grep -q "both sides changed status" "$T/pull" || { cat "$T/pull" >&2; fail "the conflict does not name the field"; }
grep -q '"status": "dismissed"' "$(case_path "$c")" || fail "ours is not kept"
git merge --abort

# an older repository: flat cases/, no .gitattributes
cd "$T/seed" || fail cd
for f in cases/*/*.json; do git mv "$f" cases/; done
git rm -q .gitattributes
git commit -qm "the layout of codicil 0.1" || fail "old layout"
codicil cases >"$T/before" || fail "cases in the old layout"
[ "$(wc -l <"$T/before")" = 3 ] || fail "the old layout is not read"
h=$(git rev-parse HEAD)
run codicil migrate
expect_rc 0 migrate
expect_out "^moved 3 case files and 0 transcripts; .gitattributes lets ratings merge"
[ "$(git rev-parse HEAD^)" = "$h" ] || fail "migrate made more than one commit"
[ -z "$(git ls-tree --name-only HEAD cases/ | grep '\.json$')" ] || fail "a case is left in the flat layout"
git_clean "$T/seed"
codicil cases >"$T/after"
cmp -s "$T/before" "$T/after" || fail "the cases changed in the move"
run codicil migrate
expect_out "nothing to do"
[ "$(git rev-parse HEAD^)" = "$h" ] || fail "a second migrate committed"

# cases fanned out by the last two digits of the id (earlier versions) are
# read and written where they are; new cases go to today's directories
c=$(case_ids | head -1)
old="cases/$(printf %s "$c" | tail -c 2)/$c.json"
if [ "$old" != "$(case_path "$c")" ]; then
	mkdir -p "$(dirname "$old")" && git mv "$(case_path "$c")" "$old" && git commit -qm "an older fan-out" ||
		fail "older fan-out"
	codicil cases >"$T/after" || fail "cases in the older fan-out"
	cmp -s "$T/before" "$T/after" || fail "a case in the older fan-out is not read"
	run codicil rate "$c" --verdict valid
	expect_rc 0 "rate a case in the older fan-out"
	grep -q '"verdict": "valid"' "$old" || fail "the rating is not where the case is"
	[ ! -e "$(case_path "$c")" ] || fail "the case was written twice"
fi
codicil generate -p privacy -n 1 >/dev/null 2>&1 || fail "generate after migrate"
n=$(case_ids | while read -r id; do [ -f "$(case_path "$id")" ] && echo "$id"; done | wc -l)
[ "$n" -ge 3 ] || fail "new cases are not in today's directories"
git_clean "$T/seed"
