#!/bin/bash
# e2e.sh: end-to-end tests of the built jsonpipe binary.
#
# Each case runs the real program and checks exact output bytes, error
# records and exit codes. The Makefile sets JSONPIPE (the binary) and
# FIXTURES (tests/fixtures); the fixtures are read in place and everything
# written goes to a temporary directory.
set -u
. "$(dirname "$0")/lib.sh"

# A larger input made here: 20000 records, every 97th one lacking "name".
awk 'BEGIN { for (i = 1; i <= 20000; i++) {
    if (i % 97 == 0) printf "{\"id\":%d}\n", i;
    else printf "{\"id\":%d,\"name\":\"n%d\",\"pad\":\"%0" (i % 50) "d\",\"v\":1.0e%d}\n", i, i, 0, i % 9 } }' \
    > "$T/big.ndjson"

cd "$FIXTURES" || exit 1

# --- the seed pipeline on the mixed fixture ----------------------------------
"$JP" --require id,name --set source=api mixed.ndjson -e "$T/err" > "$T/out"
rc=$?
check "seed pipeline: exit status 1 when records are rejected" rc_is $rc 1
check "seed pipeline: output bytes" same "$T/out" mixed.seed.out
check "seed pipeline: error records" same "$T/err" mixed.seed.errors

"$JP" mixed.seed.out > "$T/out"
rc=$?
check "no processors: valid records pass byte for byte, exit 0" \
    eval 'rc_is $rc 0 && same "$T/out" mixed.seed.out'

"$JP" "$T/big.ndjson" > "$T/out"
check "no processors: a 20000-line input comes out unchanged" same "$T/out" "$T/big.ndjson"

# --- threads and batches do not change the output ------------------------------
for j in 1 2 8; do
    "$JP" -j $j --batch-size 4K --require id,name --set source=api "$T/big.ndjson" \
        -o "$T/out.$j" -e "$T/err.$j"
done
check "-j 1, -j 2 and -j 8 give identical output" \
    eval 'same "$T/out.1" "$T/out.2" && same "$T/out.1" "$T/out.8"'
check "-j 1, -j 2 and -j 8 give identical error records" \
    eval 'same "$T/err.1" "$T/err.2" && same "$T/err.1" "$T/err.8"'
check "the 20000-line input loses 206 records to --require" \
    eval 'lines "$T/out.1" 19794 && lines "$T/err.1" 206'

# --- stdin as a pipe, a regular file and '-' ------------------------------------
sed 's/"file":"mixed.ndjson"/"file":"<stdin>"/' mixed.seed.errors > "$T/stdin.errors"
cat mixed.ndjson | "$JP" --require id,name --set source=api -e "$T/err" > "$T/out"
check "stdin as a pipe" eval 'same "$T/out" mixed.seed.out && same "$T/err" "$T/stdin.errors"'
"$JP" --require id,name --set source=api -e "$T/err" < mixed.ndjson > "$T/out"
check "stdin as a regular file" eval 'same "$T/out" mixed.seed.out && same "$T/err" "$T/stdin.errors"'
"$JP" --require id,name --set source=api -e "$T/err" - < mixed.ndjson > "$T/out"
check "'-' reads stdin" same "$T/out" mixed.seed.out
"$JP" < /dev/null > "$T/out"
rc=$?
check "empty input: no output, exit 0" eval 'rc_is $rc 0 && [ ! -s "$T/out" ]'

# --- several inputs, one missing -------------------------------------------------
rm -f "$T/err" # an input error leaves an existing errors file as it was
"$JP" --require id,name --set source=api mixed.ndjson missing.ndjson mixed.ndjson \
    -e "$T/err" > "$T/out" 2> "$T/stderr"
rc=$?
cat mixed.seed.out mixed.seed.out > "$T/twice.out"
cat mixed.seed.errors mixed.seed.errors > "$T/twice.errors"
check "a missing input is reported, exit 3" \
    eval 'rc_is $rc 3 && has "$T/stderr" "jsonpipe: missing.ndjson: cannot open: No such file or directory"'
check "the other inputs are processed, line numbers per file" \
    eval 'same "$T/out" "$T/twice.out" && same "$T/err" "$T/twice.errors"'

# --- rejections on stderr without --errors --------------------------------------
awk 'BEGIN { for (i = 1; i <= 25; i++) print "{\"id\":" i "}" }' > "$T/nonames.ndjson"
"$JP" --require id,name "$T/nonames.ndjson" > "$T/out" 2> "$T/stderr"
rc=$?
check "without --errors: 20 messages, then a count, exit 1" \
    eval 'rc_is $rc 1 && lines "$T/stderr" 21 &&
          has "$T/stderr" "jsonpipe: $T/nonames.ndjson:20: missing field \"name\"" &&
          has "$T/stderr" "jsonpipe: 5 more rejected records not shown (use --errors FILE to keep them all)"'

# --- over-long lines ----------------------------------------------------------------
{ echo '{"id":1}'; printf '{"id":2,"pad":"%0300d"}\n' 0; echo '{"id":3}'; } > "$T/long.ndjson"
"$JP" --max-line 100 "$T/long.ndjson" -e "$T/err" > "$T/out"
rc=$?
printf '{"id":1}\n{"id":3}\n' > "$T/want"
check "--max-line: the long line is rejected, the next one passes" \
    eval 'rc_is $rc 1 && same "$T/out" "$T/want" &&
          has "$T/err" "\"line\":2,\"offset\":9,\"stage\":\"parse\",\"error\":\"line of 317 bytes is longer than --max-line 100\"" &&
          has "$T/err" "\"truncated\":true"'

# --- processors' arguments -------------------------------------------------------------
echo '{"a":1}' | "$JP" --set 'm:= { "k" : [1, 2.50] }' --set 'a=x' > "$T/out"
printf '{"a":"x","m":{"k":[1,2.50]}}\n' > "$T/want"
check "--set FIELD:=JSON is compacted onto one line" same "$T/out" "$T/want"
echo '{"user":{"id":1}}' | "$JP" --set user.tier=gold --require user.tier > "$T/out"
printf '{"user":{"id":1,"tier":"gold"}}\n' > "$T/want"
check "--set and --require reach nested fields" same "$T/out" "$T/want"

# --- usage errors exit 2 -----------------------------------------------------------------
usage_case "jsonpipe: unknown option '--nope'" --nope
usage_case "jsonpipe: option '--require' needs an argument" --require
usage_case "jsonpipe: --set: expected FIELD=VALUE or FIELD:=JSON" --set novalue
usage_case "jsonpipe: --set: invalid JSON at column 2: unexpected end of the value, expected a string key or '}'" --set 'a:={'
usage_case "jsonpipe: --require: empty component in field \"a..b\"" --require a..b
usage_case "jsonpipe: --threads: '0' is not a number from 1 to 1024" -j 0
usage_case "jsonpipe: --max-memory: '10x' is not a size" --max-memory 10x
usage_case "jsonpipe: --max-line must be between 1 and a quarter of --max-memory" \
    --max-memory 4M --max-line 2M

# --- help, version, man page -------------------------------------------------------------
"$JP" --help > "$T/help"
rc=$?
check "--help exits 0 and lists the processors" \
    eval 'rc_is $rc 0 && has "$T/help" "--require FIELDS" && has "$T/help" "--set FIELD=VALUE"'
# Each option of --help must head an entry of the man page (a .B, .BI or
# .BR line naming it), and the page must pass the formatter's lint.
missing=""
for opt in $(grep -oE -- '--[a-z][a-z-]+' "$T/help" | sort -u); do
    grep -qE -- "^\.B[IR]? (.*[ ,])?${opt//-/\\\\-}( |$)" "$MANPAGE" || missing="$missing $opt"
done
check "every option in --help heads an entry in the man page" \
    eval '[ -z "$missing" ] || { echo "#   missing:$missing"; false; }'
if command -v mandoc > /dev/null; then
    mandoc -Tlint -Wwarning "$MANPAGE" > "$T/lint" 2>&1
else
    groff -ww -z -man "$MANPAGE" > "$T/lint" 2>&1
fi
check "the man page is lint-clean" eval '! [ -s "$T/lint" ] || { sed "s/^/#   /" "$T/lint"; false; }'

# Bash completion offers every option of --help, and files where one is due.
complete_words() {
    bash -c 'source "$COMPLETION"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _jsonpipe
             printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
grep -oE -- '--[a-z][a-z-]+' "$T/help" | sort -u > "$T/help.opts"
(PATH=$(dirname "$JP"):$PATH complete_words jsonpipe --) | sort > "$T/completed"
check "bash completion offers every --help option" same "$T/help.opts" "$T/completed"
(cd "$FIXTURES" && PATH=$(dirname "$JP"):$PATH complete_words jsonpipe -o mixed.nd) | LC_ALL=C sort > "$T/completed"
check "bash completion offers file names after -o" \
    eval '[ "$(cat "$T/completed")" = "$(printf "mixed.ndjson\nmixed.ndjson.gz\nmixed.ndjson.zst")" ]'
check "--help fits 80 columns" eval '[ "$(awk "length > 80" "$T/help" | wc -l)" -eq 0 ]'
check "--help gives each option one line, with its text" \
    eval '[ "$(grep -cE "^  (-[a-zA-Z], |    )--" "$T/help")" -eq 41 ] &&
          [ "$(grep -E "^  (-[a-zA-Z], |    )--" "$T/help" | awk "length <= 30" | wc -l)" -eq 0 ]'
check "--help groups options: input and output, validate, filter, enrich, reshape, tuning, information" \
    eval '[ "$(grep -E "^ *[A-Z][a-z ]*:$" "$T/help" | tr -d " " | tr "\n" " ")" = "Inputandoutput: Validate: Filter: Enrich: Reshape: Tuning: Information: " ]'
"$JP" --version > "$T/out"
check "--version names the version and the kernel" \
    eval 'grep -qE "^jsonpipe [0-9]+\.[0-9]+\.[0-9]+ \(JSON scanner: (avx512|avx2|sse42|scalar|yajl)\)$" "$T/out"'

# --- --stats ------------------------------------------------------------------------------
"$JP" --stats --require id,name --set source=api mixed.ndjson > /dev/null 2> "$T/stderr"
check "--stats counts records and stages" \
    eval 'has "$T/stderr" "{\"records_in\":12,\"records_out\":6,\"rejected\":6,\"dropped\":0,\"blank_lines\":2,\"bytes_in\":" &&
          has "$T/stderr" "\"stages\":[{\"name\":\"parse\",\"records_in\":12,\"records_out\":8,\"rejected\":4," &&
          has "$T/stderr" "{\"name\":\"require\",\"records_in\":8,\"records_out\":6,\"rejected\":2," &&
          has "$T/stderr" "{\"name\":\"set\",\"records_in\":6,\"records_out\":6,\"rejected\":0," &&
          has "$T/stderr" "\"peak_rss_bytes\":"'

# --- the output side -------------------------------------------------------------------------
"$JP" "$T/big.ndjson" 2> "$T/stderr" | head -1 > "$T/out"
rc=${PIPESTATUS[0]}
check "a closed stdout (| head -1) ends the run quietly" \
    eval 'rc_is $rc 0 && [ ! -s "$T/stderr" ] && lines "$T/out" 1'
"$JP" mixed.seed.out > /dev/full 2> "$T/stderr"
rc=$?
check "a full disk is a clear error, exit 3" \
    eval 'rc_is $rc 3 && has "$T/stderr" "jsonpipe: <stdout>: write error: No space left on device"'
"$JP" mixed.seed.out -o "$T/no/such/dir/out" 2> "$T/stderr"
rc=$?
check "an output that cannot be opened exits 3" \
    eval 'rc_is $rc 3 && has "$T/stderr" "cannot open for writing"'

# --- streams: latency, signals, a slow consumer -----------------------------------------------
{ echo '{"id":1}'; sleep 3; echo '{"id":2}'; } | "$JP" --require id > "$T/out" &
pid=$!
sleep 1
check "a record from a slow producer comes out before the input ends" lines "$T/out" 1
wait $pid

for sig in TERM INT; do
    { cat mixed.seed.out; sleep 5; } | "$JP" > "$T/out" &
    pid=$!
    sleep 1
    kill -$sig $pid
    wait $pid
    rc=$?
    want=143; [ $sig = INT ] && want=130
    check "SIG$sig: what was read is written whole, exit $want" \
        eval 'rc_is $rc $want && same "$T/out" mixed.seed.out'
done

# A signal while a regular file is read (larger than the cap, so reading is
# still going on): exit 143, and an exact prefix of the output that ends at
# a record boundary.
for i in $(seq 64); do cat "$T/big.ndjson"; done > "$T/big64.ndjson"
"$JP" "$T/big64.ndjson" > "$T/full"
{ "$JP" --max-memory 4M "$T/big64.ndjson"; echo $? > "$T/rc"; } | { sleep 1; cat; } > "$T/out" &
sleep 0.5
kill -TERM "$(pgrep -n -f "$T/big64.ndjson")" 2> /dev/null
wait
size=$(wc -c < "$T/out")
check "SIGTERM while reading a file: exit 143, a strict prefix of the output, whole records" \
    eval '[ "$(cat "$T/rc")" = 143 ] && [ "$size" -gt 0 ] && [ "$size" -lt "$(wc -c < "$T/full")" ] &&
          cmp -s -n "$size" "$T/out" "$T/full" && [ "$(tail -c 1 "$T/out" | od -An -c | tr -d " ")" = "\\n" ]'
rm -f "$T/big64.ndjson" "$T/full"

# 64 MB through a 4 MB cap into a consumer that sleeps before reading.
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32; do
    cat "$T/big.ndjson"
done > "$T/huge.ndjson"
"$JP" --max-memory 4M --stats "$T/huge.ndjson" 2> "$T/stderr" | { sleep 2; cat > "$T/out"; }
check "a slow consumer pauses the input: peak RSS under 32 MB with --max-memory 4M" \
    peak_rss_under "$T/stderr" 33554432
check "... and every record arrives" same "$T/out" "$T/huge.ndjson"
rm -f "$T/huge.ndjson" "$T/out"
# peak_rss_bytes is jsonpipe's own, not that of a big process that exec'd
# it (as a Dask or Hadoop worker does): here one of 300 MB.
perl -e '$x = "a" x 300e6; exec @ARGV' "$JP" --stats /dev/null 2> "$T/stderr"
check "peak RSS is jsonpipe's own, not that of the 300 MB process it was exec'd from" \
    peak_rss_under "$T/stderr" 104857600

finish
