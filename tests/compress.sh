#!/bin/bash
# compress.sh: end-to-end tests of compressed inputs (gzip, zstd) and tar
# archives: detection by magic bytes, multi-member streams, damaged data,
# archives of several members, and compressed output.
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
rm -f "$T/err" # an input error leaves an existing errors file as it was
"$JP" truncated.gz -e "$T/err" > /dev/null 2>&1
check "truncated.gz: the cut record is rejected with its line and offset" \
    has "$T/err" '"file":"truncated.gz","line":2,"offset":97,"stage":"parse","error":"invalid JSON at column 62: unfinished string at end of line"'
"$JP" truncated.gz mixed.ndjson.zst > "$T/out" 2> /dev/null
rc=$?
{ head -n 1 mixed.seed.out; "$JP" mixed.ndjson.zst 2> /dev/null; } > "$T/want"
check "after a damaged input the next one is still read, exit 3" \
    eval 'rc_is $rc 3 && same "$T/out" "$T/want"'

# A 1000:1 bomb: 64 MB of small records from a 300 KB gzip member, through
# a 4 MB cap.
awk 'BEGIN { for (i = 0; i < 8388608; i++) print "{\"a\":1}" }' | gzip -1 > "$T/bomb.gz"
"$JP" --max-memory 4M --stats "$T/bomb.gz" 2> "$T/stderr" > /dev/null
check "a gzip bomb is decoded within the cap: every record" has "$T/stderr" '"records_in":8388608,"records_out":8388608'
check "a gzip bomb stays under 32 MB of RSS with --max-memory 4M" peak_rss_under "$T/stderr" 33554432

# --- tar archives -------------------------------------------------------------------
# A tree with a plain member, a gzip'd member, a symlink and directories.
mkdir -p "$T/tree/logs/sub"
cp mixed.ndjson "$T/tree/logs/a.ndjson"
gzip -n -c mixed.seed.out > "$T/tree/logs/sub/b.ndjson.gz"
ln -s a.ndjson "$T/tree/logs/link.ndjson"
tarflags=(--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$T/tree")
tar "${tarflags[@]}" -cf "$T/logs.tar" logs
tar "${tarflags[@]}" -czf "$T/logs.tar.gz" logs
tar "${tarflags[@]}" --zstd -cf "$T/logs.tar.zst" logs
for f in logs.tar logs.tar.gz logs.tar.zst; do
    "$JP" --require id,name --meta src=file "$T/$f" -e "$T/err" > "$T/out"
    rc=$?
    "$JP" --require id,name --meta src=file "$T/tree/logs/a.ndjson" > "$T/want.a" 2> /dev/null
    "$JP" --require id,name --meta src=file "$T/tree/logs/sub/b.ndjson.gz" > "$T/want.b" 2> /dev/null
    sed "s|\"src\":\"$T/tree/logs/a.ndjson\"|\"src\":\"$T/$f:logs/a.ndjson\"|" "$T/want.a" > "$T/want"
    sed "s|\"src\":\"$T/tree/logs/sub/b.ndjson.gz\"|\"src\":\"$T/$f:logs/sub/b.ndjson.gz\"|" "$T/want.b" >> "$T/want"
    check "$f: each regular member in archive order, named archive:path; links skipped" \
        eval 'rc_is $rc 1 && same "$T/out" "$T/want"'
    check "$f: error records name the member and count its lines" \
        has "$T/err" "{\"file\":\"$T/$f:logs/a.ndjson\",\"line\":3,\"offset\":147,\"stage\":\"require\""
done
cat "$T/logs.tar.gz" | "$JP" > "$T/out" 2> "$T/stderr"
check "a tarball on a pipe" has "$T/stderr" "jsonpipe: <stdin>:logs/a.ndjson:7: invalid JSON at column 22: unfinished string at end of line"
head -c 300 "$T/logs.tar" > "$T/cut.tar"
"$JP" "$T/cut.tar" > /dev/null 2> "$T/stderr"
rc=$?
check "a damaged tarball is an input error, exit 3" eval 'rc_is $rc 3 && has "$T/stderr" "jsonpipe: $T/cut.tar: "'
# libarchive is opened by the first tarball: a broken one in its place
# fails only the tarballs, by name, and the other inputs are read.
mkdir "$T/nolib"
echo 'not a library' > "$T/nolib/$LIBARCHIVE_SONAME"
LD_LIBRARY_PATH=$T/nolib "$JP" "$T/logs.tar" "$T/tree/logs/a.ndjson" > "$T/out" 2> "$T/stderr"
rc=$?
"$JP" "$T/tree/logs/a.ndjson" > "$T/want" 2> /dev/null
check "without a loadable libarchive a tarball is an input error naming it; other inputs are read" \
    eval 'rc_is $rc 3 && same "$T/out" "$T/want" &&
          has "$T/stderr" "jsonpipe: $T/logs.tar: cannot read the archive: $LIBARCHIVE_SONAME cannot be loaded ("'

# --- compressed output --------------------------------------------------------------
"$JP" --require id,name --set source=api mixed.ndjson -e "$T/plain.err" > "$T/plain.out"
"$JP" -j 2 --batch-size 4K --require a --set source=api "$T/bomb.gz" -o "$T/many.gz"
check "-o FILE.gz: many batches, one member each, pass gzip -t" \
    eval 'gzip -t "$T/many.gz" && [ "$(zcat "$T/many.gz" | wc -l)" -eq 8388608 ]'
"$JP" --require nothing mixed.seed.out -o "$T/none.gz" -e "$T/none.err.zst" 2> /dev/null
check "a compressed output with no records is a valid, empty .gz" \
    eval 'gzip -t "$T/none.gz" && [ -z "$(zcat "$T/none.gz")" ]'
"$JP" mixed.seed.out -o /dev/null -e "$T/noerr.zst"
check "a compressed errors file with no errors is a valid, empty .zst" \
    eval 'zstd -t -q "$T/noerr.zst" && [ -z "$(zstdcat "$T/noerr.zst")" ]' 
"$JP" --require id,name --set source=api mixed.ndjson -o "$T/o.gz" -e "$T/e.gz" 2> /dev/null
check "-o FILE.gz decompresses to exactly the plain output" eval 'zcat "$T/o.gz" > "$T/z" && same "$T/z" "$T/plain.out"'
check "--errors FILE.gz decompresses to exactly the plain error records" \
    eval 'gzip -t "$T/e.gz" && zcat "$T/e.gz" > "$T/z" && same "$T/z" "$T/plain.err"'
"$JP" --require id,name --set source=api mixed.ndjson -o "$T/o.zst" 2> /dev/null
check "-o FILE.zst decompresses (zstdcat) to exactly the plain output" \
    eval 'zstdcat "$T/o.zst" > "$T/z" && same "$T/z" "$T/plain.out"'
"$JP" "$T/o.zst" > "$T/z"
check "... and jsonpipe reads it back" same "$T/z" "$T/plain.out"
"$JP" --compress gzip:1 --require id,name --set source=api mixed.ndjson 2> /dev/null > "$T/o"
check "--compress gzip:1 compresses standard output" eval 'zcat "$T/o" > "$T/z" && same "$T/z" "$T/plain.out"'
"$JP" --compress none mixed.seed.out -o "$T/o.gz"
check "--compress none keeps FILE.gz plain" same "$T/o.gz" mixed.seed.out
usage_case "jsonpipe: --compress: 'gzip:10': the gzip level is a number from 1 to 9" --compress gzip:10
usage_case "jsonpipe: --compress: 'bzip2' is not gzip[:1-9], zstd[:1-19] or none" --compress bzip2

finish
