#!/bin/bash
# messages.sh: what jsonpipe says on stderr. Text from the data (file and
# member names, keys, values) is escaped, so it cannot drive the terminal or
# forge a line; the count of rejections not shown is exact; one style of
# words everywhere; the column of a JSON error is the first bad byte; blank
# lines are skipped and counted.
set -u
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

# stderr_is NAME WANT RC_WANT: the last run's stderr is exactly WANT (printf
# format) and its exit status RC_WANT.
stderr_is() {
    local want_rc=$3
    printf "$2" > "$T/want"
    check "$1" eval 'rc_is $rc $want_rc && same "$T/stderr" "$T/want"'
}
# no_controls NAME FILE: FILE holds no control character but newline, no
# C1 control and no byte that is not UTF-8.
no_controls() {
    local f=$2
    check "$1" eval '! tr -d "\n" < "$f" | LC_ALL=C grep -q "[[:cntrl:]]" &&
                     ! grep -qP "[\x{80}-\x{9f}]" "$f" && iconv -f UTF-8 -t UTF-8 "$f" > /dev/null'
}

# --- untrusted text is escaped on stderr -------------------------------------------------------
esc=$'\e'
nl_name=$'a\nb.ndjson'
printf '{"a":1}\n' > "$nl_name"
"$JP" --require b "$nl_name" > /dev/null 2> stderr
rc=$?
stderr_is "a file name with a newline is one escaped line" \
    'jsonpipe: a\\nb.ndjson:1: missing field "b"\n' 1

ctl_name=$'x\e[31m\r\b\x7f\xc2\x9b\xff.ndjson'
printf '{"a":1}\n\n{"c":2}\n' > "$ctl_name"
"$JP" --require b "$ctl_name" > /dev/null 2> stderr
rc=$?
stderr_is "ESC, CR, backspace, DEL, C1 and a bad byte in a file name are escaped" \
    'jsonpipe: x\\u001b[31m\\r\\b\\u007f\\u009b\\xff.ndjson:1: missing field "b"\njsonpipe: x\\u001b[31m\\r\\b\\u007f\\u009b\\xff.ndjson:3: missing field "b"\n' 1
no_controls "... and nothing raw reaches the terminal" stderr

"$JP" --errors err.ndjson --require b "$ctl_name" > /dev/null 2> stderr
check "with --errors the record is exact JSON, escaped once" \
    has err.ndjson '{"file":"x\u001b[31m\r\b'$'\x7f\xc2\x9b\xef\xbf\xbd''.ndjson","line":1,'

printf '{"k\\u001b]0;pwned\\u0007":1,"n\\u2028x\\u202e":2}\n' > keys.ndjson
printf '{"additionalProperties":false}' > closed.json
"$JP" --schema closed.json keys.ndjson > /dev/null 2> stderr
rc=$?
stderr_is "keys decoded from the data are escaped in a schema reason (OSC, BEL, U+2028, U+202E)" \
    'jsonpipe: keys.ndjson:1: /k\\u001b]0;pwned\\u0007: "additionalProperties": not allowed\n' 1

printf '{"a":1}\n' | "$JP" --require $'b\e[2J\nforged: line' > /dev/null 2> stderr
rc=$?
stderr_is "a field name with ESC and a newline, quoted in a reason" \
    'jsonpipe: <stdin>:1: missing field "b\\u001b[2J\\nforged: line"\n' 1

printf '{"a":"\\u001b[2J"}\n' | "$JP" --types $'a=number' > /dev/null 2> stderr
rc=$?
stderr_is "a value's type is told, not its text" \
    'jsonpipe: <stdin>:1: field "a" is a string, expected number\n' 1

printf '{"a":1}\n' > $'m\e[1m.ndjson'
printf '{"a":2}\n' > $'n\nforged.ndjson'
tar cf members.tar $'m\e[1m.ndjson' $'n\nforged.ndjson'
"$JP" --require b members.tar > /dev/null 2> stderr
rc=$?
stderr_is "tar member names are escaped" \
    'jsonpipe: members.tar:m\\u001b[1m.ndjson:1: missing field "b"\njsonpipe: members.tar:n\\nforged.ndjson:1: missing field "b"\n' 1

"$JP" $'gone\e[5m\n.ndjson' > /dev/null 2> stderr
rc=$?
stderr_is "an input that cannot be opened: its name escaped" \
    'jsonpipe: gone\\u001b[5m\\n.ndjson: cannot open: No such file or directory\n' 3

"$JP" -o $'no/such\e[0m/out' < /dev/null 2> stderr
rc=$?
stderr_is "an output that cannot be opened: its name escaped" \
    'jsonpipe: no/such\\u001b[0m/out: cannot open for writing: No such file or directory\n' 3

"$JP" $'--b\e[0mad' < /dev/null 2> stderr
rc=$?
check "a usage error quoting an argument escapes it" \
    eval 'rc_is $rc 2 && has stderr "\\u001b[0mad" && ! grep -q "$esc" stderr'

"$JP" --schema $'miss\ring.json' < /dev/null 2> stderr
rc=$?
check "a schema file that cannot be read: its name escaped" \
    eval 'rc_is $rc 2 && has stderr "jsonpipe: --schema: miss\\ring.json: No such file or directory"'

# --- the count of rejections not shown ------------------------------------------------------------
# Messages are one line each however the data is spelled, so the count of
# those held back after the first 20 is exact.
for i in $(seq 1 25); do echo '{"a":1}'; done > "$nl_name"
"$JP" --require b "$nl_name" > /dev/null 2> stderr
rc=$?
check "25 rejections in a file named with a newline: 20 shown, 5 more told" \
    eval 'rc_is $rc 1 && lines stderr 21 &&
          [ "$(tail -n 1 stderr)" = "jsonpipe: 5 more rejected records not shown (use --errors FILE to keep them all)" ]'
for i in $(seq 1 8); do echo '{"a":1}'; done > "$nl_name"
"$JP" --require b "$nl_name" > /dev/null 2> stderr
rc=$?
check "8 rejections in that file: all shown, no count" eval 'rc_is $rc 1 && lines stderr 8'
{ for i in $(seq 1 10); do echo '{"a":1}'; echo 'x'; echo '{"b":"s"}'; done; } > "$nl_name"
"$JP" -j 2 --batch-size 4K --require a --types a=string "$nl_name" > /dev/null 2> stderr
rc=$?
check "30 rejections of three stages: 20 shown, 10 more told" \
    eval 'rc_is $rc 1 && lines stderr 21 && has stderr "jsonpipe: 10 more rejected records not shown"'
"$JP" --errors err.ndjson --require a --types a=string "$nl_name" > /dev/null 2> stderr
rc=$?
check "with --errors nothing is held back and nothing told" \
    eval 'rc_is $rc 1 && [ ! -s stderr ] && lines err.ndjson 30'
awk 'BEGIN { for (i = 0; i < 300000; i++) print "{\"a\":1}" }' > "$nl_name"
"$JP" --require b "$nl_name" 2> stderr | true
rc=${PIPESTATUS[0]}
check "a closed output pipe: the count held back is never more than was rejected" \
    eval '! grep -q 18446744073709551615 stderr && lines stderr 21 &&
          n=$(sed -n "s/^jsonpipe: \([0-9]*\) more.*/\1/p" stderr) && [ "$n" -le 299980 ]'
finish
