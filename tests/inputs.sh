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

# --- every compressed format, by its content --------------------------------------------------
CODECS="gzip zstd xz bzip2 lz4"
compress() { case $1 in lz4) lz4 -q -c ;; zstd) zstd -q -c ;; *) $1 -c ;; esac; }
decompress() { case $1 in lz4) lz4 -q -dc ;; zstd) zstd -q -dc ;; *) $1 -dc ;; esac; }
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "{\"i\":%d,\"pad\":\"%s\"}\n", i, substr("abcdefghijklmnopqrstuvwxyz", 1, i % 27) }' > "$T/plain"
cat "$T/plain" "$T/plain" > "$T/plain2"
for c in $CODECS; do
    compress $c < "$T/plain" > "$T/one.$c"
    cat "$T/one.$c" "$T/one.$c" > "$T/two.$c"
    "$JP" "$T/one.$c" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$c: a file is recognised by its content and read whole" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/plain"'
    cat "$T/two.$c" | "$JP" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$c: two streams one after another, from a pipe: both are read" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/plain2"'
    for pad in 1 3 512 10240; do
        { cat "$T/two.$c"; head -c $pad /dev/zero; } > "$T/padded.$c"
        "$JP" "$T/padded.$c" > "$T/out" 2> "$T/stderr"
        rc=$?
        check "$c: $pad zero bytes after the last stream are padding, ignored" \
            eval 'rc_is $rc 0 && same "$T/out" "$T/plain2" && [ ! -s "$T/stderr" ]'
    done
    for junk in 'x' '\0\0\0\0x' '\n{"i":9}\n'; do
        { cat "$T/two.$c"; printf "$junk"; } > "$T/junk.$c"
        "$JP" "$T/junk.$c" > "$T/out" 2> "$T/stderr"
        rc=$?
        check "$c: other bytes after the last stream ($junk) are trailing garbage, exit 3, every record kept" \
            eval 'rc_is $rc 3 && same "$T/out" "$T/plain2" &&
                  has "$T/stderr" "$T/junk.$c: trailing garbage after the $c data at decompressed offset $(wc -c < "$T/plain2")"'
    done
    head -c -7 "$T/one.$c" > "$T/cut.$c"
    "$JP" "$T/cut.$c" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$c: a cut stream is truncated data, exit 3" \
        eval 'rc_is $rc 3 && has "$T/stderr" "$T/cut.$c: truncated $c data at decompressed offset"'
done
# Skippable frames (zstd and lz4 share them): first, between and last.
skippable() { printf "$(printf '\\x5%x' "$1")\\x2a\\x4d\\x18\\x05\\x00\\x00\\x00hello"; }
for c in zstd lz4; do
    { skippable 0; cat "$T/one.$c"; skippable 15; cat "$T/one.$c"; skippable 10; } > "$T/skip.$c"
    "$JP" "$T/skip.$c" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$c: skippable frames first, between and last are skipped" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/plain2"'
    cat "$T/skip.$c" | "$JP" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$c: ... from a pipe too" eval 'rc_is $rc 0 && same "$T/out" "$T/plain2"'
done

# --- tarballs, plain and in every format; a line that only looks like one ----------------------
mkdir -p "$T/tree/d"
head -n 700 "$T/plain" > "$T/tree/a.ndjson"
tail -n +701 "$T/plain" > "$T/tree/d/b.ndjson"
(cd "$T/tree" && tar cf "$T/t.tar" a.ndjson d)
for c in plain $CODECS; do
    if [ $c = plain ]; then cp "$T/t.tar" "$T/t.tar.$c"; else compress $c < "$T/t.tar" > "$T/t.tar.$c"; fi
    "$JP" -e "$T/err" --require i "$T/t.tar.$c" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "tar ($c): every member is read, in order" eval 'rc_is $rc 0 && same "$T/out" "$T/plain"'
    printf '{"i":"x"}\n' > "$T/tree/d/b.ndjson"
    (cd "$T/tree" && tar cf - a.ndjson d) | { if [ $c = plain ]; then cat; else compress $c; fi; } |
        "$JP" -e "$T/err" --types i=number > "$T/out" 2> "$T/stderr"
    rc=$?
    check "tar ($c) from a pipe: members are named archive:path in error records" \
        eval 'rc_is $rc 1 && has "$T/err" "\"file\":\"<stdin>:d/b.ndjson\",\"line\":1,\"offset\":0"'
    tail -n +701 "$T/plain" > "$T/tree/d/b.ndjson"
done
# lz4 and bzip2 decode nothing until a whole block is in: a tarball whose
# first block is large (lines that hardly compress) is still one, from a
# file and from a pipe that gives it a piece at a time.
mkdir -p "$T/blocks"
awk 'BEGIN { srand(7); for (i = 0; i < 6000; i++) { s = ""; for (j = 0; j < 12; j++) s = s sprintf("%08x", int(rand() * 4294967296)); printf "{\"n\":%d,\"r\":\"%s\"}\n", i, s } }' > "$T/blocks/a.ndjson"
(cd "$T/blocks" && tar cf "$T/blocks.tar" a.ndjson)
for c in lz4 bzip2; do
    compress $c < "$T/blocks.tar" > "$T/blocks.tar.$c"
    "$JP" "$T/blocks.tar.$c" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "tar ($c) with a first block of $(wc -c < "$T/blocks.tar.$c") bytes: read as a tarball" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/blocks/a.ndjson"'
    split -b 16384 "$T/blocks.tar.$c" "$T/blocks/piece."
    for piece in "$T"/blocks/piece.*; do cat "$piece"; sleep 0.01; done | "$JP" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "... and from a pipe, 16 KiB at a time" eval 'rc_is $rc 0 && same "$T/out" "$T/blocks/a.ndjson"'
    rm -f "$T"/blocks/piece.*
done
# A first line with "ustar" at byte 257 is NDJSON, whatever follows it.
pad257=$(printf '%0251d' 0)
for case in "ustar no" "ustar\\u0000 yes" "ustar  \\u0000 no" "ustar\\u000000 yes" "ustar yes"; do
    magic=${case% *} long=${case##* }
    printf '{"k":"%s%s"}\n{"n":2}\n' "$pad257" "$magic" > "$T/ustar"
    [ "$long" = yes ] && printf '{"long":"%0600d"}\n' 0 >> "$T/ustar"
    "$JP" "$T/ustar" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "a line holding \"$magic\" at byte 257 is read as NDJSON" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/ustar"'
    gzip -c "$T/ustar" > "$T/ustar.gz"
    "$JP" "$T/ustar.gz" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "... and so is the same, gzipped" eval 'rc_is $rc 0 && same "$T/out" "$T/ustar"'
done
# Even a line made to carry "ustar" and a right checksum is NDJSON: it
# holds no NUL byte, and every tar header does.
awk 'BEGIN { for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i
             line = "{\"k\":\""; while (length(line) < 509) line = line "x"; line = line "\"}"
             line = substr(line, 1, 148) "        " substr(line, 157)
             line = substr(line, 1, 257) "ustar" substr(line, 263)
             sum = 10; for (i = 1; i <= 511; i++) sum += ord[substr(line, i, 1)]
             printf "%s%07o %s\n{\"n\":2}\n", substr(line, 1, 148), sum, substr(line, 157) }' > "$T/forged"
"$JP" "$T/forged" > "$T/out" 2> "$T/stderr"
rc=$?
check "a line forged with \"ustar\" and a right tar checksum is still NDJSON" \
    eval 'rc_is $rc 0 && same "$T/out" "$T/forged"'
head -c 300 "$T/t.tar" > "$T/cut.tar"
"$JP" "$T/cut.tar" > "$T/out" 2> "$T/stderr"
rc=$?
check "a tarball cut inside its first header is still one: exit 3, named" \
    eval 'rc_is $rc 3 && has "$T/stderr" "jsonpipe: $T/cut.tar: " && [ ! -s "$T/out" ]'
# A tar header with a wrong checksum is not taken for one: its bytes are
# lines like any other (rejected), not a refused input.
{ head -c 148 "$T/t.tar"; printf '9999999\0'; tail -c +157 "$T/t.tar" | head -c 356; printf '\n{"n":1}\n'; } > "$T/badsum"
"$JP" "$T/badsum" > "$T/out" 2> "$T/stderr"
rc=$?
check "a tar header with a bad checksum is plain input: its lines are rejected, the next passes" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "{\"n\":1}" ]'

# Every tar format GNU tar writes (v7 has no "ustar" magic: its checksum
# tells it), names too long for the header (GNU long names, pax headers,
# a name of exactly 100 bytes), an empty archive, archives one after
# another, zeros or other bytes after the end; from a file, a pipe, and a
# pipe that gives a few bytes at a time.
mkdir -p "$T/fmt"
printf '{"a":1}\n{"a":2}\n' > "$T/fmt/a.ndjson"
printf '{"b":1}\n' > "$T/fmt/b.ndjson"
long=$(printf 'n%.0s' $(seq 150)).ndjson n100=$(printf 'm%.0s' $(seq 93)).ndjson
cp "$T/fmt/a.ndjson" "$T/fmt/$long"
cp "$T/fmt/a.ndjson" "$T/fmt/$n100"
cat "$T/fmt/a.ndjson" "$T/fmt/b.ndjson" > "$T/fmt.want"
# dribble FILE: FILE through a pipe, 20 bytes at a time for its first 600.
dribble() { for i in $(seq 0 29); do dd if="$1" bs=20 skip=$i count=1 2> /dev/null; sleep 0.01; done
            dd if="$1" bs=20 skip=30 2> /dev/null; }
for spec in "gnu a" "posix a" "ustar a" "v7 a" "oldgnu a" "gnu long" "posix long" "ustar n100"; do
    set -- $spec
    first=a.ndjson; [ $2 = long ] && first=$long; [ $2 = n100 ] && first=$n100
    (cd "$T/fmt" && tar --format=$1 -cf "$T/fmt.tar" "$first" b.ndjson)
    for via in file pipe dribble gzip; do
        case $via in
            file) "$JP" "$T/fmt.tar" ;; pipe) cat "$T/fmt.tar" | "$JP" ;;
            dribble) dribble "$T/fmt.tar" | "$JP" ;; gzip) gzip -c "$T/fmt.tar" | "$JP" ;;
        esac > "$T/out" 2> "$T/stderr"
        rc=$?
        check "tar --format=$1, first name $2, ($via): recognised, every member read" \
            eval 'rc_is $rc 0 && same "$T/out" "$T/fmt.want" && [ ! -s "$T/stderr" ]'
    done
done
(cd "$T/fmt" && tar cf "$T/empty.tar" -T /dev/null && tar cf "$T/fmt.tar" a.ndjson b.ndjson)
for c in plain gzip xz; do
    if [ $c = plain ]; then cat "$T/empty.tar"; else compress $c < "$T/empty.tar"; fi > "$T/empty.$c"
    "$JP" "$T/empty.$c" "$T/fmt/b.ndjson" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "an empty tarball ($c, only the zero blocks of its end) is an archive of no member" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/fmt/b.ndjson" && [ ! -s "$T/stderr" ]'
done
cat "$T/fmt.want" "$T/fmt/b.ndjson" > "$T/fmt.b.want"
cat "$T/fmt.tar" "$T/fmt.tar" > "$T/cat.tar"
cat "$T/fmt.want" "$T/fmt.want" > "$T/cat.want"
for via in file zstd; do
    if [ $via = file ]; then "$JP" "$T/cat.tar"; else zstd -q -c "$T/cat.tar" | "$JP"; fi > "$T/out" 2> "$T/stderr"
    rc=$?
    check "two tarballs one after another ($via): both are read, as tar -i reads them" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/cat.want" && [ ! -s "$T/stderr" ]'
done
for pad in 1 300 3000 10240; do
    { cat "$T/fmt.tar"; head -c $pad /dev/zero; } > "$T/pad.tar"
    "$JP" "$T/pad.tar" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$pad zero bytes after a tarball's end are padding, ignored" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/fmt.want" && [ ! -s "$T/stderr" ]'
done
for junk in '{"z":1}\n' "$(printf '{"z":%0600d}' 0)\n" '\0\0\0\0\0\0x'; do
    { cat "$T/fmt.tar"; printf "$junk"; } > "$T/junk.tar"
    "$JP" "$T/junk.tar" "$T/fmt/b.ndjson" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "other bytes after a tarball's end ($(printf %.12s "$junk")...) are an input error, never left unread in silence" \
        eval 'rc_is $rc 3 && same "$T/out" "$T/fmt.b.want" && has "$T/stderr" "jsonpipe: $T/junk.tar: cannot read the archive: "'
done
# First lines of exactly 262, 511, 512 and 513 bytes with "ustar" at byte
# 257, a valid tar checksum or not: NDJSON.
for len in 262 511 512 513; do
    awk -v len=$len 'BEGIN { s = "{\"k\":\""; while (length(s) < 257) s = s "x"; s = s "ustar"
                             while (length(s) < len - 3) s = s "y"; print s "\"}"; print "{\"n\":2}" }' > "$T/ustar"
    "$JP" "$T/ustar" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "a first line of $len bytes with \"ustar\" at byte 257 is NDJSON" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/ustar" && [ "$(head -c 262 "$T/ustar" | tail -c 5)" = ustar ]'
done
# Skippable frames of any length before the first frame, even past the
# first read, and before a tarball; skippable frames alone are no records;
# a cut one is an input error.
skip_frame() { printf "$(printf '\\x5%x' "$2")\\x2a\\x4d\\x18$(printf '\\x%02x\\x%02x\\x%02x\\x00' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)))"
               head -c "$1" /dev/zero | tr '\0' 'S'; }
for c in zstd lz4; do
    for len in 3 65536 131061 200000; do
        { skip_frame $len 0; skip_frame 7 9; cat "$T/one.$c"; } > "$T/skip.$c"
        { skip_frame $len 3; compress $c < "$T/fmt.tar"; } > "$T/skiptar.$c"
        for via in file pipe; do
            if [ $via = file ]; then "$JP" "$T/skip.$c" "$T/skiptar.$c"; else cat "$T/skip.$c" | "$JP"; cat "$T/skiptar.$c" | "$JP"; fi > "$T/out" 2> "$T/stderr"
            rc=$?
            check "$c: a skippable frame of $len bytes first ($via): the frames after it, a tarball too" \
                eval 'rc_is $rc 0 && [ "$(cat "$T/plain" "$T/fmt.want" | cmp - "$T/out")" = "" ] && [ ! -s "$T/stderr" ]'
        done
    done
    { skip_frame 70000 0; skip_frame 0 15; } > "$T/skiponly.$c"
    "$JP" "$T/skiponly.$c" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$c: skippable frames alone are an input of no record" \
        eval 'rc_is $rc 0 && [ ! -s "$T/out" ] && [ ! -s "$T/stderr" ]'
    skip_frame 70000 0 | head -c 50000 | "$JP" - "$T/fmt/b.ndjson" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$c: a cut skippable frame is an input error; the next input is read" \
        eval 'rc_is $rc 3 && same "$T/out" "$T/fmt/b.ndjson" &&
              [ "$(cat "$T/stderr")" = "jsonpipe: <stdin>: truncated skippable frame (zstd or lz4) at the start" ]'
done
# xz: stream padding (multiples of 4 zeros) between streams, as xz -dc
# reads it; other counts of zeros before a stream are trailing garbage.
for pad in 4 8 1024; do
    { cat "$T/one.xz"; head -c $pad /dev/zero; cat "$T/one.xz"; head -c 4 /dev/zero; } > "$T/xpad.xz"
    "$JP" "$T/xpad.xz" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "xz: $pad zero bytes of stream padding between streams: both read" \
        eval 'rc_is $rc 0 && same "$T/out" "$T/plain2" && [ ! -s "$T/stderr" ] && [ "$(xz -dc "$T/xpad.xz" | cmp - "$T/plain2")" = "" ]'
done
for pad in 1 3 5; do
    { cat "$T/one.xz"; head -c $pad /dev/zero; cat "$T/one.xz"; } > "$T/xpad.xz"
    "$JP" "$T/xpad.xz" > "$T/out" 2> "$T/stderr"
    rc=$?
    check "xz: $pad zero bytes before a stream are no stream padding: trailing garbage, the first stream kept" \
        eval 'rc_is $rc 3 && same "$T/out" "$T/plain" && has "$T/stderr" "trailing garbage after the xz data at decompressed offset $(wc -c < "$T/plain")"'
done
# .lzma (LZMA_Alone, xz --format=lzma): recognised as xz -dc recognises it.
for opts in "-1" "-9" "--lzma1=preset=1,dict=3MiB"; do
    # shellcheck disable=SC2086
    xz --format=lzma $opts -c < "$T/plain" > "$T/one.lzma"
    "$JP" "$T/one.lzma" > "$T/out" 2> "$T/stderr"
    rc=$?
    cat "$T/one.lzma" | "$JP" > "$T/out2" 2>> "$T/stderr"
    rc2=$?
    check "lzma ($opts): read, from a file and a pipe" \
        eval 'rc_is $rc 0 && rc_is $rc2 0 && same "$T/out" "$T/plain" && same "$T/out2" "$T/plain" && [ ! -s "$T/stderr" ]'
done
xz --format=lzma -c < "$T/fmt.tar" | "$JP" > "$T/out" 2> "$T/stderr"
rc=$?
check "lzma: a tarball in it is read" eval 'rc_is $rc 0 && same "$T/out" "$T/fmt.want"'
head -c -9 "$T/one.lzma" > "$T/cut.lzma"
"$JP" "$T/cut.lzma" > "$T/out" 2> "$T/stderr"
rc=$?
check "lzma: a cut stream is truncated data, exit 3" \
    eval 'rc_is $rc 3 && has "$T/stderr" "$T/cut.lzma: truncated lzma data at decompressed offset"'
# lz4's legacy format (lz4 -l) is not read: said once, exit 3, next input read.
lz4 -q -l -c < "$T/plain" > "$T/legacy.lz4"
"$JP" "$T/legacy.lz4" "$T/fmt/b.ndjson" > "$T/out" 2> "$T/stderr"
rc=$?
check "lz4 legacy format: refused once, naming it; the next input is read" \
    eval 'rc_is $rc 3 && same "$T/out" "$T/fmt/b.ndjson" &&
          [ "$(cat "$T/stderr")" = "jsonpipe: $T/legacy.lz4: unsupported lz4 data at decompressed offset 0: the legacy lz4 format (lz4 -l): convert it with lz4 -dc | lz4" ]'

# --- damage: cut at many offsets, every record before the cut comes out ------------------------
# For a cut file the message names the decompressed offset N up to which
# bytes were delivered: the output must be exactly the whole records in the
# first N decompressed bytes (extracted with tar for an archive), and hold
# at least everything the format's own tool recovers from the cut file.
# records_in N ARCHIVE: the whole lines in the first N decompressed bytes;
# for the archive, of each member's part in them (from tar's block table).
tar -tvR -f "$T/t.tar" | awk '/^block [0-9]+: -/ { print ($2 + 1) * 512, $5, $NF }' > "$T/members"
records_in() {
    if [ "$2" = yes ]; then
        while read -r start size name; do
            take=$(($1 - start))
            [ $take -gt 0 ] || continue
            [ $take -le $size ] || take=$size
            head -c $take "$T/tree/$name" | awk '/}$/'
        done < "$T/members"
    else
        head -c "$1" "$T/plain" | awk '/}$/'
    fi
}
damage_loop() {
    local c=$1 archive=$2 src=$3 bad=0 tried=0 size k n
    compress $c < "$src" > "$T/full.$c"
    size=$(wc -c < "$T/full.$c")
    for k in $(seq 10 $((size / 29 + 1)) $((size - 1))); do
        tried=$((tried + 1))
        head -c "$k" "$T/full.$c" > "$T/cut"
        "$JP" -e /dev/null "$T/cut" > "$T/got" 2> "$T/stderr"
        rc=$?
        n=$(sed -n 's/.* data at decompressed offset \([0-9]*\).*/\1/p' "$T/stderr")
        if [ "$rc" -ne 3 ] || [ -z "$n" ]; then
            bad=$((bad + 1)); echo "#   cut at $k: exit $rc, $(head -c 200 "$T/stderr")"; continue
        fi
        records_in "$n" "$archive" > "$T/want"
        records_in "$(decompress $c < "$T/cut" 2> /dev/null | wc -c)" "$archive" > "$T/tool.want"
        if ! cmp -s "$T/got" "$T/want" || [ "$(head -c "$(wc -c < "$T/tool.want")" "$T/got" | cmp - "$T/tool.want" 2>&1)" ]; then
            bad=$((bad + 1))
            echo "#   cut at $k: $(wc -l < "$T/got") records out, $(wc -l < "$T/want") in the first $n bytes, $(wc -l < "$T/tool.want") from the tool"
        fi
    done
    check "$c$([ "$archive" = yes ] && echo ' tarball'): cut at $tried offsets, each keeps exactly the records before the damage" \
        [ "$bad" -eq 0 ]
}
for c in $CODECS; do
    damage_loop $c yes "$T/t.tar"
    damage_loop $c no "$T/plain"
done
# A byte changed inside a frame (lz4 writes one block of up to 4 MB, zstd
# blocks of 128 KB, both a checksum at the end): the records the format's
# own tool gives right, up to its first wrong one, all come out.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"i\":%d,\"p\":\"abcdefgh%d\"}\n", i, i * 7 }' > "$T/flip"
for c in zstd lz4; do
    compress $c < "$T/flip" > "$T/flip.$c"
    size=$(wc -c < "$T/flip.$c")
    for at in $((size / 4)) $((size / 2)) $((size * 3 / 4)) $((size - 12)); do
        cp "$T/flip.$c" "$T/flipped.$c"
        printf '\245' | dd of="$T/flipped.$c" bs=1 seek=$at conv=notrunc 2> /dev/null
        # cmp names the first wrong line, or the last line the tool gave.
        good=$(decompress $c < "$T/flipped.$c" 2> /dev/null | cmp - "$T/flip" 2>&1 |
               sed -n 's/.*EOF on - which is empty$/0/p; s/.*EOF on - after byte [0-9]*, line \([0-9]*\)$/\1/p
                       s/.*EOF on - after byte [0-9]*, in line \([0-9]*\)$/\1 - 1/p; s/.* differ: .* line \([0-9]*\)$/\1 - 1/p')
        good=$((${good:-20000}))
        "$JP" -e /dev/null "$T/flipped.$c" "$T/fmt/b.ndjson" > "$T/out" 2> "$T/stderr"
        rc=$?
        check "$c: a byte changed at $at of $size: the $good records its tool gives right come out, then the next input" \
            eval 'rc_is $rc 3 && [ "$(head -n $good "$T/out" | cmp - <(head -n $good "$T/flip"))" = "" ] &&
                  [ "$(tail -n 1 "$T/out")" = "{\"b\":1}" ] && has "$T/stderr" "corrupt $c data at decompressed offset"'
    done
done
# A plain tarball cut before its last member's end keeps every record of
# the members before the cut.
size=$(awk 'END { print $1 + $2 }' "$T/members")
bad=0
for k in $(seq 600 $((size / 23)) $((size - 1))); do
    head -c "$k" "$T/t.tar" > "$T/cut"
    "$JP" -e /dev/null "$T/cut" > "$T/got" 2> "$T/stderr"
    rc=$?
    records_in "$k" yes > "$T/want"
    { [ $rc -eq 3 ] && cmp -s "$T/got" "$T/want"; } || { bad=$((bad + 1)); echo "#   cut at $k: exit $rc"; }
done
check "plain tarball cut at many offsets: every whole record before the cut, exit 3" [ "$bad" -eq 0 ]

# --- files read whole: a key, a schema ---------------------------------------------------------
# At most 64 MiB: /dev/zero, an endless pipe and a file one byte over the
# cap are usage errors, quickly and in bounded memory; 64 MiB exactly is read.
printf '{}' > "$T/schema.json"
for spec in "--hash-key:--hash n --hash-key" "--schema:--schema"; do
    name=${spec%%:*} opts=${spec#*:}
    # shellcheck disable=SC2086
    printf '{"n":1}\n' | timeout 20 "$JP" $opts /dev/zero > "$T/out" 2> "$T/stderr"
    rc=$?
    check "$name /dev/zero: a usage error naming the 64 MiB cap, nothing read" \
        eval 'rc_is $rc 2 && has "$T/stderr" "/dev/zero: cannot read: larger than 64 MiB, the most a file read whole may hold" && [ ! -s "$T/out" ]'
    mkfifo "$T/fifo"
    yes > "$T/fifo" 2> /dev/null &
    yes_pid=$!
    # shellcheck disable=SC2086
    printf '{"n":1}\n' | timeout 20 "$JP" $opts "$T/fifo" > "$T/out" 2> "$T/stderr"
    rc=$?
    kill $yes_pid 2> /dev/null; wait $yes_pid 2> /dev/null; rm -f "$T/fifo"
    check "$name on an endless pipe: the same usage error" \
        eval 'rc_is $rc 2 && has "$T/stderr" "larger than 64 MiB, the most a file read whole may hold"'
done
head -c $((64 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'k' > "$T/big.key"
printf '{"n":"x"}\n' | "$JP" --hash n --hash-key "$T/big.key" > "$T/out" 2> "$T/stderr"
rc=$?
check "--hash-key of 64 MiB and one byte: refused" eval 'rc_is $rc 2 && has "$T/stderr" "larger than 64 MiB"'
truncate -s $((64 * 1024 * 1024)) "$T/big.key"
printf '{"n":"x"}\n' | "$JP" --hash n --hash-key "$T/big.key" > "$T/out" 2> "$T/stderr"
rc=$?
check "--hash-key of exactly 64 MiB: read, and used" eval 'rc_is $rc 0 && lines "$T/out" 1 && ! grep -q "\"x\"" "$T/out"'
rm -f "$T/big.key"

# --- a file that shrinks while read -------------------------------------------------------------
# The output pipe is held full so reading pauses after about 1 MB; then the
# file is cut (below what was read, between that and its end, to nothing)
# or grown. A cut is an input error naming the file; the records before it
# still come out, exactly those in the bytes read.
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "{\"i\":%d,\"pad\":\"abcdefghijklmnopqrstuvwxyz\"}\n", i }' > "$T/big"
for size in 100000 6000000 0 grow; do
    cp "$T/big" "$T/shrinking"
    "$JP" --max-memory 1M "$T/shrinking" 2> "$T/stderr" |
        { sleep 1
          if [ $size = grow ]; then cat "$T/big" >> "$T/shrinking"; else truncate -s $size "$T/shrinking"; fi
          cat > "$T/out"; }
    rc=${PIPESTATUS[0]}
    if [ $size = grow ]; then
        check "a file that grows while read: every record, the new ones too, exit 0" \
            eval 'rc_is $rc 0 && [ "$(cat "$T/big" "$T/big" | cmp - "$T/out")" = "" ]'
        continue
    fi
    upto=$(sed -n 's/.*the file shrank while being read: [0-9]* bytes when opened, [0-9]* now, read up to byte \([0-9]*\)$/\1/p' "$T/stderr")
    head -c "${upto:-0}" "$T/big" | awk '/}$/' > "$T/want"
    check "a file cut to $size bytes while read: exit 3, the file named, every record read before" \
        eval 'rc_is $rc 3 && [ -n "$upto" ] &&
              has "$T/stderr" "jsonpipe: $T/shrinking: the file shrank while being read: $(wc -c < "$T/big") bytes when opened, $size now" &&
              same "$T/out" "$T/want"'
done
# Standard input that is a regular file already part read is no shrink.
(head -c 0 > /dev/null; dd bs=31 skip=1 count=0 2> /dev/null; "$JP" -e "$T/err" > "$T/out" 2> "$T/stderr") < "$T/big"
rc=$?
tail -c +32 "$T/big" | awk 'NR > 1' > "$T/want"
check "standard input, a regular file already read in part: no shrink, exit 1 for the cut first line" \
    eval 'rc_is $rc 1 && same "$T/out" "$T/want" && ! grep -q shrank "$T/stderr"'
rm -f "$T/big" "$T/shrinking"

# --- UTF-16 and UTF-32 inputs: said once, an input error --------------------------------------
printf '{"a":1}\n{"b":"x"}\n' > "$T/u8"
for enc in UTF-16 UTF-16LE UTF-16BE UTF-32 UTF-32LE UTF-32BE; do
    iconv -f UTF-8 -t $enc "$T/u8" > "$T/wide"
    case $enc in
        UTF-16|UTF-32) form=${enc}LE how="its byte order mark" conv=$enc ;;
        *) form=$enc how="NUL bytes around ASCII text" conv=$enc ;;
    esac
    msg="the input looks like $form ($how), not UTF-8: no record read; convert it first, as with iconv -f $conv -t UTF-8"
    for via in file pipe gzip; do
        case $via in
            file) rm -f "$T/err" "$T/out"; "$JP" -e "$T/err" "$T/wide" "$T/u8" > "$T/out" 2> "$T/stderr"; rc=$?; src=$T/wide ;;
            pipe) rm -f "$T/err" "$T/out"; cat "$T/wide" | "$JP" -e "$T/err" - "$T/u8" > "$T/out" 2> "$T/stderr"; rc=$?; src="<stdin>" ;;
            gzip) rm -f "$T/err" "$T/out"; gzip -c "$T/wide" > "$T/wide.gz"
                  "$JP" -e "$T/err" "$T/wide.gz" "$T/u8" > "$T/out" 2> "$T/stderr"; rc=$?; src=$T/wide.gz ;;
        esac
        check "$enc ($via): said once, an input error (exit 3); the next input is read" \
            eval 'rc_is $rc 3 && same "$T/out" "$T/u8" && [ ! -s "$T/err" ] &&
                  [ "$(cat "$T/stderr")" = "jsonpipe: $src: $msg" ]'
    done
done
iconv -f UTF-8 -t UTF-16 "$T/u8" > "$T/tree/d/b.ndjson"
(cd "$T/tree" && tar cf "$T/wide.tar" d a.ndjson)
"$JP" "$T/wide.tar" > "$T/out" 2> "$T/stderr"
rc=$?
check "a UTF-16 member of a tarball is refused alone; the next member is read" \
    eval 'rc_is $rc 3 && same "$T/out" "$T/tree/a.ndjson" &&
          has "$T/stderr" "jsonpipe: $T/wide.tar:d/b.ndjson: the input looks like UTF-16LE (its byte order mark)" &&
          lines "$T/stderr" 1'
tail -n +701 "$T/plain" > "$T/tree/d/b.ndjson"
printf '\xef\xbb\xbf{"a":1}\n{"b":"\0\0"}\n{"c":3}\n' > "$T/bom8"
"$JP" -e "$T/err" "$T/bom8" > "$T/out" 2> "$T/stderr"
rc=$?
check "UTF-8 with a byte order mark, and NULs on a later line, are not taken for UTF-16" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "$(printf "{\"a\":1}\n{\"c\":3}")" ] && lines "$T/err" 1'

# --- a character device: opened and first read on the loop -----------------------------------
# /dev/null by name and as standard input is an empty input, anywhere in
# the list, without a trip through libuv's threadpool.
"$JP" /dev/null > "$T/out" 2> "$T/stderr"
rc=$?
check "/dev/null by name: nothing out, nothing said, exit 0" eval 'rc_is $rc 0 && [ ! -s "$T/out" ] && [ ! -s "$T/stderr" ]'
"$JP" < /dev/null > "$T/out" 2> "$T/stderr"
rc=$?
check "standard input from /dev/null: nothing out, nothing said, exit 0" eval 'rc_is $rc 0 && [ ! -s "$T/out" ] && [ ! -s "$T/stderr" ]'
"$JP" "$T/plain" /dev/null - /dev/null "$T/plain" < /dev/null > "$T/out"
rc=$?
check "/dev/null between files adds nothing and keeps the order" eval 'rc_is $rc 0 && same "$T/out" "$T/plain2"'

# --- many small inputs ---------------------------------------------------------------------
# 3000 one-line files, some missing, some empty, a gzip and a FIFO among
# them: every record in order, each missing file told, exit 3.
mkdir "$T/many"
: > "$T/many.want"
args=()
for i in $(seq 1 3000); do
    f=$T/many/f$i
    case $((i % 500)) in
        7) args+=("$f.missing") ;;
        8) : > "$f"; args+=("$f") ;;
        9) printf '{"gz":%d}\n' $i | gzip > "$f"; printf '{"gz":%d}\n' $i >> "$T/many.want"; args+=("$f") ;;
        *) printf '{"i":%d}\n' $i > "$f"; printf '{"i":%d}\n' $i >> "$T/many.want"; args+=("$f") ;;
    esac
done
mkfifo "$T/many/fifo"
printf '{"fifo":1}\n' >> "$T/many.want"
(sleep 1; printf '{"fifo":1}\n' > "$T/many/fifo") &
"$JP" -j 2 "${args[@]}" "$T/many/fifo" > "$T/out" 2> "$T/stderr"
rc=$?
wait
check "3000 small inputs, some missing or empty, a gzip and a FIFO: every record in order, exit 3" \
    eval 'rc_is $rc 3 && same "$T/out" "$T/many.want" && lines "$T/stderr" 6 &&
          has "$T/stderr" "jsonpipe: $T/many/f2507.missing: cannot open: No such file or directory"'
rm -rf "$T/many"

# --- many small inputs in one batch: each line keeps its own provenance ------------------------
# 600 small files share batches (one at the default size, many at 4K):
# every record keeps its file, line and offset, in --meta and in error
# records, with rejections in the first, a middle and the last file; a last
# line without '\n', or ending in CR, never joins the next file's first; a
# byte order mark is skipped where it starts an input, the second or a later
# one; a UTF-16 second file is refused once and the next read; a missing,
# an empty and a blank file, a gzip and a tar (members named archive:path).
# prov_set SECOND (bom or utf16): writes the files, $T/prov.want (records
# with their meta) and $T/prov.errwant ("file line offset record" of each
# rejection); args gets the inputs.
prov_set() {
    local d=$T/prov i f
    rm -rf "$d"; mkdir "$d"
    : > "$d.want"; : > "$d.errwant"; args=()
    out() { printf '%s,"f":"%s","l":%d,"o":%d}\n' "${1%\}}" "$2" "$3" "$4" >> "$d.want"; }
    rej() { printf '%s %d %d %s\n' "$1" "$2" "$3" "$4" >> "$d.errwant"; }
    printf '{"i":1}\nbad-first\n' > "$d/f1"
    out '{"i":1}' "$d/f1" 1 0; rej "$d/f1" 2 8 bad-first
    if [ "$1" = bom ]; then
        printf '\357\273\277{"i":2}\n{"j":2}\n' > "$d/f2"
        out '{"i":2}' "$d/f2" 1 0; out '{"j":2}' "$d/f2" 2 11
    else
        printf '{"u":1}\n' | iconv -t UTF-16 > "$d/f2"
    fi
    args=("$d/f1" "$d/f2")
    for i in $(seq 3 600); do
        f=$d/f$i
        case $i in
            100) f=$d/f100.missing ;;
            101) : > "$f" ;;
            102) printf '{"nonl":1}' > "$f"; out '{"nonl":1}' "$f" 1 0 ;;
            150) printf '{"cr":1}\r' > "$f"; out '{"cr":1}' "$f" 1 0 ;;
            200) printf '{"a":1}\r\n\r\n{"b":2}\r\n' > "$f"
                 out '{"a":1}' "$f" 1 0; out '{"b":2}' "$f" 3 11 ;;
            250) printf '{"gz":1}\nbad-gz\n{"gz":2}\n' | gzip > "$f"
                 out '{"gz":1}' "$f" 1 0; rej "$f" 2 9 bad-gz; out '{"gz":2}' "$f" 3 16 ;;
            300) printf '{"m":1}\n\n  bad-middle  \n{"m":2}' > "$f"
                 out '{"m":1}' "$f" 1 0; rej "$f" 3 9 "  bad-middle  "; out '{"m":2}' "$f" 4 24 ;;
            350) mkdir -p "$d/t/sub"
                 printf '{"t":1}\nbad-tar\n' > "$d/t/a.ndjson"; printf '{"t":2}\n' > "$d/t/sub/b.ndjson"
                 tar -cf "$f" -C "$d/t" a.ndjson sub/b.ndjson
                 out '{"t":1}' "$f:a.ndjson" 1 0; rej "$f:a.ndjson" 2 8 bad-tar
                 out '{"t":2}' "$f:sub/b.ndjson" 1 0 ;;
            400) printf '\n  \n' > "$f" ;;
            450) printf '\357\273\277{"bom":450}\n' > "$f"; out '{"bom":450}' "$f" 1 0 ;;
            600) printf '{"last":1}\nbad-last' > "$f"
                 out '{"last":1}' "$f" 1 0; rej "$f" 2 11 bad-last ;;
            *) printf '{"i":%d}\n' $i > "$f"; out "{\"i\":$i}" "$f" 1 0 ;;
        esac
        args+=("$f")
    done
}
# Lines held in a shared batch still go out within the latency flush while
# the next input keeps us waiting (a FIFO with no writer yet, a quiet pipe);
# a SIGINT then writes exactly the records read, and ends with 130.
printf '{"early":1}\n' > "$T/e1"; printf '{"early":2}' > "$T/e2"
mkfifo "$T/late.fifo"
(sleep 3; printf '{"late":1}\n' > "$T/late.fifo") &
"$JP" "$T/e1" "$T/e2" "$T/late.fifo" |
    { IFS= read -r -t 2 a; IFS= read -r -t 1 b; printf '%s\n%s\n' "$a" "$b" > "$T/first"; cat > "$T/rest"; }
wait
check "small inputs before a FIFO that waits: their records come out before its writer comes" \
    eval '[ "$(cat "$T/first")" = "$(printf "{\"early\":1}\n{\"early\":2}")" ] &&
          [ "$(cat "$T/rest")" = "{\"late\":1}" ]'
for j in 1 2; do
    sleep 5 | "$JP" -j $j "$T/e1" "$T/e2" - > "$T/out" 2> "$T/stderr" &
    pid=$!
    sleep 0.3
    kill -INT $pid
    wait $pid
    rc=$?
    check "-j $j: SIGINT while standard input is quiet, after small inputs: their records exactly, exit 130" \
        eval 'rc_is $rc 130 && [ "$(cat "$T/out")" = "$(printf "{\"early\":1}\n{\"early\":2}")" ]'
done
errs_of() { sed -n 's/^{"file":"\([^"]*\)","line":\([0-9]*\),"offset":\([0-9]*\),.*"record":"\(.*\)"}$/\1 \2 \3 \4/p' "$1"; }
for second in bom utf16; do
    prov_set $second
    for opts in "-j 1" "-j 2" "-j 1 --batch-size 4K" "-j 2 --batch-size 4K"; do
        rm -f "$T/err" # (a run with an input error leaves an existing one as it was)
        # shellcheck disable=SC2086
        "$JP" $opts --meta f=file --meta l=line --meta o=offset -e "$T/err" "${args[@]}" \
            > "$T/out" 2> "$T/stderr"
        rc=$?
        errs_of "$T/err" > "$T/errs"
        if [ $second = bom ]; then
            told="lines \"\$T/stderr\" 1"
        else
            told="lines \"\$T/stderr\" 2 && has \"\$T/stderr\" \"jsonpipe: \$T/prov/f2: the input looks like UTF-16LE\""
        fi
        check "600 small inputs ($second second) $opts: every record's file, line and offset exact, rejections too, exit 3" \
            eval 'rc_is $rc 3 && same "$T/out" "$T/prov.want" && same "$T/errs" "$T/prov.errwant" &&
                  lines "$T/err" $(wc -l < "$T/prov.errwant") &&
                  has "$T/stderr" "jsonpipe: $T/prov/f100.missing: cannot open: No such file or directory" &&
                  '"$told"
    done
done
# --stats counts every input's records and blank lines once.
"$JP" --stats -e /dev/null "${args[@]}" > /dev/null 2> "$T/stderr"
check "600 small inputs: --stats counts records, rejections and blank lines of every input" \
    eval 'has "$T/stderr" "\"records_in\":$(($(wc -l < "$T/prov.want") + $(wc -l < "$T/prov.errwant"))),\"records_out\":$(wc -l < "$T/prov.want"),\"rejected\":$(wc -l < "$T/prov.errwant"),\"dropped\":0,\"blank_lines\":4,"'
rm -rf "$T/prov"

finish
