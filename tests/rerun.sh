#!/bin/bash
# rerun.sh: end-to-end tests of runs that a cluster may retry: --now fixes
# the time of --timestamp and now(), --uuid FIELD=stable derives each id
# from where its record came from, and two runs of the same inputs write
# the same bytes whatever -j and --batch-size; the texts --now refuses.
set -u
. "$(dirname "$0")/lib.sh"

# --- --now: the exact text of every --timestamp format --------------------------------
stamps() {
    local name=$1 now=$2 want=$3
    expect "--now $now: $name" '{"a":1}\n' "$want" 0 \
        --now "$now" --timestamp t --timestamp e=epoch --timestamp m=epoch_ms
}
stamps "a whole second, in UTC" 2026-01-02T03:04:05Z \
    '{"a":1,"t":"2026-01-02T03:04:05.000Z","e":1767323045.000000,"m":1767323045000}\n'
stamps "an offset is taken out; nanoseconds kept to the microsecond of epoch" \
    2026-01-02T03:04:05.123456789+02:00 \
    '{"a":1,"t":"2026-01-02T01:04:05.123Z","e":1767315845.123456,"m":1767315845123}\n'
stamps "a negative offset that moves the day, in a leap year" 2024-02-29T23:59:59.5-00:30 \
    '{"a":1,"t":"2024-03-01T00:29:59.500Z","e":1709252999.500000,"m":1709252999500}\n'
stamps "the epoch itself" 1970-01-01T00:00:00Z \
    '{"a":1,"t":"1970-01-01T00:00:00.000Z","e":0.000000,"m":0}\n'
stamps "the last millisecond of 9999" 9999-12-31T23:59:59.999Z \
    '{"a":1,"t":"9999-12-31T23:59:59.999Z","e":253402300799.999000,"m":253402300799999}\n'
stamps "lower case t and z, and a space for T" '2026-01-02 03:04:05.7z' \
    '{"a":1,"t":"2026-01-02T03:04:05.700Z","e":1767323045.700000,"m":1767323045700}\n'
awk 'BEGIN { for (i = 0; i < 5000; i++) print "{}" }' |
    "$JP" -j 2 --batch-size 4K --now 2026-01-02T03:04:05.25Z --timestamp t | sort | uniq -c > "$T/out"
check "--now: all 5000 records of a threaded run get the one time" \
    eval '[ "$(cat "$T/out")" = "   5000 {\"t\":\"2026-01-02T03:04:05.250Z\"}" ]'

# --- --now: now() in --eval and --filter -----------------------------------------------
expect "--now: now() in --eval is the fixed time, with its fraction" '{}\n' \
    '{"n":1767315845.25,"d":"2026-01-02T01:04:05Z","ms":1767315845250}\n' 0 \
    --now 2026-01-02T03:04:05.250+02:00 --eval 'n = now(); d = format_time(now()); ms = round(now() * 1000)'
expect "--now: now() in --filter is the fixed time" '{"a":1}\n{"a":2}\n' '{"a":1}\n{"a":2}\n' 0 \
    --now 2026-01-02T03:04:05Z --filter 'now() == 1767323045 && format_time(now()) == "2026-01-02T03:04:05Z"'
expect "--now: a filter against another time drops every record" '{"a":1}\n' '' 0 \
    --now 2026-01-02T03:04:05Z --filter 'now() > 1767323045'
expect "--now may stand after the processors it fixes" '{}\n' '{"n":0}\n' 0 \
    --eval 'n = now()' --now 1970-01-01T00:00:00Z
expect "--now given twice: the last wins" '{}\n' '{"n":1}\n' 0 \
    --now 2026-01-02T03:04:05Z --eval 'n = now()' --now 1970-01-01T00:00:01Z
printf '{}\n' | "$JP" --now 2000-01-01T00:00:00Z --uuid id > "$T/out"
t48=$(sed 's/{"id":"\(.*\)"}/\1/' "$T/out" | tr -d - | cut -c1-12)
check "--now: a UUIDv7 keeps the real time" \
    eval '[ $((16#$t48 / 1000)) -ge $(($(date +%s) - 60)) ] && [ $((16#$t48 / 1000)) -le $(date +%s) ]'

# --- --now: what it refuses ---------------------------------------------------------------
form="is not an RFC 3339 time with a zone, such as 2026-01-02T03:04:05Z or 2026-01-02T05:04:05.250+02:00"
usage_case "jsonpipe: --now: '2026-01-02T03:04:05' $form" --now 2026-01-02T03:04:05 --timestamp t
usage_case "jsonpipe: --now: '2026-01-02T03:04:05.250' $form" --now 2026-01-02T03:04:05.250
usage_case "jsonpipe: --now: 'garbage' $form" --now garbage
usage_case "jsonpipe: --now: '' $form" --now ''
usage_case "jsonpipe: --now: '1767323045' $form" --now 1767323045
usage_case "jsonpipe: --now: '2026-01-02' $form" --now 2026-01-02
usage_case "jsonpipe: --now: '2026-01-02T03:04:05Z trailing' $form" --now '2026-01-02T03:04:05Z trailing'
usage_case "jsonpipe: --now: '2026-01-02T03:04:05+0200' $form" --now 2026-01-02T03:04:05+0200
usage_case "jsonpipe: --now: '2026-13-02T03:04:05Z' names no such date or time" --now 2026-13-02T03:04:05Z
usage_case "jsonpipe: --now: '2026-00-10T03:04:05Z' names no such date or time" --now 2026-00-10T03:04:05Z
usage_case "jsonpipe: --now: '2026-02-29T03:04:05Z' names no such date or time" --now 2026-02-29T03:04:05Z
usage_case "jsonpipe: --now: '2026-01-02T25:04:05Z' names no such date or time" --now 2026-01-02T25:04:05Z
usage_case "jsonpipe: --now: '2026-01-02T03:04:05+24:00' names no such date or time" \
    --now 2026-01-02T03:04:05+24:00
usage_case "jsonpipe: --now: '1969-12-31T23:59:59Z' is not from 1970 to 9999 in UTC" \
    --now 1969-12-31T23:59:59Z
usage_case "jsonpipe: --now: '9999-12-31T23:30:00-01:00' is not from 1970 to 9999 in UTC" \
    --now 9999-12-31T23:30:00-01:00
usage_case "jsonpipe: option '--now' needs an argument" --timestamp t --now
printf '{}\n' | "$JP" --now 2026-02-30T00:00:00Z --timestamp t > "$T/out" 2> /dev/null
rc=$?
check "a refused --now writes no record" eval 'rc_is $rc 2 && [ ! -s "$T/out" ]'

# --- --uuid FIELD=stable: the ids, pinned --------------------------------------------------
# Computed apart from jsonpipe with the recipe of jsonpipe(1) (and below).
expect "--uuid =stable: the ids of two lines of the standard input" '{"a":1}\n{"a":[5,6]}\n' \
    '{"a":1,"id":"40811260-d075-8176-aaaa-2d7ffee5a2f0"}\n{"a":[5,6],"id":"7ad72764-1e27-876a-986c-43b5b0fc0fd8"}\n' 0 \
    --uuid id=stable
expect "--uuid =stable:KEY: the KEY changes the id" '{"a":1}\n' \
    '{"a":1,"id":"a2536b97-1c57-864c-a10b-eafe67fd7950"}\n' 0 --uuid id=stable:job-42/part-00007
expect "--uuid =stable after --explode: each element's index changes the id" '{"a":[5,6]}\n' \
    '{"a":5,"id":"5f607e8b-47fb-8ccc-a8b7-4ff6e7fe6a6c"}\n{"a":6,"id":"eebf881e-50bc-8423-81e7-e39c5eb85030"}\n' 0 \
    --explode a --uuid id=stable
expect "--uuid FIELD=v7 makes a UUIDv7" '{}\n' '' 0 --uuid id=v7 --filter 'substr(id, 14, 1) != "7"'
usage_case 'jsonpipe: --uuid: unknown kind "v4" (v7, stable, stable:KEY)' --uuid id=v4
usage_case 'jsonpipe: --uuid: unknown kind "" (v7, stable, stable:KEY)' --uuid id=
usage_case 'jsonpipe: --uuid: unknown kind "stable-ish" (v7, stable, stable:KEY)' --uuid id=stable-ish
usage_case 'jsonpipe: --uuid: empty field name' --uuid =stable

# --- two runs, the same bytes ---------------------------------------------------------------
# Two files of the same lines, and a gzip copy under a third name; lines of
# many lengths, so that batch boundaries fall everywhere.
awk 'BEGIN { for (i = 0; i < 3000; i++) { printf "{\"n\":%d,\"tags\":[", i;
             for (j = 0; j <= i % 4; j++) printf "%s\"t%d\"", j ? "," : "", j; print "]}" } }' > "$T/a.ndjson"
cp "$T/a.ndjson" "$T/b.ndjson"
gzip -c "$T/a.ndjson" > "$T/c.ndjson.gz"
inputs=("$T/a.ndjson" "$T/b.ndjson" "$T/c.ndjson.gz")
chain=(--now 2026-01-02T03:04:05.123+01:00 --timestamp at --eval 'seen = now()' --explode tags
       --uuid id=stable:part-7 --meta src=file)
"$JP" -j 1 "${chain[@]}" "${inputs[@]}" > "$T/run1"
"$JP" -j 2 "${chain[@]}" "${inputs[@]}" > "$T/run2"
"$JP" -j 2 --batch-size 4K "${chain[@]}" "${inputs[@]}" > "$T/run3"
"$JP" -j 1 --batch-size 4K "${chain[@]}" "${inputs[@]}" > "$T/run4"
"$JP" -j 2 --batch-size 4K "${chain[@]}" "${inputs[@]}" > "$T/run5"
check "a rerun makes 22500 records" lines "$T/run1" 22500
check "-j 1 and -j 2 write the same bytes" same "$T/run1" "$T/run2"
check "-j 2 with --batch-size 4K writes the same bytes as the default batches" same "$T/run1" "$T/run3"
check "-j 1 with --batch-size 4K writes the same bytes" same "$T/run1" "$T/run4"
check "the same run twice writes the same bytes" same "$T/run3" "$T/run5"
check "every record has the fixed time" \
    eval '[ "$(grep -c "\"at\":\"2026-01-02T02:04:05.123Z\",\"seen\":1767319445.123," "$T/run1")" -eq 22500 ]'
sed 's/.*"id":"\([^"]*\)".*/\1/' "$T/run1" > "$T/ids"
check "every stable id is a UUIDv8 of the RFC 9562 variant" \
    eval '[ "$(grep -cE "^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" "$T/ids")" -eq 22500 ]'
check "no two records (other offsets, files, explode indices) share an id" \
    eval '[ "$(sort -u "$T/ids" | wc -l)" -eq 22500 ]'
grep -F "\"src\":\"$T/a.ndjson\"" "$T/run1" | sed 's/.*"id":"\([^"]*\)".*/\1/' | sort > "$T/ids.a"
grep -F "\"src\":\"$T/b.ndjson\"" "$T/run1" | sed 's/.*"id":"\([^"]*\)".*/\1/' | sort > "$T/ids.b"
check "two files of the same lines give other ids" \
    eval '[ "$(wc -l < "$T/ids.a")" -eq 7500 ] && [ -z "$(comm -12 "$T/ids.a" "$T/ids.b")" ]'
"$JP" --explode tags --uuid id=stable:part-8 "$T/a.ndjson" | sed 's/.*"id":"\([^"]*\)".*/\1/' | sort > "$T/ids.k"
check "another KEY gives other ids" \
    eval '[ "$(wc -l < "$T/ids.k")" -eq 7500 ] && [ -z "$(comm -12 "$T/ids.a" "$T/ids.k")" ]'
"$JP" --explode tags --uuid id=stable:part-7 "$T/a.ndjson" | sed 's/.*"id":"\([^"]*\)".*/\1/' | sort > "$T/ids.same"
check "the ids need no --now, and no other processor" same "$T/ids.a" "$T/ids.same"

printf '{"a":[1,2],"b":[3,4]}\n{"a":[1,2],"b":[3,4]}\n' > "$T/nest.ndjson"
"$JP" -j 1 --explode a --explode b --uuid id=stable "$T/nest.ndjson" > "$T/nest1"
"$JP" -j 2 --explode a --explode b --uuid id=stable "$T/nest.ndjson" > "$T/nest2"
check "nested expansions: eight records, eight ids, the same at -j 2" \
    eval 'lines "$T/nest1" 8 && [ "$(sed "s/.*\"id\"://" "$T/nest1" | sort -u | wc -l)" -eq 8 ] &&
          same "$T/nest1" "$T/nest2"'

# An archive's member is named archive:path, and its ids are those of a
# file of that name.
mkdir -p "$T/tree"
printf '{"k":1}\n{"k":2}\n' > "$T/tree/m.ndjson"
(cd "$T" && tar cf t.tar -C tree m.ndjson && cp tree/m.ndjson t.tar:m.ndjson)
(cd "$T" && "$JP" --uuid id=stable t.tar) > "$T/member"
(cd "$T" && "$JP" --uuid id=stable t.tar:m.ndjson) > "$T/named"
check "a tar member's ids are those of a file named archive:path" \
    eval 'lines "$T/member" 2 && same "$T/member" "$T/named"'

# --- the recipe of jsonpipe(1), with xxh128sum ------------------------------------------------
# stable_id NAME OFFSET INDICES KEY, the function the man page gives for
# the UUID that --uuid FIELD=stable:KEY makes, taken from it.
sed -n '/^stable_id() {/,/^}/p' "${MANPAGE:?}" |
    sed "s/\\\\-/-/g; s/\\\\(aq/'/g; s/\\\\e/\\\\/g" > "$T/stable_id.sh"
. "$T/stable_id.sh"
check "the man page gives stable_id()" eval '[ "$(type -t stable_id)" = function ]'
if command -v xxh128sum > /dev/null; then
    (cd "$T" && "$JP" --explode tags --uuid id=stable:part-7 --meta f=file --meta o=offset a.ndjson) |
        head -n 40 | sed 's/{"n":\([0-9]*\),"tags":"t\([0-9]\)","id":"\([^"]*\)","f":"\([^"]*\)","o":\([0-9]*\)}/\4 \5 \2 \3/' > "$T/got"
    while read -r f o i id; do
        printf '%s %s %s %s\n' "$f" "$o" "$i" "$(stable_id "$f" "$o" "$i" part-7)"
    done < "$T/got" > "$T/want"
    check "the man page's recipe gives the ids of 40 exploded records" \
        eval 'lines "$T/got" 40 && same "$T/got" "$T/want"'
    printf '{}\n{}\n' | "$JP" --uuid id=stable > "$T/got"
    printf '{"id":"%s"}\n{"id":"%s"}\n' "$(stable_id '<stdin>' 0 '' '')" "$(stable_id '<stdin>' 3 '' '')" > "$T/want"
    check "the man page's recipe gives the ids of the standard input" same "$T/got" "$T/want"
    printf '{"a":[[1,2]]}\n' | "$JP" --explode a --explode a --uuid id=stable:k > "$T/got"
    printf '{"a":1,"id":"%s"}\n{"a":2,"id":"%s"}\n' "$(stable_id '<stdin>' 0 0.0 k)" "$(stable_id '<stdin>' 0 0.1 k)" > "$T/want"
    check "the man page's recipe gives the ids of nested expansions" same "$T/got" "$T/want"
elif [ -n "${CI:-}" ]; then
    not_ok "xxh128sum is needed with CI set" "no xxh128sum on PATH"
else
    echo "ok - the man page's recipe # SKIP no xxh128sum (Debian: xxhash)"
fi

finish
