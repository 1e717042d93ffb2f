# Who should rate what next: the queue's strategies on a simulated library
# (tests/tools/bench_queue.c), against random sampling, over 20 seeds.
. ./lib.sh
"$TOOLS/bench_queue" 20 300
