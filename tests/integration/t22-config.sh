# codicil config: the one table of settings lists every setting with its
# value and source, checks a value against its type and range before it
# writes git config, and is held to codicil(1), to the keys the code reads
# and to the templates' .codicil files.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd

run codicil config
expect_rc 0 "config"
expect_out "^codicil.concurrency  *4  (.codicil)$"
expect_out "^codicil.judgeBatch  *1  (default)$"
CODICIL_MODEL=m2 codicil config codicil.model | grep -qx m2 || fail "the environment's value"

# set: checked, then written to the repository's git config
run codicil config codicil.concurrency 0
expect_rc 2 "out of range"
expect_err "codicil.concurrency takes a whole number from 1 to 1024, not '0'"
run codicil config codicil.provider opneai
expect_rc 2 "not a choice"
expect_err "one of: openai anthropic replay record"
run codicil config codicil.concurency 3
expect_rc 2 "a mistyped key"
expect_err "did you mean codicil.concurrency?"
run codicil config codicil.concurrency 3
expect_rc 0 "set"
[ "$(git config codicil.concurrency)" = 3 ] || fail "not in git config"
[ "$(codicil config codicil.concurrency)" = 3 ] || fail "not read back"
run codicil config codicil.price.gpt-4.1.cachedInput 1.25
expect_rc 0 "a price family key"
[ "$(git config codicil.price.gpt-4.1.cachedinput)" = 1.25 ] || fail "price not written"
run codicil config --unset codicil.concurrency
expect_rc 0 "unset"
[ "$(codicil config codicil.concurrency)" = 4 ] || fail "after unset, .codicil's 4"
run codicil config codicil.judgeModel
expect_rc 1 "an unset key"

# one range, wherever the value comes from: the option, the environment
run codicil batch -p truthful --concurrency 2000 --dry-run
expect_rc 2 "--concurrency out of range"
expect_err "takes a whole number from 1 to 1024, not '2000'"
run env CODICIL_CONCURRENCY=2000 "$CODICIL_BIN" batch -p truthful --dry-run
expect_rc 1 "codicil.concurrency out of range"
expect_err "codicil.concurrency = '2000' (from environment CODICIL_CONCURRENCY) is not a whole number from 1 to 1024"
run env CODICIL_JUDGE_BATCH=51 "$CODICIL_BIN" judge --dry-run
expect_rc 1 "codicil.judgeBatch out of range"
expect_err "is not a whole number from 1 to 50"

# the table, codicil(1), the code and the templates agree
codicil config --json >"$T/keys.json" || fail "config --json"
python3 - "$T/keys.json" "$ROOT" <<'PY' || fail "the table of settings disagrees"
import glob, json, re, subprocess, sys
keys = [k["key"] for k in json.load(open(sys.argv[1]))]
root = sys.argv[2]
man = open(root + "/man/codicil.1").read()
for f in ("\\-", "\\fR", "\\fB", "\\fI", "\\fP"):
    man = man.replace(f, "-" if f == "\\-" else "")
def known(key):
    for k in keys:
        if "*" in k:
            a, b = k.split("*")
            if key.lower().startswith(a.lower()) and key.lower().endswith(b.lower()) and len(key) > len(a) + len(b):
                return True
        elif k.lower() == key.lower():
            return True
    return False
bad = []
for k in keys:
    parts = [p.strip(".") for p in k.split("*")]
    if not all(p in man for p in parts if p):
        bad.append("not in codicil(1): " + k)
for path in glob.glob(root + "/src/**/*.c", recursive=True):
    for key in re.findall(r'"(codicil\.[A-Za-z][A-Za-z0-9.]*)"', open(path).read()):
        if not known(key):
            bad.append("read by %s but not in the table: %s" % (path[len(root) + 1:], key))
for path in glob.glob(root + "/constitutions/*/.codicil"):
    section = None
    for line in open(path):
        line = line.strip().lstrip("#").strip()
        m = re.match(r"\[(\w+)(?: \"(.*)\")?\]$", line)
        if m:
            section = m.group(1) + ("." + m.group(2) if m.group(2) else "")
            continue
        m = re.match(r"([A-Za-z][A-Za-z0-9]*) *=", line)
        if m and section and not known(section + "." + m.group(1)):
            bad.append("%s names an unknown setting: %s.%s" % (path[len(root) + 1:], section, m.group(1)))
assert not bad, "\n".join(bad)
PY
echo ok
