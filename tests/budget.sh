#!/bin/bash
# budget.sh: --max-rejects, the error budget: counts and percentages on
# both sides of the boundary with the exact exit status, -e and stderr still
# getting every rejection, the message past the budget, input errors,
# signals and usage errors keeping their own status, and the values refused.
set -u
. "$(dirname "$0")/lib.sh"

# Ten records, three of them rejected by --require id (lines 2, 5 and 9).
printf '{"id":1}\n{"x":2}\n{"id":3}\n{"id":4}\n{"x":5}\n{"id":6}\n{"id":7}\n{"id":8}\n[9]\n{"id":10}\n' > "$T/in"
printf '{"id":1}\n{"id":3}\n{"id":4}\n{"id":6}\n{"id":7}\n{"id":8}\n{"id":10}\n' > "$T/good"

# run BUDGET [ARGS...]: the ten records through --require id; rc, out, stderr.
run() {
    local budget=$1; shift
    "$JP" --require id --max-rejects "$budget" "$@" "$T/in" > "$T/out" 2> "$T/stderr"
    rc=$?
}

for b in 3 4 1000 30% 30.000001% 35% 100%; do
    run "$b"
    check "--max-rejects $b: 3 of 10 rejected is within, exit 0, the same records out" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/good" && [ "$(grep -c "missing field\|not an object" "$T/stderr")" -eq 3 ] &&
              ! grep -q "max-rejects" "$T/stderr"'
done
for b in 0 1 2 0% 10% 29.999999% 29%; do
    run "$b"
    check "--max-rejects $b: 3 of 10 rejected is over, exit 1, the same records out" \
        eval 'rc_is $rc 1 && same "$T/out" "$T/good"'
done
run 2
check "over a count: the message says how many of how many, and what was allowed" \
    eval 'has "$T/stderr" "jsonpipe: 3 of 10 records rejected, more than --max-rejects 2 allows (2)"'
run 29.5%
check "over a percentage: P% of records_in, rounded down, is what was allowed" \
    eval 'has "$T/stderr" "jsonpipe: 3 of 10 records rejected, more than --max-rejects 29.5% allows (2)"'
"$JP" --require id "$T/in" > "$T/out" 2> "$T/stderr"
rc=$?
check "without --max-rejects any rejection exits 1, and no budget is told" \
    eval 'rc_is $rc 1 && ! grep -q "max-rejects" "$T/stderr"'
run 0 -e "$T/bad"
check "--max-rejects 0 is no flag at all: exit 1" rc_is $rc 1

# -e gets every rejected record, within the budget and past it.
for b in 3 2; do
    run "$b" -e "$T/bad"
    "$JP" --select line,stage "$T/bad" > "$T/lines"
    printf '{"line":2,"stage":"require"}\n{"line":5,"stage":"require"}\n{"line":9,"stage":"require"}\n' > "$T/want"
    check "--max-rejects $b -e FILE: every rejected record in FILE, none on stderr but the budget's" \
        eval 'same "$T/lines" "$T/want" && [ "$(grep -vc "max-rejects" "$T/stderr")" -eq 0 ]'
done

# Parse errors, over-long lines and processors' rejections all count;
# dropped records and blank lines do not.
printf '{"id":1}\nnot json\n\n\n{"id":2,"level":"debug"}\n{"id":3}\n' > "$T/mixed"
"$JP" --filter 'level != "debug"' --max-rejects 1 "$T/mixed" > "$T/out" 2> /dev/null
rc=$?
check "a parse error is one rejection; drops and blank lines are none" \
    eval 'rc_is $rc 0 && [ "$(cat "$T/out")" = "$(printf "{\"id\":1}\n{\"id\":3}")" ]'
printf '{"id":1}\n{"id":2,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}\n' > "$T/long"
"$JP" --max-line 16 --max-rejects 50% "$T/long" > /dev/null 2>&1
rc=$?
check "an over-long line is a rejected record of records_in: 1 of 2 is 50%" rc_is $rc 0
"$JP" --max-line 16 --max-rejects 49.999999% "$T/long" > /dev/null 2>&1
rc=$?
check "... and 49.999999% of 2 allows none" rc_is $rc 1

# The percentage is of records_in, the lines read, or of the records
# --explode made of them where it made more.
echo '{"t":[1,2,3]}' | "$JP" --explode t --require x --max-rejects 100% > /dev/null 2> "$T/stderr"
rc=$?
check "--explode: 3 rejected of the 3 records made of 1 line are within 100%" rc_is $rc 0
printf '{"t":[1,2,3]}\n{"t":[4],"x":1}\n' | "$JP" --explode t --require x --max-rejects 50% > /dev/null 2> "$T/stderr"
rc=$?
check "--explode: 3 rejected of 4 records made is over 50%, said of the 4" \
    eval 'rc_is $rc 1 && has "$T/stderr" "3 of 4 records rejected, more than --max-rejects 50% allows (2)"'
printf '{"t":[1,2,3]}\n{"t":[4],"x":1}\n' | "$JP" --explode t --require x --max-rejects 75% > /dev/null 2>&1
rc=$?
check "--explode: ... and within 75%" rc_is $rc 0
echo '{"t":[1,2,3]}' | "$JP" --explode t --require x --max-rejects 3 > /dev/null 2>&1
rc=$?
check "--explode: a count of 3 allows the 3" rc_is $rc 0

# No records: no rejection, whatever the budget.
for b in 0 0% 50%; do
    "$JP" --max-rejects "$b" < /dev/null > "$T/out" 2> "$T/stderr"
    rc=$?
    check "--max-rejects $b on empty input: exit 0, nothing written" \
        eval 'rc_is $rc 0 && [ ! -s "$T/out" ] && [ ! -s "$T/stderr" ]'
done

# Input and output errors, and signals, keep their status within a budget.
"$JP" --require id --max-rejects 100% "$T/in" "$T/no-such-file" -e "$T/bad" > "$T/out" 2> "$T/stderr"
rc=$?
check "an input error within the budget: exit 3, the other input's records and errors kept" \
    eval 'rc_is $rc 3 && same "$T/out" "$T/good" && lines "$T/bad" 3 && has "$T/stderr" "no-such-file"'
"$JP" --require id --max-rejects 1 "$T/in" "$T/no-such-file" > /dev/null 2> "$T/stderr"
rc=$?
check "an input error over the budget: exit 3, and no word of the budget (the run failed for the input)" \
    eval 'rc_is $rc 3 && ! grep -q "max-rejects" "$T/stderr"'
if [ -w /dev/full ]; then
    "$JP" --require id --max-rejects 100% "$T/in" > /dev/full 2> /dev/null
    rc=$?
    check "a write error within the budget: exit 3" rc_is $rc 3
fi
{ cat "$T/in"; sleep 5; } | "$JP" --require id --max-rejects 100% > "$T/out" 2> /dev/null &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM within the budget: exit 143, what was read written" \
    eval 'rc_is $rc 143 && same "$T/out" "$T/good"'
"$JP" --require id --max-rejects 3 "$T/in" 2> /dev/null | head -1 > "$T/out"
check "a closed output: the budget decides, exit 0" rc_is "${PIPESTATUS[0]}" 0

# The values it refuses, each a usage error that says why.
usage_case "--max-rejects: '-1' is negative" --max-rejects -1
usage_case "--max-rejects: '-5%' is negative" --max-rejects -5%
usage_case "--max-rejects: '101%' is more than 100%" --max-rejects 101%
usage_case "--max-rejects: '100.5%' is more than 100%" --max-rejects 100.5%
usage_case "--max-rejects: '0.1234567%' has more than 6 decimals" --max-rejects 0.1234567%
usage_case "--max-rejects: '18446744073709551616' is too large a count" --max-rejects 18446744073709551616
for junk in '' abc 5x '5%x' '5%%' '5 ' ' 5' '+5' 0x10 1e3 '5.%' '.5%' 5.5 '%'; do
    usage_case "--max-rejects: '$junk' is not a count (N) or a percentage (P%, 0 to 100)" --max-rejects "$junk"
done
usage_case "option '--max-rejects' needs an argument" --max-rejects
"$JP" --max-rejects 5 --max-rejects abc < /dev/null > /dev/null 2>&1
rc=$?
check "a bad --max-rejects after a good one is still a usage error" rc_is $rc 2

finish
