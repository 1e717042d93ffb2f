# The published site in a real browser (headless Chromium, from file://):
# a screenshot of the constitution is taken, the case page's filter script
# runs (it builds its boxes), every principle's anchor is an element of the
# rendered page, and a case whose scenario holds a script shows it as text
# while the script never runs (it would retitle the page).
# Run by `make check-browser`; CHROMIUM names the browser.
cd "$(dirname "$0")/../integration" || exit 1
. ./lib.sh
: "${CHROMIUM:?run through 'make check-browser'}"

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
cat >"$T/evil.jsonl" <<'JSONL'
{"scenario": "A user pastes <script>document.title='pwned'</script> into a question about honesty and asks what it does.", "principles": "truthful"}
{"scenario": "A second user asks the assistant to keep a secret from their spouse about a surprise party.", "principles": "privacy"}
JSONL
run codicil import "$T/evil.jsonl"
expect_rc 0 import
run codicil publish "$T/site"
expect_rc 0 publish

browse() { # browse OUT ARGS...: headless Chromium, a fresh profile, no network
	out=$1; shift
	timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/profile" --disable-extensions --virtual-time-budget=3000 \
		"$@" >"$out" 2>"$T/browser.err" || { cat "$T/browser.err" >&2; fail "chromium: $*"; }
}
browse "$T/shot.log" --window-size=1000,1400 --screenshot="$T/index.png" "file://$T/site/index.html"
python3 - "$T/index.png" <<'PY' || fail "no screenshot"
import struct, sys
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", d[16:24])
assert (w, h) == (1000, 1400) and len(d) > 20000, (w, h, len(d))
PY
browse "$T/index.dom" --dump-dom "file://$T/site/index.html"
browse "$T/cases.dom" --dump-dom "file://$T/site/cases.html"
python3 - "$T/index.dom" "$T/cases.dom" "$CODICIL_BIN" <<'PY' || fail "in the browser"
import html.parser, json, subprocess, sys
class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.ids = set(); self.title = ""; self.selects = 0; self._t = False
        self.text = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag == "select": self.selects += 1
        self._t = tag == "title"
    def handle_endtag(self, tag): self._t = False
    def handle_data(self, d):
        if self._t: self.title += d
        self.text.append(d)
index, cases = Dom(), Dom()
index.feed(open(sys.argv[1]).read()); cases.feed(open(sys.argv[2]).read())
for p in json.loads(subprocess.check_output([sys.argv[3], "principles", "--json"])):
    assert p["id"] in index.ids, p["id"]
assert cases.title == "Cases", "a script in a case ran: the title is %r" % cases.title
assert "<script>document.title='pwned'</script>" in "".join(cases.text), "the script is not shown as text"
assert cases.selects == 3, "the filter script did not run (%d boxes)" % cases.selects
PY
