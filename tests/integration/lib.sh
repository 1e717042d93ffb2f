# lib.sh — sourced by every integration test.  Gives a fresh temp dir
# ($T, removed at exit), a git identity, no inherited codicil settings, and
# small assertion helpers that print what went wrong.
set -u
: "${CODICIL_BIN:?run through 'make check'}"
T=$(mktemp -d "${TMPDIR:-/tmp}/codicil-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 LC_ALL=C.UTF-8 EDITOR=false VISUAL=
unset $(env | sed -n 's/^\(CODICIL_[A-Z_]*\)=.*/\1/p' | grep -v '^CODICIL_BIN$') \
	OPENAI_API_KEY ANTHROPIC_API_KEY 2>/dev/null
git config --global user.name "Test Reviewer"
git config --global user.email "reviewer@example.org"
git config --global init.defaultBranch main
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

codicil() { "$CODICIL_BIN" "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# run CMD...: runs it, keeping stdout in $T/out, stderr in $T/err, status in $rc
run() {
	"$@" >"$T/out" 2>"$T/err"; rc=$?
}
expect_rc() { [ "$rc" -eq "$1" ] || { cat "$T/out" "$T/err" >&2; fail "expected exit $1, got $rc: $2"; }; }
expect_out() { grep -q -- "$1" "$T/out" || { cat "$T/out" >&2; fail "stdout lacks '$1'"; }; }
expect_err() { grep -q -- "$1" "$T/err" || { cat "$T/err" >&2; fail "stderr lacks '$1'"; }; }
expect_one_line_err() {
	[ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err" >&2; fail "stderr is not one line"; }
}
# git_clean DIR: work tree clean and fsck --strict passes
git_clean() {
	[ -z "$(git -C "$1" status --porcelain)" ] || { git -C "$1" status --porcelain >&2; fail "work tree of $1 not clean"; }
	git -C "$1" fsck --strict --no-progress >/dev/null 2>"$T/fsck" || { cat "$T/fsck" >&2; fail "git fsck --strict failed in $1"; }
}
