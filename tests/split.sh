#!/bin/bash
# split.sh: split output (-o and -e with a template). Every record exactly
# once, in input order per file, one file per value, whatever -j and the
# batch size; at most --max-open files open; hostile values never leave the
# directory; time formats; compressed files valid across reopening; files
# cut when first opened; the outputs no split file may be; template usage
# errors; bounded memory with thousands of files.
set -u
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1

# The records of N lines with keys k0..k(K-1), in a round that visits them
# out of order.
gen() { awk -v n="$1" -v k="$2" 'BEGIN { for (i = 0; i < n; i++) printf "{\"i\":%d,\"key\":\"k%d\",\"pad\":\"%s\"}\n", i, (i * 7 + i / 13) % k, substr("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 1, i % 40) }'; }
gen 20000 37 > in.ndjson

# by_key IN DIR: for every key of IN, DIR/KEY.ndjson holds exactly IN's
# records of that key, in order, and DIR holds no other file.
by_key() {
    local in=$1 dir=$2 bad=0
    awk -F'"key":"' '{ split($2, a, "\""); print > ("want." a[1]) }' "$in"
    for w in want.*; do
        cmp -s "$w" "$dir/${w#want.}.ndjson" || { echo "#   $dir/${w#want.}.ndjson differs"; bad=1; }
    done
    [ "$(find "$dir" -type f | wc -l)" -eq "$(ls want.* | wc -l)" ] ||
        { echo "#   $(find "$dir" -type f | wc -l) files, expected $(ls want.* | wc -l)"; bad=1; }
    rm -f want.*
    return $bad
}

# --- 1. every record once, in order per file, one file per key ---------------------------------
for args in "-j1" "-j2" "-j2 --batch-size 4K" "-j2 --batch-size 4K --max-open 3" "-j1 --max-open 1"; do
    rm -rf parts
    # shellcheck disable=SC2086
    "$JP" $args --stats -o 'parts/{key}.ndjson' in.ndjson 2> stats
    rc=$?
    check "split $args: every record once, in order, one file per key" \
        eval 'rc_is $rc 0 && by_key in.ndjson parts && has stats "\"records_out\":20000," && has stats "\"files\":37,"'
done

# --- 2. at most --max-open files open ------------------------------------------------------------
# The input comes slowly through a FIFO, so the open files can be counted
# while the run goes on.
mkfifo slow
rm -rf parts
"$JP" -j2 --batch-size 4K --max-open 3 -o 'parts/{key}.ndjson' slow 2> stderr &
pid=$!
max=0
# Opened for reading too, so the open never waits, even for a run that ended.
exec 3<> slow
for chunk in 1 2 3 4 5 6 7 8 9 10; do
    sed -n "$(( (chunk - 1) * 2000 + 1 )),$(( chunk * 2000 ))p" in.ndjson >&3
    sleep 0.2
    n=$(ls -l /proc/$pid/fd 2>/dev/null | grep -c "$T/parts/")
    [ "$n" -gt "$max" ] && max=$n
done
echo "$max" > max.open
exec 3>&-
wait $pid
rc=$?
check "--max-open 3: never more than 3 files open, and all records written" \
    eval 'rc_is $rc 0 && [ "$(cat max.open)" -le 3 ] && [ "$(cat max.open)" -ge 1 ] && by_key in.ndjson parts'

# --- 3. hostile values stay inside the directory -------------------------------------------------
mkdir -p jail && cd jail || exit 1
printf '%s\n' '{"k":"../../x"}' '{"k":"a/b"}' '{"k":""}' '{"k":"."}' '{"k":".."}' '{"k":"x\u0000y"}' \
    '{"k":"back\\slash"}' '{"k":"/abs"}' '{"k":"%2F"}' '{"k":"_"}' '{"k":null}' '{"n":1}' \
    '{"k":"tab\there\nnl"}' '{"k":"~"}' '{"k":"ok"}' '{"k":{"o":"/"}}' '{"k":["..",1]}' \
    '{"k":12.50}' '{"k":true}' '{"k":"é/ü"}' > ../hostile.ndjson
"$JP" -o 'out/{k}' ../hostile.ndjson
rc=$?
ls -A out | LC_ALL=C sort > ../names
cd .. || exit 1
printf '%s\n' '%252F' '%2E' '%2E%2E' '%2Fabs' '%5F' '%7E' '..%2F..%2Fx' '12.50' '["..",1]' \
    '_' 'a%2Fb' 'back%5Cslash' 'ok' 'tab%09here%0Anl' 'true' 'x%00y' '{"o":"%2F"}' 'é%2Fü' |
    LC_ALL=C sort > expect.names
check "hostile values: every name percent-encoded, nothing outside out/" \
    eval 'rc_is $rc 0 && same names expect.names &&
          [ "$(find jail -mindepth 1 | grep -vc "^jail/out")" -eq 0 ] && [ ! -e x ] && [ ! -e jail/x ] &&
          [ "$(find jail/out -mindepth 1 -type d | wc -l)" -eq 0 ]'
check "hostile values: a missing, null and empty value share _, the value _ is %5F" \
    eval '[ "$(cat jail/out/_)" = "$(printf "%s\n" "{\"k\":\"\"}" "{\"k\":null}" "{\"n\":1}")" ] &&
          [ "$(cat jail/out/%5F)" = "{\"k\":\"_\"}" ]'
# Components made of several values, and values inside a component.
printf '%s\n' '{"a":".","b":"."}' '{"a":".","b":""}' '{"a":"","b":"."}' > dots.ndjson
rm -rf d && "$JP" -o 'd/{a}{b}/x' dots.ndjson
check "values that together make .. are encoded as a whole component" \
    eval '[ "$(cd d && ls -A | LC_ALL=C sort | tr "\n" " ")" = "%2E%2E ._ _. " ]'
rm -rf d && "$JP" -o 'd/.{a}/x' dots.ndjson
check "literal text and a value that make .. are encoded too" \
    eval '[ "$(cd d && ls -A | LC_ALL=C sort | tr "\n" " ")" = "%2E%2E ._ " ]'
long=$(printf 'v%.0s' $(seq 300))
printf '{"k":"%s"}\n{"k":"%sw"}\n' "$long" "$long" > long.ndjson
rm -rf d && "$JP" -o 'd/{k}' long.ndjson
check "long values are cut and told apart by a hash" \
    eval '[ "$(ls d | wc -l)" -eq 2 ] && [ "$(ls d | awk "length > 200" | wc -l)" -eq 0 ] &&
          [ "$(ls d | grep -c "^v*~[0-9a-f]\{16\}$")" -eq 2 ]'

half=$(printf 'h%.0s' $(seq 190))
printf '{"a":"%s","b":"%s"}\n{"a":"%s","b":"%sX"}\n{"a":"%s","b":"/%s"}\n' \
    "$half" "$half" "$half" "$half" "$half" "$half" > halves.ndjson
rm -rf d && "$JP" -o 'd/{a}-{b}.ndjson.gz' halves.ndjson
check "a name that values made longer than 255 bytes is cut, its literal end kept (and so its compression)" \
    eval '[ "$(ls d | wc -l)" -eq 3 ] && [ "$(ls d | awk "length != 255" | wc -l)" -eq 0 ] &&
          [ "$(ls d | grep -c "^h*-\(%2F\)\{0,1\}h*~[0-9a-f]\{16\}\.ndjson\.gz$")" -eq 3 ] &&
          [ "$(zcat d/* | wc -l)" -eq 3 ]'

# --- 4. time formats -----------------------------------------------------------------------------
printf '%s\n' '{"ts":"2026-01-02T03:04:05Z"}' '{"ts":"2026-01-02T23:30:00-02:00"}' '{"ts":1767323045.9}' \
    '{"ts":-1}' '{"ts":"yesterday"}' '{"ts":"2026-02-30T00:00:00Z"}' '{"ts":1e300}' '{}' \
    '{"ts":1767323045900}' > times.ndjson
rm -rf t && "$JP" -o 't/{ts:%Y/%m-%d}.ndjson' times.ndjson
check "{PATH:FMT}: RFC 3339 (offsets applied), epoch seconds and milliseconds, in UTC; a / makes a directory; no time is _" \
    eval '[ "$(find t -type f | LC_ALL=C sort | tr "\n" " ")" = "t/1969/12-31.ndjson t/2026/01-02.ndjson t/2026/01-03.ndjson t/_.ndjson " ] &&
          lines t/2026/01-02.ndjson 3 && lines t/_.ndjson 4'
printf '{"a":{"b":"x"},"c:d":"y"}\n' | "$JP" -o 't2/{{{a.b}}}-{c\:d}' && ls t2 > names
check "{{ and }} are braces; \\: is a colon in a path" eval '[ "$(cat names)" = "{x}-y" ]'

# --- 5. compressed split files, closed and reopened ----------------------------------------------
rm -rf z && "$JP" -j2 --batch-size 4K --max-open 1 -o 'z/{key}.ndjson.gz' in.ndjson
ok_gz=1
for f in z/*.ndjson.gz; do gzip -t "$f" || ok_gz=0; done
mkdir -p zplain && for f in z/*.gz; do b=${f#z/}; zcat "$f" > "zplain/${b%.gz}"; done
check "split .gz files, reopened to append: valid, and hold the records" \
    eval '[ $ok_gz -eq 1 ] && by_key in.ndjson zplain'
rm -rf z zplain && "$JP" -j2 --batch-size 4K --max-open 2 -o 'z/{key}.ndjson.zst' in.ndjson
mkdir -p zplain && for f in z/*.zst; do b=${f#z/}; zstd -qdc "$f" > "zplain/${b%.zst}"; done
check "split .zst files: valid, and hold the records" eval 'by_key in.ndjson zplain'
rm -rf z && printf '{"x":"a.gz"}\n{"x":"b"}\n' | "$JP" -o 'z/{x}'
check "each file compressed by its own name" \
    eval '[ "$(zcat z/a.gz)" = "{\"x\":\"a.gz\"}" ] && [ "$(cat z/b)" = "{\"x\":\"b\"}" ]'
rm -rf z && printf '{"x":"a"}\n' | "$JP" --compress zstd -o 'z/{x}.ndjson'
check "--compress compresses every split file" eval '[ "$(zstd -qdc z/a.ndjson)" = "{\"x\":\"a\"}" ]'

# --- 6. cut when first opened, appended when reopened --------------------------------------------
rm -rf c && mkdir c && echo stale > c/k0.ndjson && echo stale > c/other.ndjson
"$JP" --max-open 1 -o 'c/{key}.ndjson' in.ndjson
check "a file is cut when first opened; files the run does not name are left" \
    eval '! grep -q stale c/k0.ndjson && [ "$(cat c/other.ndjson)" = stale ] && rm c/other.ndjson && by_key in.ndjson c'
"$JP" --max-open 1 -o 'c/{key}.ndjson' in.ndjson
check "a rerun writes the same files" eval 'by_key in.ndjson c'

# --- 7. -e with a template -----------------------------------------------------------------------
printf '{"id":1}\nbad\n{"x":2}\n{"id":3}\nworse\n' > mixed.ndjson
rm -rf e && "$JP" --require id -o 'e/good/{id}.ndjson' -e 'e/bad/{stage}.ndjson' mixed.ndjson
rc=$?
check "-e with a template: error records split by their own fields" \
    eval 'rc_is $rc 1 && lines e/bad/parse.ndjson 2 && lines e/bad/require.ndjson 1 &&
          has e/bad/require.ndjson "\"line\":3," && [ "$(ls e/good | tr "\n" " ")" = "1.ndjson 3.ndjson " ]'

# --- 8. what a split file may not be -------------------------------------------------------------
printf '{"f":"victim.ndjson"}\n' > victim.ndjson
cp victim.ndjson victim.orig
"$JP" -o '{f}' victim.ndjson > /dev/null 2> stderr
rc=$?
check "a split file that is the input stops the run, the input untouched" \
    eval 'rc_is $rc 3 && cmp -s victim.ndjson victim.orig &&
          has stderr "output victim.ndjson is the input victim.ndjson: refusing to write onto it"'
printf '{"f":"errs.ndjson"}\n' | "$JP" -o '{f}' -e errs.ndjson > /dev/null 2> stderr
rc=$?
check "a split file that is the error output stops the run" \
    eval 'rc_is $rc 3 && has stderr "is the error output errs.ndjson"'
mkfifo fifo.ndjson
printf '{"f":"fifo.ndjson"}\n' | timeout 10 "$JP" -o '{f}' 2> stderr
rc=$?
check "an existing FIFO is no split file" \
    eval 'rc_is $rc 3 && has stderr "output fifo.ndjson is not a regular file"'
touch plain
printf '{"f":"x"}\n' | "$JP" -o 'plain/{f}' 2> stderr
rc=$?
check "a directory that cannot be made is an output error naming the file" \
    eval 'rc_is $rc 3 && has stderr "plain/x: write error: Not a directory"'

# Two names of one file: -o's and -e's templates, or two values through a
# linked directory. The file the run opened first keeps what it got.
printf '{"f":"in8.ndjson","n":1}\n{"f":"in8.ndjson","n":"x"}\n' > in8.ndjson
rm -rf same && "$JP" -o 'same/{f}' -e 'same/{file}' --types n=number in8.ndjson > /dev/null 2> stderr
rc=$?
check "-o's and -e's templates naming one file stop the run; neither cuts the other's" \
    eval 'rc_is $rc 3 && [ "$(cat same/in8.ndjson)" = "{\"f\":\"in8.ndjson\",\"n\":1}" ] &&
          has stderr "output same/in8.ndjson (of -e) is the same file as same/in8.ndjson (of -o): refusing to write both to it"'
rm -rf linked && mkdir -p linked/real && ln -s real linked/alias
printf '{"d":"real","n":1}\n{"d":"alias","n":2}\n' | "$JP" -o 'linked/{d}/f.ndjson' > /dev/null 2> stderr
rc=$?
check "two values that reach one file through a link stop the run; the first file kept" \
    eval 'rc_is $rc 3 && [ "$(cat linked/real/f.ndjson)" = "{\"d\":\"real\",\"n\":1}" ] &&
          has stderr "output linked/alias/f.ndjson (of -o) is the same file as linked/real/f.ndjson (of -o)"'
# A write that fails (here: past the file size limit) is cut back off:
# every file ends in a whole record, and they hold what --stats counted.
rm -rf limit && (ulimit -f 16; "$JP" --batch-size 16K --stats -o 'limit/{key}.ndjson' in.ndjson > /dev/null 2> stderr)
rc=$?
out=$(sed -n 's/.*"records_out":\([0-9]*\),.*"bytes_out":\([0-9]*\),.*/\1 \2/p' stderr)
check "a failed write leaves no torn record: the files hold exactly what --stats counts" \
    eval 'rc_is $rc 3 && has stderr "write error: File too large" &&
          [ "$(cat limit/* | wc -l) $(cat limit/* | wc -c)" = "$out" ] &&
          [ "$(for f in limit/*; do tail -c 1 "$f"; done | tr -d "\n" | wc -c)" -eq 0 ] &&
          [ "${out%% *}" -gt 0 ] && [ "${out%% *}" -lt 20000 ]'

# --- 9. malformed templates are usage errors -----------------------------------------------------
usage_case "--output 'out/{': a '{' that is not closed (write {{ for a brace)" -o 'out/{'
usage_case "--output 'out/}{a}': a '}' that closes no '{' (write }} for a brace)" -o 'out/}{a}'
usage_case "--output 'out/{}': {}: a path is needed inside {}" -o 'out/{}'
usage_case "--output 'o/{t:}': {t:}: the time format after ':' is empty" -o 'o/{t:}'
usage_case "{t:%s}: %s is not a time format here" -o 'o/{t:%s}'
usage_case "--max-open is for split output (-o or -e with a {PATH} template)" --max-open 4 -o plain.ndjson
usage_case "--max-open is for split output" --max-open 4
usage_case "--errors 'e/{a..b}':" -e 'e/{a..b}'

# --- 10. the values a file name sees --------------------------------------------------------
# The value as the record leaves the last stage, whether found by the
# records' index (a parsed record) or by walking the bytes a processor made.
printf '%s\n' '{"k":"a","k":"b","tags":["t1","t2"]}' '{"k":"\u0061","tags":["t2"]}' '{"k":"a","tags":[]}' > vals.ndjson
rm -rf v && "$JP" -o 'v/{k}' vals.ndjson
check "the last copy of a key names the file; escapes are decoded" \
    eval '[ "$(ls v | tr "\n" " ")" = "a b " ] && lines v/a 2 && lines v/b 1'
rm -rf v && "$JP" --set k=z --rename tags=t -o 'v/{k}-{t}' vals.ndjson
check "edited and renamed fields name the file as they are written" \
    eval '[ "$(ls v | tr "\n" " ")" = "z-[\"t1\",\"t2\"] z-[\"t2\"] z-[] " ]' ||
    ls v | sed 's/^/#   /'
rm -rf v && "$JP" --explode tags -o 'v/{tags}' vals.ndjson
check "records an expansion made name their files too" \
    eval '[ "$(ls v | tr "\n" " ")" = "t1 t2 " ] && lines v/t2 2 && lines v/t1 1'
rm -rf v && "$JP" --explode tags --set x=1 -o 'v/{tags}' vals.ndjson
check "... and so do they after a later stage" eval '[ "$(ls v | tr "\n" " ")" = "t1 t2 " ] && lines v/t2 2'

# --- 11. a retried run writes the same files --------------------------------------------------
for j in 1 2; do
    rm -rf "r$j" && "$JP" -j $j --batch-size 4K --now 2026-01-02T03:04:05Z --timestamp at \
        --uuid id=stable -o "r$j/{key}/{at:%Y}.ndjson.gz" in.ndjson
done
check "--now and stable UUIDs: split output byte-identical at -j 1 and -j 2" \
    eval 'diff -r r1 r2 > /dev/null && [ "$(find r1 -type f | wc -l)" -eq 37 ]'

# --- 12. thousands of files in bounded memory ----------------------------------------------------
gen 60000 2000 > many.ndjson
rm -rf m && "$JP" -j2 --max-open 16 --max-memory 32M --stats -o 'm/{key}.ndjson.gz' many.ndjson 2> stats
rc=$?
rss=$(sed -n 's/.*"peak_rss_bytes":\([0-9]*\).*/\1/p' stats)
check "2,000 keys through --max-open 16 at --max-memory 32M: all files, under 64 MiB" \
    eval 'rc_is $rc 0 && has stats "\"files\":2000," && has stats "\"records_out\":60000," &&
          [ "$rss" -lt $((64 << 20)) ] && [ "$(zcat m/*.gz | wc -l)" -eq 60000 ]'

finish
