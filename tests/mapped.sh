#!/bin/bash
# mapped.sh: a large plain file is framed from mapped windows, and what
# comes out is what a pipe of the same bytes gives, byte for byte: records,
# error records with their lines and offsets, counts and exit status.
# Lines that cross windows, a last line with no newline, CRLF, a byte order
# mark, lines longer than a window (reads take over) and longer than
# --max-line, and a mapped file among small ones.
set -u
. "$(dirname "$0")/lib.sh"

# Windows of 4 KiB: every file here of 16 KiB or more is mapped.
B="--batch-size 4096"

# gen N: N records, a bad one in 97, a 3 KB one in 250 (it crosses a
# window), CRLF on one in 13.
gen() {
    awk -v n="$1" 'BEGIN {
        pad = sprintf("%3000s", ""); gsub(/ /, "x", pad)
        for (i = 1; i <= n; i++) {
            if (i % 97 == 0) printf "{\"id\":%d,\"bad\":tru}\n", i
            else if (i % 250 == 0) printf "{\"id\":%d,\"name\":\"%s\"}\n", i, pad
            else if (i % 13 == 0) printf "{\"id\":%d,\"name\":\"n%d\"}\r\n", i, i
            else if (i % 7 == 0) printf "{\"id\":%d}\n", i
            else printf "{\"id\":%d,\"name\":\"n%d\"}\n", i, i
        } }'
}

# both NAME FILE ARGS...: jsonpipe ARGS on FILE, and on a pipe of it, give
# the same records, error records (the file named as stdin is) and counts.
both() {
    local name=$1 file=$2
    shift 2
    "$JP" $B "$@" --stats -e "$T/err.m" "$file" > "$T/out.m" 2> "$T/stats.m"
    local rc_m=$?
    cat "$file" | "$JP" $B "$@" --stats -e "$T/err.p" > "$T/out.p" 2> "$T/stats.p"
    local rc_p=$?
    sed -i "s|\"file\":\"$file\"|\"file\":\"<stdin>\"|" "$T/err.m"
    counts() { sed -n 's/.*\("records_in":[0-9]*,"records_out":[0-9]*,"rejected":[0-9]*\).*\("bytes_in":[0-9]*\).*/\1 \2/p' "$1"; }
    check "$name: the same records as from a pipe" same "$T/out.m" "$T/out.p"
    check "$name: the same error records" same "$T/err.m" "$T/err.p"
    check "$name: the same counts and exit status" \
        eval '[ "$rc_m" = "$rc_p" ] && [ -n "$(counts "$T/stats.m")" ] && [ "$(counts "$T/stats.m")" = "$(counts "$T/stats.p")" ]'
}

gen 3000 > "$T/big"
both "3,000 lines in 4 KiB windows" "$T/big" --require name
check "and the bad lines are all there, with their numbers" \
    eval '[ "$(grep -c "\"stage\":\"parse\"" "$T/err.m")" = 30 ] && has "$T/err.m" "\"line\":2910,"'

# A window's lines are counted by its worker, which numbers its error
# records once the windows before it are counted (linemark.h): with four
# threads they finish in any order, and each record keeps its line, in
# every form the numbers take.
both "four threads" "$T/big" -j 4 --require name
# Text errors show the first 20: here they lie past the first read.
{ awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "{\"id\":%d,\"name\":\"g\"}\n", i }'; cat "$T/big"; } > "$T/late"
"$JP" $B -j 4 --require name "$T/late" 2>&1 > /dev/null | sed "s|^jsonpipe: $T/late:|jsonpipe: <stdin>:|" > "$T/text.m"
cat "$T/late" | "$JP" $B -j 4 --require name 2> "$T/text.p" > /dev/null
check "four threads: the same error lines on stderr" \
    eval 'same "$T/text.m" "$T/text.p" && has "$T/text.m" "jsonpipe: <stdin>:2140: missing field"'
"$JP" $B -j 4 --require name -e "$T/sm/{stage}-{line}.err" "$T/big" > /dev/null
cat "$T/big" | "$JP" $B -j 4 --require name -e "$T/sp/{stage}-{line}.err" > /dev/null
listing() { (cd "$1" && for f in *; do echo "$f"; sed 's/"file":"[^"]*"/"file":"-"/' "$f"; done); }
check "error files named by their line: the same files, each its record" \
    eval '[ "$(listing "$T/sm")" = "$(listing "$T/sp")" ] && [ -s "$T/sm/parse-2910.err" ] &&
          [ "$(ls "$T/sm" | wc -l)" = 421 ]'
both "a CPU-heavy chain, its lines counted first" "$T/big" -j 4 --filter '.id != 5' --require name
both "line numbers in the records (--meta)" "$T/big" -j 4 --meta src.line=line --require name
check "and each record has its own" has "$T/out.m" '{"id":2911,"name":"n2911","src":{"line":2911}}'
"$JP" $B -j 4 -e "$T/err" "$T/big" "$T/big" > /dev/null
check "a mapped file after a mapped file numbers its lines from 1" \
    eval '[ "$(grep -c "\"line\":97," "$T/err")" = 2 ] && [ "$(grep -c "\"line\":2910," "$T/err")" = 2 ]'

# Lines expanded into records, some rejected, and some that expand into
# too much and are given up, their error records taken back: a chain that
# expands numbers each window before its walk.
awk 'BEGIN { pad = sprintf("%1500s", ""); gsub(/ /, "p", pad)
    for (i = 1; i <= 4000; i++) {
        if (i % 101 == 0) { a = "1"; for (k = 2; k <= 400; k++) a = a "," k
            printf "{\"id\":%d,\"pad\":\"%s\",\"a\":[%s]}\n", i, pad, a }
        else if (i % 89 == 0) printf "{\"id\":%d,\"a\":[1,{\"x\":1},2,tru]}\n", i
        else if (i % 7 == 0) printf "{\"id\":%d,\"a\":[1,\"s\",{\"y\":2}]}\n", i
        else printf "{\"id\":%d,\"a\":[%d]}\n", i, i } }' > "$T/expands"
both "expanded lines, some given up" "$T/expands" -j 4 --max-memory 1M --explode a --types a=number
check "and those given up are named by their lines" \
    eval '[ "$(grep -c "expands into more than" "$T/err.m")" = 39 ] &&
          grep -q "\"line\":3939,\"offset\":[0-9]*,\"stage\":\"explode\",\"error\":\"expands into more" "$T/err.m"'

if command -v strace > /dev/null && strace -f -o /dev/null true 2> /dev/null; then
    # maps FILE: the plain read-only mappings (not a library's) of a run on
    # FILE.
    maps() {
        strace -f -e trace=mmap -o "$T/trace" "$JP" $B "$1" > /dev/null 2>&1
        grep -c "PROT_READ, MAP_PRIVATE, [0-9]" "$T/trace"
    }
    head -c 8000 "$T/big" | sed '$d' > "$T/small"
    small=$(maps "$T/small")
    check "a file of many batches is mapped, a region of them at a time" \
        eval '[ "$(maps "$T/big")" -ge $((small + 2)) ]'
    check "a file of a few batches is read, not mapped" eval '[ "$(maps "$T/small")" = "$small" ] && [ "$small" -le 1 ]'
else
    echo "ok - a file of many batches is mapped # SKIP no strace"
fi

# No newline at the end.
head -c -1 "$T/big" > "$T/nonl"
both "the last line without a newline" "$T/nonl" --set seen=1

# A byte order mark, then records.
{ printf '\xef\xbb\xbf'; cat "$T/big"; } > "$T/bom"
both "a byte order mark first" "$T/bom" --require id

# A line longer than a window: reads take over from there.
{ gen 500; printf '{"id":"long","name":"%s"}\n' "$(head -c 20000 /dev/zero | tr '\0' y)"; gen 500; } > "$T/wide"
both "a line longer than a window" "$T/wide" --require name

# A line longer than --max-line, itself at least a window.
both "a line longer than --max-line" "$T/wide" --max-line 8192 --require name
check "it is rejected as over-long" has "$T/err.m" "line of 20023 bytes is longer than --max-line 8K"

# A mapped file among small ones: each line keeps its file and number.
printf '{"id":"a1"}\n{"id":\n' > "$T/a"
printf '{"id":"c1"}\nnope\n' > "$T/c"
"$JP" $B -e "$T/err" "$T/a" "$T/big" "$T/c" > "$T/out"
{ cat "$T/a" "$T/big" "$T/c" | "$JP" $B -e /dev/null; } > "$T/want"
check "small, large and small files: the records in order" same "$T/out" "$T/want"
check "and each error names its file and line" \
    eval 'has "$T/err" "\"file\":\"$T/a\",\"line\":2," && has "$T/err" "\"file\":\"$T/big\",\"line\":97," &&
          has "$T/err" "\"file\":\"$T/c\",\"line\":2,"'

# Standard input that is a regular file is mapped too, and left at its end.
{ "$JP" $B; echo "after: $(cat | wc -c)"; } < "$T/big" > "$T/out" 2> /dev/null
"$JP" $B "$T/big" > "$T/want" 2> /dev/null
echo "after: 0" >> "$T/want"
check "standard input from a file: the same records, and nothing left to read" same "$T/out" "$T/want"

# A file that grows while read: its last line, unfinished when the windows
# reach it, is left to reads, which take the rest of it. The consumer
# sleeps, so the run is far from the end when the line is finished.
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "{\"id\":%d}\n", i }' > "$T/grows"
printf '{"id":99999,"na' >> "$T/grows"
{ "$JP" $B -j 1 -e "$T/err" "$T/grows"; echo $? > "$T/rc"; } | { sleep 1; cat; } > "$T/out" &
sleep 0.4
printf 'me":"x"}\n' >> "$T/grows"
wait
check "a file that grows while read: its unfinished last line is read whole, once" \
    eval '[ "$(cat "$T/rc")" = 0 ] && [ ! -s "$T/err" ] && lines "$T/out" 20001 &&
          [ "$(tail -n 1 "$T/out")" = "{\"id\":99999,\"name\":\"x\"}" ]'

# A file that shrinks under batches mapped and not yet parsed: they are
# not written, an input error says which lines were lost, and no SIGBUS.
# Five records a window take PCRE2's match limit, so a window takes long
# to parse; once the first batch is written, the next ones are mapped.
awk 'BEGIN { for (i = 1; i <= 2400; i++)
    printf "{\"i\":%d,\"s\":\"%s\"}\n", i, i % 40 ? "x" : "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" }' > "$T/slow"
slow=(--batch-size 4096 -j 1 -e /dev/null --filter '!(.s =~ "(a|a)+$" ?? false)')
"$JP" "${slow[@]}" "$T/slow" > "$T/full"
cp "$T/slow" "$T/shrinks"
{ "$JP" "${slow[@]}" "$T/shrinks" 2> "$T/stderr"; echo $? > "$T/rc"; } > "$T/out" &
# Records, not the bytes libuv writes to its own pipes at start-up.
for i in $(seq 200); do [ -s "$T/out" ] && break; sleep 0.05; done
: > "$T/shrinks"
wait
size=$(wc -c < "$T/out")
check "a file that shrinks under mapped batches: exit 3, not a SIGBUS" eval '[ "$(cat "$T/rc")" = 3 ]'
# Which part tells depends on how far the reader had got: a batch mapped
# and parsed after the cut names its lost lines; a window mapped after it
# hands over to reads, which say the file shrank.
check "the shrink is named, by the batch it cost or by the reads after it" \
    eval 'grep -qE "^jsonpipe: $T/shrinks: the file (changed under its mapping \(it shrank, or a read failed\): lines from [0-9]+ \(byte [0-9]+\) on, [0-9]+ bytes, were not processed|shrank while being read: $(wc -c < "$T/slow") bytes when opened, 0 now)" "$T/stderr"'
# The lines of a batch lost after the first were counted from zeros: only
# the first in input order is told, for all the bytes lost from there (a
# window mapped after the cut is read instead, and not counted here).
lost=$(grep -c "changed under its mapping" "$T/stderr")
if [ "$lost" != 0 ]; then
    line=$(sed -n 's/.*lines from \([0-9]*\) (byte \([0-9]*\)) on, \([0-9]*\) bytes.*/\1/p' "$T/stderr")
    byte=$(sed -n 's/.*lines from \([0-9]*\) (byte \([0-9]*\)) on, \([0-9]*\) bytes.*/\2/p' "$T/stderr")
    bytes=$(sed -n 's/.*lines from \([0-9]*\) (byte \([0-9]*\)) on, \([0-9]*\) bytes.*/\3/p' "$T/stderr")
    check "the lost batches are told once, from the first line lost" \
        eval '[ "$lost" = 1 ] && [ "$line" = $(($(head -c "$byte" "$T/slow" | wc -l) + 1)) ] &&
              [ "$bytes" -gt 0 ] && [ $((byte + bytes)) -le "$(wc -c < "$T/slow")" ]'
else
    echo "ok - the lost batches are told once # SKIP the reads found the shrink first"
fi
check "the output is a strict prefix of the full one, whole records" \
    eval '[ "$size" -gt 0 ] && [ "$size" -lt "$(wc -c < "$T/full")" ] && cmp -s -n "$size" "$T/out" "$T/full" &&
          [ -z "$(tail -c 1 "$T/out" | tr -d "\n")" ]'

finish
