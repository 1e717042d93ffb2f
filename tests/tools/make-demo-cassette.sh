#!/bin/sh
# Rebuild constitutions/demo.cassette.jsonl, the recorded answers of
# `codicil demo`.  The answers are written by hand in
# tests/tools/demo-answers.json; a fake model (fakellm-server --answers)
# serves them while codicil runs the demo's scripted path
# (tests/tui/demo.script) in record mode, so the cassette's keys match the
# prompts exactly as codicil builds them.  Rerun it after changing a prompt,
# the assistant template, the schemas or the demo script; t28-tui-demo.sh
# fails until then.
#
#   tests/tools/make-demo-cassette.sh [OUT]    (default: the cassette in place)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/constitutions/demo.cassette.jsonl}
make -C "$ROOT" -s -j2 codicil build/tools/fakellm-server >/dev/null
T=$(mktemp -d "${TMPDIR:-/tmp}/codicil-cassette.XXXXXX")
FAKE=
trap '[ -n "$FAKE" ] && kill "$FAKE" 2>/dev/null; rm -rf "$T"' EXIT
export HOME="$T/home" XDG_CACHE_HOME="$T/home/.cache" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 LC_ALL=C.UTF-8
unset $(env | sed -n 's/^\(CODICIL_[A-Z_]*\)=.*/\1/p') OPENAI_API_KEY ANTHROPIC_API_KEY 2>/dev/null || true
mkdir -p "$HOME"
git config --global user.name "Demo Recorder"
git config --global user.email "demo@example.org"
git config --global init.defaultBranch main

"$ROOT/build/tools/fakellm-server" --answers "$ROOT/tests/tools/demo-answers.json" \
	--print-port-file "$T/port" >"$T/fake.log" 2>&1 &
FAKE=$!
i=0
while [ ! -s "$T/port" ]; do
	i=$((i + 1)); [ "$i" -lt 100 ] || { cat "$T/fake.log" >&2; exit 1; }
	sleep 0.05
done

"$ROOT/build/codicil" init "$T/demo" --template assistant >/dev/null # as codicil demo makes it
mkdir -p "$T/screens"
CODICIL_PROVIDER=record CODICIL_RECORD_PROVIDER=openai CODICIL_CASSETTE="$T/new.jsonl" \
CODICIL_ENDPOINT="http://127.0.0.1:$(cat "$T/port")/v1" CODICIL_MODEL=demo-writer \
CODICIL_BACKOFF_BASE=0.01 OPENAI_API_KEY=sk-demo-recording \
CODICIL_TUI_SCRIPT="$ROOT/tests/tui/demo.script" CODICIL_TUI_DUMP_DIR="$T/screens" \
	"$ROOT/build/codicil" -C "$T/demo" tui

# every request of the path answered: 4 generations of 3 cases, 12
# arguments, an amendment with its consequences (3) and meta-check, the
# regression (15 cases judged under two texts), and an audit of two turns
# (a scenario, a user turn, two target answers, a judgment)
adds=$(git -C "$T/demo" log --format=%s | grep -c '^Add 3 counterexamples for ' || true)
rates=$(git -C "$T/demo" log --format=%s | grep -c '^Rate c-' || true)
props=$(git -C "$T/demo" log --format=%s | grep -c '^Propose p-' || true)
audits=$(git -C "$T/demo" log --format=%s | grep -c '^Audit ' || true)
lines=$(wc -l <"$T/new.jsonl")
if [ "$adds" != 4 ] || [ "$rates" != 12 ] || [ "$props" != 1 ] || [ "$audits" != 1 ] ||
	[ "$lines" != 54 ]; then
	echo "make-demo-cassette: incomplete recording ($adds generations, $rates ratings," \
		"$props proposals, $audits audits, $lines answers); see the written answers and the screens in" \
		"$T/screens" >&2
	trap - EXIT
	kill "$FAKE" 2>/dev/null
	exit 1
fi
cp "$T/new.jsonl" "$OUT"
echo "wrote $OUT: $lines recorded answers"
