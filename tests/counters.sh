#!/bin/bash
# counters.sh: --counters hadoop, the Hadoop Streaming reporter lines on
# stderr. Counter lines add, so the amounts of every line of a run must sum
# to exactly the totals --stats prints, however the run ends; periodic
# reports carry what changed, the last one names all six counters; no line
# of stderr ever holds a counter line and something else.
set -u
. "$(dirname "$0")/lib.sh"

names="records_in records_out rejected dropped bytes_in bytes_out"

# sums STDERR: "name=sum" for each counter, in the order of $names.
sums() {
    awk -F, '/^reporter:counter:jsonpipe,/ { s[$2] += $3 }
        END { split("'"$names"'", n, " "); for (i = 1; i <= 6; i++) printf "%s=%d\n", n[i], s[n[i]] }' "$1"
}
# stats STDERR: the same from the --stats line (its first keys are the run's).
stats() {
    for n in $names; do
        grep '^{"records_in"' "$1" | grep -o "\"$n\":[0-9]*" | head -n 1 | tr -d '"' | tr : =
    done
}
# sums_are_stats STDERR: the counters sum to the totals, and those are not all zero.
sums_are_stats() {
    sums "$1" > "$T/sums"; stats "$1" > "$T/stats"
    [ "$(wc -l < "$T/stats")" -eq 6 ] && same "$T/sums" "$T/stats"
}
# well_formed STDERR: every line naming the reporter is one whole counter or
# status line; the counters are only the six, with whole amounts.
well_formed() {
    ! grep -a 'reporter:' "$1" | grep -avE \
        '^reporter:(counter:jsonpipe,(records_in|records_out|rejected|dropped|bytes_in|bytes_out),-?[0-9]+|status:jsonpipe: [0-9]+ records in, [0-9]+ out, [0-9]+ rejected)$'
}
# last_report STDERR: the final report is all six counters, then the status.
last_report() {
    grep -a '^reporter:' "$1" | tail -n 7 | cut -d, -f2 | head -n 6 | tr '\n' ' ' > "$T/last"
    [ "$(cat "$T/last")" = "$names " ] && grep -a '^reporter:' "$1" | tail -n 1 | grep -q '^reporter:status:'
}
# periodic_nonzero STDERR: before the final report, no zero amounts.
periodic_nonzero() {
    ! grep -a '^reporter:' "$1" | head -n -7 | grep -q ',0$'
}

# --- exact sums: rejected and dropped records, several batches and threads ---
awk 'BEGIN { for (i = 1; i <= 30000; i++)
    if (i % 97 == 0) print "{bad " i; else printf "{\"id\":%d,\"keep\":%s}\n", i, i % 3 ? "true" : "false" }' \
    > "$T/in.ndjson"
for j in 1 2; do
    "$JP" -j $j --batch-size 4K --counters hadoop --stats --filter '.keep' "$T/in.ndjson" \
        > "$T/out" 2> "$T/stderr"
    rc=$?
    check "-j $j, rejected and dropped: exit 1, the counters sum to the --stats totals" \
        eval 'rc_is $rc 1 && sums_are_stats "$T/stderr"'
    check "... rejected $((30000 / 97)), dropped and written as the output shows" \
        eval 'has "$T/sums" "rejected=309" && has "$T/sums" "records_out=$(wc -l < "$T/out")" &&
              has "$T/sums" "bytes_out=$(wc -c < "$T/out")" && has "$T/sums" "bytes_in=$(wc -c < "$T/in.ndjson")" &&
              has "$T/sums" "records_in=30000" && has "$T/sums" "dropped=$((30000 - 309 - $(wc -l < "$T/out")))"'
    check "... every reporter line whole, the last report names all six counters" \
        eval 'well_formed "$T/stderr" && last_report "$T/stderr"'
    check "... the rejection messages stand on lines of their own" \
        eval '[ "$(grep -ac "^jsonpipe: $T/in.ndjson:[0-9]*: invalid JSON" "$T/stderr")" -eq 20 ]'
done

printf '{"a":1}\n{"a":2}\nbad\n{"a":3}\n' > "$T/small.ndjson"
"$JP" --counters hadoop --filter '.a > 1' "$T/small.ndjson" > "$T/out" 2> "$T/stderr"
rc=$?
cat > "$T/want" <<'OUT'
jsonpipe: SMALL:3: invalid JSON at column 1: unexpected character 'b', expected a value
reporter:counter:jsonpipe,records_in,4
reporter:counter:jsonpipe,records_out,2
reporter:counter:jsonpipe,rejected,1
reporter:counter:jsonpipe,dropped,1
reporter:counter:jsonpipe,bytes_in,28
reporter:counter:jsonpipe,bytes_out,16
reporter:status:jsonpipe: 4 records in, 2 out, 1 rejected
OUT
sed -i "s|SMALL|$T/small.ndjson|" "$T/want"
check "a short run: one report at the end, exactly these lines" \
    eval 'rc_is $rc 1 && same "$T/stderr" "$T/want"'

"$JP" --counters hadoop < /dev/null > "$T/out" 2> "$T/stderr"
rc=$?
printf 'reporter:counter:jsonpipe,%s,0\n' $names > "$T/want"
echo 'reporter:status:jsonpipe: 0 records in, 0 out, 0 rejected' >> "$T/want"
check "empty input: all six counters at 0 and the status, exit 0" \
    eval 'rc_is $rc 0 && same "$T/stderr" "$T/want" && ! [ -s "$T/out" ]'

# --- periodic reports on a slow input ---
slow() { for i in 1 2 3 4 5 6; do printf '{"id":%d}\n{"id":%d,"x":1}\n' $i $i; sleep 0.3; done; }
slow | JSONPIPE_COUNTERS_INTERVAL=100 "$JP" --counters hadoop --stats --require x \
    > "$T/out" 2> "$T/stderr"
rc=$?
check "slow input, 100 ms interval: several reports before the last" \
    eval '[ "$(grep -ac "^reporter:status:" "$T/stderr")" -ge 4 ] && [ "$(grep -ac "^reporter:counter:jsonpipe,records_in," "$T/stderr")" -ge 3 ]'
check "... periodic reports carry only what changed, and the sums are the totals" \
    eval 'rc_is $rc 1 && periodic_nonzero "$T/stderr" && sums_are_stats "$T/stderr" &&
          has "$T/sums" "records_in=12" && has "$T/sums" "rejected=6" && has "$T/sums" "records_out=6"'
check "... the status follows the run: it counts up to the totals" \
    eval 'grep -a "^reporter:status:" "$T/stderr" | sed "s/[^0-9]*\([0-9]*\) records in.*/\1/" | sort -nc &&
          grep -a "^reporter:status:" "$T/stderr" | tail -n 1 | grep -q ": 12 records in, 6 out, 6 rejected$"'
check "... rejection messages and reporter lines never share a line" \
    eval 'well_formed "$T/stderr" && [ "$(grep -ac "^jsonpipe: <stdin>:[0-9]*: missing field \"x\"$" "$T/stderr")" -eq 6 ] &&
          [ "$(grep -acv "^reporter:\|^jsonpipe: <stdin>:\|^{\"records_in\"" "$T/stderr")" -eq 0 ]'

# Reports due every millisecond while rejections are told, at -j 2.
bursts() { for i in $(seq 20); do awk -v i=$i 'BEGIN { for (k = 0; k < 300; k++) print (k % 150 ? "{\"n\":" k "}" : "{x" i) }'; sleep 0.05; done; }
bursts | JSONPIPE_COUNTERS_INTERVAL=1 "$JP" -j 2 --counters hadoop --stats > /dev/null 2> "$T/stderr"
rc=$?
check "1 ms interval with rejections told meanwhile: whole lines, exact sums" \
    eval 'rc_is $rc 1 && well_formed "$T/stderr" && sums_are_stats "$T/stderr" && has "$T/sums" "rejected=40" &&
          [ "$(grep -ac "^jsonpipe: <stdin>:[0-9]*: invalid JSON" "$T/stderr")" -eq 20 ] &&
          [ "$(grep -acv "^reporter:\|^jsonpipe: \|^{\"records_in\"" "$T/stderr")" -eq 0 ]'

# consistent STDERR: every status counts no more records out and rejected
# than in (nothing here makes two records of one), and never goes back.
consistent() {
    grep -a '^reporter:status:' "$1" | tr -dc '0-9 \n' | awk '
        { if ($2 + $3 > $1 || $1 < i || $2 < o || $3 < r) { print "#   " $0; bad = 1 } i = $1; o = $2; r = $3 }
        END { exit bad }'
}
check "... each status line adds up: out and rejected come from the records in" consistent "$T/stderr"
bursts | JSONPIPE_COUNTERS_INTERVAL=1 "$JP" -j 2 --counters hadoop --stats -e "$T/errors.ndjson" \
    > /dev/null 2> "$T/stderr"
rc=$?
check "1 ms interval, -e FILE: the status lines add up, the sums are the totals" \
    eval 'rc_is $rc 1 && consistent "$T/stderr" && sums_are_stats "$T/stderr" && has "$T/sums" "records_in=6000" &&
          [ "$(grep -ac "^reporter:status:" "$T/stderr")" -ge 3 ]'

# --- where records and errors go: -e -, -e FILE, -o FILE ---
"$JP" --counters hadoop --stats -e - "$T/small.ndjson" > "$T/out" 2> "$T/stderr"
rc=$?
check "-e -: error records on stdout, stderr holds only the reports and the stats" \
    eval 'rc_is $rc 1 && sums_are_stats "$T/stderr" && has "$T/sums" "records_out=3" &&
          [ "$(grep -c "\"error\":" "$T/out")" -eq 1 ] && [ "$(grep -acv "^reporter:\|^{\"records_in\"" "$T/stderr")" -eq 0 ]'
"$JP" --counters hadoop --stats -e "$T/errors.ndjson" -o "$T/out.ndjson.gz" "$T/in.ndjson" \
    > "$T/out" 2> "$T/stderr"
rc=$?
check "-o FILE.gz -e FILE: bytes_out is the compressed bytes written, the sums the totals" \
    eval 'rc_is $rc 1 && sums_are_stats "$T/stderr" && ! [ -s "$T/out" ] &&
          has "$T/sums" "bytes_out=$(wc -c < "$T/out.ndjson.gz")" && has "$T/sums" "records_out=29691" &&
          lines "$T/errors.ndjson" 309 && [ "$(grep -acv "^reporter:\|^{\"records_in\"" "$T/stderr")" -eq 0 ]'

# --- runs that end otherwise: an input error, a signal ---
"$JP" --counters hadoop --stats "$T/small.ndjson" "$T/missing.ndjson" > "$T/out" 2> "$T/stderr"
rc=$?
check "an input that cannot be opened: exit 3, the last report still exact" \
    eval 'rc_is $rc 3 && sums_are_stats "$T/stderr" && last_report "$T/stderr" && has "$T/sums" "records_in=4" &&
          has "$T/stderr" "missing.ndjson: "'

if [ -w /dev/full ]; then
    "$JP" --counters hadoop --stats -o /dev/full "$T/in.ndjson" > /dev/null 2> "$T/stderr"
    rc=$?
    check "a write error: exit 3, the last report counts nothing written, as --stats does" \
        eval 'rc_is $rc 3 && sums_are_stats "$T/stderr" && has "$T/sums" "records_out=0" &&
              has "$T/sums" "bytes_out=0" && last_report "$T/stderr" && well_formed "$T/stderr"'
fi
"$JP" --counters hadoop --stats "$T/in.ndjson" 2> "$T/stderr" | head -n 1 > "$T/out"
check "the reader of the output goes away: the reports count what it took, as --stats does" \
    eval 'sums_are_stats "$T/stderr" && last_report "$T/stderr" && ! grep -q "records_out=29691" "$T/sums"'

for sig in TERM INT; do
    { slow; sleep 5; } | JSONPIPE_COUNTERS_INTERVAL=50 "$JP" --counters hadoop --stats > "$T/out" 2> "$T/stderr" &
    pid=$!
    sleep 1
    kill -$sig $pid
    wait $pid
    rc=$?
    want=143; [ $sig = INT ] && want=130
    check "SIG$sig: exit $want, the reports sum to the totals and to what was written" \
        eval 'rc_is $rc $want && sums_are_stats "$T/stderr" && last_report "$T/stderr" &&
              has "$T/sums" "records_out=$(wc -l < "$T/out")" && has "$T/sums" "bytes_out=$(wc -c < "$T/out")" &&
              [ "$(wc -l < "$T/out")" -gt 0 ]'
done

# --- usage ---
usage_case "--counters: 'yarn' is not hadoop" --counters yarn
usage_case "--counters: '' is not hadoop" --counters ''
usage_case "option '--counters' needs an argument" --counters
for v in 0 -1 5s 1.5 86400001 ' 10'; do
    JSONPIPE_COUNTERS_INTERVAL=$v "$JP" --counters hadoop < /dev/null > "$T/out" 2> "$T/stderr"
    rc=$?
    check "JSONPIPE_COUNTERS_INTERVAL='$v': a usage error" \
        eval 'rc_is $rc 2 && has "$T/stderr" "JSONPIPE_COUNTERS_INTERVAL: '"'$v'"' is not a number of milliseconds"'
done
JSONPIPE_COUNTERS_INTERVAL=bad "$JP" < /dev/null > "$T/out" 2> "$T/stderr"
rc=$?
check "without --counters the variable is not looked at" eval 'rc_is $rc 0 && ! [ -s "$T/stderr" ]'

if [ -n "${COMPLETION:-}" ]; then
    got=$(PATH=$(dirname "$JP"):$PATH bash -c 'source "$COMPLETION"; COMP_WORDS=(jsonpipe --counters ""); COMP_CWORD=2
        _jsonpipe; printf "%s " "${COMPREPLY[@]}"')
    check "bash completion of --counters: hadoop" eval '[ "$got" = "hadoop " ] || { echo "#   got: $got"; false; }'
fi
finish
