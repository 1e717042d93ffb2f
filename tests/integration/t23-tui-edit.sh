# tui: e edits the selected principle in $VISUAL and commits it as
# `codicil edit` does; no change, a failing editor and a dirty charter
# commit nothing and say why on the message line.
. ./lib.sh
. ../tui/lib.sh

cat >"$T/c.md" <<'MD'
# Charter {#top}

## Honesty {#honesty authority=root}

Never lie to the user.

## Kindness {#kindness}

Be kind.
MD
codicil init "$T/repo" --from "$T/c.md" >/dev/null || fail "init"
cat >"$T/ed-change" <<'SH'
#!/bin/sh
sed -i 's/Never lie to the user./Do not deceive the user./' "$1"
SH
chmod +x "$T/ed-change"

VISUAL="$T/ed-change" tui_script "$T/repo" <<'SCRIPT'
j
e
:dump edit-committed
SCRIPT
expect_rc 0 "edit session"
expect_screen edit-committed
[ "$(git -C "$T/repo" rev-list --count HEAD)" -eq 2 ] || fail "the edit was not committed"
[ "$(git -C "$T/repo" log -1 --format=%s)" = "Edit honesty: Honesty" ] || fail "subject"
git_clean "$T/repo"

VISUAL=true tui_script "$T/repo" <<'SCRIPT'
j
e
:dump edit-nochange
SCRIPT
expect_rc 0 "edit session without a change"
expect_screen edit-nochange
[ "$(git -C "$T/repo" rev-list --count HEAD)" -eq 2 ] || fail "a no-op edit committed"

VISUAL=false tui_script "$T/repo" <<'SCRIPT'
j
j
e
:dump edit-failed
SCRIPT
expect_rc 0 "edit session with a failing editor"
# the message wraps onto more lines when it is long
msg=$(tail -n 3 "$T/screens/edit-failed.screen" | tr '\n' ' ')
case "$msg" in
*"the editor (false) failed; your text is kept in"*"/drafts/kindness.md"*) ;;
*) cat "$T/screens/edit-failed.screen" >&2; fail "no message about the failed editor" ;;
esac
[ "$(git -C "$T/repo" rev-list --count HEAD)" -eq 2 ] || fail "a failed edit committed"

echo "local change" >>"$T/repo/CONSTITUTION.md"
VISUAL="$T/ed-change" tui_script "$T/repo" <<'SCRIPT'
e
:dump edit-dirty
SCRIPT
expect_rc 0 "edit session on a dirty charter"
expect_screen edit-dirty
[ "$(git -C "$T/repo" rev-list --count HEAD)" -eq 2 ] || fail "a dirty edit committed"
