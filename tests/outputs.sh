#!/bin/bash
# outputs.sh: where the output goes, and what a run may destroy. An output
# onto an input under every spelling; -o and -e one file; what a failed, a
# stopped and a killed run leave; closed standard descriptors; -o - and
# -e -; descriptors written through, never truncated; a live compressed
# stream; --stats counting what was written; usage that misleads; bash
# completion of values.
set -u
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
export JP
printf '{"id":1}\n{"id":2}\nbad\n' > orig
printf '{"id":1}\n{"id":2}\n' > want.good
mkdir -p sub
ln -s x.ndjson dangling
ln -s subdirlink/x.ndjson dangling2 && ln -s sub subdirlink && ln -s . dirlink
fresh() { cp orig in.ndjson; rm -f hard sym; ln in.ndjson hard; ln -s in.ndjson sym; }
no_temp() { ! ls -a | grep -q '^\.jsonpipe-' || { echo "#   stray: $(ls -a | grep '^\.jsonpipe-')"; false; }; }

# --- 1. an output onto an input: refused with exit 2, the input untouched --------------------
# refused NAME COMMAND: COMMAND (run by bash in $T, in.ndjson fresh) exits 2, in.ndjson as it was.
refused() {
    local name=$1 cmd=$2
    fresh
    bash -c "$cmd" > /dev/null 2> stderr.txt
    local rc=$?
    check "output onto input refused: $name" \
        eval 'rc_is $rc 2 && cmp -s in.ndjson orig && no_temp'
}
refused "-o in.ndjson" '"$JP" in.ndjson -o in.ndjson'
refused "-o ./in.ndjson" '"$JP" in.ndjson -o ./in.ndjson'
refused "-o sub/../in.ndjson" '"$JP" in.ndjson -o sub/../in.ndjson'
refused "-o absolute path" '"$JP" in.ndjson -o "$PWD/in.ndjson"'
refused "-o a hard link" '"$JP" in.ndjson -o hard'
refused "-o a symlink" '"$JP" in.ndjson -o sym'
refused "input by symlink, -o the file" '"$JP" sym -o in.ndjson'
refused "a second input, -o its hard link" '"$JP" want.good in.ndjson -o ./hard'
refused "-e in.ndjson" '"$JP" in.ndjson -o out -e in.ndjson'
refused "-e a hard link" '"$JP" in.ndjson -e hard'
refused ">> in.ndjson" '"$JP" in.ndjson >> in.ndjson'
refused "> in.ndjson (shell truncates, jsonpipe still refuses)" '"$JP" sym > in.ndjson; rc=$?; cp orig in.ndjson; exit $rc'
refused "< in.ndjson >> in.ndjson" '"$JP" < in.ndjson >> in.ndjson'
refused "- < in.ndjson >> hard" '"$JP" - < in.ndjson >> hard'
refused "-o /dev/stdout >> in.ndjson" '"$JP" in.ndjson -o /dev/stdout >> in.ndjson'
refused "-e /dev/stderr 2>> in.ndjson" '"$JP" in.ndjson -e /dev/stderr 2>> in.ndjson'
refused "2>> in.ndjson (messages onto the input)" '"$JP" in.ndjson 2>> in.ndjson'
refused "1<> in.ndjson" '"$JP" in.ndjson 1<> in.ndjson'
refused "-o through a symlinked directory" '"$JP" in.ndjson -o dirlink/sub/../in.ndjson'
refused "-o a chain of symlinks" 'ln -sf sym sym2; ln -sf sym2 sym3; "$JP" in.ndjson -o sym3'
refused "input /dev/fd/3 3< in.ndjson, -o in.ndjson" '"$JP" /dev/fd/3 -o in.ndjson 3< in.ndjson'
refused "input /proc/self/fd/3 3< in.ndjson, -o hard" '"$JP" /proc/self/fd/3 -o hard 3< in.ndjson'
refused "input /dev/stdin < in.ndjson, -o sym" '"$JP" /dev/stdin -o sym < in.ndjson'
refused "-o /dev/fd/3 3>> in.ndjson" '"$JP" in.ndjson -o /dev/fd/3 3>> in.ndjson'
refused "-o /proc/self/fd/3 3< in.ndjson (a read-only descriptor)" '"$JP" in.ndjson -o /proc/self/fd/3 3< in.ndjson'
refused "-o /dev/stdin < in.ndjson (no input named)" '"$JP" -o /dev/stdin < in.ndjson'
refused "-e /proc/self/fd/0 <> in.ndjson" '"$JP" -o out -e /proc/self/fd/0 <> in.ndjson'
refused "--stats 2>> in.ndjson" '"$JP" --stats want.good in.ndjson 2>> in.ndjson'
refused "--progress 2>> hard" '"$JP" --progress in.ndjson -o out 2>> hard'
rm -f fifo && mkfifo fifo
timeout 10 "$JP" fifo -o fifo 2> stderr.txt
rc=$?
check "a FIFO as input and -o: refused (exit 2), not a wait forever" \
    eval 'rc_is $rc 2 && has stderr.txt "output fifo is the input fifo"'
timeout 10 "$JP" fifo -e ./fifo 2> /dev/null
check "... and as input and -e ./fifo" rc_is $? 2
fresh
"$JP" in.ndjson -o in.ndjson 2> stderr.txt
check "... and the refusal says which output is which input" \
    has stderr.txt "jsonpipe: output in.ndjson is the input in.ndjson: refusing to write onto it"
"$JP" in.ndjson >> in.ndjson 2> stderr.txt
check "... standard output is named <stdout>" \
    has stderr.txt "jsonpipe: output <stdout> is the input in.ndjson: refusing to write onto it"
"$JP" in.ndjson 2>> in.ndjson
rc=$?
check "... standard error onto the input: exit 2 and not a byte written to it" \
    eval 'rc_is $rc 2 && cmp -s in.ndjson orig'

# A tarball and a gzip input are inputs like any other.
mkdir -p tardir && cp want.good tardir/a.ndjson && tar -cf logs.tar -C tardir a.ndjson
cp logs.tar logs.orig
"$JP" logs.tar -o logs.tar 2> /dev/null
rc=$?
check "output onto a tar input refused" eval 'rc_is $rc 2 && cmp -s logs.tar logs.orig'
gzip -c want.good > in.gz
cp in.gz gz.orig
"$JP" in.gz -o ./in.gz 2> /dev/null
rc=$?
check "output onto a gzip input refused" eval 'rc_is $rc 2 && cmp -s in.gz gz.orig'

# -o and -e one file, under any spelling.
onefile() {
    local name=$1; shift
    fresh
    rm -f x.ndjson
    "$JP" in.ndjson "$@" > /dev/null 2> stderr.txt
    local rc=$?
    check "-o and -e one file refused: $name" \
        eval 'rc_is $rc 2 && has stderr.txt "are one file" && [ ! -e x.ndjson ] && no_temp'
}
onefile "same name, new file" -o x.ndjson -e x.ndjson
onefile "./ spelling, new file" -o x.ndjson -e ./x.ndjson
onefile "sub/../ spelling, new file" -o sub/../x.ndjson -e x.ndjson
onefile "-e a symlink to nothing, -o where it points" -o x.ndjson -e dangling
onefile "-o a symlink to nothing, -e where it points" -o dangling -e ./x.ndjson
onefile "-o a chain of symlinks to nothing through a symlinked directory" -o dangling2 -e sub/x.ndjson
onefile "-o dirlink/x.ndjson, -e x.ndjson (the directory a symlink)" -o dirlink/x.ndjson -e x.ndjson
fresh
echo old > y.ndjson
ln -f y.ndjson y.hard
ln -sf y.ndjson y.sym
for e in y.ndjson ./y.ndjson y.hard y.sym "$PWD/y.ndjson"; do
    "$JP" in.ndjson -o y.ndjson -e "$e" > /dev/null 2>&1
    rc=$?
    check "-o and -e one existing file refused: -e $e" \
        eval 'rc_is $rc 2 && [ "$(cat y.ndjson)" = old ]'
done
"$JP" in.ndjson -e ./y.ndjson > y.ndjson 2> /dev/null
rc=$?
check "-e FILE > FILE: both go through standard output, one after the other" \
    eval 'rc_is $rc 1 && [ "$(head -2 y.ndjson)" = "$(cat want.good)" ] && has y.ndjson "\"line\":3"'

# What is fine.
fresh
"$JP" in.ndjson in.ndjson -o out 2> /dev/null
rc=$?
check "an input given twice is read twice" \
    eval 'rc_is $rc 1 && [ "$(cat out)" = "$(cat want.good want.good)" ] && cmp -s in.ndjson orig'
"$JP" in.ndjson -o /dev/null -e /dev/null
rc=$?
check "/dev/null as -o and -e" eval 'rc_is $rc 1 && cmp -s in.ndjson orig'
"$JP" /dev/null -o /dev/null
rc=$?
check "/dev/null as input and output" eval 'rc_is $rc 0'
"$JP" in.ndjson -e - > all 2> /dev/null
rc=$?
check "-e - with standard output a file: records and error records in it, one after the other" \
    eval 'rc_is $rc 1 && [ "$(head -2 all)" = "$(cat want.good)" ] && lines all 3 &&
          has all "{\"file\":\"in.ndjson\",\"line\":3,\"offset\":18,"'

"$JP" in.ndjson > both 2>&1
rc=$?
check "> FILE 2>&1: records and messages both in FILE (one descriptor, nothing refused)" \
    eval 'rc_is $rc 1 && lines both 3 && [ "$(grep -c "^{\"id\"" both)" -eq 2 ] && has both "in.ndjson:3:"'

# --- 2. a failed run must not destroy an existing output -------------------------------------
echo old > old.ndjson
chmod 640 old.ndjson
"$JP" missing.ndjson -o old.ndjson 2> stderr.txt
rc=$?
check "a missing input: exit 3, the existing output left as it was" \
    eval 'rc_is $rc 3 && [ "$(cat old.ndjson)" = old ] && no_temp'
"$JP" want.good missing.ndjson -o old.ndjson -e old.err 2> /dev/null
rc=$?
check "... with other inputs read too: the existing output left as it was, the new -e file made" \
    eval 'rc_is $rc 3 && [ "$(cat old.ndjson)" = old ] && [ -e old.err ] && [ ! -s old.err ] && no_temp'
echo olderr > old.err
"$JP" missing2.ndjson in.ndjson -e old.err -o new.ndjson 2> /dev/null
rc=$?
check "... an existing -e file left too; a new -o file gets the records that could be read" \
    eval 'rc_is $rc 3 && [ "$(cat old.err)" = olderr ] && same new.ndjson want.good && no_temp'
printf '\037\213\010\000garbage' > damaged.gz
"$JP" damaged.gz -o old.ndjson 2> /dev/null
rc=$?
check "a damaged input: exit 3, the existing output left as it was" \
    eval 'rc_is $rc 3 && [ "$(cat old.ndjson)" = old ]'
"$JP" in.ndjson -o old.ndjson 2> /dev/null
rc=$?
check "rejections (exit 1) still replace the output, with its mode kept" \
    eval 'rc_is $rc 1 && same old.ndjson want.good && [ "$(stat -c %a old.ndjson)" = 640 ] && no_temp'
echo old > old.ndjson
rm -f new2.ndjson
"$JP" want.good -o new2.ndjson
rc=$?
check "a new output is created with the umask's mode" \
    eval 'rc_is $rc 0 && same new2.ndjson want.good &&
          [ "$(stat -c %a new2.ndjson)" = "$(printf "%o" $((0666 & ~0$(umask))))" ]'
echo old > target.ndjson
ln -sf target.ndjson link.ndjson
"$JP" want.good -o link.ndjson
check "-o a symlink replaces the file it points to, and the link stays" \
    eval '[ -L link.ndjson ] && same target.ndjson want.good'
rm -f sub/x.ndjson
"$JP" in.ndjson -o /dev/null -e dangling2 2> /dev/null
rc=$?
check "-e a chain of symlinks to nothing: the file is made where it ends, the links stay" \
    eval 'rc_is $rc 1 && [ -L dangling2 ] && lines sub/x.ndjson 1 && has sub/x.ndjson "\"line\":3" && no_temp &&
          (cd sub && no_temp)'
ln -sf loop loop
"$JP" want.good -o loop 2> stderr.txt
rc=$?
check "-o a symlink loop: exit 3, said in our words" \
    eval 'rc_is $rc 3 && has stderr.txt "jsonpipe: loop: cannot open for writing: Too many levels of symbolic links"'
# An output error: a file over the size limit (ulimit -f counts 1K blocks).
yes '{"pad":"0123456789012345678901234567890123456789012345678901"}' | head -n 20000 > big.ndjson
(ulimit -f 64; "$JP" big.ndjson -o old.ndjson 2> stderr.txt)
rc=$?
check "an output error (file size limit): exit 3, the existing output left as it was" \
    eval 'rc_is $rc 3 && [ "$(cat old.ndjson)" = old ] && has stderr.txt "old.ndjson: write error" && no_temp'
(ulimit -f 64; "$JP" big.ndjson -o never.ndjson 2> /dev/null)
check "... and a new output is not created" eval '[ ! -e never.ndjson ] && no_temp'
(ulimit -f 64; "$JP" big.ndjson -o never.ndjson -e old.err 2> /dev/null)
check "... and the -e file is left as it was" eval '[ "$(cat old.err)" = olderr ] && no_temp'

# A directory jsonpipe may not write: no temporary file, the file is written
# in place and cut only when its first byte comes. Root writes anywhere, so
# it runs these as nobody.
as_user() {
    if [ "$(id -u)" -ne 0 ]; then "$@"; else setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; fi
}
if [ "$(id -u)" -ne 0 ] || command -v setpriv > /dev/null; then
    chmod 755 "$T" && chmod 644 want.good orig && mkdir -p rodir && chmod 755 rodir
    printf '\037\213\010\000garbage' > rodir.gz && chmod 644 rodir.gz
    # in_place WANT_RC WANT_FILE NAME ARGS...: jsonpipe ARGS -o rodir/out
    # exits WANT_RC and leaves rodir/out holding WANT_FILE's bytes.
    in_place() {
        local want_rc=$1 want=$2 name=$3; shift 3
        chmod 755 rodir && echo old > rodir/out && chmod 666 rodir/out && echo old > old.want && chmod 555 rodir
        as_user "$JP" "$@" -o rodir/out 2> /dev/null
        local rc=$?
        check "an output in a directory not writable: $name" \
            eval 'rc_is $rc $want_rc && same rodir/out $want && (cd rodir && no_temp)'
    }
    : > empty.want
    in_place 3 old.want "a missing input leaves the file as it was" missing.ndjson
    in_place 3 old.want "... an input damaged from its start too" rodir.gz
    in_place 3 old.want "... compressed, as it was too" missing.ndjson --compress gzip
    in_place 0 want.good "a run that ends well replaces the contents" want.good
    in_place 1 want.good "... rejections too" orig
    in_place 1 empty.want "... every record rejected: an empty file, not the old one" orig --require nope
    in_place 0 empty.want "... no input record: an empty file" /dev/null
    in_place 3 want.good "an input error after records: the records written" want.good missing.ndjson
    chmod 755 rodir
else
    echo "ok - an output in a directory not writable # SKIP root without setpriv"
fi

# Stopped and killed runs, on a FIFO that stays open.
# slow_run SIGNAL: jsonpipe reads a FIFO holding two records and writes
# -o old.ndjson; the signal comes while it waits for more.
slow_run() {
    rm -f fifo && mkfifo fifo
    echo old > old.ndjson
    { printf '{"id":1}\n{"id":2}\n'; sleep 3; } > fifo &
    local feeder=$!
    rm -f rc.txt
    # In a subshell of its own, so the shell does not report the signal.
    ("$JP" fifo -o old.ndjson 2> /dev/null & echo $! > pid.txt; wait $!; echo $? > rc.txt) 2> /dev/null &
    local waiter=$!
    sleep 0.7
    kill -"$1" "$(cat pid.txt)"
    wait "$waiter"
    kill "$feeder" 2> /dev/null
    wait "$feeder" 2> /dev/null
}
slow_run TERM
check "a first SIGTERM: exit 143, the records read replace the output" \
    eval '[ "$(cat rc.txt)" = 143 ] && same old.ndjson want.good && no_temp'
for sig in HUP USR1 ALRM XCPU VTALRM PROF PWR RTMIN RTMAX; do
    kill -l "$sig" > /dev/null 2>&1 || continue
    slow_run "$sig"
    check "killed by SIG$sig: the output left as it was, no temporary file" \
        eval '[ "$(cat rc.txt)" = $((128 + $(kill -l "$sig"))) ] && [ "$(cat old.ndjson)" = old ] && no_temp'
done
# A run that cannot end: its error records fill a FIFO nobody reads. The
# first SIGINT stops the reading, the second kills it.
rm -f fifo && mkfifo fifo
sleep 5 < fifo &
sleeper=$!
yes 'not json, an error record each' | head -n 20000 > bad.ndjson
echo old > old.ndjson
"$JP" bad.ndjson want.good -o old.ndjson -e fifo 2> /dev/null &
pid=$!
sleep 0.7
kill -INT "$pid"
sleep 0.3
kill -INT "$pid"
wait "$pid"
rc=$?
kill "$sleeper" 2> /dev/null
wait "$sleeper" 2> /dev/null
check "killed by a second SIGINT: the output left as it was, no temporary file" \
    eval 'rc_is $rc 130 && [ "$(cat old.ndjson)" = old ] && no_temp'

# --- 6. closed standard descriptors: never an abort ------------------------------------------
# closed NAME WANT_RC MESSAGE COMMAND: COMMAND (bash, in $T) exits WANT_RC, stderr has MESSAGE.
closed() {
    local name=$1 want=$2 msg=$3
    bash -c "$4" > closed.out 2> stderr.txt
    local rc=$?
    check "closed descriptor: $name: exit $want" \
        eval 'rc_is $rc $want && { [ -z "$msg" ] || has stderr.txt "$msg"; }'
}
closed ">&- with records to write" 3 "jsonpipe: <stdout>: write error: the descriptor was closed when jsonpipe started" \
    '"$JP" want.good >&-'
closed ">&- and nothing to write" 0 "" '"$JP" /dev/null >&-'
closed ">&- with -o FILE" 0 "" '"$JP" want.good -o c.out >&- && cmp -s c.out want.good'
closed "<&-" 3 "jsonpipe: <stdin>: read error" '"$JP" <&-'
closed "<&- reading -" 3 "jsonpipe: <stdin>: read error" '"$JP" want.good - <&-; '
closed "<&- with a file input" 0 "" '"$JP" want.good <&- > c.out && cmp -s c.out want.good'
closed "2>&-" 0 "" '"$JP" want.good 2>&- > c.out && cmp -s c.out want.good'
closed "2>&- with rejections" 1 "" '"$JP" in.ndjson 2>&- > c.out; rc=$?; cmp -s c.out want.good && exit $rc'
closed "2>&- with an output error" 3 "" '"$JP" want.good -o /dev/full 2>&-'
closed "<&- >&- 2>&-" 3 "" '"$JP" <&- >&- 2>&-'
closed ">&- 2>&-" 3 "" '"$JP" want.good >&- 2>&-'
closed "<&- 2>&-" 3 "" '"$JP" <&- 2>&-'
closed "<&- >&-" 3 "jsonpipe: <stdin>: read error" '"$JP" <&- >&-'
closed "-e - with >&-" 3 "write error: the descriptor was closed" '"$JP" in.ndjson -o c.out -e - >&-'
closed "-o /dev/stderr 2>&-: records lost is an output error" 3 "" '"$JP" want.good -o /dev/stderr 2>&-'
closed "-e /dev/stderr 2>&-: error records lost is an output error" 3 "" \
    '"$JP" in.ndjson -o /dev/null -e /dev/stderr 2>&-'
closed "-e /dev/fd/2 2>&-" 3 "" '"$JP" in.ndjson -o /dev/null -e /dev/fd/2 2>&-'
closed "-e /dev/stderr 2>&- and no rejection" 0 "" '"$JP" want.good -o /dev/null -e /dev/stderr 2>&-'
closed "-e - >&- with rejections" 3 "the descriptor was closed" '"$JP" in.ndjson -o /dev/null -e - >&-'
closed ">&- --compress zstd and nothing to write: no empty frame, no error" 0 "" \
    '"$JP" /dev/null --compress zstd >&-'
closed "-o /dev/stderr 2>&- --compress gzip and nothing to write" 0 "" \
    '"$JP" /dev/null -o /dev/stderr --compress gzip 2>&-'
closed ">&- --stats with records: stats still on stderr" 3 '"records_out":0' '"$JP" --stats want.good >&-'
closed "2>&- --stats --progress" 0 "" '"$JP" --stats --progress want.good 2>&- > c.out && cmp -s c.out want.good'
closed "<&- >&- 2>&- -o FILE --stats" 0 "" '"$JP" want.good -o c.out --stats <&- >&- 2>&- && cmp -s c.out want.good'
closed "2>&- -e FILE lands nowhere near fd 2" 1 "" \
    '"$JP" in.ndjson -e c.err 2>&- > /dev/null; rc=$?; [ "$(wc -l < c.err)" -eq 1 ] && exit $rc'

# --- 9. -o - and -e -; a live compressed stream ------------------------------------------------
rm -f ./-
"$JP" want.good -o - > dash.out
rc=$?
check "-o - is standard output, no file named -" eval 'rc_is $rc 0 && same dash.out want.good && [ ! -e ./- ]'
"$JP" in.ndjson -o dash.out -e - > dash.err
rc=$?
check "-e - is standard output" \
    eval 'rc_is $rc 1 && same dash.out want.good && lines dash.err 1 && has dash.err "\"line\":3" && [ ! -e ./- ]'

# live ALG DECODER: a record written, then the writer idle but open: the
# bytes out so far decode to it within a second.
live() {
    rm -f fifo && mkfifo fifo
    { echo '{"live":1}'; sleep 3; echo '{"live":2}'; } > fifo &
    local feeder=$!
    "$JP" --compress "$1" fifo | cat > live.out &
    sleep 1
    $2 < live.out > live.dec 2> /dev/null
    check "--compress $1 on a live stream: the record decodes within a second, writer still open" \
        eval '[ "$(cat live.dec)" = "{\"live\":1}" ]'
    wait
    $2 < live.out > live.dec
    check "... and the whole stream decodes at the end" \
        eval '[ "$(cat live.dec)" = "$(printf "{\"live\":1}\n{\"live\":2}")" ]'
}
live gzip "gzip -dc"
command -v zstd > /dev/null && live zstd "zstd -dcq"

# --- 14. never truncate what is not a regular file; append where the shell asked ---------------
for dev in /dev/stderr /dev/fd/2; do
    echo "kept line" > log
    "$JP" in.ndjson -e "$dev" > /dev/null 2>> log
    rc=$?
    check "-e $dev 2>>log appends to log" \
        eval 'rc_is $rc 1 && [ "$(head -1 log)" = "kept line" ] && lines log 2 && has log "\"line\":3"'
done
echo "kept line" > log
"$JP" want.good -o /dev/stdout >> log
check "-o /dev/stdout >>log appends to log" eval '[ "$(cat log)" = "$(echo kept line; cat want.good)" ]'
echo "kept line" > log
"$JP" in.ndjson -e log 2>> log > /dev/null
check "-e log 2>>log writes through the open descriptor: appends" \
    eval '[ "$(head -1 log)" = "kept line" ] && lines log 2'
echo "kept line" > log
"$JP" in.ndjson -o /dev/null -e /dev/fd/3 3>> log
check "-e /dev/fd/3 3>>log appends to log" eval '[ "$(head -1 log)" = "kept line" ] && lines log 2'
rm -f fifo && mkfifo fifo
cat fifo > fifo.out &
"$JP" want.good -o fifo
wait
check "-o a FIFO writes into it" same fifo.out want.good

# --- 16. --stats counts what was written --------------------------------------------------------
# 64-byte records: whole records written = bytes written / 64.
yes '{"pad":"01234567890123456789012345678901234567890123456789012"}' | head -n 100000 > r64.ndjson
stat_of() { grep -o "\"$2\":[0-9]*" "$1" | head -1 | cut -d: -f2; }
"$JP" --stats r64.ndjson 2> stats.txt | head -1 > /dev/null
ro=$(stat_of stats.txt records_out); bo=$(stat_of stats.txt bytes_out)
check "--stats after | head -1: records_out is the whole records in bytes_out" \
    eval '[ "$bo" -gt 0 ] && [ "$ro" -eq $((bo / 64)) ] || { echo "#   records_out=$ro bytes_out=$bo"; false; }'
"$JP" --stats r64.ndjson -o /dev/full 2> stats.txt
rc=$?
check "--stats after a write error on /dev/full: nothing written, nothing counted, exit 3" \
    eval 'rc_is $rc 3 && [ "$(stat_of stats.txt records_out)" = 0 ] && [ "$(stat_of stats.txt bytes_out)" = 0 ]'
(ulimit -f 100; "$JP" --stats r64.ndjson > limited.out 2> stats.txt)
rc=$?
check "--stats after a short write (ulimit -f): records_out is the lines the file holds" \
    eval 'rc_is $rc 3 && [ "$(stat_of stats.txt records_out)" = "$(wc -l < limited.out)" ] &&
          [ "$(stat_of stats.txt bytes_out)" = "$(wc -c < limited.out)" ] && [ "$(wc -c < limited.out)" -gt 0 ]'
"$JP" --stats --compress gzip r64.ndjson 2> stats.txt | head -c 100 > /dev/null
check "--stats, compressed, after | head -c 100: no record counted from a cut member" \
    eval '[ "$(stat_of stats.txt records_out)" -lt 100000 ]'

# --- 17. usage that misleads ------------------------------------------------------------------
usage_case "option '--s' is ambiguous; possibilities: '--stats' '--schema' '--schema-budget' '--schema-format' '--schema-map' '--set' '--select'" --s
usage_case "option '--ma' is ambiguous; possibilities: '--max-open' '--max-memory' '--max-line' '--max-depth' '--max-rejects'" --ma 1M
usage_case "option '--se' is ambiguous; possibilities: '--set' '--select'" --se a
usage_case "option '--stats' takes no argument" --stats=1
usage_case "unknown option '--nope'" --nope
for bad in zstd:20 zstd:22 zstd:0 zstd:1..2 zstd:3x zstd:+3 "zstd: 3" zstd:; do
    usage_case "--compress: '$bad': the zstd level is a number from 1 to 19" --compress "$bad"
done
for bad in gzip:0 gzip:10 gzip:5x gzip:-1 gzip:05.; do
    usage_case "--compress: '$bad': the gzip level is a number from 1 to 9" --compress "$bad"
done
usage_case "--compress: 'lz4' is not gzip[:1-9], zstd[:1-19] or none" --compress lz4
usage_case "--compress: 'none:1' is not gzip[:1-9], zstd[:1-19] or none" --compress none:1
for ok in gzip:1 gzip:9 zstd:1 zstd:19; do
    "$JP" --compress "$ok" want.good | gzip -dc 2> /dev/null > dec.out || "$JP" --compress "$ok" want.good | zstd -dcq > dec.out
    check "--compress $ok accepted" same dec.out want.good
done
usage_case "--hash-key sets how --hash works, but no --hash is given" --hash-key want.good
usage_case "--hash-key sets how --hash works, but no --hash is given" --hash-key want.good --set a=b
echo key > key
echo '{"e":"x"}' | "$JP" --hash-key key --hash e > /dev/null
check "--hash-key before --hash is fine" rc_is $? 0
{ echo '{"a":1}'; head -c 2000000 /dev/zero | tr '\0' a; echo; } > longline.ndjson
"$JP" --max-memory 4M longline.ndjson > /dev/null 2> stderr.txt
check "an over-long line names the --max-line that --max-memory lowered" \
    has stderr.txt "longline.ndjson:2: line of 2000000 bytes is longer than --max-line 1M (a quarter of --max-memory)"
"$JP" --max-line 1000 longline.ndjson > /dev/null 2> stderr.txt
check "an over-long line names --max-line as given" \
    has stderr.txt "longline.ndjson:2: line of 2000000 bytes is longer than --max-line 1000"
if command -v script > /dev/null; then
    script -qec "\"$JP\" --compress gzip want.good" /dev/null > tty.out 2>&1
    rc=$?
    check "compressed data to a terminal refused (exit 2)" \
        eval 'rc_is $rc 2 && has tty.out "<stdout>: compressed data not written to a terminal (use -f to force)"'
    script -qec "\"$JP\" want.good -o /dev/tty --compress zstd" /dev/null > tty.out 2>&1
    rc=$?
    check "... and by -o /dev/tty" eval 'rc_is $rc 2 && has tty.out "compressed data not written to a terminal"'
    script -qec "\"$JP\" -f --compress gzip want.good > /dev/null" /dev/null > tty.out 2>&1
    rc=$?
    check "... unless -f" rc_is $rc 0
    script -qec "\"$JP\" --force --compress gzip want.good" /dev/null > tty.out 2>&1
    rc=$?
    check "... or --force writes it" eval 'rc_is $rc 0 && [ -s tty.out ]'
fi

# --- 18. --list-processors in --help's order; completion of values -------------------------------
"$JP" --help | sed -n '/^Processors/,/^Tuning/p' | grep -oE '^      --[a-z-]+' | tr -d ' ' |
    grep -vxE -- "--hash-key|--schema-budget|--schema-format|--schema-map" > help.order
"$JP" --list-processors | grep -oE '^--[a-z-]+' > list.order
check "--list-processors lists in --help's order" same help.order list.order

if [ -n "${COMPLETION:-}" ]; then
    complete_words() {
        (PATH=$(dirname "$JP"):$PATH bash -c 'source "$COMPLETION"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _jsonpipe
             printf "%s " "${COMPREPLY[@]}"' _ "$@") | sed 's/^ $//'
    }
    completes() {
        local want=$1; shift
        local got
        got=$(complete_words "$@")
        check "completion of '$*': '$want'" eval '[ "$got" = "$want" ] || { echo "#   got: $got"; false; }'
    }
    touch 4 8
    completes "" jsonpipe -j ""
    completes "" jsonpipe --threads ""
    completes "" jsonpipe --max-line ""
    completes "src=file src=line src=offset src=host " jsonpipe --meta src=
    completes "src=offset " jsonpipe --meta src=o
    completes "file line offset host " jsonpipe --meta src = ""
    completes "line " jsonpipe --meta src = l
    completes "" jsonpipe --meta src
    completes "t=rfc3339 t=epoch t=epoch_ms " jsonpipe --timestamp t=
    completes "epoch epoch_ms " jsonpipe --timestamp t = ep
    completes "e=sha256 e=sha1 e=md5 e=xxh64 " jsonpipe --hash e=
    completes "sha256 sha1 " jsonpipe --hash u.e = sha
    completes "id=v7 id=stable id=stable: " jsonpipe --uuid id=
    completes "stable stable: " jsonpipe --uuid id = st
    completes "" jsonpipe --uuid id = stable : ""
    completes "" jsonpipe --now ""
    completes "gzip zstd none gzip: zstd: " jsonpipe --compress ""
    completes "$(printf 'zstd:%s ' 1 {10..19})" jsonpipe --compress zstd:1
    completes "$(printf '%s ' {1..19})" jsonpipe --compress zstd : ""
    completes "$(printf '%s ' {1..9})" jsonpipe --compress gzip : ""
    completes "--compress=gzip:9 " jsonpipe --compress=gzip:9
    completes "9 " jsonpipe --compress = gzip : 9
    completes "want.good " jsonpipe -o want.go
fi

finish
