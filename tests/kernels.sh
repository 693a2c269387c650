#!/bin/bash
# kernels.sh: every JSON parser kernel gives the same run. JSONTestSuite's
# one-line cases (tests/fixtures/jsontestsuite), one by one and as one
# stream, and the NDJSON fixtures go through jsonpipe under each
# JSONPIPE_ISA, with no processors, at a small --max-depth, and through
# processors that read and edit declared fields: the output, the error
# records and the exit status must be byte for byte those of the first
# kernel. A kernel this CPU lacks falls back to a lower one, which
# --version names; an unknown name is a usage error.
set -u
. "$(dirname "$0")/lib.sh"

suite=$FIXTURES/jsontestsuite
kernels="avx512 avx2 sse42 scalar yajl"

# The kernel that JSONPIPE_ISA=$1 runs, as --version names it.
kernel_run() {
    JSONPIPE_ISA=$1 "$JP" --version | sed -n 's/.*(JSON scanner: \(.*\))$/\1/p'
}

# Whether kernel $2 is $1 or a scanner kernel below it: a kernel the CPU
# lacks falls back to the best it has, yajl to nothing.
at_or_below() {
    local scanners="avx512 avx2 sse42 scalar"
    case $1 in
    yajl) [ "$2" = yajl ] ;;
    *) case " $1${scanners#*"$1"} " in *" $2 "*) ;; *) false ;; esac ;;
    esac || { echo "#   JSONPIPE_ISA=$1 runs '$2'"; return 1; }
}

for k in $kernels; do
    ran=$(kernel_run "$k")
    echo "# JSONPIPE_ISA=$k runs $ran"
    check "JSONPIPE_ISA=$k runs $k or a kernel below it" at_or_below "$k" "$ran"
done
best=$("$JP" --version | sed -n 's/.*(JSON scanner: \(.*\))$/\1/p')
check "with no JSONPIPE_ISA, the best kernel runs" eval '[ "$best" = "$(kernel_run avx512)" ]'

# options NAME: the options of one set, in OPTS. The fields set runs
# processors that read and edit declared fields, duplicate keys included;
# none of them needs a record's whole tree, so the kernel parses them all.
options() {
    case $1 in
    none) OPTS=() ;;
    shallow) OPTS=(--max-depth 2) ;;
    fields) OPTS=(--require id --types id=number --hash user.email=xxh64 --rename name=who
                  --delete tags,a.b --set 'user.tier:=[1,{"k":2}]' --select 'id,who,user,a,k\.dot') ;;
    esac
}

# run ISA SET FILE [OPTION...]: one run, appended to $T/ISA.log with its
# exit status and error records.
run() {
    local isa=$1 set=$2 file=$3
    shift 3
    options "$set"
    {
        echo "== $set $* < $file"
        JSONPIPE_ISA=$isa "$JP" "${OPTS[@]}" "$@" -e "$T/err" "$file" 2> /dev/null
        echo "== exit $?"
        cat "$T/err"
    } >> "$T/$isa.log"
}

cases=("$suite"/[yni]_*.json)
ndjson=("$FIXTURES"/*.ndjson)
for f in "${cases[@]}"; do
    cat "$f"
    [ "$(tail -c 1 "$f" | wc -l)" -eq 1 ] || echo
done > "$T/suite.ndjson"
for isa in $kernels; do
    : > "$T/$isa.log"
    for f in "${cases[@]}"; do
        run "$isa" none "$f" -j 1 # one thread: a run of one line is mostly start-up
    done
    for set in none shallow fields; do
        for f in "$T/suite.ndjson" "${ndjson[@]}"; do
            run "$isa" "$set" "$f"
        done
    done
done

first=${kernels%% *}
check "${#cases[@]} JSONTestSuite cases and ${#ndjson[@]} NDJSON fixtures ran" \
    eval '[ ${#cases[@]} -gt 300 ] && [ "$(grep -c "^== exit" "$T/$first.log")" -gt 300 ]'
check "the runs accept, reject and edit records" \
    eval 'grep -q "^== exit 0" "$T/$first.log" && grep -q "^== exit 1" "$T/$first.log" &&
          grep -q "\"who\":" "$T/$first.log" && grep -q "nesting too deep" "$T/$first.log"'
for isa in ${kernels#* }; do
    check "JSONPIPE_ISA=$isa: output, error records and exit statuses as with $first" \
        same "$T/$isa.log" "$T/$first.log"
done

JSONPIPE_ISA=bogus "$JP" < /dev/null > "$T/out" 2> "$T/stderr"
rc=$?
check "JSONPIPE_ISA=bogus is a usage error naming the variable" \
    eval 'rc_is $rc 2 && has "$T/stderr" "JSONPIPE_ISA: '"'bogus'"' is not one of avx512, avx2, sse42, scalar, yajl"'
printf '{"id":1}\n' | JSONPIPE_ISA='' "$JP" > "$T/out" 2> "$T/stderr"
rc=$?
check "an empty JSONPIPE_ISA picks the best kernel" \
    eval 'rc_is $rc 0 && has "$T/out" "{\"id\":1}" && ! [ -s "$T/stderr" ]'
finish
