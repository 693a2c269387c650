# probe.sh: builds simdjson_probe.cpp for bench.sh and strict-check.sh (sourced).
#
# jp_build_probe DIR: compiles the probe into DIR and prints its path; prints
# nothing when g++ or simdjson's header (libsimdjson-dev) is missing. The
# thread flags match how the library is built; the probe starts no thread.
jp_build_probe() {
    local src out=$1/simdjson_probe
    src=$(dirname "${BASH_SOURCE[0]}")/simdjson_probe.cpp
    command -v g++ > /dev/null || return 0
    echo '#include <simdjson.h>' | g++ -std=c++17 -E -x c++ - > /dev/null 2>&1 || return 0
    g++ -O3 -std=c++17 -pthread -DSIMDJSON_THREADS_ENABLED=1 "$src" -o "$out" -lsimdjson >&2 || {
        echo "probe.sh: $src does not build" >&2; return 1; }
    echo "$out"
}
