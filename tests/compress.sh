#!/bin/bash
# compress.sh: end-to-end tests of compressed inputs (gzip, zstd): detection
# by magic bytes, multi-member streams, and damaged data.
set -u
. "$(dirname "$0")/lib.sh"
cd "$FIXTURES" || exit 1

for f in mixed.ndjson.gz mixed.ndjson.zst gzip-named-plain.ndjson; do
    "$JP" --require id,name --set source=api "$f" -e "$T/err" > "$T/out"
    rc=$?
    sed "s/\"file\":\"mixed.ndjson\"/\"file\":\"$f\"/" mixed.seed.errors > "$T/want.err"
    check "$f: same records and error records as the plain file" \
        eval 'rc_is $rc 1 && same "$T/out" mixed.seed.out && same "$T/err" "$T/want.err"'
done
cat mixed.ndjson.gz | "$JP" --require id,name --set source=api > "$T/out" 2> /dev/null
check "gzip on a pipe is recognised by its magic" same "$T/out" mixed.seed.out
"$JP" < mixed.ndjson.zst --require id,name --set source=api > "$T/out" 2> /dev/null
check "zstd on stdin (a regular file) is recognised by its magic" same "$T/out" mixed.seed.out

cat mixed.seed.out mixed.seed.out > "$T/twice"
for f in two-members.gz two-frames.zst; do
    "$JP" "$f" > "$T/out"
    rc=$?
    check "$f: every member is read" eval 'rc_is $rc 0 && same "$T/out" "$T/twice"'
done

# damaged_case FILE MESSAGE RECORDS: what comes before the damage is written,
# then the error, and the run ends with exit 3.
damaged_case() {
    local f=$1 msg=$2 records=$3
    "$JP" "$f" -e "$T/err" > "$T/out" 2> "$T/stderr"
    local rc=$?
    head -n "$records" mixed.seed.out > "$T/want"
    check "$f: $records records, then \"$msg\", exit 3" \
        eval 'rc_is $rc 3 && same "$T/out" "$T/want" && has "$T/stderr" "jsonpipe: $f: $msg"'
}
damaged_case truncated.gz "truncated gzip data at decompressed offset 158" 1
damaged_case trailing-garbage.gz "trailing garbage after the gzip data at decompressed offset 378" 6
damaged_case corrupt.gz "corrupt gzip data at decompressed offset 28: invalid distance too far back" 0
damaged_case truncated.zst "truncated zstd data at decompressed offset 0" 0
"$JP" truncated.gz -e "$T/err" > /dev/null 2>&1
check "truncated.gz: the cut record is rejected with its line and offset" \
    has "$T/err" '"file":"truncated.gz","line":2,"offset":97,"stage":"parse","error":"invalid JSON at column 62: premature EOF"'
"$JP" truncated.gz mixed.ndjson.zst > "$T/out" 2> /dev/null
rc=$?
{ head -n 1 mixed.seed.out; "$JP" mixed.ndjson.zst 2> /dev/null; } > "$T/want"
check "after a damaged input the next one is still read, exit 3" \
    eval 'rc_is $rc 3 && same "$T/out" "$T/want"'

# A 1000:1 bomb: 64 MB of small records from a 300 KB gzip member, through
# a 4 MB cap.
awk 'BEGIN { for (i = 0; i < 8388608; i++) print "{\"a\":1}" }' | gzip -1 > "$T/bomb.gz"
"$JP" --max-memory 4M --stats "$T/bomb.gz" 2> "$T/stderr" > /dev/null
rss=$(sed -n 's/.*"peak_rss_bytes":\([0-9]*\).*/\1/p' "$T/stderr")
check "a gzip bomb is decoded within the cap: every record" has "$T/stderr" '"records_in":8388608,"records_out":8388608'
if [ "${SANITIZERS:-no}" = yes ]; then
    echo "ok - a gzip bomb stays under 32 MB of RSS # SKIP RSS under sanitizers"
else
    check "a gzip bomb stays under 32 MB of RSS with --max-memory 4M" \
        eval '[ -n "$rss" ] && [ "$rss" -lt 33554432 ] || { echo "#   peak_rss_bytes=$rss"; false; }'
fi

finish
