#!/bin/bash
# run.sh TARGET SECONDS SRCDIR: runs one libFuzzer target (built with
# --enable-fuzzing) for SECONDS. New inputs go to fuzz-corpus/TARGET in the
# build directory, crashes to fuzz-artifacts/TARGET; the kept corpus and
# crashers in SRCDIR are read, never written. A crash fails the run: keep
# its file in SRCDIR/crashers/TARGET once fixed, so make check replays it.
set -eu
target=$1 seconds=$2 src=$3
mkdir -p "fuzz-corpus/$target" "fuzz-artifacts/$target"
dict=$src/json.dict
case $target in filter | eval) dict=$src/filter.dict ;; esac
dicts=()
case $target in
decoder | dupkeys) ;; # their inputs are not JSON text
*) dicts=("-dict=$dict") ;;
esac
seeds=()
for d in "$src/corpus/$target" "$src/crashers/$target"; do
    [ -d "$d" ] && seeds+=("$d")
done
exec "tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -max_len=16384 \
    -print_final_stats=1 "${dicts[@]}" -artifact_prefix="fuzz-artifacts/$target/" \
    "fuzz-corpus/$target" "${seeds[@]}"
