# Charter operations on a generated charter of 5,000 principles / 50,000 lines.
. ./lib.sh

gen_charter 500 9 >"$B/big.md"
echo "charter: $(wc -l <"$B/big.md") lines, $(grep -c '^#' "$B/big.md") principles, $(wc -c <"$B/big.md") bytes"
"$CODICIL_BIN" init "$B/r" --from "$B/big.md" >/dev/null
cd "$B/r"
timeit "principles --json" 5 "$CODICIL_BIN" principles --json
# one word changed in every 50th principle
awk '/^### Principle [0-9]+\.[0-9]+ / { n++ } { if (n % 50 == 1 && /never harm/) sub(/never harm/, "rarely harm"); print }' \
	CONSTITUTION.md >"$B/edited.md" && cp "$B/edited.md" CONSTITUTION.md
echo "changed lines: $(git diff --numstat | awk '{print $1}')"
timeit "diff --word-diff (HEAD vs work tree)" 5 "$CODICIL_BIN" diff --word-diff
timeit "diff (line level)" 5 "$CODICIL_BIN" diff
timeit "git diff --word-diff=plain (reference)" 5 git diff --word-diff=plain
