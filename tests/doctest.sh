#!/bin/bash
# doctest.sh: the documentation's commands, run. Every "$ command" in a
# ```console block of README.md and samples/README.md runs, in order, in a
# fresh copy of samples/ with jsonpipe on PATH and LC_ALL=C; its standard
# output must be the lines shown under it. Every example that
# --list-processors prints runs there too.
set -u
: "${SAMPLES:?}" "${README:?}"
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/bin"
ln -s "$JP" "$T/bin/jsonpipe"
export LC_ALL=C PATH="$T/bin:$PATH"

# fresh_samples: an empty copy of samples/ to run in, as $T/samples.
fresh_samples() {
    rm -rf "$T/samples"
    cp -R "$SAMPLES" "$T/samples"
    chmod -R u+w "$T/samples"
}

# run_console_blocks FILE: one check per command.
run_console_blocks() {
    local doc=$1 name cmd examples=0
    name=$(basename "$(dirname "$doc")")/$(basename "$doc")
    rm -rf "$T/doc"
    mkdir -p "$T/doc"
    awk -v dir="$T/doc" '
        /^```console/ { inblock = 1; next }
        /^```/ { inblock = 0; next }
        inblock && /^\$ / { n++; cmd = sprintf("%s/%03d.cmd", dir, n); out = sprintf("%s/%03d.want", dir, n);
                            print substr($0, 3) > cmd; printf "" > out; next }
        inblock && n { print >> out }
    ' "$doc"
    fresh_samples
    for cmd in "$T"/doc/*.cmd; do
        [ -e "$cmd" ] || break
        examples=$((examples + 1))
        (cd "$T/samples" && bash "$cmd") > "$T/got" 2> /dev/null
        check "$name: $(cat "$cmd")" same "$T/got" "${cmd%.cmd}.want"
    done
    check "$name has commands to run" eval '[ $examples -gt 0 ]'
}

run_console_blocks "$README"
run_console_blocks "$SAMPLES/README.md"

fresh_samples
"$JP" --list-processors | sed -n 's/^    \$ //p' > "$T/examples"
n=0
while read -r example; do
    n=$((n + 1))
    (cd "$T/samples" && eval "$example") > "$T/got" 2> "$T/err"
    rc=$?
    check "--list-processors example runs: $example" \
        eval '[ $rc -le 1 ] && [ -s "$T/got" ] && ! grep -q "usage\|Try" "$T/err"'
done < "$T/examples"
check "--list-processors gives an example for each of the 15 processors" eval '[ $n -eq 15 ]'
finish
