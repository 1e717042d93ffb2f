# tui: keys come from the action table and git config codicil.key.<action>
# overrides it; the help screen shows the keys in effect; a bad key name in
# the config is reported, not fatal; unbound keys and actions that are not
# there yet say so; the status line shows running LLM jobs.
. ./lib.sh
. ../tui/lib.sh

codicil init "$T/repo" >/dev/null || fail "init"
git -C "$T/repo" config codicil.key.down "C-n Space"
git -C "$T/repo" config codicil.key.search-next "j"
git -C "$T/repo" config codicil.key.quit "Q C-x nonsense-key"

tui_script "$T/repo" <<'SCRIPT'
:dump keys-warning
C-n
Space
:dump keys-override
?
/
"down"
Enter
:dump keys-help
q
z
:dump keys-unbound
2
y
:dump keys-unavailable
e
:dump keys-elsewhere
:jobs 2 1234
Esc
:dump keys-jobs
:jobs 0 0
C-x
k
:dump keys-never
SCRIPT
expect_rc 0 "scripted session"

# the bottom line shows the current view's keys; F2 hides and shows it,
# and codicil.keyHints=false starts with it hidden
tui_script "$T/repo" <<'SCRIPT'
k
:dump hints-on
F2
:dump hints-off
2
F2
:dump hints-cases
SCRIPT
expect_rc 0 "key hints"
tail -n 1 "$T/screens/hints-on.screen" | grep -q "^Tab pane  e edit  C generate .*? help  q quit$" ||
	fail "principles hints: $(tail -n 1 "$T/screens/hints-on.screen")"
[ -z "$(tail -n 1 "$T/screens/hints-off.screen" | tr -d ' ')" ] || fail "F2 did not hide the hints"
tail -n 1 "$T/screens/hints-cases.screen" | grep -q "C generate  a amend  r rate" || fail "cases hints: $(tail -n 1 "$T/screens/hints-cases.screen")"
git -C "$T/repo" config codicil.keyHints false
tui_script "$T/repo" <<'SCRIPT'
k
:dump hints-config-off
SCRIPT
expect_rc 0 "key hints off"
[ -z "$(tail -n 1 "$T/screens/hints-config-off.screen" | tr -d ' ')" ] ||
	fail "codicil.keyHints=false still shows the hints"
git -C "$T/repo" config --unset codicil.keyHints

# a search draws what it found in reverse video, in a text pane too
CODICIL_TUI_OUTPUT="$T/tty-search" tui_script "$T/repo" <<'SCRIPT'
?
/
"Cancel"
Enter
:dump search-found
SCRIPT
expect_rc 0 "search highlight"
python3 - "$T/tty-search" <<'PY' || fail "the match is not highlighted"
import re, sys
b = open(sys.argv[1], "rb").read()
assert re.search(rb"\x1b\[(?:0;)?7m[Cc]ancel", b), b[-1500:]
PY
for s in warning override help unbound unavailable elsewhere jobs; do
	expect_screen "keys-$s"
done
[ ! -e "$T/screens/keys-never.screen" ] || fail "C-x did not quit"
grep -q "^  j  *search-next" "$T/screens/keys-help.screen" || fail "help lacks the overridden key"
grep -q "^  Q C-x  *quit" "$T/screens/keys-help.screen" || fail "help lacks the valid override keys"

# q goes back to the view the user came from, as in tig, and quits from
# the first
tui_script "$T/repo" <<'SCRIPT'
2
3
:dump back-3
q
:dump back-2
q
:dump back-1
q
:dump back-never
SCRIPT
expect_rc 0 "q goes back"
grep -q "Proposals" "$T/screens/back-3.screen" || fail "3 did not open Proposals"
grep -q "codicil: repo - Cases" "$T/screens/back-2.screen" || { cat "$T/screens/back-2.screen" "$T/screens/back-3.screen" >&2; fail "q from Proposals did not go back to Cases"; }
grep -q "codicil: repo - Principles" "$T/screens/back-1.screen" || fail "q from Cases did not go back to Principles"
[ ! -e "$T/screens/back-never.screen" ] || fail "q in the first view did not quit"
grep -q "q back$" "$T/screens/back-3.screen" || fail "the hint line does not say q goes back"
grep -q "q quit$" "$T/screens/back-1.screen" || fail "the hint line does not say q quits"

# g goes to the first line (and G to the last), as in less and vim; it
# never asks a model (generation is C)
tui_script "$T/repo" <<'SCRIPT'
C-n
C-n
:dump g-before
g
g
:dump g-first
SCRIPT
expect_rc 0 "g g"
grep -q " 3/[0-9]*$" "$T/screens/g-before.screen" || { cat "$T/screens/g-before.screen" >&2; fail "C-n C-n did not move"; }
grep -q " 1/[0-9]*$" "$T/screens/g-first.screen" || { cat "$T/screens/g-first.screen" >&2; fail "g did not go to the first line"; }
grep -q "job" "$T/screens/g-first.screen" && fail "g started a job"
[ -z "$(ls "$T/repo/cases" 2>/dev/null)" ] || fail "g generated cases"
echo ok
