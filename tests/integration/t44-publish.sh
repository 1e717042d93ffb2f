# publish: the static site of a constitution with an accepted amendment,
# pending and rejected proposals and hostile case text — every principle an
# anchor, the amendment in the history of the principle it changed, the
# redline page, hostile text escaped, no script but the filter's, and
# nothing that needs a server (no absolute URLs).
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
start_fake --codicil
run codicil generate -p truthful -n 3
expect_rc 0 generate
ids=$(cat "$T/out")

# a case whose text is hostile HTML, imported
cat >"$T/evil.jsonl" <<'JSONL'
{"scenario": "A user writes <script>alert(1)</script> and <img src=x onerror=alert(2)> into a question about honesty.", "principles": "truthful", "expected": "Treat it as text & \"answer\" it."}
JSONL
run codicil import "$T/evil.jsonl"
expect_rc 0 "import the hostile case"

# an amendment drafted from the generated cases, accepted
first=$(echo "$ids" | head -1)
run codicil amend "$first"
expect_rc 0 "amend"
p=$(cat "$T/out")
run codicil accept "$p" -m "reads well"
expect_rc 0 "accept"

run codicil publish "$T/site"
expect_rc 0 "publish"
expect_out "published 29 principles, $(git ls-files cases | wc -l) cases, 1 proposals into"
for f in index.html cases.html proposals.html style.css "amendments/$p.html"; do
	[ -s "$T/site/$f" ] || fail "$f missing"
done

python3 - "$T/site" "$p" <<'PY' || fail "the site"
import html.parser, json, os, re, subprocess, sys
site, prop = sys.argv[1], sys.argv[2]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.ids = set(); self.links = []; self.scripts = []; self.text = []
        self.in_script = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag == "a" and "href" in a: self.links.append(a["href"])
        for k in a:
            assert not k.startswith("on"), (tag, k)      # no event handlers anywhere
        if tag == "script":
            self.in_script = True; self.scripts.append("")
        assert tag not in ("img", "iframe", "object", "embed"), tag
    def handle_endtag(self, tag):
        if tag == "script": self.in_script = False
    def handle_data(self, d):
        if self.in_script: self.scripts[-1] += d
        else: self.text.append(d)

def page(name):
    p = Page(); p.feed(open(os.path.join(site, name), encoding="utf-8").read()); return p

index, cases, props, amend = page("index.html"), page("cases.html"), page("proposals.html"), page("amendments/%s.html" % prop)
principles = json.loads(subprocess.check_output([os.environ["CODICIL_BIN"], "principles", "--json"]))
for pr in principles:
    assert pr["id"] in index.ids, pr["id"]            # an anchor per principle
# every link resolves: files exist, #anchors exist in their page
pages = {"index.html": index, "cases.html": cases, "proposals.html": props}
for name, pg in list(pages.items()) + [("amendments/x", amend)]:
    base = os.path.dirname(name)
    for href in pg.links:
        assert not re.match(r"[a-z]+:", href), href      # nothing needs a server
        path, _, frag = href.partition("#")
        target = os.path.normpath(os.path.join(base, path)) if path else name
        assert os.path.exists(os.path.join(site, target)), (name, href)
        if frag:
            assert frag in (pages.get(target) or page(target)).ids, (name, href)
# the hostile case is text, on the page as written
text = "".join(cases.text)
assert "<script>alert(1)</script>" in text and "onerror=alert(2)" in text, "hostile text not shown"
assert len(cases.scripts) == 1 and "alert" not in cases.scripts[0]
assert not index.scripts and not props.scripts and not amend.scripts
# the amendment is in the history of the principle it changed, and has a redline
hist = open(os.path.join(site, "index.html"), encoding="utf-8").read()
assert "amendments/%s.html" % prop in hist
raw = open(os.path.join(site, "amendments/%s.html" % prop), encoding="utf-8").read()
assert "<ins>" in raw or "<del>" in raw, "no redline"
PY

# a second publish replaces the files, leaving no temporaries
run codicil publish "$T/site"
expect_rc 0 "publish again"
[ -z "$(find "$T/site" -name '*.tmp.*')" ] || fail "temporaries left: $(find "$T/site" -name '*.tmp.*')"
run codicil publish
expect_rc 2 "publish without a directory"
expect_err "where? codicil publish DIR"
