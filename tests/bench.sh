#!/bin/bash
# bench.sh: jsonpipe against jq, gojq and Miller on the same NDJSON, side by side.
#
# usage: tests/bench.sh [SIZE | FILE]   (default 256M; run from the top of a built tree)
#
# With a SIZE (bytes, or K/M/G) it generates log-like records with
# tests/gen-logs.sh; with a FILE it uses that. Every tool runs the seed pipeline - keep records
# with "id" and "name", add "source":"api" - and must output the same number
# of records. Timed runs write to /dev/null, so every tool pays the same
# for its sink and nothing else shares the CPUs; one more run counts the
# records. Prints seconds, MB/s, records/s and peak RSS (best of RUNS,
# default 5), then the ratios that matter. The seed pipeline's -j 1 and -j 2
# runs take turns, so that their ratio does not hang on when the machine was
# busy. A case splits the first
# SMALL_FILES records (default 20000) into a file each, for the cost per input.
# The seed and expression cases (--eval, --explode, --flatten) run against
# every jq there is: Debian's jq, jq built from its newest source
# (JQ_NEW=/path/to/jq, else jq-new on PATH) and gojq. The scan case sets
# jsonpipe's pass-through against simdjson's parse_many, built from
# tests/bench/simdjson_probe.cpp when g++ and libsimdjson-dev are there.
# The startup case times an empty run (/dev/null by name and as standard
# input) against jq -n empty of each jq, the mean of STARTUP_RUNS (default
# 200) with hyperfine, else of a loop of that many timed whole with GNU time
# (the loop's forks counted for every tool alike). CASES picks the cases
# (default "seed chain schema gzip small eval split scan startup"; CASES=startup needs no
# input). Not part of make check: timings belong in a benchmark, not in a
# test.
#
# Start-up is cheap because an empty run loads and starts only what every
# run needs. It cost about 4.5 ms of CPU (5 to 7 ms wall) when the program
# was linked with libarchive, which brings libxml2, ICU, libstdc++, nettle
# and libacl, and with libcrypto: 22 shared objects and 35,000 relocations,
# about 2.5 ms of it, and then it started a worker thread per CPU and
# libuv's four threads for nothing. Those two libraries are now opened by
# the runs that read a tarball or hash with sha256/sha1/md5 (src/dynlib.h;
# 13 objects, 1,400 relocations); the worker threads start when a batch
# waits for one; and /dev/null is opened and read on the loop, so libuv's
# threadpool is never started either.
set -euo pipefail
JP=${JSONPIPE:-./src/jsonpipe}
RUNS=${RUNS:-5}
STARTUP_RUNS=${STARTUP_RUNS:-200}
CASES=${CASES:-seed chain schema gzip small eval split scan startup}
arg=${1:-256M}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/bench/probe.sh"

[ -x "$JP" ] || { echo "bench.sh: build first (no $JP)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
case_on() { [[ " $CASES " == *" $1 "* ]]; }

# Every jq there is, as LABEL=COMMAND: Debian's, the newest source's, gojq.
jqs=()
command -v jq > /dev/null && jqs+=("$(jq --version)=jq")
jq_new=${JQ_NEW:-$(command -v jq-new || true)}
if [ -n "$jq_new" ] && [ -x "$jq_new" ]; then
    # A jq built from a source tree without git history calls itself "jq-".
    jq_new_version=$("$jq_new" --version)
    jqs+=("${jq_new_version%-} (source)=$jq_new")
else
    echo "bench.sh: no jq built from its newest source (JQ_NEW=/path/to/jq, or jq-new on PATH): not measured"
fi
command -v gojq > /dev/null && jqs+=("gojq $(gojq --version | cut -d' ' -f2)=gojq")

needs_input=false
for c in seed chain schema gzip small eval split scan; do case_on $c && needs_input=true; done
if ! $needs_input; then
    input=/dev/null
elif [ -f "$arg" ]; then
    input=$arg
else
    bytes=$arg
    input=$work/input.ndjson
    "$(dirname "$0")/gen-logs.sh" "$bytes" > "$input"
fi
if $needs_input; then
    size=$(stat -c %s "$input")
    mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
    echo "input: $input, $mb MB, $(wc -l < "$input") lines; $(nproc) CPUs; best of $RUNS runs"
    echo
    printf '%-44s %8s %9s %11s %9s %8s\n' "run" "seconds" "MB/s" "records/s" "RSS MiB" "records"
fi
declare -A secs peak
# time_once NAME COMMAND: one run of COMMAND, which reads $input and writes
# records to stdout; keeps NAME's best seconds and peak RSS. Seconds come
# from the shell's clock, as time's %e has 10 ms steps: too coarse for a
# run of a tenth of a second.
time_once() {
    local name=$1 cmd=$2 start s m
    start=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$work/time" bash -c "$cmd" > /dev/null 2> /dev/null || true
    s=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
    m=$(tail -n 1 "$work/time") # after time's line on a command that failed, if one did
    if [ -z "${secs[$name]:-}" ] || awk -v a="$s" -v b="${secs[$name]}" 'BEGIN { exit !(a < b) }'; then
        secs[$name]=$s
    fi
    if [ -z "${peak[$name]:-}" ] || [ "$m" -gt "${peak[$name]}" ]; then peak[$name]=$m; fi
}
# report NAME COUNT: NAME's row, with the records that COUNT writes.
report() {
    local name=$1 out
    out=$(bash -c "$2" 2> /dev/null | wc -l)
    [ -z "${records:-}" ] && records=$out
    awk -v n="$name" -v s="${secs[$name]}" -v sz="$size" -v r="$out" -v m="${peak[$name]}" 'BEGIN {
        printf "%-44s %8.3f %9.1f %11.0f %9.1f %8d\n", n, s, sz / 1048576 / s, r / s, m / 1024, r }'
    if [ "$out" -ne "$records" ]; then echo "  !! $name wrote $out records, expected $records"; fi
}
# run NAME COMMAND [COUNT]: RUNS runs of COMMAND, then its row; COUNT, when
# given, is the command whose output is counted instead.
run() {
    local k
    secs[$1]="" peak[$1]=""
    for ((k = 0; k < RUNS; k++)); do time_once "$1" "$2"; done
    report "$1" "${3:-$2}"
}
# run_side_by_side NAME1 COMMAND1 NAME2 COMMAND2: run for both, their runs
# taken in turn, so that a slow spell of a noisy machine falls on both and
# their ratio holds.
run_side_by_side() {
    local k
    secs[$1]="" peak[$1]="" secs[$3]="" peak[$3]=""
    for ((k = 0; k < RUNS; k++)); do
        time_once "$1" "$2"
        time_once "$3" "$4"
    done
    report "$1" "$2"
    report "$3" "$4"
}

declare -A fastest
# jq_runs CASE JQ_PROGRAM: each jq -c with the program, as "<jq> CASE";
# the fastest of them is fastest[CASE].
jq_runs() {
    local name=$1 prog=$2 j label best=""
    for j in "${jqs[@]}"; do
        label="${j%%=*} $name"
        run "$label" "${j#*=} -c '$prog' '$input'"
        if [ -z "$best" ] || awk -v a="${secs[$label]}" -v b="${secs[$best]}" 'BEGIN { exit !(a < b) }'; then
            best=$label
        fi
    done
    fastest[$name]=$best
}

# The seed pipeline; its bar is -j 2 at 40x the fastest jq.
seed="--require id,name --set source=api"
filter='select(.id != null and .name != null) | .source = "api"'
if case_on seed; then
    run "jsonpipe seed (-j $(nproc))" "$JP $seed '$input'"
    run_side_by_side "jsonpipe seed -j 1" "$JP -j 1 $seed '$input'" \
        "jsonpipe seed -j 2" "$JP -j 2 $seed '$input'"
    run "jsonpipe seed --max-memory 32M" "$JP --max-memory 32M $seed '$input'"
    run "jsonpipe seed --max-memory 32M, slow reader" \
        "$JP --max-memory 32M $seed '$input' | (sleep 5; cat)"
    run "jsonpipe seed --max-memory 32M, to a file" "$JP --max-memory 32M $seed '$input' -o '$work/out'; cat '$work/out'"
    records_before=$records
    records=$(wc -l < "$input")
    run "jsonpipe no processors -j 1" "$JP -j 1 '$input'"
    records=$records_before
    jq_runs seed "$filter"
    command -v mlr > /dev/null && run "mlr ($(mlr --version | cut -d' ' -f2))" \
        "mlr --ijsonl --ojsonl filter 'is_present(\$id) && is_present(\$name)' then put '\$source = \"api\"' '$input'"
fi

# (The logs schema fits the records this script generates and gen-ndjson's.)
# The whole processor chain against the closest thing jq can do: select on
# presence, type and level, then the two assignments (it has no schema and
# no hash functions).
if case_on chain; then
    schema_file=$(dirname "$0")/../samples/logs.schema.json
    chain="--require id,name --types id=integer,name=string --schema $schema_file"
    chain="$chain --filter 'level != \"debug\"' --hash user.email --timestamp processed_at --set source=api"
    unset records
    echo
    run "jsonpipe full chain (-j $(nproc))" "$JP $chain '$input'"
    run "jsonpipe full chain -j 1" "$JP -j 1 $chain '$input'"
    jq_chain='select(.id != null and .name != null and (.id|type) == "number" and (.name|type) == "string" and .level != "debug") | .processed_at = (now|todate) | .source = "api"'
    command -v jq > /dev/null && run "jq closest to the full chain" "jq -c '$jq_chain' '$input'"
fi

# --schema against ajv 8 (ajv/dist/2020 and ajv-formats, in one node
# process, JSON.parse per line: tests/bench/ajv_validate.js), installed with
# npm into AJV_DIR (default ~/.cache/jsonpipe-bench/ajv) on the first run.
# Both write the records that pass, so their verdicts are compared record
# by record.
if case_on schema; then
    schema_file=$(dirname "$0")/../samples/logs.schema.json
    ajv_dir=${AJV_DIR:-$HOME/.cache/jsonpipe-bench/ajv}
    ajv_js=$(cd "$(dirname "$0")" && pwd)/bench/ajv_validate.js
    if command -v node > /dev/null && { [ -d "$ajv_dir/node_modules/ajv-formats" ] ||
        npm install --prefix "$ajv_dir" --no-audit --no-fund ajv@8 ajv-formats@3 > /dev/null 2>&1; }; then
        ajv="NODE_PATH='$ajv_dir/node_modules' node '$ajv_js' '$schema_file' '$input'"
        ajv_run="ajv $(NODE_PATH="$ajv_dir/node_modules" node -p 'require("ajv/package.json").version') (node $(node --version))"
        unset records
        echo
        run "jsonpipe -j 2 --schema" "$JP -j 2 --schema '$schema_file' '$input'"
        run "jsonpipe -j 1 --schema" "$JP -j 1 --schema '$schema_file' '$input'"
        run "$ajv_run" "$ajv"
        if cmp -s <($JP --schema "$schema_file" "$input" 2> /dev/null) <(bash -c "$ajv" 2> /dev/null); then
            echo "  the same verdict on every record"
        else
            echo "  !! jsonpipe --schema and ajv disagree on some records"
        fi
        # And on records that break the schema: 60,000 of them, three in
        # ten broken (tests/bench/mutate_logs.py), when python3 is there.
        if command -v python3 > /dev/null; then
            python3 "$(dirname "$0")/bench/mutate_logs.py" "$input" 60000 > "$work/broken.ndjson"
            ajv_broken="NODE_PATH='$ajv_dir/node_modules' node '$ajv_js' '$schema_file' '$work/broken.ndjson'"
            $JP --schema "$schema_file" "$work/broken.ndjson" > "$work/broken.jp" 2> /dev/null || true
            bash -c "$ajv_broken" > "$work/broken.ajv" 2> /dev/null || true
            kept=$(wc -l < "$work/broken.jp")
            if cmp -s "$work/broken.jp" "$work/broken.ajv"; then
                echo "  the same verdict on 60,000 records three in ten broken ($((60000 - kept)) rejected)"
            else
                echo "  !! jsonpipe --schema and ajv disagree on some of 60,000 broken records"
            fi
        fi
    else
        echo "bench.sh: no node, or ajv could not be installed with npm: the schema case is not measured"
    fi
fi

# Compressed input and output (gzip): reading .gz directly against zcat in
# a pipe, and -o out.gz against piping into gzip -6; sizes compared too.
if case_on gzip && command -v gzip > /dev/null; then
    gzip -c "$input" > "$work/input.gz"
    records=$(wc -l < "$input")
    echo
    run "jsonpipe --require id,name input.gz" "$JP --require id,name '$work/input.gz'"
    run "zcat input.gz | jsonpipe --require id,name" "zcat '$work/input.gz' | $JP --require id,name"
    run "jsonpipe --max-memory 32M, input.gz" "$JP --max-memory 32M --require id,name '$work/input.gz'"
    unset records
    run "jsonpipe seed -o out.gz" "$JP $seed '$input' -o '$work/out.gz'" "zcat '$work/out.gz'"
    run "jsonpipe seed | gzip -6 > out.gz" "$JP $seed '$input' | gzip -6 > '$work/ref.gz'" "zcat '$work/ref.gz'"
    echo "out.gz: $(stat -c %s "$work/out.gz") bytes; gzip -6: $(stat -c %s "$work/ref.gz") bytes"
fi

# Many small inputs: the first SMALL_FILES (default 20,000) records, one
# file each, so the per-input cost shows against jq's on the same files.
nsmall=${SMALL_FILES:-20000}
if case_on small; then
    mkdir "$work/small"
    head -n "$nsmall" "$input" | split -l 1 -a 6 -d - "$work/small/f"
    big_size=$size
    size=$(cat "$work/small"/* | wc -c)
    unset records
    echo
    run "jsonpipe seed, $nsmall one-line files" "$JP $seed '$work/small'/*"
    command -v jq > /dev/null && run "jq, $nsmall one-line files" "jq -c '$filter' '$work/small'/*"
    size=$big_size
fi

# The expression language against every jq there is, on the same records:
# four computed fields (issue 12's bar: -j 2 at 20x the fastest jq), one
# record per tag, and flattened objects. A jsonpipe without one of these
# processors has its jq side measured alone. The fastest jq of each case
# is what jsonpipe is compared with.
# expr_case CASE JSONPIPE_ARGS JQ_PROGRAM: jsonpipe -j 2 with the args, and
# each jq -c with the program.
expr_case() {
    local name=$1 args=$2 prog=$3
    unset records
    echo
    if "$JP" --help 2>&1 | grep -q -- "${args%% *}"; then
        run "jsonpipe -j 2 $name" "$JP -j 2 $args '$input'"
    else
        echo "jsonpipe has no ${args%% *}: jq side only"
    fi
    jq_runs "$name" "$prog"
}
if case_on eval; then
    expr_case "--eval" \
        "--eval 'latency_s = latency_ms / 1000; key = service + \":\" + to_string(id); sev = level == \"error\" ? 3 : 1; day = substr(ts, 0, 10)'" \
        '.latency_s = .latency_ms / 1000 | .key = .service + ":" + (.id|tostring) | .sev = (if .level == "error" then 3 else 1 end) | .day = .ts[0:10]'
    expr_case "--explode tags" "--explode tags" '.tags[] as $t | .tags = $t'
    expr_case "--flatten" "--flatten" \
        'def fl($p): reduce (to_entries[]) as $e ({}; if ($e.value|type) == "object" and ($e.value|length) > 0 then . + ($e.value | fl($p + $e.key + ".")) else . + {($p + $e.key): $e.value} end); fl("")'
fi

# Split output (issue 13): one file per service, and per service and day
# (168 files for gen-logs' data, more than --max-open's 128, so files are
# closed and reopened), against the plain run to one file and against
# Miller's split verb (which must add the day as a field to split on it).
if case_on split; then
    unset records
    echo
    run "jsonpipe -o out.ndjson" "$JP '$input' -o '$work/one.ndjson'" "cat '$work/one.ndjson'"
    run "jsonpipe -o 'by/{service}.ndjson'" \
        "rm -rf '$work/by'; $JP '$input' -o '$work/by/{service}.ndjson'" "cat '$work/by'/*"
    run "jsonpipe -o 'by/{service}/{ts:%Y-%m-%d}.ndjson'" \
        "rm -rf '$work/by'; $JP '$input' -o '$work/by/{service}/{ts:%Y-%m-%d}.ndjson'" \
        "cat '$work/by'/*/*"
    run "jsonpipe -o 'by/{service}/{ts:%Y-%m-%d}.ndjson.gz'" \
        "rm -rf '$work/by'; $JP '$input' -o '$work/by/{service}/{ts:%Y-%m-%d}.ndjson.gz'" \
        "zcat '$work/by'/*/*"
    if command -v mlr > /dev/null; then
        run "mlr split -g service" \
            "rm -rf '$work/m'; mkdir '$work/m'; mlr --ijsonl --ojsonl split -g service --prefix '$work/m/s' '$input'" \
            "cat '$work/m'/*"
        run "mlr put day then split -g service,day" \
            "rm -rf '$work/m'; mkdir '$work/m'; mlr --ijsonl --ojsonl put '\$day = substr(\$ts, 0, 9)' then split -g service,day --prefix '$work/m/s' '$input'" \
            "cat '$work/m'/*"
    fi
fi

# Pass-through on one core against simdjson's validating parse_many on one
# core: issue 15's bar for the record path is 0.8x or better.
if case_on scan; then
    unset records
    echo
    run "jsonpipe -j 1 pass-through" "$JP -j 1 -e /dev/null '$input'"
    probe=$(jp_build_probe "$work")
    if [ -n "$probe" ]; then
        # The probe prints how many documents it parsed; seq makes that many lines.
        run "simdjson parse_many (dom, one core)" "'$probe' '$input'" "seq \$('$probe' '$input')"
    else
        echo "bench.sh: no g++ or no libsimdjson-dev: simdjson's parse_many not measured"
    fi
fi

# An empty run: what a call costs before it does anything, the price of
# every jsonpipe in a shell loop or one per small file.
# startup_run NAME COMMAND: prints and keeps (in secs) the mean time of one
# run of COMMAND, its standard input /dev/null.
startup_run() {
    local name=$1 cmd=$2 wall user sys
    if command -v hyperfine > /dev/null; then
        # hyperfine gives every run /dev/null as standard input.
        hyperfine -N --warmup 20 --runs "$STARTUP_RUNS" --export-json "$work/startup.json" "$cmd" \
            > /dev/null 2> "$work/startup.err" || { cat "$work/startup.err" >&2; return 1; }
        read -r wall user sys < <(awk -F '[:,]' '/"mean"/ { m = $2 } /"user"/ { u = $2 } /"system"/ { s = $2 }
            END { printf "%f %f %f\n", m * 1000, u * 1000, s * 1000 }' "$work/startup.json")
    else
        /usr/bin/time -f "%e %U %S" -o "$work/time" \
            bash -c "for ((k = 0; k < $STARTUP_RUNS; k++)); do $cmd; done < /dev/null" > /dev/null
        read -r wall user sys < <(awk -v n="$STARTUP_RUNS" \
            '{ printf "%f %f %f\n", $1 * 1000 / n, $2 * 1000 / n, $3 * 1000 / n }' "$work/time")
    fi
    secs[$name]=$(awk -v w="$wall" 'BEGIN { printf "%.6f", w / 1000 }')
    printf '%-44s %8.2f %8.2f %8.2f\n' "$name" "$wall" "$user" "$sys"
}
if case_on startup; then
    echo
    how="hyperfine"
    command -v hyperfine > /dev/null || how="a loop timed with GNU time"
    echo "an empty run, mean of $STARTUP_RUNS ($how); $(nproc) CPUs"
    printf '%-44s %8s %8s %8s\n' "run" "wall ms" "user ms" "sys ms"
    startup_run "jsonpipe /dev/null" "$JP /dev/null"
    startup_run "jsonpipe < /dev/null" "$JP"
    for j in "${jqs[@]}"; do
        startup_run "${j%%=*} -n empty" "${j#*=} -n empty"
    done
fi

echo
# ratio RUN OTHER TEXT [BAR]: RUN's speed as a multiple of OTHER's, and
# whether that meets BAR.
ratio() {
    [ -n "$1" ] && [ -n "$2" ] || return 0
    awk -v a="${secs[$1]:-0}" -v b="${secs[$2]:-0}" -v t="$3" -v bar="${4:-}" 'BEGIN {
        if (a > 0 && b > 0) printf "%-60s %7.2fx%s\n", t, b / a,
            bar == "" ? "" : (b / a >= bar ? "   meets the bar, " : "   below the bar, ") bar "x" }'
}
# jq_ratios JSONPIPE_RUN CASE [BAR]: the run against each jq on CASE, then
# against the fastest.
jq_ratios() {
    local j
    [ -n "${fastest[$2]:-}" ] || return 0
    for j in "${jqs[@]}"; do
        ratio "$1" "${j%%=*} $2" "$1 vs ${j%%=*}"
    done
    ratio "$1" "${fastest[$2]}" "$1 vs the fastest jq (${fastest[$2]% "$2"})" "${3:-}"
}
jq_ratios "jsonpipe seed -j 2" seed 40
ratio "jsonpipe seed (-j $(nproc))" "mlr ($(mlr --version 2>/dev/null | cut -d' ' -f2))" "jsonpipe seed vs mlr"
ratio "jsonpipe seed -j 2" "jsonpipe seed -j 1" "jsonpipe -j 2 vs -j 1 (runs in turn)" 1.7
ratio "jsonpipe full chain (-j $(nproc))" "jq closest to the full chain" "jsonpipe full chain vs jq"
ratio "jsonpipe --require id,name input.gz" "zcat input.gz | jsonpipe --require id,name" "reading .gz directly vs zcat |"
ratio "jsonpipe seed -o out.gz" "jsonpipe seed | gzip -6 > out.gz" "-o out.gz vs | gzip -6"
ratio "jsonpipe seed, $nsmall one-line files" "jq, $nsmall one-line files" "jsonpipe seed vs jq, $nsmall one-line files"
for j in "${jqs[@]}"; do
    ratio "jsonpipe /dev/null" "${j%%=*} -n empty" "jsonpipe empty run vs ${j%%=*} -n empty"
done
if [ -n "${secs[jsonpipe /dev/null]:-}" ]; then
    awk -v s="${secs[jsonpipe /dev/null]}" 'BEGIN {
        printf "%-52s %6.2f ms (bar: 5 ms)\n", "jsonpipe empty run, wall", s * 1000 }'
fi
for name in "--eval" "--explode tags" "--flatten"; do
    jq_ratios "jsonpipe -j 2 $name" "$name"
done
ratio "jsonpipe -o 'by/{service}.ndjson'" "jsonpipe -o out.ndjson" "split by service vs one file"
ratio "jsonpipe -o 'by/{service}/{ts:%Y-%m-%d}.ndjson'" "jsonpipe -o out.ndjson" "split by service and day vs one file"
ratio "jsonpipe -o 'by/{service}.ndjson'" "mlr split -g service" "split by service vs mlr split"
ratio "jsonpipe -o 'by/{service}/{ts:%Y-%m-%d}.ndjson'" "mlr put day then split -g service,day" \
    "split by service and day vs mlr put then split"
ratio "jsonpipe -j 2 --schema" "${ajv_run:-}" "jsonpipe -j 2 --schema vs ajv" 6
ratio "jsonpipe -j 1 --schema" "${ajv_run:-}" "jsonpipe -j 1 --schema vs ajv"
ratio "jsonpipe -j 1 pass-through" "simdjson parse_many (dom, one core)" \
    "jsonpipe -j 1 pass-through vs simdjson parse_many" 0.8
