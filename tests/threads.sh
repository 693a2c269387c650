#!/bin/bash
# threads.sh: the default of -j is the CPUs this process may use (its
# affinity mask here; the cgroup quota is unit-tested in check_cpus.c),
# --stats reports the worker threads of the run, and -j overrides both.
set -u
. "$(dirname "$0")/lib.sh"

printf '{"id":1}\n{"id":2}\n' > "$T/in"

# threads_of ARGS...: the "threads" of --stats for jsonpipe ARGS on $T/in.
threads_of() {
    "$@" --stats "$T/in" 2>&1 > /dev/null | sed -n 's/.*"threads":\([0-9]*\),.*/\1/p'
}

for j in 1 3 7; do
    n=$(threads_of "$JP" -j "$j")
    check "-j $j: --stats reports $j threads" eval '[ "$n" = "$j" ]'
done
n=$(threads_of "$JP")
if command -v nproc > /dev/null; then
    check "by default no more threads than nproc says this process may use" \
        eval '[ -n "$n" ] && [ "$n" -ge 1 ] && [ "$n" -le "$(nproc)" ]'
fi
"$JP" --stats < /dev/null 2> "$T/stderr"
check "an empty run reports its threads too, the pool it had" \
    eval 'grep -qE "\"input_errors\":0,\"threads\":[0-9]+,\"stages\":" "$T/stderr"'

if command -v taskset > /dev/null && taskset -c 0 true 2> /dev/null; then
    n=$(threads_of taskset -c 0 "$JP")
    check "taskset -c 0: the default is one thread" eval '[ "$n" = 1 ]'
    taskset -c 0 "$JP" --help > "$T/help"
    check "taskset -c 0: --help says the default here is 1" \
        has "$T/help" "worker threads (default: usable CPUs, here 1)"
    n=$(threads_of taskset -c 0 "$JP" -j 4)
    check "taskset -c 0 with -j 4: -j wins, 4 threads" eval '[ "$n" = 4 ]'
    taskset -c 0 "$JP" -j 4 --require id --set a=b "$T/in" > "$T/one"
    "$JP" -j 1 --require id --set a=b "$T/in" > "$T/want"
    check "taskset -c 0 with -j 4: the same output as -j 1" same "$T/one" "$T/want"
else
    echo "ok - taskset -c 0 gives one thread # SKIP no taskset, or CPU 0 not allowed"
fi

finish
