# lib.sh — helpers for bench/*.sh: a scratch dir and a timer.
set -eu
: "${CODICIL_BIN:?run through 'make bench'}"
B=$(mktemp -d "${TMPDIR:-/tmp}/codicil-bench.XXXXXX")
trap 'rm -rf "$B"' EXIT
export HOME="$B/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
mkdir -p "$HOME"
git config --global user.name "Bench"
git config --global user.email "bench@example.org"
git config --global init.defaultBranch main

now() { date +%s.%N; }

# timeit LABEL RUNS CMD...: runs CMD RUNS times, prints min and median seconds
timeit() {
	label=$1 runs=$2; shift 2
	i=0; : >"$B/times"
	while [ "$i" -lt "$runs" ]; do
		t0=$(now); "$@" >/dev/null; t1=$(now)
		awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }" >>"$B/times"
		i=$((i + 1))
	done
	sort -n "$B/times" | awk -v l="$label" -v n="$runs" \
		'{ a[NR] = $1 } END { printf "%-44s min %7.3f s   median %7.3f s   (%d runs)\n", l, a[1], a[int((n + 1) / 2)], n }'
}

# gen_charter N_SECTIONS PER_SECTION: a charter of N*(1+PER) principles,
# about 10 lines each, on stdout.
gen_charter() {
	awk -v ns="$1" -v per="$2" 'BEGIN {
		print "# Generated constitution {#root}\n"
		for (s = 1; s <= ns; s++) {
			printf "## Section %d {#s%d authority=root}\n\n", s, s
			for (l = 1; l <= 7; l++) printf "Section %d describes duty %d with care and some reasonable words.\n", s, l
			print ""
			for (p = 1; p <= per; p++) {
				printf "### Principle %d.%d {#p%d-%d since=2026-01}\n\n", s, p, s, p
				for (l = 1; l <= 7; l++) printf "The assistant should never harm user %d in situation %d unless it is clearly reasonable.\n", p, l
				print ""
			}
		}
	}'
}
