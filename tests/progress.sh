#!/bin/bash
# progress.sh: the progress line, in a pseudo-terminal made by script(1).
# Shown by default only when stderr is a terminal and the records do not go
# to it; --progress and --no-progress decide otherwise; erased at the end;
# rejection messages never share its line.
set -u
. "$(dirname "$0")/lib.sh"
erase=$(printf '\r\033[K')

# A 12 MB input and a reader that waits, so the run lasts over a second.
awk 'BEGIN { for (i = 1; i <= 400000; i++)
    if (i % 100000 == 0) printf "{\"id\":%d}\n", i; else printf "{\"id\":%d,\"name\":\"n%d\"}\n", i, i }' \
    > "$T/in.ndjson"
slow='| { sleep 1.5; cat > /dev/null; }'

# in_pty COMMAND: runs it with a terminal for stdin, stdout and stderr;
# what the terminal showed goes to $T/tty (script's own lines removed).
in_pty() {
    script -qfec "$1" "$T/typescript" > /dev/null 2>&1 < /dev/null
    sed '1d;$d' "$T/typescript" | sed '$ { /^$/d }' > "$T/tty"
}

in_pty "$JP --max-memory 4M --require id,name $T/in.ndjson $slow"
check "stderr a terminal, records to a pipe: a progress line with percent and ETA" \
    eval 'grep -q "${erase}[0-9.]* [KMG]*i*B  [0-9]* records  [0-9]* rejected  [0-9.]* [KMG]*i*B/s  *[0-9]*%  ETA [0-9]:[0-9][0-9]:[0-9][0-9]" "$T/tty"'
# What a terminal shows: each '\r' returns to column 0 and ESC[K erases.
shown() { tr '\r' '\n' < "$T/tty" | sed "s/$(printf '\033')\\[K//g" | grep -av '^$'; }
check "... erased before the messages and at the end: no line left with it" \
    eval '! shown | tail -n 1 | grep -q "records" && shown | grep -q "^jsonpipe: "'
check "... and the four rejection messages stand on lines of their own" \
    eval '[ "$(shown | grep -ac "^jsonpipe: $T/in.ndjson:[0-9]*00000: missing field \"name\"$")" -eq 4 ]'

in_pty "cat $T/in.ndjson $slow | $JP --max-memory 4M --require id $slow"
check "input of unknown size (a pipe): elapsed time instead of percent" \
    eval 'grep -q "records  0 rejected  [0-9.]* [KMG]*i*B/s  [0-9]:[0-9][0-9]:[0-9][0-9]" "$T/tty" && ! grep -q "ETA" "$T/tty"'

in_pty "$JP --max-memory 4M --no-progress $T/in.ndjson $slow"
check "--no-progress: nothing on the terminal" eval '[ -z "$(tr -d "\r\n" < "$T/tty")" ]'

in_pty "{ head -n 3 $T/in.ndjson; sleep 1.5; } | $JP"
check "records to the terminal: no progress line among them" \
    eval '! grep -q "records  " "$T/tty" && [ "$(tr -d "\r" < "$T/tty")" = "$(head -n 3 "$T/in.ndjson")" ]'

"$JP" --max-memory 4M "$T/in.ndjson" 2> "$T/stderr" | { sleep 1.5; cat > /dev/null; }
check "stderr not a terminal: no progress line" eval '! [ -s "$T/stderr" ]'
"$JP" --progress --max-memory 4M "$T/in.ndjson" 2> "$T/stderr" | { sleep 1.5; cat > /dev/null; }
check "--progress: the line even when stderr is not a terminal" \
    eval 'grep -q "records  0 rejected  .*%  ETA" "$T/stderr"'
finish
