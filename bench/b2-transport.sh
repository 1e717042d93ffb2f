# The client and transport under load: 1,000 requests with distinct prompts
# (cache bypassed) against fakellm-server answering each after 100 ms, at
# concurrency 1, 8, 32 and 64.  The ideal is ceil(N/c) x 100 ms; the ratio
# shows the overhead.  Concurrency 1 takes about 100 s.
. ./lib.sh
N=${BENCH_LLM_N:-1000}
LAT=100
"$TOOLS/fakellm-server" --latency-ms "$LAT" --print-port-file "$B/port" >"$B/fake.log" 2>&1 &
fake=$!
trap 'kill "$fake" 2>/dev/null; rm -rf "$B"' EXIT
i=0
while [ ! -s "$B/port" ]; do
	i=$((i + 1)); [ "$i" -le 100 ] || { echo "fakellm-server did not start"; exit 1; }
	sleep 0.05
done
url="http://127.0.0.1:$(cat "$B/port")/v1"
for c in 1 8 32 64; do
	"$TOOLS/bench_llm" "$url" "$N" "$c" "$LAT"
done
