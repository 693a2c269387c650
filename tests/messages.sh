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
    'jsonpipe: keys.ndjson:1: /k\\u001b]0;pwned\\u0007: "additionalProperties": not allowed at #\n' 1

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
    eval 'rc_is $rc 2 && has stderr "jsonpipe: --schema: miss\\ring.json: cannot read: No such file or directory"'
mkdir -p adir
for arg in "--schema adir" "--hash a --hash-key adir" "--hash a --hash-key gone.key"; do
    "$JP" $arg < /dev/null 2> stderr
    rc=$?
    check "a file a setting names that cannot be read is told as inputs are: $arg" \
        eval 'rc_is $rc 2 && grep -qE "^jsonpipe: --(schema|hash): (--hash-key )?(adir|gone.key): cannot read: (Is a directory|No such file or directory)$" stderr'
done

printf '{"a\\u0000b\\u001b[31m":1}\n{"\\u0000":2}\n{"c\xc2\x85\xe2\x80\xa9\xe2\x81\xa6\x7f":3}\n' > nul.ndjson
"$JP" --schema closed.json nul.ndjson > /dev/null 2> stderr
rc=$?
stderr_is "a NUL spelled in a key does not cut the reason; NEL, U+2029, U+2066 and DEL raw in a key are escaped" \
    'jsonpipe: nul.ndjson:1: /a\\u0000b\\u001b[31m: "additionalProperties": not allowed at #\njsonpipe: nul.ndjson:2: /\\u0000: "additionalProperties": not allowed at #\njsonpipe: nul.ndjson:3: /c\\u0085\\u2029\\u2066\\u007f: "additionalProperties": not allowed at #\n' 1
"$JP" -e err.ndjson --schema closed.json nul.ndjson > /dev/null 2> /dev/null
check "... and the error record carries the same reason, whole" \
    has err.ndjson '"error":"/a\\u0000b\u001b[31m: \"additionalProperties\": not allowed at #"'
long=$(printf '\303\251%.0s' $(seq 1 400))
printf '{"properties":{"a":{"pattern":"^%s$"}}}' "$long" > long.json
printf '{"a":"x"}\n' | "$JP" --schema long.json > /dev/null 2> stderr
rc=$?
stderr_is "a reason quoting a long pattern of two-byte characters is whole, not cut inside a character" \
    "jsonpipe: <stdin>:1: /a: \"pattern\": \"^$long\$\" not matched at #/properties/a\n" 1

# A message cut to its limit ends on a whole character and says so.
two=$(printf '\303\251%.0s' $(seq 1 300))
four=$(printf '\360\237\230\200%.0s' $(seq 1 100))
for arg in "--rename $two" "--rename x$two" "--types a=$two" "--types a=x$two" \
           "--hash a=$four" "--hash a=x$four" "--hash a=xx$four" "--hash a=xxx$four"; do
    "$JP" $arg < /dev/null > /dev/null 2> stderr
    rc=$?
    check "a long argument quoted in a usage error is cut on a character: ${arg:0:12}..." \
        eval 'rc_is $rc 2 && lines stderr 2 && [ "$(head -n 1 stderr | tail -c 4)" = "..." ] &&
              ! grep -q "\\\\x" stderr && iconv -f UTF-8 -t UTF-8 stderr > /dev/null'
done

# A schema's fault names the property path whole, or cut on a character.
odd="x$(printf '\303\251%.0s' $(seq 1 60))"
printf '{"properties":{"%s":{"type":"nope"}}}' "$odd" > oddkey.json
"$JP" --schema oddkey.json < /dev/null > /dev/null 2> stderr
rc=$?
stderr_is "a schema property of 121 bytes is named whole in a schema error" \
    "jsonpipe: --schema: oddkey.json: #/properties/$odd/type: must be a type name or a list of them\nTry 'jsonpipe --help' for more information.\n" 2
deep='{"type":"nope"}'
for i in $(seq 1 40); do deep="{\"properties\":{\"$odd\":$deep}}"; done
printf '%s' "$deep" > deep.json
"$JP" --schema deep.json < /dev/null > /dev/null 2> stderr
rc=$?
check "a path too long for the message is cut on a whole character, marked ..." \
    eval 'rc_is $rc 2 && has stderr ".../type: must be a type name or a list of them" &&
          ! grep -q "\\\\x" stderr && iconv -f UTF-8 -t UTF-8 stderr > /dev/null'

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

# told_exactly NAME RC SHOWN: the last run (with --stats) exited RC, showed
# SHOWN rejection lines (any: as many as got out), and those plus the count
# told are what --stats calls rejected: exact, whether the limit of 20 or a
# failed write kept the rest back; no count when nothing was held back.
told_exactly() {
    local want_rc=$2 want_shown=$3
    check "$1" eval 'rc_is $rc $want_rc &&
        shown=$(grep -c "^jsonpipe: [^ ]*:[0-9]*: " stderr; true) &&
        { [ "$want_shown" = any ] || [ "$shown" -eq "$want_shown" ]; } &&
        more=$(sed -n "s/^jsonpipe: \([0-9]*\) more rejected records not shown (use --errors FILE to keep them all)$/\1/p" stderr) &&
        rej=$(sed -n "s/^{\"records_in\":[0-9]*,\"records_out\":[0-9]*,\"rejected\":\([0-9]*\),.*/\1/p" stderr) &&
        [ -n "$rej" ] && [ "$(( shown + ${more:-0} ))" -eq "$rej" ] &&
        { [ -z "$more" ] && [ "$shown" -eq "$rej" ] || [ "${more:-0}" -gt 0 ]; } ||
        { echo "#   shown ${shown:-?} + told ${more:-none} against rejected ${rej:-?}"; tail -n 3 stderr | cut -c 1-200; false; }'
}
awk 'BEGIN { for (i = 0; i < 300000; i++) print (i % 3 ? "{\"a\":1}" : "{\"b\":\"" sprintf("%0300d", i) "\"}") }' > many.ndjson
"$JP" --stats --batch-size 4K --require a many.ndjson 2> stderr | head -n 1 > /dev/null
rc=${PIPESTATUS[0]}
told_exactly "a pipe closed after one record: shown plus told is what was rejected" 1 any
"$JP" --stats --batch-size 4K --require a many.ndjson 2> stderr >&-
rc=$?
told_exactly "a closed standard output: no line shown, every rejection of the batch tried told" 3 0
check "... and the write error said" has stderr "jsonpipe: <stdout>: write error: the descriptor was closed"
if [ -w /dev/full ]; then
    "$JP" --stats -j 1 --batch-size 4K --require a many.ndjson 2> stderr > /dev/full
    rc=$?
    told_exactly "a full disk under standard output: the count is still exact" 3 0
fi
for j in 1 2; do
    "$JP" --stats -j $j --batch-size 4K --require a many.ndjson 2> stderr > /dev/null
    rc=$?
    told_exactly "100,000 rejections with long lines in 4K batches, -j $j: 20 shown, 99,980 told" 1 20
    check "... told as that number" has stderr "jsonpipe: 99980 more rejected records not shown"
done
for n in 20 21 22; do
    head -n $(( n * 3 )) many.ndjson > some.ndjson
    "$JP" --stats --batch-size 4K --require a some.ndjson 2> stderr > /dev/null
    rc=$?
    told_exactly "$n rejections: 20 shown, the rest told (none told at 20)" 1 20
done
"$JP" --stats -e err.ndjson --require a some.ndjson 2> stderr > /dev/null
rc=$?
check "with --errors FILE no line and no count on stderr" \
    eval 'rc_is $rc 1 && lines stderr 1 && lines err.ndjson 22'

# --- the column of a JSON error is its first bad byte ---------------------------------------------
# Columns count bytes from 1; at the end of the line the column is one past
# its last byte. Each case: the line (printf format), then the reason.
cases=(
    '{"a":1,}'          "column 8: unexpected character '}', expected a string key"
    '{"a":tru}'         "column 9: unexpected character '}', expected true"
    '[1 2]'             "column 4: unexpected character '2', expected ',' or ']'"
    '{"a" 1}'           "column 6: unexpected character '1', expected ':'"
    '"abc'              "column 5: unfinished string at end of line"
    '{"a":'             "column 6: unexpected end of line, expected a value"
    '[1,'               "column 4: unexpected end of line, expected a value"
    '{,}'               "column 2: unexpected character ',', expected a string key or '}'"
    '{1:2}'             "column 2: unexpected character '1', expected a string key or '}'"
    '{"a":1]'           "column 7: unexpected character ']', expected ',' or '}'"
    '[1}'               "column 3: unexpected character '}', expected ',' or ']'"
    ']'                 "column 1: unexpected character ']', expected a value"
    '[01]'              "column 3: a number cannot have a leading zero"
    '-'                 "column 2: unexpected end of line, expected a digit"
    '[-Infinity]'       "column 3: unexpected character 'I', expected a digit"
    '1.e5'              "column 3: unexpected character 'e', expected a digit"
    '1e+'               "column 4: unexpected end of line, expected a digit"
    '{"a":NaN}'         "column 6: unexpected character 'N', expected a value"
    '[1,,2]'            "column 4: unexpected character ',', expected a value"
    '{"a"::1}'          "column 6: unexpected character ':', expected a value"
    '[true false]'      "column 7: unexpected character 'f', expected ',' or ']'"
    'nul'               "column 4: unexpected end of line, expected null"
    "'a'"               "column 1: unexpected character \"'\", expected a value"
    '{"a":1}x'          "column 8: unexpected data after the JSON value"
    '{"a":1} {"b":2}'   "column 9: unexpected data after the JSON value"
    '{"a":1}"'          "column 8: unexpected data after the JSON value"
    '{"a":"\\x"}'       "column 8: invalid escape '\\x' in a string"
    '{"a":"\\u12G4"}'   "column 11: unexpected character 'G', expected a hex digit of a \\u escape"
    '{"a":"x\ty"}'      "column 8: control character U+0009 in a string (write it as an escape)"
    '{"a":"\033[2J"}'   "column 7: control character U+001B in a string (write it as an escape)"
    '[1,2]\f'           "column 6: form feed is not JSON whitespace"
    '[1,\v2]'           "column 4: vertical tab is not JSON whitespace"
    '\302\240[1]'       "column 1: unexpected character U+00A0, expected a value"
    '{"a":"\377"}'      "column 7: invalid UTF-8 byte 0xFF"
    '{"a":"\346\235"}'  "column 9: truncated UTF-8 sequence"
    '"\346\235'         "column 4: truncated UTF-8 sequence at end of line"
    '["\340\200\257"]'  "column 4: overlong UTF-8 encoding"
    '"\300\200"'        "column 2: overlong UTF-8 encoding"
    '"\355\240\200"'    "column 3: UTF-16 surrogate encoded as UTF-8"
    '{"k":"\364\220\200\200"}' "column 8: UTF-8 encoding beyond U+10FFFF"
    '[1]\357\273\277'   "column 4: unexpected data after the JSON value"
    '[1]\364 ,2'        "column 4: unexpected data after the JSON value"
    '[1 \342\202]'      "column 4: unexpected byte 0xE2 (not UTF-8), expected ',' or ']'"
    '{  \342\202 }'     "column 4: unexpected byte 0xE2 (not UTF-8), expected a string key or '}'"
    '\325 }'            "column 1: unexpected byte 0xD5 (not UTF-8), expected a value"
    '\360\237\303'      "column 1: unexpected byte 0xF0 (not UTF-8), expected a value"
    '[\377]'            "column 2: unexpected byte 0xFF (not UTF-8), expected a value or ']'"
    '{"a"\300\200:1}'   "column 5: unexpected byte 0xC0 (not UTF-8), expected ':'"
    'n\347u.l'          "column 2: unexpected byte 0xE7 (not UTF-8), expected null"
    '"\\u12\355\240\200"' "column 6: unexpected byte 0xED (not UTF-8), expected a hex digit of a \\u escape"
    '"\\\342\202"'      "column 3: unexpected byte 0xE2 (not UTF-8), expected an escape after the backslash"
    '[1,\360\237\230\200]' "column 4: unexpected character U+1F600, expected a value"
)
: > table.ndjson
: > want.err
for ((i = 0; i < ${#cases[@]}; i += 2)); do
    printf -- "${cases[i]}\n" >> table.ndjson
    printf '%s\n' "invalid JSON at ${cases[i + 1]}" >> want.err
done
"$JP" -e err.ndjson table.ndjson > out 2> /dev/null
rc=$?
"$JP" --select error err.ndjson | sed 's/^{"error":"\(.*\)"}$/\1/; s/\\"/"/g; s/\\\\/\\/g' > got.err
check "a table of $(( ${#cases[@]} / 2 )) bad lines: each reason names the column of the first bad byte" \
    eval 'rc_is $rc 1 && [ ! -s out ] && same got.err want.err'
# The same faults after a good line, which yajl carries state over, and in
# a record that processors look at, give the same columns.
awk '{ print "{\"id\":1}"; print }' table.ndjson > pairs.ndjson
"$JP" --require id -e err.ndjson pairs.ndjson > out 2> /dev/null
"$JP" --select error err.ndjson | sed 's/^{"error":"\(.*\)"}$/\1/; s/\\"/"/g; s/\\\\/\\/g' > got.err
check "... the same after a good line each, with a processor" \
    eval 'same got.err want.err && lines out $(( ${#cases[@]} / 2 ))'
printf '[[[[[[[[[1]]]]]]]]]\n["\300",[[[[[[[[[1]]]]]]]]]\n' | "$JP" --max-depth 8 > /dev/null 2> stderr
rc=$?
stderr_is "nesting too deep names the bracket too deep, unless a fault comes first" \
    "jsonpipe: <stdin>:1: invalid JSON at column 9: nesting too deep (see --max-depth)\njsonpipe: <stdin>:2: invalid JSON at column 3: overlong UTF-8 encoding\n" 1
printf '\357\273\277{"a":1,}\n' > bom.ndjson
printf '{"a":1}\n\357\273\277{"a":1}\n' > bom2.ndjson
"$JP" bom.ndjson bom2.ndjson > out 2> stderr
rc=$?
stderr_is "after a byte order mark columns still count from the line's first byte; a later mark is a fault" \
    "jsonpipe: bom.ndjson:1: invalid JSON at column 11: unexpected character '}', expected a string key\njsonpipe: bom2.ndjson:2: invalid JSON at column 1: unexpected character U+FEFF, expected a value\n" 1
printf '{"a": [1,\n  2,,3]}' > bad.json
"$JP" --schema bad.json < /dev/null 2> stderr
rc=$?
check "a schema file's fault is told by line and column, in the same words" \
    eval 'rc_is $rc 2 && has stderr "jsonpipe: --schema: bad.json: not JSON at line 2, column 5: unexpected character '"','"', expected a value"'
"$JP" --set 'a:=[1,]' < /dev/null 2> stderr
rc=$?
check "a --set value's fault names its column, in the same words" \
    eval 'rc_is $rc 2 && has stderr "jsonpipe: --set: invalid JSON at column 4: unexpected character '"']'"', expected a value"'

# --- a line of only spaces and tabs is a blank line -----------------------------------------------
printf '{"a":1}\n\n  \n\t\n \t \n  \r\n\r\n{"a":2}\r\n \t\r\nx\n' > blanks.ndjson
"$JP" --stats --require a blanks.ndjson > out 2> stderr
rc=$?
check "spaces, tabs and CR only: skipped, counted as blank_lines, line numbers kept" \
    eval 'rc_is $rc 1 && [ "$(cat out)" = "$(printf "{\"a\":1}\n{\"a\":2}")" ] &&
          has stderr "jsonpipe: blanks.ndjson:10: invalid JSON at column 1: unexpected character '"'x'"', expected a value" &&
          has stderr "\"records_in\":3,\"records_out\":2,\"rejected\":1,\"dropped\":0,\"blank_lines\":7,"'
printf '  \n\t\t\n' | "$JP" --stats -e err.ndjson > out 2> stderr
rc=$?
check "an input of blank lines only: no records, no errors, exit 0" \
    eval 'rc_is $rc 0 && [ ! -s out ] && [ ! -s err.ndjson ] && has stderr "\"records_in\":0,\"records_out\":0,\"rejected\":0,\"dropped\":0,\"blank_lines\":2,"'
printf '\357\273\277 \t\n{"a":1}\n' | "$JP" --stats > out 2> stderr
rc=$?
check "a byte order mark and blanks starting an input: a blank line" \
    eval 'rc_is $rc 0 && [ "$(cat out)" = "{\"a\":1}" ] && has stderr "\"blank_lines\":1,"'
printf '{"a":1}\n \f \n\302\240\n' | "$JP" --stats > out 2> stderr
rc=$?
check "form feed and no-break space are not blanks: rejected" \
    eval 'rc_is $rc 1 && has stderr "<stdin>:2: invalid JSON at column 2: form feed is not JSON whitespace" &&
          has stderr "<stdin>:3: invalid JSON at column 1: unexpected character U+00A0, expected a value" &&
          has stderr "\"blank_lines\":0,"'
printf '   \n{"a":1}\n\t\n' | gzip > blanks.gz
printf '{"b":1}\n  \n' > blank-member.ndjson
tar cf blanks.tar blank-member.ndjson
"$JP" --stats blanks.gz blanks.tar > out 2> stderr
rc=$?
check "blank lines in gzip input and in a tar member: skipped and counted" \
    eval 'rc_is $rc 0 && [ "$(cat out)" = "$(printf "{\"a\":1}\n{\"b\":1}")" ] && has stderr "\"blank_lines\":3,"'

# --- pseudonymizing examples are keyed ------------------------------------------------------------
# An unkeyed digest of an e-mail is reversed by hashing a list of addresses:
# every documented command that hashes a field carries --hash-key, and the
# README says why.
unkeyed=$(grep -h -- '--hash [^-]' "$README" "$SAMPLES/README.md" | grep -v -- '--hash-key')
check "every README example with --hash uses --hash-key" eval '[ -z "$unkeyed" ] || { echo "#   $unkeyed"; false; }'
check "the README warns that an unkeyed digest is reversible" \
    has "$README" 'Without `--hash-key` the digest is a plain SHA-256'
check "the man page says so under --hash" eval 'grep -q "the digest is unkeyed" "$MANPAGE"'

# --- one style of words -----------------------------------------------------------------------------
printf '{"a":1}\n' > m.ndjson
tar cf one.tar m.ndjson
head -c 300 one.tar > cut.tar
head -c 1000 one.tar > cutm.tar
cp "$FIXTURES/mixed.ndjson.zst" corrupt.zst
printf '\377\377\377\377' | dd of=corrupt.zst bs=1 seek=60 conv=notrunc 2> /dev/null
{ cat "$FIXTURES/mixed.ndjson.zst"; echo garbage; } > garbage.zst
mkdir -p adir
"$JP" cut.tar cutm.tar corrupt.zst garbage.zst adir missing -o adir < /dev/null > /dev/null 2> stderr
"$JP" cut.tar cutm.tar corrupt.zst garbage.zst adir missing > /dev/null 2> stderr2
check "library and system errors in one style: our words, then the detail" \
    eval 'has stderr "jsonpipe: adir: cannot open for writing: Is a directory" &&
          has stderr2 "jsonpipe: cut.tar: cannot read the archive: unrecognized archive format" &&
          has stderr2 "jsonpipe: cutm.tar:m.ndjson: cannot read the archive: truncated input file" &&
          grep -qE "^jsonpipe: corrupt.zst: corrupt zstd data at decompressed offset [0-9]+: [a-z]" stderr2 &&
          has stderr2 "jsonpipe: garbage.zst: trailing garbage after the zstd data at decompressed offset 430" &&
          ! grep -q "garbage.zst: .*offset 430:" stderr2 &&
          has stderr2 "jsonpipe: adir: read error: Is a directory" &&
          has stderr2 "jsonpipe: missing: cannot open: No such file or directory"'
{ cat "$FIXTURES/mixed.ndjson"; cat table.ndjson; printf '{"a":\n[1,,]\n"x\n'; } > all.ndjson
"$JP" all.ndjson > /dev/null 2> stderr
"$JP" --set 'a:={' < /dev/null 2>> stderr
printf '{"a": ' > trunc.json
"$JP" --schema trunc.json < /dev/null 2>> stderr
check "no message uses yajl's words" \
    eval '! grep -iE "premature EOF|invalid char|lexical error|parse error|json text|trailing garbage\$|UTF8" stderr'
check "no message uses libuv's lower-case system errors" \
    eval '! grep -E "no such file|is a directory|illegal operation|no space left" stderr2'

finish
