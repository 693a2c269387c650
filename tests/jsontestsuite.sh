#!/bin/bash
# jsontestsuite.sh DIR [JSONPIPE]: runs JSONTestSuite's test_parsing cases
# (DIR holds the y_, n_ and i_ files; the suite is not part of this
# repository) through jsonpipe with no processors, one-line cases only, and
# prints what passed: y_ unchanged, n_ rejected, i_ without a crash. A
# UTF-16 or UTF-32 case is refused as a whole input (exit 3): that counts
# as rejected.
set -u
dir=${1:?usage: jsontestsuite.sh DIR [JSONPIPE]}
jp=${2:-$(dirname "$0")/../src/jsonpipe}
out=$(mktemp)
trap 'rm -f "$out" "$out.err"' EXIT
y=0 y_ok=0 n=0 n_ok=0 i=0 i_ok=0 i_acc=0
for f in "$dir"/[yni]_*.json; do
    # One-line cases: no newline inside (one at the very end is fine). An
    # empty file has no line at all: zero records, nothing to reject.
    [ -s "$f" ] || { echo "skipped, no line at all: $(basename "$f")"; continue; }
    [ "$(head -c -1 "$f" | tr -cd '\n' | wc -c)" -eq 0 ] || continue
    "$jp" -e /dev/null "$f" > "$out" 2> "$out.err"
    rc=$?
    [ $rc -eq 3 ] && grep -q "the input looks like UTF-" "$out.err" && rc=1
    case $(basename "$f") in
    y_*) y=$((y + 1))
         if [ $rc -eq 0 ] && cmp -s <(cat "$f"; [ -n "$(tail -c 1 "$f")" ] && echo) "$out"; then
             y_ok=$((y_ok + 1)); else echo "y not passed unchanged: $(basename "$f")"; fi ;;
    n_*) n=$((n + 1))
         if [ $rc -eq 1 ] && ! [ -s "$out" ]; then n_ok=$((n_ok + 1));
         else echo "n not rejected: $(basename "$f")"; fi ;;
    i_*) i=$((i + 1))
         if [ $rc -le 1 ]; then i_ok=$((i_ok + 1)); [ $rc -eq 0 ] && i_acc=$((i_acc + 1));
         else echo "i crashed (exit $rc): $(basename "$f")"; fi ;;
    esac
done
echo "y_: $y_ok/$y passed unchanged; n_: $n_ok/$n rejected; i_: $i_ok/$i clean ($i_acc accepted)"
