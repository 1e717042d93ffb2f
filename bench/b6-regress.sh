# Regression over a large case library: 5,000 case files written directly,
# one `codicil regress` against the fake model to fill the judgment cache
# (5,000 cases x 2 charter texts), then the same run again, every judgment
# from the cache: that second run is the figure.
. ./lib.sh
N=5000
start_fake --codicil
export CODICIL_CONCURRENCY=32
"$CODICIL_BIN" init "$B/r" >/dev/null
cd "$B/r"
gen_cases "$N" '["truthful", "calibrated", "privacy", "candor", "autonomy", "clarify"][i % 6:i % 6 + 1]'
git add cases && git commit -qm "bench: $N cases"
# the candidate: the work tree's charter with an exception added
printf '\nAn exception applies when the text would clearly harm the person.\n' >>CONSTITUTION.md
echo "regress: $N cases, base HEAD against the edited work tree"
/usr/bin/time -f "%e %M" -o "$B/time" "$CODICIL_BIN" regress >"$B/out1" 2>"$B/err1" || { cat "$B/err1"; exit 1; }
awk '{ printf "%-34s wall %7.2f s  peak RSS %5.1f MiB\n", "first run (fills the cache)", $1, $2 / 1024 }' "$B/time"
head -n 1 "$B/out1"
/usr/bin/time -f "%e %M" -o "$B/time" "$CODICIL_BIN" regress >"$B/out2" 2>"$B/err2" || { cat "$B/err2"; exit 1; }
awk -v n="$N" '{ printf "%-34s wall %7.2f s  peak RSS %5.1f MiB  (%d cached judgments)\n", "second run (all cached)", $1, $2 / 1024, 2 * n }' "$B/time"
head -n 1 "$B/out2"
