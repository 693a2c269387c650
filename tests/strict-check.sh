#!/bin/bash
# strict-check.sh: jsonpipe's parser against strict RFC 8259 + UTF-8 oracles,
# on log lines damaged at random.
#
# usage: tests/strict-check.sh [N]   (default 60000 lines; run from the top of a built tree)
#
# Needs python3; with g++ and libsimdjson-dev, simdjson is a second oracle.
# tests/strict/mutate.py damages N lines of tests/gen-logs.sh output (the
# same for the same SEED=, default 1): flipped, inserted and deleted bytes,
# valid and invalid UTF-8 (overlong forms, encoded surrogates, code points
# past U+10FFFF), escapes, control characters, quotes and backslashes,
# truncations, doubled brackets, digits turned letters, NaN and friends,
# blank lines. jsonpipe (JSONPIPE=, default ./src/jsonpipe) reads them with
# no processors and -e; tests/strict/judge.py compares it with Python's
# json.loads and with simdjson (tests/bench/simdjson_probe.cpp --verdicts),
# and reports the lines each accepts, every mismatch, whether the output is
# exactly the accepted lines in order and whether every rejected line has an
# error record with its line number. Where simdjson refuses what RFC 8259
# allows (lone surrogate escapes, numbers beyond 64-bit integers and
# doubles) Python's verdict stands; any other disagreement of the two, like
# any mismatch, makes the exit status 1. Not part of make check: a local
# check, like bench.sh (it takes a few seconds).
set -euo pipefail
JP=${JSONPIPE:-./src/jsonpipe}
n=${1:-60000}
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$JP" ] || { echo "strict-check.sh: build first (no $JP)" >&2; exit 2; }
command -v python3 > /dev/null || { echo "strict-check.sh: needs python3" >&2; exit 2; }
. "$here/bench/probe.sh"

# Log lines are about 300 bytes: 400 a line is always enough.
"$here/gen-logs.sh" $((n * 400)) | python3 "$here/strict/mutate.py" "$n" "${SEED:-1}" > "$work/lines"
rc=0
"$JP" -e "$work/errors" "$work/lines" > "$work/out" || rc=$?
[ $rc -le 1 ] || { echo "strict-check.sh: jsonpipe exited with $rc" >&2; exit 1; }
verdicts=()
probe=$(jp_build_probe "$work")
if [ -n "$probe" ]; then
    "$probe" --verdicts "$work/lines" > "$work/simdjson"
    verdicts=("$work/simdjson")
fi
python3 "$here/strict/judge.py" "$work/lines" "$work/out" "$work/errors" "${verdicts[@]}"
