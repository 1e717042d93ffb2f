# blame derives a version of the charter from its neighbour instead of
# parsing it when only plain body text differs.  On a history of edits made
# to trip that shortcut (setext underlines, fences, HTML blocks, link
# reference definitions, lists, lazy continuation, CRLF, no final newline)
# it must give exactly what full parsing gives.
. ./lib.sh

git init -q "$T/r"
cd "$T/r" || fail cd
python3 - "$T/versions" <<'PY' || fail "generating the versions"
import os, sys
out = sys.argv[1]
os.makedirs(out)
base = """# Top {#top}

Intro text.

## Setext target {#setext}

Plain line before.
para that may become a heading

## Fence {#fence}

```
code line
# not a heading
```

## Html {#html}

<div>
inside html
</div>

## Refs {#refs}

[x]: /url 'title
more'

## Lists {#lists}

- item one
  continued

Plain after list.

## Quote {#quote}

> quoted
lazy line

## Last {#last}

Final line without newline"""
steps = [
    ("reword intro", "Intro text.", "Intro words."),
    ("underline the paragraph", "para that may become a heading\n", "para that may become a heading\n===\n"),
    ("reword the setext heading text", "para that may become a heading", "para that is a heading"),
    ("reword inside the fence", "code line", "code words"),
    ("open a second fence", "Intro words.", "```\nIntro words."),
    ("close it again", "```\nIntro words.", "Intro words."),
    ("reword inside html", "inside html", "inside the html"),
    ("end the html block early", "inside the html", "inside the html\n\nnow outside"),
    ("finish the ref title", "more'", "more' \nrest"),
    ("underline after refs", "more' \nrest", "more'\n==="),
    ("remove the underline", "more'\n===", "more'\ntext"),
    ("reword list continuation", "  continued", "  continued on"),
    ("plain after list", "Plain after list.", "Plainer after list."),
    ("lazy continuation", "lazy line", "lazier line"),
    ("last line", "Final line without newline", "Final words without newline"),
    ("a heading-like line", "Plainer after list.", "Plainer after list.\n## Sneaky {#sneaky}"),
    ("reword sneaky body", "## Sneaky {#sneaky}", "## Sneaky {#sneaky}\n\nSneaky body."),
    ("reword sneaky body again", "Sneaky body.", "Sneakier body."),
]
text = base
open(os.path.join(out, "000"), "w").write(text)
for i, (msg, a, b) in enumerate(steps, 1):
    assert a in text, (msg, a)
    text = text.replace(a, b, 1)
    open(os.path.join(out, "%03d" % i), "w").write(msg + "\n" + text)
# the same history with CRLF line endings
crlf = base.replace("\n", "\r\n")
open(os.path.join(out, "100"), "w").write("crlf\n" + crlf)
for i, (msg, a, b) in enumerate(steps[:8], 101):
    crlf = crlf.replace(a.replace("\n", "\r\n"), b.replace("\n", "\r\n"), 1)
    open(os.path.join(out, "%03d" % i), "w").write(msg + " (crlf)\n" + crlf)
PY
compare() {
	CODICIL_BLAME_FULL_PARSE=1 "$CODICIL_BIN" blame --json >"$T/full" || fail "blame (full parse)"
	"$CODICIL_BIN" blame --json >"$T/derived" || fail "blame"
	cmp -s "$T/full" "$T/derived" || { diff "$T/full" "$T/derived" >&2; fail "derived versions disagree with parsing after: $1"; }
}
for v in "$T"/versions/*; do
	name=$(basename "$v")
	if [ "$name" = 000 ]; then
		cp "$v" CONSTITUTION.md; msg="import"
	else
		msg=$(head -n 1 "$v"); tail -n +2 "$v" >CONSTITUTION.md
	fi
	git add CONSTITUTION.md && git commit -qm "$msg" || fail "commit $name"
	compare "$msg"
done
[ "$(git rev-list --count HEAD)" -eq 28 ] || fail "expected 28 commits"
