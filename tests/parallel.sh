#!/bin/bash
# parallel.sh: GNU parallel --pipepart cuts one file into blocks, one
# jsonpipe each, 2 at a time, -k keeping their order (the recipe of
# samples/README.md). The records written are one run's, byte for byte;
# the error records are the same records for the same reasons, but each
# block counts its lines from 1 and reads standard input; the blocks'
# --stats add up to one run's.
#
# Without GNU parallel it says SKIP (exit 77); with CI set that fails.
set -u
. "$(dirname "$0")/lib.sh"
if ! parallel --version 2> /dev/null | grep -q 'GNU parallel'; then
    [ -n "${CI:-}" ] && not_ok "GNU parallel is needed with CI set" "no parallel on PATH"
    if [ "$fail" -ne 0 ]; then finish; exit; fi
    echo "$pass passed, $fail failed"
    echo "SKIP: no GNU parallel (apt-get install parallel)"
    exit 77
fi
cd "$T" || exit 1

# 20,000 lines, about 1.2 MB: every 7th lacks an id, every 13th is cut short.
awk 'BEGIN {
    for (i = 1; i <= 20000; i++) {
        line = sprintf("{\"id\":%d,\"level\":\"%s\",\"msg\":\"event %d\"}", i, i % 3 ? "info" : "warn", i * 7919 % 10007)
        if (i % 7 == 0) line = "{\"level\":\"info\"}"
        if (i % 13 == 0) line = substr(line, 1, 12)
        print line
    }
}' > big.ndjson
ARGS=(--require id --set via=parts --filter 'level == "info"')
"$JP" "${ARGS[@]}" --stats -e one.errors big.ndjson > one.ndjson 2> one.stats
parallel --pipepart -a big.ndjson --block 64k -j 2 -k -q "$JP" "${ARGS[@]}" --stats -e - \
    > parts.all 2> parts.stats
rc=$?
blocks=$(wc -l < parts.stats)
check "the file is cut into many blocks" eval '[ "$blocks" -ge 10 ] || { echo "#   $blocks blocks"; false; }'
check "parallel exits with the number of blocks that had rejections" rc_is $rc "$blocks"

# -e - sends the error records to standard output too: keep them apart.
grep -v '"stage":' parts.all > parts.ndjson
grep '"stage":' parts.all > parts.errors
check "the records written are one run's, byte for byte" same one.ndjson parts.ndjson
check "and there are records written" lines one.ndjson 10549

"$JP" --select stage,error,record one.errors > one.why
"$JP" --select stage,error,record parts.errors > parts.why
check "the error records are the same records for the same reasons, in order" same one.why parts.why
check "each block's error records name standard input" eval \
    '[ "$("$JP" --select file parts.errors | sort -u)" = "{\"file\":\"<stdin>\"}" ]'
# last KEY FILE: the largest KEY of FILE's records.
last() { "$JP" --select "$1" --to csv --no-header "$2" | sort -n | tail -n 1; }
check "and count lines and offsets from the start of its block" eval \
    '[ "$(last line parts.errors)" -lt "$(last line one.errors)" ] && [ "$(last offset parts.errors)" -lt 65536 ]'

# sum KEY FILE: the sum of KEY over the --stats lines of FILE.
sum() { "$JP" --select "$1" --to csv --no-header "$2" | awk '{ s += $1 } END { print s }'; }
for key in records_in records_out rejected dropped bytes_in bytes_out; do
    check "the blocks' $key add up to one run's" eval '[ "$(sum $key parts.stats)" = "$(sum $key one.stats)" ]'
done
finish
