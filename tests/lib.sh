# lib.sh: helpers shared by the end-to-end test scripts (sourced).
#
# Each check prints "ok - NAME" or "not ok - NAME" with the reason; the
# script ends with finish, which prints "N passed, N failed" and sets the
# exit status. JP is the binary, T a temporary directory removed at exit.
: "${JSONPIPE:?}" "${FIXTURES:?}"
JP=$JSONPIPE
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# check NAME COMMAND...: passes when the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi; }
same() { cmp -s "$1" "$2" || { diff "$1" "$2" | head -5 | sed 's/^/#   /'; return 1; }; }
rc_is() { [ "$1" -eq "$2" ] || { echo "#   exit status $1, expected $2"; return 1; }; }
has() { grep -qF -- "$2" "$1" || { echo "#   '$2' not in $1:"; head -5 "$1" | sed 's/^/#   /'; return 1; }; }
lines() { [ "$(wc -l < "$1")" -eq "$2" ] || { echo "#   $1 has $(wc -l < "$1") lines, expected $2"; return 1; }; }

# usage_case MESSAGE ARGS...: jsonpipe ARGS is a usage error (exit 2) saying MESSAGE.
usage_case() {
    local want=$1; shift
    "$JP" "$@" < /dev/null > "$T/out" 2> "$T/stderr"
    local rc=$?
    check "usage error: $*" eval 'rc_is $rc 2 && has "$T/stderr" "$want"'
}

# expect NAME INPUT WANT_OUT WANT_RC ARGS...: INPUT (printf format) through
# jsonpipe ARGS gives exactly WANT_OUT (printf format) and WANT_RC.
expect() {
    local name=$1 input=$2 want=$3 want_rc=$4; shift 4
    printf "$input" | "$JP" "$@" > "$T/out" 2> "$T/stderr"
    local rc=$?
    printf "$want" > "$T/want"
    check "$name" eval 'rc_is $rc $want_rc && same "$T/out" "$T/want"'
}

# peak_rss_under FILE BYTES: the --stats peak RSS in FILE is under BYTES
# (skipped under sanitizers, whose shadow memory makes RSS meaningless).
peak_rss_under() {
    [ "${SANITIZERS:-no}" = yes ] && return 0
    local rss
    rss=$(sed -n 's/.*"peak_rss_bytes":\([0-9]*\).*/\1/p' "$1")
    [ -n "$rss" ] && [ "$rss" -lt "$2" ] || { echo "#   peak_rss_bytes=$rss"; return 1; }
}

# pid_writing PATTERN: the newest process whose command line matches
# PATTERN (pgrep -f), once it has written something; polls for 10 s at most.
pid_writing() {
    local pid="" i
    for i in $(seq 200); do
        pid=${pid:-$(pgrep -n -f "$1")}
        [ -n "$pid" ] && [ "$(awk '/^wchar/ { print $2 }' "/proc/$pid/io" 2> /dev/null || echo 0)" -gt 0 ] && break
        sleep 0.05
    done
    echo "$pid"
}

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
