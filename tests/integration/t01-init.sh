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
