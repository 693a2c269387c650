#!/bin/bash
# inputs.sh: what the reader takes in. Many over-long lines in one read;
# recognising plain, tar and compressed inputs by their content (gzip,
# zstd, xz, bzip2, lz4, and tarballs of each); damaged compressed data and
# damaged tar members, cut at many offsets, against what the format's own
# tools recover; files read whole (a key, a schema) and their size cap;
# inputs that shrink while read; UTF-16 and UTF-32 inputs; many small inputs.
set -u
. "$(dirname "$0")/lib.sh"

# oracle_long MAX FILE: what jsonpipe --max-line MAX should make of FILE,
# as two files: $T/want.out (the lines that fit, every line here is valid
# JSON) and $T/want.where ("line offset" of each over-long line).
oracle_long() {
    awk -v max="$1" -v out="$T/want.out" -v where="$T/want.where" '
        BEGIN { off = 0 }
        { if (length($0) > max) print NR, off > where; else if (length($0)) print > out
          off += length($0) + 1 }' "$2"
    touch "$T/want.out" "$T/want.where"
}
# where_of ERRORS: "line offset" of each error record.
where_of() { sed -n 's/.*"line":\([0-9]*\),"offset":\([0-9]*\).*/\1 \2/p' "$1"; }

# --- many over-long lines in one read ---------------------------------------------------------
# Lines of 1.5 KB under --max-line 1K; then a mix of long and short lines;
# then a --max-line of 1 byte, where "{}" is too long and "1" is not.
awk 'BEGIN { for (i = 0; i < 3000; i++) { s = sprintf("%1500s", ""); gsub(/ /, "x", s)
             printf "{\"i\":%d,\"s\":\"%s\"}\n", i, s } }' > "$T/long"
awk 'BEGIN { srand(7); for (i = 0; i < 4000; i++) { n = int(rand() * 3000)
             s = sprintf("%" n "s", ""); gsub(/ /, "y", s)
             printf "{\"i\":%d,\"s\":\"%s\"}\n", i, s } }' > "$T/mixed"
awk 'BEGIN { for (i = 0; i < 50000; i++) print (i % 3 ? "{}" : "1") }' > "$T/tiny"
for spec in "long 1K 1024" "mixed 1K 1024" "mixed 2000 2000" "tiny 1 1"; do
    set -- $spec
    oracle_long "$3" "$T/$1"
    for opts in "-j 1" "-j 2" "-j 2 --batch-size 4K" "-j 1 --batch-size 4K"; do
        # shellcheck disable=SC2086
        "$JP" $opts --max-line "$2" -e "$T/err" "$T/$1" > "$T/out" 2> "$T/stderr"
        rc=$?
        where_of "$T/err" > "$T/where"
        check "$1 input, --max-line $2 $opts: no abort, short lines out, each long one rejected at its line and offset" \
            eval 'rc_is $rc 1 && same "$T/out" "$T/want.out" && same "$T/where" "$T/want.where"'
    done
done
# The same through a pipe, where reads are small and uneven.
oracle_long 1024 "$T/mixed"
cat "$T/mixed" | "$JP" -j 2 --max-line 1K -e "$T/err" > "$T/out" 2> "$T/stderr"
rc=$?
where_of "$T/err" > "$T/where"
check "mixed input from a pipe, --max-line 1K: the same answer" \
    eval 'rc_is $rc 1 && same "$T/out" "$T/want.out" && same "$T/where" "$T/want.where"'
"$JP" --max-line 1K "$T/long" > /dev/null 2> "$T/stderr"
check "without -e: the first rejections are told with their line, then a count" \
    eval 'has "$T/stderr" "$T/long:11: line of 1515 bytes is longer than --max-line" &&
          has "$T/stderr" "2980 more rejected records not shown"'

finish
