# The client and transport under load: 1,000 requests with distinct prompts
# (cache bypassed) against fakellm-server answering each after 100 ms, at
# concurrency 1, 8, 32 and 64.  The ideal is ceil(N/c) x 100 ms; the ratio
# shows the overhead.  Concurrency 1 takes about 100 s.
. ./lib.sh
N=${BENCH_LLM_N:-1000}
LAT=100
start_fake --latency-ms "$LAT"
url="$FAKE_URL"
for c in 1 8 32 64; do
	"$TOOLS/bench_llm" "$url" "$N" "$c" "$LAT"
done
