#!/bin/bash
# dask.sh: samples/jsonpipe-dask.py on a LocalCluster of 2 workers. Every
# output and error file is byte for byte what one jsonpipe run on that
# input writes, the merged statistics are the sums of those runs', a rerun
# (a stale output left in place, a worker killed in the middle of a task)
# writes the same bytes, a failing input gives the highest status and is
# named (a killed jsonpipe 128 + its signal), a file name that is not UTF-8
# makes the round trip, and the script's usage errors exit 2 before any
# cluster starts.
#
# It needs a Python with Dask's distributed (Debian's python3-distributed):
# /usr/bin/python3 first, then PATH's python3. Without one it says SKIP
# (exit 77); with CI set a missing distributed fails.
set -u
. "$(dirname "$0")/lib.sh"
: "${SAMPLES:?}"
DASK=$SAMPLES/jsonpipe-dask.py

PY=
for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'import distributed' 2> /dev/null; then PY=$candidate; break; fi
done
if [ -z "$PY" ]; then
    [ -n "${CI:-}" ] && not_ok "distributed is needed with CI set" "no python3 imports distributed"
    if [ "$fail" -ne 0 ]; then finish; exit; fi
    echo "$pass passed, $fail failed"
    echo "SKIP: no python3 here imports distributed (apt-get install python3-distributed)"
    exit 77
fi
echo "# $PY: distributed $("$PY" -c 'import distributed; print(distributed.__version__)')"

# gen N SEED: N log lines; every 7th lacks an id, every 11th is cut short.
gen() {
    awk -v n="$1" -v seed="$2" 'BEGIN {
        for (i = 1; i <= n; i++) {
            line = sprintf("{\"id\":%d,\"seed\":\"%s\",\"msg\":\"m%d\"}", i, seed, i * 31 % 97)
            if (i % 7 == 0) line = sprintf("{\"seed\":\"%s\",\"msg\":\"no id\"}", seed)
            if (i % 11 == 0) line = substr(line, 1, 9)
            print line
        }
    }'
}
cd "$T" || exit 1
mkdir in single
gen 400 a | gzip > in/a.ndjson.gz
gen 300 b | gzip > in/b.ndjson.gz
gen 50 c > in/c.ndjson
mkdir logs && gen 80 d > logs/api.ndjson && tar czf in/d.tar.gz logs
ARGS=(--require id --set via=dask)
names=(a.ndjson.gz b.ndjson.gz c.ndjson d.ndjson.gz)
inputs=(in/a.ndjson.gz in/b.ndjson.gz in/c.ndjson in/d.tar.gz)

# One jsonpipe per input, as the tasks run it; its --stats kept.
for i in "${!inputs[@]}"; do
    "$JP" "${ARGS[@]}" --stats -o "single/${names[i]}" -e "single/${names[i]}.errors" \
        "${inputs[i]}" 2> "single/${names[i]}.stats"
done

# same_as_single DIR: every output and error file in DIR is the single run's.
same_as_single() {
    local n
    for n in "${names[@]}"; do
        same "single/$n" "$1/$n" && same "single/$n.errors" "$1/$n.errors" || return 1
    done
}

# --- one run: the files, the statistics, the status -----------------------------------
JSONPIPE=$JP "$PY" "$DASK" --local 2 --out out "${inputs[@]}" -- "${ARGS[@]}" > stats.json 2> stderr
rc=$?
check "records rejected: exit status 1" rc_is $rc 1
check "every output and error file is what one jsonpipe run on its input writes" same_as_single out
check "a tarball's output is named .ndjson, compressed as it was" eval \
    '[ "$(ls out | tr "\n" " ")" = "a.ndjson.gz a.ndjson.gz.errors b.ndjson.gz b.ndjson.gz.errors c.ndjson c.ndjson.errors d.ndjson.gz d.ndjson.gz.errors " ]'
check "error records name the input as given" has out/a.ndjson.gz.errors '"file":"in/a.ndjson.gz","line":7,'
check "each input with rejections is named on stderr" \
    has stderr "jsonpipe-dask: in/b.ndjson.gz: jsonpipe exited with status 1 (66 rejected, in out/b.ndjson.gz.errors)"

# The merged object: counters summed, peak RSS the largest, stages summed,
# and one entry per input with its status and jsonpipe's own stats.
cat > merged.py << 'EOF'
import json, sys
merged = json.load(open("stats.json"))
singles = [json.loads(open(f"single/{n}.stats").read().splitlines()[-1]) for n in sys.argv[1:]]
def total(key): return sum(s[key] for s in singles)
counters = ["records_in", "records_out", "rejected", "dropped", "blank_lines", "bytes_in",
            "bytes_out", "files", "input_errors", "threads"]
problems = [k for k in counters if merged[k] != total(k)]
if merged["peak_rss_bytes"] != max(e["stats"]["peak_rss_bytes"] for e in merged["inputs"]):
    problems.append("peak_rss_bytes")
for i, stage in enumerate(merged["stages"]):
    for key in ("records_in", "records_out", "rejected", "dropped"):
        if stage[key] != sum(s["stages"][i][key] for s in singles):
            problems.append(f"stages[{i}].{key}")
if [s["name"] for s in merged["stages"]] != ["parse", "require", "set"]:
    problems.append("stage names")
if merged["tasks"] != len(singles) or [e["status"] for e in merged["inputs"]] != [1] * len(singles):
    problems.append("tasks or statuses")
for entry, single in zip(merged["inputs"], singles):
    if {k: entry["stats"][k] for k in counters} != {k: single[k] for k in counters}:
        problems.append(f"the stats of {entry['input']}")
want_keys = ["records_in", "records_out", "rejected", "dropped", "blank_lines", "bytes_in", "bytes_out",
             "seconds", "peak_rss_bytes", "files", "input_errors", "threads", "stages", "tasks",
             "inputs"]
if list(merged) != want_keys or list(merged["inputs"][0]) != ["input", "output", "errors", "status", "stats"]:
    problems.append("the keys")
if merged["records_in"] != 830 or merged["rejected"] != 182:
    problems.append("the totals")
print(" ".join(problems))
EOF
check "the merged stats are the sums of the single runs' stats" eval \
    '[ -z "$("$PY" merged.py "${names[@]}")" ] || { echo "#   differ: $("$PY" merged.py "${names[@]}")"; false; }'
check "the merged stats are one line on stdout" lines stats.json 1

# --- a rerun: a stale output, a worker killed mid-task, a missing input ---------------
cp -R out first
echo stale > out/a.ndjson.gz
# The first attempt at b's task kills its worker; Dask runs the task again.
cat > killer.sh << EOF
#!/bin/sh
case "\$*" in *b.ndjson.gz) if mkdir killed 2> /dev/null; then kill -9 \$PPID; exit 9; fi ;; esac
exec "$JP" "\$@"
EOF
chmod +x killer.sh
JSONPIPE=$T/killer.sh "$PY" "$DASK" --local 2 --out out "${inputs[@]}" in/missing.ndjson.gz \
    -- "${ARGS[@]}" > stats2.json 2> stderr
rc=$?
check "a missing input: exit status 3" rc_is $rc 3
check "the worker was killed in b's first attempt" test -d killed
check "the missing input is named on stderr" has stderr "jsonpipe-dask: in/missing.ndjson.gz: jsonpipe exited with status 3"
check "jsonpipe's message is passed on" has stderr "jsonpipe: in/missing.ndjson.gz: cannot open: No such file or directory"
check "a rerun, a stale file and a killed worker write the same bytes" eval \
    'same_as_single out && for n in "${names[@]}"; do same "first/$n" "out/$n" || exit 1; done'
check "the failed task's entry has its status; the others count as before" eval \
    '"$PY" -c "import json; m = json.load(open(\"stats2.json\")); e = m[\"inputs\"][-1]; \
     assert (m[\"tasks\"], e[\"status\"], e[\"stats\"][\"input_errors\"], m[\"input_errors\"], m[\"records_in\"]) == (5, 3, 1, 1, 830), m"'

# --- a jsonpipe killed by a signal: 128 + its number; the stats still whole ----------
cat > kill9.sh << EOF
#!/bin/sh
case "\$*" in *c.ndjson) kill -9 \$\$ ;; esac
exec "$JP" "\$@"
EOF
chmod +x kill9.sh
# A name that is not UTF-8, with a space, goes to its task and back.
odd=$(printf 'caf\351 b.ndjson')
gen 20 odd > "in/$odd"
"$JP" --require id -o "single/$odd" -e "single/$odd.errors" "in/$odd"
JSONPIPE=$T/kill9.sh "$PY" "$DASK" --local 1 --out odd-out in/c.ndjson "in/$odd" -- --require id \
    > stats3.json 2> stderr
rc=$?
check "a jsonpipe killed by SIGKILL: exit status 137" rc_is $rc 137
check "the input is named with its status" has stderr "jsonpipe-dask: in/c.ndjson: jsonpipe exited with status 137"
check "a file name that is not UTF-8: the single run's bytes" eval \
    'same "single/$odd" "odd-out/$odd" && same "single/$odd.errors" "odd-out/$odd.errors"'
check "the killed task's stats are null, the other's counted" "$PY" -c 'import json
m = json.load(open("stats3.json"))
assert (m["records_in"], m["rejected"], m["tasks"], m["inputs"][0]["stats"]) == (20, 3, 2, None), m
assert m["inputs"][1]["input"] == "in/caf\udce9 b.ndjson", m'

# --- two runs at once on one scheduler: each gets its own results --------------------------
cat > cluster.py << 'EOF'
import os, sys, time
from distributed import LocalCluster
if __name__ == "__main__":
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None)
    with open(sys.argv[1] + ".part", "w") as f:
        f.write(cluster.scheduler_address)
    os.rename(sys.argv[1] + ".part", sys.argv[1])
    time.sleep(600)
EOF
"$PY" cluster.py address > /dev/null 2>&1 &
cluster_pid=$!
for i in $(seq 300); do [ -s address ] && break; sleep 0.1; done
addr=$(cat address 2> /dev/null)
# Tasks slow enough that both runs' are on the scheduler at once.
printf '#!/bin/sh\nsleep 2\nexec "%s" "$@"\n' "$JP" > slow.sh && chmod +x slow.sh
JSONPIPE=$T/slow.sh "$PY" "$DASK" --scheduler "$addr" --out shared-a in/a.ndjson.gz -- --filter 'id < 50' \
    > shared-a.json 2> /dev/null &
run_a=$!
JSONPIPE=$T/slow.sh "$PY" "$DASK" --scheduler "$addr" --out shared-b in/a.ndjson.gz -- --filter 'id >= 50' \
    > shared-b.json 2> /dev/null
rc_b=$?
wait $run_a
rc_a=$?
kill $cluster_pid 2> /dev/null; wait $cluster_pid 2> /dev/null
"$JP" --filter 'id < 50' -o single-a.ndjson.gz -e single-a.errors in/a.ndjson.gz 2> /dev/null
"$JP" --filter 'id >= 50' -o single-b.ndjson.gz -e single-b.errors in/a.ndjson.gz 2> /dev/null
check "two runs at once on one scheduler, same input, other arguments: each writes its own run's bytes" \
    eval '[ -n "$addr" ] && rc_is $rc_a 1 && rc_is $rc_b 1 &&
          same single-a.ndjson.gz shared-a/a.ndjson.gz && same single-a.errors shared-a/a.ndjson.gz.errors &&
          same single-b.ndjson.gz shared-b/a.ndjson.gz && same single-b.errors shared-b/a.ndjson.gz.errors &&
          [ "$(zcat shared-a/a.ndjson.gz | wc -l)" -gt 0 ] && [ "$(zcat shared-b/a.ndjson.gz | wc -l)" -gt 0 ] &&
          ! cmp -s shared-a/a.ndjson.gz shared-b/a.ndjson.gz'

# --- usage errors: exit 2, no cluster, nothing written --------------------------------
# dask_usage MESSAGE ARGS...: the script refuses ARGS with status 2, saying MESSAGE.
dask_usage() {
    local want=$1; shift
    JSONPIPE=$JP "$PY" "$DASK" "$@" > usage.out 2> usage.err
    local rc=$?
    check "usage error: $*" eval 'rc_is $rc 2 && has usage.err "$want" && [ ! -e u ] && [ ! -s usage.out ]'
}
dask_usage "'in/x/a.ndjson.gz' and 'in/a.ndjson.gz' would both write u/a.ndjson.gz" \
    --out u in/a.ndjson.gz in/x/a.ndjson.gz
dask_usage "'in/a' and 'in/a.errors' would both write u/a.errors" --out u in/a.errors in/a
dask_usage "an empty scheduler address" --scheduler "" --out u in/a.ndjson.gz
dask_usage "'in/a.ndjson.xz' and 'in/a.ndjson.gz' would both write u/a.ndjson.gz" \
    --out u in/a.ndjson.gz in/a.ndjson.xz
dask_usage "'in/a.ndjson.gz' would write in/a.ndjson.gz, an input" --out in in/a.ndjson.gz
dask_usage "may not set -o" --out u in/a.ndjson.gz -- --require id -o x
dask_usage "may not set --err=x" --out u in/a.ndjson.gz -- --err=x
dask_usage "may not set -fe" --out u in/a.ndjson.gz -- -fe x
dask_usage "may not hold another --" --out u in/a.ndjson.gz -- --require id -- in/b.ndjson.gz
dask_usage "jsonpipe: unknown option '--bogus'" --out u in/a.ndjson.gz -- --bogus
dask_usage "standard input (-) cannot be a task's input" --out u -
dask_usage "the following arguments are required: --out" in/a.ndjson.gz
dask_usage "the following arguments are required: FILE" --out u
dask_usage "not a positive number of workers: '0'" --local 0 --out u in/a.ndjson.gz
dask_usage "not a positive number of workers: 'two'" --local two --out u in/a.ndjson.gz
dask_usage "not allowed with argument --local" --local 2 --scheduler tcp://127.0.0.1:1 --out u in/a.ndjson.gz
JSONPIPE=$T/nowhere "$PY" "$DASK" --out u in/a.ndjson.gz > usage.out 2> usage.err
rc=$?
check "no jsonpipe: exit status 3, saying where it looked" \
    eval 'rc_is $rc 3 && has usage.err "jsonpipe-dask: cannot find jsonpipe (JSONPIPE=$T/nowhere)"'
# dask_fails NAME RC MESSAGE ARGS...: the script exits RC saying MESSAGE.
dask_fails() {
    local name=$1 want_rc=$2 want=$3; shift 3
    JSONPIPE=$JP "$PY" "$DASK" "$@" > usage.out 2> usage.err
    local rc=$?
    check "$name" eval 'rc_is $rc $want_rc && has usage.err "$want"'
}
dask_fails "DIR is a file: exit status 3" 3 "jsonpipe-dask: cannot make the directory stats.json: File exists" \
    --out stats.json in/a.ndjson.gz
dask_fails "a scheduler address that is not one: exit status 2" 2 \
    "jsonpipe-dask: cannot connect to the scheduler bogus://x: unknown address scheme 'bogus'" \
    --scheduler bogus://x --out u in/a.ndjson.gz
export DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=1s
dask_fails "no scheduler at the address: exit status 3" 3 \
    "jsonpipe-dask: cannot connect to the scheduler tcp://127.0.0.1:1: Timed out" \
    --scheduler tcp://127.0.0.1:1 --out u in/a.ndjson.gz
unset DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT
rm -rf u

# -S leaves out site-packages, where distributed is.
JSONPIPE=$JP "$PY" -S "$DASK" --out u in/a.ndjson.gz > usage.out 2> usage.err
rc=$?
check "a Python without distributed: exit status 3, saying so, nothing written" \
    eval 'rc_is $rc 3 && has usage.err "cannot import distributed" && [ ! -e u ]'
finish
