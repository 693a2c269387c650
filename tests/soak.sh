#!/bin/bash
# soak.sh [SIZE]: streams SIZE (default 10G) of generated records
# (gen-logs.sh) through `jsonpipe --require id,name --max-memory 64M` and
# samples jsonpipe's RSS every 5 seconds. Prints the samples, the RSS at
# the start and the end, and whether the record count matches the lines
# the generator wrote. Not part of make check: run it by hand.
set -euo pipefail
JP=${JSONPIPE:-./src/jsonpipe}
size=${1:-10G}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$JP" ] || { echo "soak.sh: build first (no $JP)" >&2; exit 2; }

start=$(date +%s)
"$JP" --require id,name --max-memory 64M --stats \
    < <("$(dirname "$0")/gen-logs.sh" "$size" | tee >(wc -l > "$work/lines")) \
    > /dev/null 2> "$work/stats" &
pid=$!
echo "seconds  rss_kib"
: > "$work/samples"
while sleep 5; do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2> /dev/null) || break
    [ -n "$rss" ] || break
    echo "$(( $(date +%s) - start ))  $rss" | tee -a "$work/samples"
done
wait $pid || true
sleep 1 # let wc finish
records=$(sed -n 's/.*"records_in":\([0-9]*\),.*/\1/p' "$work/stats" | head -1)
out=$(sed -n 's/.*"records_out":\([0-9]*\),.*/\1/p' "$work/stats" | head -1)
lines=$(cat "$work/lines")
echo "elapsed $(( $(date +%s) - start )) s; RSS first sample $(head -1 "$work/samples" | awk '{print $2}') KiB," \
     "last $(tail -1 "$work/samples" | awk '{print $2}') KiB, max $(awk '$2 > m { m = $2 } END { print m }' "$work/samples") KiB"
echo "generator lines $lines; jsonpipe records_in $records, records_out $out"
[ "$lines" = "$records" ] && [ "$records" = "$out" ] && echo "counts match" || { echo "COUNTS DIFFER"; exit 1; }
