# fault matrix: one batch of six requests per fault of the loopback fake
# (500, 429 with Retry-After, a reset connection, an HTML page, a body cut
# short, JSON cut in half, a stall, an oversized body, escape sequences, a
# 503 on every first try), the fault on every third request.  Every run
# ends with every request ok after at most one --resume against a healthy
# server, each request's cases committed exactly once, nothing of the
# model's text on the terminal as control bytes, and the repository clean.
. ./lib.sh

codicil init "$T/r" >/dev/null || fail init
cd "$T/r" || fail cd
export CODICIL_RETRIES=1 CODICIL_BACKOFF_BASE=0.01

n=0
for fault in "500" "429 --retry-after 1" "reset" "not-json" "truncated" "no-end" \
	"stall --stall-ms 1500" "oversized" "hostile" "503 --fault-first 1"; do
	n=$((n + 1))
	set -- $fault
	kind=$1
	shift
	j="$T/j$n.jsonl"
	before=$(case_ids 2>/dev/null | wc -l)
	case "$*" in
	*--fault-first*) start_fake --codicil --fault "$kind" "$@" ;;
	*) start_fake --codicil --fault "$kind" --fault-every 3 "$@" ;;
	esac
	run codicil batch -p truthful -p calibrated --samples 3 -n 1 --journal "$j"
	[ "$rc" -le 1 ] || fail "$kind: exit $rc: $(cat "$T/err")"
	LC_ALL=C grep -q "$(printf '\033')" "$T/out" "$T/err" && fail "$kind: an escape byte reached the terminal"
	stop_fake
	if [ "$rc" -ne 0 ]; then
		start_fake --codicil
		run codicil batch -p truthful -p calibrated --samples 3 -n 1 --journal "$j" --resume
		expect_rc 0 "$kind: the --resume"
		stop_fake
	fi
	python3 - "$j" "$kind" <<'PY' || fail "$kind: not every request ok exactly once"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
# the fault did happen: a request failed, was tried again or was re-asked
# (a stall only slows an answer down)
hit = [l for l in ls if l.get("status") != "ok" or l.get("attempts", 1) > 1 or l.get("reasks", 0) > 0]
assert hit or sys.argv[2] == "stall", "the fault never showed"
last = {}
for l in ls:
    if "request" in l:
        last[l["request"]] = l
assert len(last) == 6, sorted(last)
assert all(l["status"] == "ok" for l in last.values()), [l["status"] for l in last.values()]
oks = [l["request"] for l in ls if l.get("status") == "ok"]
assert len(oks) == len(set(oks)) == 6, oks
PY
	[ "$(case_ids 2>/dev/null | wc -l)" -eq $((before + 6)) ] ||
		fail "$kind: expected 6 new cases, got $(($(case_ids | wc -l) - before))"
	git_clean "$T/r"
done
