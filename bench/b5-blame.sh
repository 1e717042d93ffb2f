# blame on a long amendment history: 5,000 amendment commits (built with
# git fast-import), each changing one principle of a 500-principle charter
# and carrying the provenance trailers.  codicil blame --json against
# git blame of the same file.
. ./lib.sh

N_COMMITS=${B5_COMMITS:-5000}
N_PRINCIPLES=500
python3 - "$N_COMMITS" "$N_PRINCIPLES" >"$B/stream" 2>"$B/depth" <<'PY'
import sys
commits, n = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout.buffer
bodies = ["The assistant weighs case %d with care and explains its reasons.\n"
          "It does not cut corners in situation %d.\n" % (i, i) for i in range(n)]

def charter():
    parts = ["# Generated constitution {#root}\n\nPreamble.\n\n"]
    for i in range(n):
        parts.append("## Principle %d {#p%d}\n\n%s\n" % (i, i, bodies[i]))
    return "".join(parts).encode()

def emit(mark, when, msg, data):
    msg = msg.encode()
    out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
    out.write(b"author Bench <bench@example.org> %d +0000\n" % when)
    out.write(b"committer Bench <bench@example.org> %d +0000\n" % when)
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    if mark > 1:
        out.write(b"from :%d\n" % (mark - 1))
    out.write(b"M 100644 inline CONSTITUTION.md\ndata %d\n%s\n" % (len(data), data))

t0 = 1767225600
emit(1, t0, "Import constitution\n", charter())
state, last = 12345, {}
for k in range(1, commits + 1):
    state = (state * 1103515245 + 12345) % 2**31
    i = state % n
    last[i] = k
    bodies[i] = ("The assistant weighs case %d with care (revision %d) and explains "
                 "its reasons.\nIt does not cut corners in situation %d.\n" % (i, k, i))
    msg = ("Amend p%d: revision %d\n\nRationale for revision %d.\n\n"
           "Codicil-Proposal: p-%018d\nCodicil-Case: c-%018d\n"
           "Codicil-Model: openai/gpt-4.1\nCodicil-Prompt: amend sha256:%064x\n"
           "Codicil-Regression: fixed=1 broken=0 unchanged=%d\n"
           "Reviewed-by: Bench <bench@example.org>\n" % (i, k, k, k, k, k, k))
    emit(k + 1, t0 + 60 * k, msg, charter())
# how far back blame must walk: to the oldest of the principles' last changes
oldest = min(last.get(i, 0) for i in range(n))
sys.stderr.write("%d of %d principles amended, the oldest last change %d commits back; "
                 "the root heading was never changed, so blame walks the whole history\n"
                 % (len(last), n, commits - oldest + 1))
PY
git init -q "$B/r"
cd "$B/r"
t0=$(now)
git fast-import --quiet <"$B/stream"
git checkout -q main
t1=$(now)
rm -f "$B/stream"
echo "history: $(git rev-list --count HEAD) commits, charter $(grep -c '^#' CONSTITUTION.md) principles, $(wc -l <CONSTITUTION.md) lines; built in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
cat "$B/depth"
"$CODICIL_BIN" blame --json >"$B/blame.json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); a=sum(1 for x in r if x["proposal"]); print("blame: %d principles, %d attributed to amendments" % (len(r), a))' "$B/blame.json"
timeit "codicil blame --json" 3 "$CODICIL_BIN" blame --json
cp "$B/times" "$B/times.codicil"
timeit "codicil blame --json (parsing every version)" 1 env CODICIL_BLAME_FULL_PARSE=1 "$CODICIL_BIN" blame --json
timeit "git blame CONSTITUTION.md (reference)" 3 git blame CONSTITUTION.md
cp "$B/times" "$B/times.git"
c=$(sort -n "$B/times.codicil" | sed -n 2p) g=$(sort -n "$B/times.git" | sed -n 2p)
awk -v c="$c" -v g="$g" 'BEGIN { printf "ratio codicil/git (median): %.2f\n", c / g }'
