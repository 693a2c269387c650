#!/bin/bash
# conformance.sh: JSON conformance with no processors, one record per case
# (tests/fixtures/conformance.txt): y cases pass byte for byte, n cases are
# rejected with a reason, i cases get the outcome the man page documents, w
# cases (UTF-16, UTF-32) are refused once as an input error.
set -u
. "$(dirname "$0")/lib.sh"

# run BYTES: jsonpipe over one line; sets rc, out and err files.
run() {
    rm -f "$T/err" "$T/out"
    printf '%b' "$1" > "$T/in"
    "$JP" --stats -e "$T/err" "$T/in" > "$T/out" 2> "$T/stats"
    rc=$?
}

accepted() {
    printf '%b\n' "$1" > "$T/want"
    rc_is $rc 0 && same "$T/out" "$T/want" && ! [ -s "$T/err" ]
}

rejected() {
    rc_is $rc 1 && ! [ -s "$T/out" ] && lines "$T/err" 1 &&
        has "$T/err" '"line":1,"offset":0,"stage":"parse","error":"'
}

skipped() {
    rc_is $rc 0 && ! [ -s "$T/out" ] && ! [ -s "$T/err" ] && has "$T/stats" '"records_in":0,' &&
        has "$T/stats" '"blank_lines":1,'
}

refused() {
    rc_is $rc 3 && ! [ -s "$T/out" ] && ! [ -s "$T/err" ] && has "$T/stats" "the input looks like UTF-"
}

while IFS=$'\t' read -r verdict name bytes; do
    case $verdict in
    y | i+) run "$bytes"; check "$verdict $name: passes byte for byte" accepted "$bytes" ;;
    n | i-) run "$bytes"; check "$verdict $name: rejected" rejected ;;
    b) run "$bytes"; check "b $name: a blank line, skipped and counted" skipped ;;
    w) run "$bytes"; check "$verdict $name: refused once, as UTF-16 or UTF-32" refused ;;
    esac
done < "$FIXTURES/conformance.txt"

# A byte order mark may start an input: it is skipped, not written.
printf '\xef\xbb\xbf{}\n\xef\xbb\xbf{}\n' > "$T/in"
"$JP" -e "$T/err" "$T/in" > "$T/out"
rc=$?
check "a BOM is skipped at the start of an input, rejected further on" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "{}" ] && has "$T/err" "\"line\":2,"'
# An empty input is no records, not an error.
"$JP" < /dev/null > "$T/out" 2> "$T/err"
rc=$?
check "an empty input has no records" eval 'rc_is $rc 0 && ! [ -s "$T/out" ] && ! [ -s "$T/err" ]'
finish
