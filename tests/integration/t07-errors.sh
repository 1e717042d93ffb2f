# What a new user runs into: each a one-line error, exit 1, nothing changed.
. ./lib.sh

run codicil -C "$T/missing" principles
expect_rc 1 "bad -C"
expect_one_line_err
expect_err "missing"

mkdir "$T/plain"
run codicil -C "$T/plain" principles
expect_rc 1 "not a repository"
expect_one_line_err
expect_err "codicil init"

run codicil no-such-command
expect_rc 2 "unknown command"

run codicil principles --bogus
expect_rc 2 "unknown option"

for cmd in init principles show edit fmt diff log version; do
	run codicil "$cmd" --help
	expect_rc 0 "$cmd --help"
	expect_out "usage: codicil $cmd"
done

# malformed charter
printf '# C {#c}\n\n## A {#a}\n\nx\n\n## B {#a}\n\ny\n\n## D {#bad id!}\n' >"$T/bad.md"
# an import refuses it (every problem listed), a charter edited into that
# shape is reported by every command in one line
run codicil init "$T/bad" --from "$T/bad.md"
expect_rc 1 "init of a malformed charter"
expect_err "bad.md:7: duplicate id 'a'"
codicil init "$T/bad" >/dev/null || fail "init"
cp "$T/bad.md" "$T/bad/CONSTITUTION.md"
run codicil -C "$T/bad" principles
expect_rc 1 "malformed charter"
expect_one_line_err
expect_err "CONSTITUTION.md:7:"

# dirty work tree and a held lock
codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
printf '## Extra heading\n\ntext\n' >>CONSTITUTION.md && git commit -qam "add implicit"
echo "x" >>CONSTITUTION.md
run codicil fmt --commit
expect_rc 1 "commit over a dirty charter"
expect_err "uncommitted"
expect_one_line_err
git checkout -q CONSTITUTION.md

mkdir -p .git/codicil
sleep 30 & holder=$!
printf '%s %s\n' "$holder" "$(hostname)" >.git/codicil/lock
head=$(git rev-parse HEAD)
run codicil fmt --commit
kill "$holder" 2>/dev/null
expect_rc 1 "held lock"
expect_err "lock"
expect_one_line_err
[ "$(git rev-parse HEAD)" = "$head" ] || fail "a commit happened under a held lock"

# a stale lock (dead process) is taken over
wait "$holder" 2>/dev/null
run codicil fmt --commit
expect_rc 0 "stale lock taken over"
[ ! -e .git/codicil/lock ] || fail "lock left behind"
git_clean "$T/r"

# a model to ask but no key for it: said before anything is sent or locked
codicil init "$T/nokey" >/dev/null || fail init
for cmd in "generate -p truthful" "judge" "tensions" "ask hello"; do
	(cd "$T/nokey" && unset OPENAI_API_KEY CODICIL_ENDPOINT && "$CODICIL_BIN" $cmd >"$T/out" 2>"$T/err"); rc=$?
	expect_rc 1 "$cmd without a key"
	expect_one_line_err
	expect_err "no API key for openai: export OPENAI_API_KEY"
done
[ "$(git -C "$T/nokey" rev-list --count HEAD)" -eq 1 ] || fail "something was committed without a key"
[ ! -e "$T/nokey/.git/codicil/lock" ] || fail "a lock was left behind"

# a bad option is one line that names it, with one hint; a message with a
# hint of its own gets no second one
cd "$T/r" || fail cd
for cmd in "cases --bogus" "judge --rev" "blame -Z" "generate --nonsense"; do
	set -- $cmd
	run codicil "$@"
	expect_rc 2 "$cmd"
	expect_one_line_err
	expect_err "bad option '$2': unknown here, or it needs a value (see 'codicil $1 --help')"
done
run codicil cases -p privcy
expect_rc 2 "a principle id one letter off"
expect_one_line_err
expect_err "no principle with id 'privcy' (did you mean privacy?  list them with 'codicil principles')$"
