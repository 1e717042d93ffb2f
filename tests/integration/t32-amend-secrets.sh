# The API key never reaches the repository, the transcripts committed by
# accept, or the output: the whole amendment workflow runs with a random
# key against a fake model that requires it, then everything is searched.
. ./lib.sh

KEY="sk-test-SECRET-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil --require-key "$KEY"
export OPENAI_API_KEY="$KEY"
: >"$T/all.out"
step() { run "$@"; cat "$T/out" "$T/err" >>"$T/all.out"; }

step codicil generate -p truthful -n 2
expect_rc 0 "generate with the key"
c1=$(sed -n 1p "$T/out")
c2=$(sed -n 2p "$T/out")
step codicil amend "$c1" --json
expect_rc 0 "amend with the key"
p1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$T/out")
step codicil review "$p1"
expect_rc 0 "review"
step codicil regress --proposal "$p1" --no-cache
expect_rc 0 "regress --proposal"
step codicil accept "$p1"
expect_rc 0 "accept"
step codicil verify
expect_rc 0 "verify"
step codicil amend "$c2"
expect_rc 0 "second amend"
step codicil reject "$(cat "$T/out")" --reason "not now"
expect_rc 0 "reject"
git_clean "$T/r"
[ "$(git ls-files transcripts | wc -l)" -gt 0 ] || fail "no transcripts were committed"

# a wrong key: a clear error, and it is not echoed either
OPENAI_API_KEY="sk-test-WRONG-$KEY" step codicil amend "$c2" --no-cache
expect_rc 1 "amend with a wrong key"
expect_one_line_err

if grep -rl -- "$KEY" "$T/r" "$HOME" "$T/all.out"; then
	fail "the key was written somewhere"
fi
