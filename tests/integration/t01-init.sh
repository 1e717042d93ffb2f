# init from a template and from a file; the results are ordinary git repos.
. ./lib.sh

run codicil init "$T/a"
expect_rc 0 "init from the default template"
expect_out "Initialized constitution"
git_clean "$T/a"
[ "$(git -C "$T/a" rev-list --count HEAD)" -eq 1 ] || fail "expected one initial commit"
for f in CONSTITUTION.md META.md; do
	cmp -s "$ROOT/constitutions/assistant/$f" "$T/a/$f" || fail "$f differs from the template"
	git -C "$T/a" show "HEAD:$f" | cmp -s - "$ROOT/constitutions/assistant/$f" || fail "$f not committed byte-identically"
done

# from a file: committed byte for byte, CRLF and no final newline included
printf '# Charter {#top}\r\n\r\n## Be kind {#kind authority=root}\r\nAlways.  \r\n\r\n## Be brief\r\nNo final newline' >"$T/mine.md"
run codicil init "$T/b" --from "$T/mine.md"
expect_rc 0 "init --from"
git -C "$T/b" show HEAD:CONSTITUTION.md | cmp -s - "$T/mine.md" || fail "imported file changed"
git_clean "$T/b"

# refusing to overwrite
run codicil init "$T/a"
expect_rc 1 "init over an existing repository"
expect_one_line_err

run codicil init "$T/c" --template no-such-template
expect_rc 1 "unknown template"
expect_err "assistant"
[ ! -e "$T/c/.git" ] || fail "a failed init left a repository behind"

run codicil init "$T/d" --template list
expect_rc 0 "template list"
expect_out "assistant"

run codicil init --from "$T/nope.md" "$T/e"
expect_rc 1 "missing --from file"
expect_one_line_err

run codicil init --template x --from y
expect_rc 2 "exclusive options"

# --from refuses what is not a charter: every problem with its line,
# nothing created
cd "$T" || fail cd
printf '# A {#a}\n\nText.\n\n## B {#a}\n\nMore.\n\n## C {#c\n\nx\n' >"$T/bad.md"
run codicil init "$T/imp-bad" --from "$T/bad.md"
expect_rc 1 "duplicate ids and an unclosed {#"
expect_err "bad.md:5: duplicate id 'a' (first used on line 1)"
expect_err "bad.md:9: malformed attribute block"
expect_err "(2 problems); nothing was created"
[ ! -e "$T/imp-bad" ] || fail "a refused import created $T/imp-bad"
printf '# Caf\351 {#cafe}\n\nText\n' >"$T/latin.md"
run codicil init "$T/imp-latin" --from "$T/latin.md"
expect_rc 1 "not UTF-8"
expect_err "latin.md:1: not UTF-8 at byte offset 5; convert the file (iconv -f latin1 -t utf-8)"
printf '# A\n\000\n' >"$T/nul.md"
run codicil init "$T/imp-nul" --from "$T/nul.md"
expect_rc 1 "a NUL byte"
expect_err "nul.md:2: a NUL byte at byte offset 4"
printf 'Only prose, no headings.\n' >"$T/prose.md"
run codicil init "$T/imp-prose" --from "$T/prose.md"
expect_rc 1 "no principles"
expect_err "no principles (no markdown headings)"
[ ! -e "$T/imp-latin" ] && [ ! -e "$T/imp-nul" ] && [ ! -e "$T/imp-prose" ] || fail "a refused import created its directory"
run codicil init "$T/imp-prose" --from "$T/prose.md" --allow-empty
expect_rc 0 "--allow-empty"

# an existing repository whose charter has another name: both init and the
# first command say how to point codicil at it
mkdir "$T/other" && cd "$T/other" && git init -q &&
	printf '# Spec {#spec}\n\nText.\n' >SPEC.md && git add SPEC.md && git commit -qm spec || fail "other repo"
run codicil init .
expect_rc 1 "init in an existing repository"
expect_err "git config codicil.charter FILE"
run codicil principles
expect_rc 1 "principles without CONSTITUTION.md"
expect_err "there is no CONSTITUTION.md here; if the charter has another name, tell codicil with 'git config codicil.charter FILE'"
git config codicil.charter SPEC.md
run codicil principles
expect_rc 0 "principles with codicil.charter"
expect_out "^spec "
