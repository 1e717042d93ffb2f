# Duplicate detection: 100 generated scenarios against 10,000 existing ones,
# with a brute-force pass over every pair for comparison.
. ./lib.sh
"$TOOLS/bench_dedup" 10000 100
