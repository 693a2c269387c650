#!/bin/bash
# limits.sh: hostile inputs and a hostile system. Nesting limits, a line of
# a million '[', a 1 GB line, NUL bytes and bad UTF-8 in context; inputs
# that cannot be read or vanish mid-run; 10,000 inputs under a small
# descriptor limit; SIGINT and SIGTERM on a file being read.
set -u
. "$(dirname "$0")/lib.sh"

# --- nesting ---------------------------------------------------------------------------------
nest() { printf "%${1}s" | tr ' ' '['; printf "%${1}s" | tr ' ' ']'; echo; }
{ nest 512; nest 513; } > "$T/deep.ndjson"
"$JP" -e "$T/err" "$T/deep.ndjson" > "$T/out"
rc=$?
check "--max-depth defaults to 512: 512 levels pass, 513 are rejected with a reason" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "$(nest 512)" ] && lines "$T/err" 1 &&
          has "$T/err" "\"line\":2,\"offset\":1025,\"stage\":\"parse\",\"error\":\"invalid JSON at column 513: nesting too deep (see --max-depth)\""'
printf '{"a":{"b":1}}\n{"a":{"b":[1]}}\n[[1]]\n' > "$T/in"
"$JP" --max-depth 2 "$T/in" > "$T/out" 2> "$T/stderr"
rc=$?
check "--max-depth 2 keeps two levels and rejects a third" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "$(printf "{\"a\":{\"b\":1}}\n[[1]]")" ] &&
          has "$T/stderr" "$T/in:2: invalid JSON at column 11: nesting too deep (see --max-depth)"'
usage_case "--max-depth: '0' is not a number from 1 to 100000" --max-depth 0
usage_case "--max-depth: 'x' is not a number from 1 to 100000" --max-depth x

{ head -c 1000000 /dev/zero | tr '\0' '['; echo; echo '{"after":1}'; } > "$T/brackets"
"$JP" --stats "$T/brackets" > "$T/out" 2> "$T/stderr"
rc=$?
check "a line of a million '[' is rejected at the depth limit; the next line passes" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "{\"after\":1}" ] &&
          has "$T/stderr" "$T/brackets:1: invalid JSON at column 513: nesting too deep"'
check "... in bounded memory (peak RSS under 64 MB)" peak_rss_under "$T/stderr" 67108864
"$JP" --max-depth 100000 "$T/brackets" > /dev/null 2> "$T/stderr"
check "... and at --max-depth 100000 too, without a crash" \
    eval 'has "$T/stderr" "$T/brackets:1: invalid JSON at column 100001: nesting too deep"'
rm -f "$T/brackets"

# --- a 1 GB line under the default --max-line (16M) ---------------------------------------------
{ echo '{"n":1}'; head -c 1073741824 /dev/zero | tr '\0' 'a'; echo; echo '{"n":2}'; } |
    "$JP" --stats > "$T/out" 2> "$T/stderr"
rc=$?
check "a 1 GB line is rejected without being held; the lines around it pass" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "$(printf "{\"n\":1}\n{\"n\":2}")" ] &&
          has "$T/stderr" "<stdin>:2: line of 1073741824 bytes is longer than --max-line"'
check "... in bounded memory (peak RSS under 128 MB)" peak_rss_under "$T/stderr" 134217728

# --- NUL bytes and bad UTF-8: each line rejected alone, with its exact bytes kept ---------------
printf '{"a":"x\0y"}\n\0\n{"a":"\\u0000"}\n{"a":"\xc0\x80"}\n{"a":"\\ud800"}\n{"a":"\xff"}\n{"ok":1}\n' > "$T/bytes"
"$JP" -e "$T/err" "$T/bytes" > "$T/out"
rc=$?
check "escaped NUL and lone surrogate escapes pass byte for byte" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "$(printf "{\"a\":\"\\\\u0000\"}\n{\"a\":\"\\\\ud800\"}\n{\"ok\":1}")" ]'
check "a raw NUL in a string or alone on a line is rejected" \
    eval 'has "$T/err" "{\"file\":\"$T/bytes\",\"line\":1,\"offset\":0,\"stage\":\"parse\",\"error\":\"invalid JSON at column 8: control character U+0000 in a string (write it as an escape)\",\"record\":\"{\\\"a\\\":\\\"x\\u0000y\\\"}\"}" &&
          has "$T/err" "\"line\":2,\"offset\":12,\"stage\":\"parse\",\"error\":\"invalid JSON at column 1: unexpected control character U+0000, expected a value\",\"record\":\"\\u0000\"}"'
fffd=$(printf '\xef\xbf\xbd')
check "an overlong encoding is rejected; the error record keeps its bytes in base64" \
    eval 'has "$T/err" "\"line\":4,\"offset\":29,\"stage\":\"parse\",\"error\":\"invalid JSON at column 7: overlong UTF-8 encoding\",\"record\":\"{\\\"a\\\":\\\"$fffd$fffd\\\"}\",\"record_base64\":\"eyJhIjoiwIAifQ==\"}"'
check "invalid UTF-8 is rejected" eval 'has "$T/err" "\"line\":6,\"offset\":55,\"stage\":\"parse\",\"error\":\"invalid JSON at column 7: invalid UTF-8 byte 0xFF\""'
check "every bad line is accounted for" lines "$T/err" 4
printf '{"a":"\\ud800x","\\udc00":1}\n' > "$T/lone"
"$JP" --filter 'a == "\ufffdx"' --schema <(echo '{"required":["\ufffd"],"properties":{"a":{"const":"\ufffdx"}}}') \
    "$T/lone" > "$T/out"
check "a lone surrogate escape reads as U+FFFD to --filter and --schema, and is written as it was" \
    same "$T/out" "$T/lone"

# --- inputs that cannot be read ------------------------------------------------------------------
echo '{"id":1}' > "$T/good.ndjson"
mkdir "$T/adir"
"$JP" "$T/good.ndjson" "$T/adir" "$T/good.ndjson" > "$T/out" 2> "$T/stderr"
rc=$?
check "a directory as input is reported, the others are read, exit 3" \
    eval 'rc_is $rc 3 && lines "$T/out" 2 && has "$T/stderr" "jsonpipe: $T/adir: read error: Is a directory"'
if [ "$(id -u)" != 0 ]; then
    cp "$T/good.ndjson" "$T/locked.ndjson"
    chmod 000 "$T/locked.ndjson"
    "$JP" "$T/locked.ndjson" "$T/good.ndjson" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "an unreadable input is reported, the others are read, exit 3" \
        eval 'rc_is $rc 3 && lines "$T/out" 1 && has "$T/stderr" "jsonpipe: $T/locked.ndjson: cannot open: permission denied"'
else
    echo "ok - an unreadable input is reported # SKIP root reads any file (the directory case above covers the path)"
fi
# An input that vanishes while an earlier one is still being read.
mkfifo "$T/fifo"
cp "$T/good.ndjson" "$T/victim.ndjson"
"$JP" "$T/fifo" "$T/victim.ndjson" "$T/good.ndjson" > "$T/out" 2> "$T/stderr" &
pid=$!
{ echo '{"id":0}'; sleep 1; rm "$T/victim.ndjson"; } > "$T/fifo"
wait $pid
rc=$?
check "an input removed during the run is reported, the others are read, exit 3" \
    eval 'rc_is $rc 3 && [ "$(cat "$T/out")" = "$(printf "{\"id\":0}\n{\"id\":1}")" ] &&
          has "$T/stderr" "jsonpipe: $T/victim.ndjson: cannot open: No such file or directory"'

# --- 10,000 inputs under a limit of 64 descriptors -----------------------------------------------
mkdir "$T/many"
(cd "$T/many" && seq -w 1 10000 | awk '{ f = $1 ".ndjson"; printf "{\"n\":%d}\n", $1 > f; close(f) }')
(ulimit -n 64 && "$JP" --stats "$T"/many/*.ndjson > "$T/out" 2> "$T/stderr")
rc=$?
seq 1 10000 | awk '{ printf "{\"n\":%d}\n", $1 }' > "$T/want"
check "10,000 small inputs in one run with 64 descriptors: every record, in order" \
    eval 'rc_is $rc 0 && same "$T/out" "$T/want" && has "$T/stderr" "\"records_in\":10000,"'
rm -rf "$T/many"

# --- SIGINT and SIGTERM while a file is read -------------------------------------------------------
awk 'BEGIN { for (i = 1; i <= 400000; i++) printf "{\"id\":%d,\"pad\":\"%040d\"}\n", i, i }' > "$T/big"
"$JP" "$T/big" > "$T/full"
for sig in INT TERM; do
    { "$JP" --max-memory 4M "$T/big"; echo $? > "$T/rc"; } | { sleep 2; cat; } > "$T/out" &
    # The signal comes once records are being written (the 4M cap and the
    # sleeping reader keep the run from getting far), however slow the
    # machine. Writes, not reads, tell: a large file is mapped, not read.
    pid=$(pid_writing "$JP --max-memory 4M $T/big")
    kill -$sig "$pid" 2> /dev/null
    wait
    want=143; [ $sig = INT ] && want=130
    size=$(wc -c < "$T/out")
    check "SIG$sig mid-file: exit $want, output a strict prefix ending at a record boundary" \
        eval '[ "$(cat "$T/rc")" = $want ] && [ "$size" -gt 0 ] && [ "$size" -lt "$(wc -c < "$T/full")" ] &&
              cmp -s -n "$size" "$T/out" "$T/full" && [ -z "$(tail -c 1 "$T/out" | tr -d "\n")" ]'
done
finish
