#!/bin/bash
# fuzz.sh: every fuzz target replays its seed corpus and every crasher the
# fuzzers ever found (tests/fuzz/crashers), through the same invariant
# checks the fuzzers run, so a fixed bug stays fixed.
set -u
. "$(dirname "$0")/lib.sh"
: "${FUZZ:?}" "${REPLAY:?}"

for t in record filter schema decoder dupkeys eval scan; do
    for set in corpus crashers; do
        dir=$FUZZ/$set/$t
        [ -d "$dir" ] || continue
        n=$(find "$dir" -type f | wc -l)
        "$REPLAY/replay_$t" "$dir" > "$T/out" 2> "$T/err"
        rc=$?
        check "$t: $n $set inputs replay cleanly" \
            eval 'rc_is $rc 0 && has "$T/out" "replayed $n inputs" && ! [ -s "$T/err" ]'
    done
done
finish
