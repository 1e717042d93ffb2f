# Contemplation where it pays: aggregate's flip predictor on simulated
# raters with a known flip model (tests/tools/bench_flip.c).
. ./lib.sh
"$TOOLS/bench_flip" 400 5
