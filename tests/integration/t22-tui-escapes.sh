# tui: text from files is inert on the terminal — escape sequences in a
# charter or a commit message are removed before drawing, nothing but
# curses' own sequences reaches the terminal — and wide characters are
# drawn by display width, never cut in half.
. ./lib.sh
. ../tui/lib.sh

E=$(printf '\033') BEL=$(printf '\007')
R="$T/repo"
{
	printf '# Charter {#top}\n\n'
	printf '## Evil %s]0;pwned%s heading %s[31mred%s[0m {#evil}\n\n' "$E" "$BEL" "$E" "$E"
	printf 'Title %s]0;pwned%s set, %s]2;pwned2%s\\ again, colour %s[41;1mloud%s[0m,\n' \
		"$E" "$BEL" "$E" "$E" "$E" "$E"
	printf 'link %s]8;;http://evil.example/%s\\here%s]8;;%s\\, bell%s, C1 \302\233 31m, DCS %sPq#0;2;0;0;0%s\\ end.\n\n' \
		"$E" "$E" "$E" "$E" "$BEL" "$E" "$E"
	printf '## Wide 漢字 and emoji 🙂 {#wide}\n\n'
	printf '日本語のテキストはダブル幅です。これは長い行で、折り返しが必要になります。漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字。Combining: e\314\201 cafe\314\201.\n'
} >"$T/c.md"
# plain git with fixed dates: stable commit ids on the screens
export GIT_AUTHOR_DATE="2026-04-01T10:00:00+0200" GIT_COMMITTER_DATE="2026-04-01T10:00:00+0200"
git init -q "$R" && cp "$T/c.md" "$R/CONSTITUTION.md" && git -C "$R" add . &&
	git -C "$R" commit -q -m "Import the charter" || fail "git init"
printf 'note\n' >"$R/note.txt"
git -C "$R" add note.txt
git -C "$R" commit -q -m "$(printf 'Subject %s]0;pwned%s here\n\nBody %s[2J cleared?' "$E" "$BEL" "$E")" || fail commit

CODICIL_TUI_OUTPUT="$T/tty" tui_script "$R" <<'SCRIPT'
j
:dump escapes-principle
j
:dump escapes-wide
:resize 33x16
:dump escapes-wide-narrow
Tab
:dump escapes-wide-text
:resize 80x24
4
:dump escapes-history
Enter
:dump escapes-commit
SCRIPT
expect_rc 0 "scripted session"
for s in principle wide history commit; do
	expect_screen "escapes-$s"
	expect_fits "escapes-$s" 80 24
done
for s in wide-narrow wide-text; do
	expect_screen "escapes-$s"
	expect_fits "escapes-$s" 33 16
done
grep -q "pwned" "$T/screens/escapes-principle.screen" &&
	fail "the string of an OSC sequence was drawn"
grep -q "Title  set" "$T/screens/escapes-principle.screen" || fail "text around the OSC lost"
# the screens hold no control characters at all (C0 but newline, DEL, C1)
if LC_ALL=C grep -l "$(printf '[\001-\011\013-\037\177]')" "$T"/screens/escapes-*.screen ||
   grep -l "$(printf '\302[\200-\237]')" "$T"/screens/escapes-*.screen; then
	fail "a control character reached the screen"
fi
# and the terminal got none of the file's sequences: no OSC, no title, no clear
[ -s "$T/tty" ] || fail "no terminal output captured"
if grep -q "pwned\|evil.example" "$T/tty" || LC_ALL=C grep -q "$(printf '\033]')" "$T/tty"; then
	fail "an escape sequence from the charter reached the terminal"
fi
