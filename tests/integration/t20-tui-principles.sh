# tui: the principles view on the assistant template — moving, the text
# pane, help, search, and layouts from 100x30 down to 20x5.
. ./lib.sh
. ../tui/lib.sh

codicil init "$T/repo" >/dev/null || fail "init"

tui_script "$T/repo" <<'SCRIPT'
:dump principles-open
j
j
:dump principles-down
?
:dump principles-help
q
/
"crisis"
:dump principles-search-prompt
Enter
:dump principles-search-found
n
:dump principles-search-next
/
"no such words"
Enter
:dump principles-search-missing
:resize 100x30
:dump principles-100x30
:resize 60x20
:dump principles-60x20
Home
Tab
j
j
j
:dump principles-text-scrolled
Tab
:resize 20x5
:dump principles-20x5
Tab
:dump principles-20x5-text
q
:dump principles-20x5-back
SCRIPT
expect_rc 0 "scripted session"
for s in open down help search-prompt search-found search-next search-missing; do
	expect_screen "principles-$s"
	expect_fits "principles-$s" 80 24
done
expect_screen principles-100x30
expect_fits principles-100x30 100 30
expect_screen principles-60x20
expect_fits principles-60x20 60 20
expect_screen principles-text-scrolled
expect_fits principles-text-scrolled 60 20
for s in 20x5 20x5-text 20x5-back; do
	expect_screen "principles-$s"
	expect_fits "principles-$s" 20 5
done

# a script that ends without q still quits cleanly; an unknown key is an error
tui_script "$T/repo" <<'SCRIPT'
j
SCRIPT
expect_rc 0 "script without q"
tui_script "$T/repo" <<'SCRIPT'
nosuchkey
SCRIPT
expect_rc 1 "unknown key in a script"
expect_err "script:1: unknown key 'nosuchkey'"
expect_one_line_err

# no terminal, no script: one clear line, exit 1; bare codicil prints usage
run codicil -C "$T/repo" tui </dev/null
expect_rc 1 "tui without a terminal"
expect_err "needs a terminal"
expect_one_line_err
run codicil </dev/null
expect_rc 2 "codicil alone without a terminal"
expect_err "usage: codicil"
