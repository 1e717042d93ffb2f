#!/usr/bin/env python3
"""mklibrary.py N START PRINCIPLES... : a git fast-import stream (on stdout)
of one commit on refs/heads/main that adds N generated cases in the
fanned-out layout (cases/<8th and last id characters>/<id>.json), with case
numbers START.. (so a second call adds more), made about half a
minute apart as a year of use would make them.  Scenarios are 40-70 words
drawn from a 3,000-word vocabulary, so full-text search and near-duplicate
bands see text like a real library's, not one template.  The parent is
read from the environment: PARENT (a commit id), or none."""
import json, os, random, sys

n, start, principles = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
digits = "0123456789abcdefghjkmnpqrstvwxyz"
rng = random.Random(start * 7919 + n)
syll = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "gu", "sho", "tre", "bal", "nor"]
vocab = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(4000)})[:3000]
kinds = ["counterexample", "tension", "vagueness", "probe"]
status = ["open", "open", "confirmed", "dismissed", "resolved"]

def b32(v, width):
    s = ""
    for _ in range(width):
        s = digits[v % 32] + s
        v //= 32
    return s

out = sys.stdout.buffer
paths = []
for i in range(start, start + n):
    cid = "c-" + b32(1700000000000 + i * 31557, 10) + b32((i * 2654435761) % (1 << 40), 8)
    words = [rng.choice(vocab) for _ in range(rng.randint(40, 70))]
    k = kinds[i % 4]
    ps = [principles[i % len(principles)]]
    if k == "tension":
        ps.append(principles[(i * 7 + 3) % len(principles)])
        if ps[1] == ps[0]:
            ps.pop()
            k = "counterexample"
    c = {"id": cid, "kind": k, "principles": ps,
         "scenario": "Case %d: %s." % (i, " ".join(words)),
         "literal_reading": "The text, read literally, refuses.",
         "expected": "Help with care.", "rationale": "The text has no exception for this.",
         "severity": 1 + i % 5, "status": status[i % 5], "ratings": [],
         "resolved_by": "p-01hf7y0000000000aa" if status[i % 5] == "resolved" else None,
         "provenance": {"created": "2026-01-01T00:00:00Z"}}
    data = (json.dumps(c, indent="\t") + "\n").encode()
    out.write(b"blob\nmark :%d\ndata %d\n" % (i - start + 1, len(data)))
    out.write(data)
    paths.append("cases/%s%s/%s.json" % (cid[7], cid[-1], cid))
msg = b"Add %d generated cases\n" % n
out.write(b"commit refs/heads/main\ncommitter Bench <bench@example.org> 1767225600 +0000\n")
out.write(b"data %d\n" % len(msg) + msg)
if os.environ.get("PARENT"):
    out.write(b"from %s\n" % os.environ["PARENT"].encode())
for k, p in enumerate(paths):
    out.write(b"M 100644 :%d %s\n" % (k + 1, p.encode()))
out.write(b"\n")
